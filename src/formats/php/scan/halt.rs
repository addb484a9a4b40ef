//! `__halt_compiler`: the three tokens that `token_get_all()` still reads after it.

use std::ops::ControlFlow;

use super::lexical::{
    cast_end, continues_name, find_open_tag, heredoc_header, is_label_start, is_label_successor,
    label_end, number_end, open_tag_at, single_quoted_end, skip_label, skip_whitespace,
};
use super::{Mode, RegionKind, Scanner};

impl Scanner<'_> {
    /// `token_get_all()` takes three more tokens after `__halt_compiler` (normally `(`, `)`
    /// and `;` or `?>`), not counting whitespace, comments and open tags, and returns the
    /// rest of the file as one `T_INLINE_HTML`.
    pub(super) fn halt_compiler(&mut self, keyword_end: usize) {
        let mut tail = HaltTail {
            at: keyword_end,
            tokens_left: 3,
            in_html: false,
            after_object_operator: false,
        };
        while tail.tokens_left > 0 && tail.at < self.bytes.len() {
            if tail.in_html {
                self.halt_tail_html_token(&mut tail);
            } else if self.halt_tail_code_token(&mut tail).is_break() {
                return;
            }
        }
        if tail.tokens_left == 0 {
            self.emit(RegionKind::InlineHtml, tail.at..self.bytes.len());
        }
        self.pos = self.bytes.len();
        self.mode = Mode::Html;
    }

    /// After a close tag: an open tag, which is not counted (unless it is `<?=`), or HTML.
    fn halt_tail_html_token(&mut self, tail: &mut HaltTail) {
        let start = tail.at;
        let (kind, end) = match find_open_tag(self.bytes, start) {
            Some(tag) if tag == start => open_tag_at(self.bytes, tag),
            Some(tag) => (RegionKind::InlineHtml, tag),
            None => (RegionKind::InlineHtml, self.bytes.len()),
        };
        self.emit(kind, start..end);
        if kind == RegionKind::OpenTag {
            tail.at = end;
        } else {
            tail.count(end);
        }
        tail.in_html = kind == RegionKind::InlineHtml;
    }

    /// One token (or skipped whitespace or comment) in code. Breaks when the tokens are
    /// beyond what the scanner models and it goes back to scanning code normally.
    fn halt_tail_code_token(&mut self, tail: &mut HaltTail) -> ControlFlow<()> {
        let bytes = self.bytes;
        let at = tail.at;
        match (bytes[at], bytes.get(at + 1)) {
            (b' ' | b'\t' | b'\n' | b'\r', _) => tail.at = skip_whitespace(bytes, at),
            // After `->` PHP reads even `#[` as a comment (see `object_operator`).
            (b'#', next) if tail.after_object_operator || next != Some(&b'[') => {
                self.line_comment(at);
                tail.at = self.pos;
            }
            (b'/', Some(b'/' | b'*')) => {
                self.slash(at);
                tail.at = self.pos;
            }
            (b'?', Some(b'>')) => {
                self.close_tag(at);
                tail.count(self.pos);
                tail.in_html = true;
            }
            // After `->` a name is a property, even a `b` before a quote.
            (byte, _) if tail.after_object_operator && is_label_start(byte) => {
                tail.count(label_end(bytes, at));
            }
            _ => match string_token_at(bytes, at) {
                Some(StringToken::Whole(end)) => {
                    self.emit_unless_interpolated(RegionKind::String, at..end);
                    tail.count(end);
                }
                // The opening token of an interpolating string (`"`, `` ` ``, `<<<ID`) is
                // fine as the last of the three. Tokens inside the string are beyond what
                // the scanner models; PHP rejects all this as a syntax error anyway, so go
                // on as if there had been no `__halt_compiler`.
                Some(StringToken::Opening(end)) if tail.tokens_left == 1 => {
                    self.emit_unless_interpolated(RegionKind::String, at..end);
                    tail.count(end);
                }
                Some(StringToken::Opening(_)) => {
                    self.pos = at;
                    self.mode = Mode::Code;
                    return ControlFlow::Break(());
                }
                None => {
                    let end = code_token_end(bytes, at);
                    tail.count(end);
                    tail.after_object_operator = matches!(&bytes[at..end], b"->" | b"?->");
                }
            },
        }
        ControlFlow::Continue(())
    }
}

/// Progress through the three tokens that `token_get_all()` reads after `__halt_compiler`.
struct HaltTail {
    at: usize,
    tokens_left: u8,
    /// After a close tag, before the next open tag.
    in_html: bool,
    /// Right after `->` or `?->`.
    after_object_operator: bool,
}

impl HaltTail {
    fn count(&mut self, token_end: usize) {
        self.at = token_end;
        self.tokens_left -= 1;
        self.after_object_operator = false;
    }
}

/// The first token of a string literal, as `token_get_all()` splits it.
enum StringToken {
    /// The whole literal is one token ending here: `'…'` or `"…"` without interpolation.
    Whole(usize),
    /// Only the opening token, ending here: `"`, `` ` `` or a heredoc header.
    Opening(usize),
}

/// The string literal token starting at `at`, with its `b` prefix if any.
fn string_token_at(bytes: &[u8], at: usize) -> Option<StringToken> {
    let quote = match bytes[at] {
        b'b' | b'B' if matches!(bytes.get(at + 1), Some(b'\'' | b'"' | b'<')) => at + 1,
        _ => at,
    };
    match bytes.get(quote)? {
        b'\'' => Some(StringToken::Whole(single_quoted_end(bytes, quote))),
        b'"' => Some(match constant_double_quoted_end(bytes, quote) {
            Some(end) => StringToken::Whole(end),
            None => StringToken::Opening(quote + 1),
        }),
        b'`' if quote == at => Some(StringToken::Opening(at + 1)),
        b'<' => heredoc_header(bytes, quote).map(|header| StringToken::Opening(header.end)),
        _ => None,
    }
}

/// The end of the `"…"` at `quote` if it is closed and interpolates nothing: then PHP
/// makes it a single `T_CONSTANT_ENCAPSED_STRING`.
fn constant_double_quoted_end(bytes: &[u8], quote: usize) -> Option<usize> {
    let mut i = quote + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => return Some(i + 1),
            b'\\' => i += 2,
            b'$' if bytes
                .get(i + 1)
                .is_some_and(|&next| next == b'{' || is_label_start(next)) =>
            {
                return None
            }
            b'{' if bytes.get(i + 1) == Some(&b'$') => return None,
            _ => i += 1,
        }
    }
    None
}

/// Operators of two or more bytes, longest first (enough to count tokens after
/// `__halt_compiler`).
const OPERATORS: &[&[u8]] = &[
    b"<<=", b">>=", b"**=", b"...", b"<=>", b"===", b"!==", b"??=", b"?->", b"::", b"??", b"->",
    b"=>", b"++", b"--", b"==", b"!=", b"<>", b"<=", b">=", b"+=", b"-=", b"*=", b"**", b"/=",
    b".=", b"%=", b"<<", b">>", b"&=", b"|=", b"^=", b"||", b"&&", b"#[",
];

/// The end of the one code token at `at` that is not whitespace, a comment, a string or a
/// tag: a name, a variable, a number, a cast or an operator.
fn code_token_end(bytes: &[u8], at: usize) -> usize {
    let byte = bytes[at];
    if is_label_start(byte) || (byte == b'\\' && continues_name(bytes, at)) {
        return name_end(bytes, at);
    }
    if byte == b'$' && bytes.get(at + 1).is_some_and(|&next| is_label_start(next)) {
        return label_end(bytes, at + 1);
    }
    let number = number_end(bytes, at);
    if number > at {
        return number;
    }
    if let Some(end) = cast_end(bytes, at) {
        return end;
    }
    let rest = &bytes[at..];
    at + OPERATORS
        .iter()
        .find(|op| rest.starts_with(op))
        .map_or(1, |op| op.len())
}

/// A name (`a`, `a\b`, `\a\b`), or the one token `yield from`.
fn name_end(bytes: &[u8], at: usize) -> usize {
    let mut end = skip_label(bytes, at);
    if bytes[at..end].eq_ignore_ascii_case(b"yield") {
        let from = skip_whitespace(bytes, end);
        let after = from + 4;
        let is_from = from > end
            && bytes
                .get(from..after)
                .is_some_and(|word| word.eq_ignore_ascii_case(b"from"))
            && bytes
                .get(after)
                .is_some_and(|&next| !is_label_successor(next));
        if is_from {
            return after;
        }
    }
    while continues_name(bytes, end) {
        end = label_end(bytes, end + 1);
    }
    end
}
