//! `__halt_compiler`: the three tokens that `token_get_all()` still reads after it, before
//! it reports the rest of the file as one `T_INLINE_HTML`.
//!
//! Elsewhere the scanner reads whole constructs; here tokens are counted one by one in
//! whatever lexer state they are (a string may open among them, or the keyword may sit in an
//! interpolation that a `}` leaves), so this is a small lexer for single tokens that shares
//! the scanner's states and regions. Only `__halt_compiler();` and `__halt_compiler() ?>`
//! compile; anything else is there to agree with `token_get_all()` on broken files.

use super::lexical::{
    cast_end, closing_label_at, continues_name, find_open_tag, heredoc_header, integer_end,
    is_label_start, is_label_successor, label_end, newline_len, number_end, open_tag_at,
    single_quoted_end, skip_label, skip_spaces_and_tabs, skip_whitespace, variable_name_in_braces,
    HeredocHeader,
};
use super::{Label, Mode, RegionKind, Scanner};

impl Scanner<'_> {
    /// After `__halt_compiler` (ending at `keyword_end`): three more tokens, not counting
    /// whitespace, comments and `<?php`, then the rest of the file is inline HTML.
    pub(super) fn halt_compiler(&mut self, keyword_end: usize) {
        let mut tail = HaltTail {
            at: keyword_end,
            tokens_left: 3,
            next: Expect::Any,
        };
        while tail.tokens_left > 0 && tail.at < self.bytes.len() {
            let next = std::mem::replace(&mut tail.next, Expect::Any);
            match self.tail_token(&mut tail, next) {
                Some(end) => {
                    tail.at = end;
                    tail.tokens_left -= 1;
                }
                // Whitespace and comments leave the lexer state as it was.
                None => tail.next = next,
            }
        }
        if tail.tokens_left == 0 {
            self.halted_at = Some(tail.at);
            self.emit(RegionKind::InlineHtml, tail.at..self.bytes.len());
        }
        self.pos = self.bytes.len();
        self.mode = Mode::Html;
    }

    /// Reads the token at `tail.at` and returns its end, or `None` after skipping what
    /// `token_get_all()` does not count: whitespace, comments, `<?php`.
    fn tail_token(&mut self, tail: &mut HaltTail, next: Expect) -> Option<usize> {
        let at = tail.at;
        match (next, self.mode) {
            (Expect::ClosingLabel { end }, _) => {
                self.close_literal(end);
                Some(end)
            }
            (Expect::ObjectOperator { len }, _) => {
                tail.next = Expect::PropertyName;
                Some(at + len)
            }
            (Expect::PropertyName, _) => Some(label_end(self.bytes, at)),
            (Expect::VariableName, _) if variable_name_in_braces(self.bytes, at) => {
                Some(label_end(self.bytes, at))
            }
            (_, Mode::Html) => self.tail_html_token(tail),
            (_, Mode::Code) => self.tail_code_token(tail, next),
            (_, Mode::VarOffset) => Some(self.tail_var_offset_token(at)),
            (_, Mode::Nowdoc(label)) => Some(self.tail_nowdoc_token(tail, label)),
            (_, Mode::DoubleQuoted) => Some(self.tail_string_token(tail, Some(b'"'))),
            (_, Mode::Backquoted) => Some(self.tail_string_token(tail, Some(b'`'))),
            (_, Mode::Heredoc(_)) => Some(self.tail_string_token(tail, None)),
        }
    }

    /// After a close tag: an open tag, which is not counted (unless it is `<?=`), or HTML.
    fn tail_html_token(&mut self, tail: &mut HaltTail) -> Option<usize> {
        let start = tail.at;
        let (kind, end) = match find_open_tag(self.bytes, start) {
            Some(tag) if tag == start => open_tag_at(self.bytes, tag),
            Some(tag) => (RegionKind::InlineHtml, tag),
            None => (RegionKind::InlineHtml, self.bytes.len()),
        };
        self.emit(kind, start..end);
        if kind != RegionKind::InlineHtml {
            self.mode = Mode::Code;
        }
        if kind == RegionKind::OpenTag {
            tail.at = end;
            None
        } else {
            Some(end)
        }
    }

    fn tail_code_token(&mut self, tail: &mut HaltTail, next: Expect) -> Option<usize> {
        let bytes = self.bytes;
        let at = tail.at;
        let after_object_operator = next == Expect::AfterObjectOperator;
        match (bytes[at], bytes.get(at + 1)) {
            (b' ' | b'\t' | b'\n' | b'\r', _) => {
                tail.at = skip_whitespace(bytes, at);
                return None;
            }
            // After `->` PHP reads even `#[` as a comment (see `object_operator`).
            (b'#', next) if after_object_operator || next != Some(&b'[') => {
                self.line_comment(at);
                tail.at = self.pos;
                return None;
            }
            (b'/', Some(b'/' | b'*')) => {
                self.slash(at);
                tail.at = self.pos;
                return None;
            }
            (b'?', Some(b'>')) => {
                self.close_tag(at);
                return Some(self.pos);
            }
            // After `->` a name is a property, even a `b` before a quote.
            (byte, _) if after_object_operator && is_label_start(byte) => {
                return Some(label_end(bytes, at));
            }
            (b'{', _) => {
                self.push(Mode::Code);
                return Some(at + 1);
            }
            (b'}', _) => {
                self.pop();
                return Some(at + 1);
            }
            _ => {}
        }
        if let Some(end) = self.tail_string_start(tail, at) {
            return Some(end);
        }
        let end = code_token_end(bytes, at);
        if matches!(&bytes[at..end], b"->" | b"?->") {
            tail.next = Expect::AfterObjectOperator;
        }
        Some(end)
    }

    /// The first token of a string literal at `at` (with its `b` prefix), if one starts
    /// there: the whole literal when PHP makes it one token, else its opening token.
    fn tail_string_start(&mut self, tail: &mut HaltTail, at: usize) -> Option<usize> {
        let bytes = self.bytes;
        let quote = match bytes[at] {
            b'b' | b'B' if matches!(bytes.get(at + 1), Some(b'\'' | b'"' | b'<')) => at + 1,
            _ => at,
        };
        match bytes[quote] {
            b'\'' => {
                let end = single_quoted_end(bytes, quote);
                self.emit_unless_interpolated(RegionKind::String, at..end);
                Some(end)
            }
            b'"' => match constant_double_quoted_end(bytes, quote) {
                Some(end) => {
                    self.emit_unless_interpolated(RegionKind::String, at..end);
                    Some(end)
                }
                None => {
                    self.open_literal(at, Mode::DoubleQuoted);
                    Some(quote + 1)
                }
            },
            b'`' if quote == at => {
                self.open_literal(at, Mode::Backquoted);
                Some(at + 1)
            }
            b'<' => {
                let header = heredoc_header(bytes, quote)?;
                self.tail_heredoc_start(tail, at, header);
                Some(header.end)
            }
            _ => None,
        }
    }

    /// `T_START_HEREDOC`; when the closing label is on the very next line, `T_END_HEREDOC`
    /// comes next.
    fn tail_heredoc_start(&mut self, tail: &mut HaltTail, start: usize, header: HeredocHeader) {
        let mode = if header.nowdoc {
            Mode::Nowdoc(header.label)
        } else {
            Mode::Heredoc(header.label)
        };
        self.open_literal(start, mode);
        let label_at = skip_spaces_and_tabs(self.bytes, header.end);
        if closing_label_at(self.bytes, label_at, header.label) {
            tail.next = Expect::ClosingLabel {
                end: label_at + header.label.len,
            };
        }
    }

    /// A token in the body of `"…"`, `` `…` `` (closed by `closing`) or a heredoc.
    fn tail_string_token(&mut self, tail: &mut HaltTail, closing: Option<u8>) -> usize {
        let bytes = self.bytes;
        let at = tail.at;
        if closing == Some(bytes[at]) {
            self.close_literal(at + 1);
            return at + 1;
        }
        match (bytes[at], bytes.get(at + 1)) {
            (b'$', Some(b'{')) => {
                self.push(Mode::Code);
                tail.next = Expect::VariableName;
                return at + 2;
            }
            (b'$', Some(&next)) if is_label_start(next) => {
                let end = label_end(bytes, at + 1);
                if bytes.get(end) == Some(&b'[') {
                    self.push(Mode::VarOffset);
                } else if let Some(len) = object_operator_before_name(bytes, end) {
                    tail.next = Expect::ObjectOperator { len };
                }
                return end;
            }
            (b'{', Some(b'$')) => {
                self.push(Mode::Code);
                return at + 1;
            }
            _ => {}
        }
        let label = match self.mode {
            Mode::Heredoc(label) => Some(label),
            _ => None,
        };
        let (end, closing_label_end) = string_chunk_end(bytes, at, closing, label);
        if let Some(end) = closing_label_end {
            tail.next = Expect::ClosingLabel { end };
        }
        end
    }

    /// A nowdoc body is one token up to the line of its closing label.
    fn tail_nowdoc_token(&mut self, tail: &mut HaltTail, label: Label) -> usize {
        let bytes = self.bytes;
        let mut i = tail.at;
        while let Some(line_end) = memchr::memchr2(b'\n', b'\r', &bytes[i..]).map(|found| i + found)
        {
            let line_start = line_end + newline_len(bytes, line_end);
            let label_at = skip_spaces_and_tabs(bytes, line_start);
            if closing_label_at(bytes, label_at, label) {
                tail.next = Expect::ClosingLabel {
                    end: label_at + label.len,
                };
                return line_start;
            }
            i = label_at;
        }
        bytes.len()
    }

    /// A token of `$name[…]` in a string. Whitespace, `\`, `'` and `#` end the offset with a
    /// token of no bytes, which still counts.
    fn tail_var_offset_token(&mut self, at: usize) -> usize {
        let bytes = self.bytes;
        match bytes[at] {
            b']' => {
                self.pop();
                at + 1
            }
            b' ' | b'\n' | b'\r' | b'\t' | b'\\' | b'\'' | b'#' => {
                self.pop();
                at
            }
            byte if byte.is_ascii_digit() => integer_end(bytes, at),
            b'$' if bytes.get(at + 1).is_some_and(|&next| is_label_start(next)) => {
                label_end(bytes, at + 1)
            }
            byte if is_label_start(byte) => label_end(bytes, at),
            _ => at + 1,
        }
    }
}

/// Progress through the three tokens that `token_get_all()` reads after `__halt_compiler`.
struct HaltTail {
    at: usize,
    tokens_left: u8,
    /// What the previous token makes of the next one.
    next: Expect,
}

/// What the previous token makes of the next one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// Whatever the lexer state says.
    Any,
    /// `T_END_HEREDOC`, ending here.
    ClosingLabel {
        end: usize,
    },
    /// After `$name` in a string: `->` or `?->` (`len` bytes), then a property name.
    ObjectOperator {
        len: usize,
    },
    PropertyName,
    /// After `${` in a string: a name right before `[` or `}` is one token.
    VariableName,
    /// After `->` in code, where a name is a property and `#[` a comment.
    AfterObjectOperator,
}

/// After `$name` at `at` in a string: the length of a `->` or `?->` that a name follows.
fn object_operator_before_name(bytes: &[u8], at: usize) -> Option<usize> {
    let len = if bytes[at..].starts_with(b"->") {
        2
    } else if bytes[at..].starts_with(b"?->") {
        3
    } else {
        return None;
    };
    bytes
        .get(at + len)
        .filter(|&&byte| is_label_start(byte))
        .map(|_| len)
}

/// The end of the text token (`T_ENCAPSED_AND_WHITESPACE`) at `at` in a string body, which
/// stops before `$name`, `${`, `{$`, the `closing` quote, or (in a heredoc) the line of the
/// closing `label`; then also where that label's token ends.
fn string_chunk_end(
    bytes: &[u8],
    at: usize,
    closing: Option<u8>,
    label: Option<Label>,
) -> (usize, Option<usize>) {
    // The first byte belongs to the text whatever it is, except in a heredoc, where a line
    // break there may already precede the label.
    let mut i = match (closing, bytes[at]) {
        (Some(_), b'\\') => (at + 2).min(bytes.len()),
        (Some(_), _) => at + 1,
        (None, _) => at,
    };
    while i < bytes.len() {
        match bytes[i] {
            byte if Some(byte) == closing => return (i, None),
            b'$' if bytes
                .get(i + 1)
                .is_some_and(|&next| next == b'{' || is_label_start(next)) =>
            {
                return (i, None)
            }
            b'{' if bytes.get(i + 1) == Some(&b'$') => return (i, None),
            b'\\' => {
                let escapes_next =
                    closing.is_some() || !matches!(bytes.get(i + 1), Some(b'\n' | b'\r'));
                i = if escapes_next { i + 2 } else { i + 1 }.min(bytes.len());
            }
            b'\n' | b'\r' if closing.is_none() => {
                let label = label.expect("a heredoc has a label");
                let line_start = i + newline_len(bytes, i);
                let label_at = skip_spaces_and_tabs(bytes, line_start);
                if closing_label_at(bytes, label_at, label) {
                    return (line_start, Some(label_at + label.len));
                }
                i = label_at;
            }
            _ => i += 1,
        }
    }
    (bytes.len(), None)
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
