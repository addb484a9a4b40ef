//! A byte-level scanner that follows PHP's lexer states far enough to find where PHP mode
//! starts and ends: open and close tags, inline HTML, and — inside PHP mode — comments and
//! string literals, so that a `?>` inside a string or a `/* */` comment is not taken for a
//! closing tag. It is one linear pass (table-driven byte loops and `memchr`, no allocation
//! per byte) and needs no syntax tree.
//!
//! The states and transitions mirror PHP 8.2's `Zend/zend_language_scanner.l` with
//! `short_open_tag` on (PHP's built-in default), and the result agrees with
//! `token_get_all()` (see `tests/php_tokenizer_oracle.rs`):
//!
//! * PHP keeps a stack of lexer states. `{` in code pushes, `}` pops; `{$`, `${` and `$name[`
//!   inside an interpolating string push the string's state, so the matching `}` (or `]`)
//!   returns into the string. A close tag changes only the current state, never the stack:
//!   `"{$a ?> html <?php }"` is still one string around a stretch of HTML.
//! * Code inside an interpolation (`"{$a['x']}"`) belongs to the String region of the
//!   literal around it, comments and nested strings included. A close tag inside an
//!   interpolation splits that String region around the tags and the inline HTML.
//! * After `__halt_compiler`, `token_get_all()` reads three more tokens (whitespace,
//!   comments and open tags do not count) and reports everything after them as one
//!   `T_INLINE_HTML`; the scanner counts the same tokens (see `halt.rs`).
//! * PHP's look-ahead at each heredoc start (see `IndentationLookahead`) is replayed, so
//!   that even in a file with a lexing error inside a heredoc, the `T_END_HEREDOC` token
//!   covers the bytes that PHP gives it.
//! * A shebang line (`#!/usr/bin/php`) is inline HTML, as `token_get_all()` says; note that
//!   the PHP CLI skips it when it runs the file.

use std::ops::Range;

use memchr::memchr2;

mod halt;
mod lexical;
mod lookahead;
#[cfg(test)]
mod tests;

use lexical::{
    block_comment_end, cast_end, closing_label_at, continues_name, find_open_tag, heredoc_header,
    inside_name, is_label_start, label_end, line_comment_end, newline_len, number_end, open_tag_at,
    single_quoted_end, skip_label, skip_spaces_and_tabs, skip_whitespace, variable_name_in_braces,
    CodeByte, HeredocHeader, BACKQUOTED_STOPS, CODE_BYTES, DOUBLE_QUOTED_STOPS, HEREDOC_CODE_BYTES,
    HEREDOC_STOPS, VAR_OFFSET_ENDS,
};
use lookahead::{mixes_tabs_and_spaces, valid_unicode_escape, IndentationLookahead};

/// What a stretch of the file is, as PHP's lexer sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionKind {
    /// Text outside PHP mode, sent to the client as it is (`T_INLINE_HTML`).
    InlineHtml,
    /// `<?php` plus the one whitespace character it includes, or a short `<?` (`T_OPEN_TAG`).
    OpenTag,
    /// `<?=` (`T_OPEN_TAG_WITH_ECHO`).
    OpenTagWithEcho,
    /// `?>` plus the one newline (`\n`, `\r\n` or `\r`) it swallows (`T_CLOSE_TAG`).
    CloseTag,
    /// A `//`, `#` or `/* */` comment (a doc comment too).
    Comment,
    /// A string literal: quoted, backtick, heredoc or nowdoc, interpolations included (with
    /// any comments and strings inside them).
    String,
    /// Any other PHP code: keywords, names, variables, operators, whitespace.
    Code,
}

/// One contiguous stretch of the file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Region {
    pub kind: RegionKind,
    pub span: Range<usize>,
}

/// The regions of a whole file, in order; together they cover every byte exactly once.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Scan {
    pub regions: Vec<Region>,
    /// Where the data after `__halt_compiler();` (or `__halt_compiler() ?>`) starts: PHP
    /// compiles nothing after it and never outputs it, though `token_get_all()` calls it inline
    /// HTML. `None` when the file does not halt.
    pub halted_at: Option<usize>,
}

impl Scan {
    /// The regions of one kind, in file order.
    pub fn of_kind(&self, kind: RegionKind) -> impl Iterator<Item = &Region> + '_ {
        self.regions
            .iter()
            .filter(move |region| region.kind == kind)
    }

    /// The region that contains byte `offset`, or `None` past the end of the file.
    pub fn region_at(&self, offset: usize) -> Option<&Region> {
        let index = self
            .regions
            .partition_point(|region| region.span.end <= offset);
        self.regions.get(index)
    }
}

/// Scans `bytes` as PHP's lexer would, with `short_open_tag` on (PHP's built-in default).
pub fn scan(bytes: &[u8]) -> Scan {
    Scanner::new(bytes).run()
}

/// Where the first opening tag (`<?php`, `<?=` or a short `<?`) is, as PHP's lexer finds it.
pub fn first_open_tag(bytes: &[u8]) -> Option<usize> {
    find_open_tag(bytes, 0)
}

/// A heredoc or nowdoc closing label: `bytes[start..start + len]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Label {
    start: usize,
    len: usize,
}

/// The lexer states that matter for finding tags, comments and strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Outside PHP (`INITIAL`).
    Html,
    /// PHP code (`ST_IN_SCRIPTING`).
    Code,
    /// Inside `"…"` (`ST_DOUBLE_QUOTES`).
    DoubleQuoted,
    /// Inside `` `…` `` (`ST_BACKQUOTE`).
    Backquoted,
    /// Inside a heredoc body (`ST_HEREDOC`).
    Heredoc(Label),
    /// Inside a nowdoc body (`ST_NOWDOC`).
    Nowdoc(Label),
    /// After `$name[` inside an interpolating string (`ST_VAR_OFFSET`).
    VarOffset,
}

struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
    mode: Mode,
    /// PHP's state stack (`yy_push_state` / `yy_pop_state`).
    stack: Vec<Mode>,
    /// String literals open in the current mode and on the stack. While there is one, code
    /// is an interpolation and belongs to the String region of the outermost literal.
    open_literals: usize,
    /// Where the outermost open literal starts: its pieces merge into one String region.
    literal_start: usize,
    /// PHP's look-ahead of each open heredoc, replayed (see `IndentationLookahead`).
    lookaheads: Vec<IndentationLookahead>,
    halted_at: Option<usize>,
    out: RegionBuilder,
}

impl<'a> Scanner<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Scanner {
            bytes,
            pos: 0,
            mode: Mode::Html,
            stack: Vec::new(),
            open_literals: 0,
            literal_start: 0,
            lookaheads: Vec::new(),
            halted_at: None,
            out: RegionBuilder::default(),
        }
    }

    fn run(mut self) -> Scan {
        while self.pos < self.bytes.len() {
            match self.mode {
                Mode::Html => self.scan_html(),
                Mode::Code => self.scan_code(),
                Mode::DoubleQuoted => self.scan_interpolating(Some(b'"')),
                Mode::Backquoted => self.scan_interpolating(Some(b'`')),
                Mode::Heredoc(_) => self.scan_interpolating(None),
                Mode::Nowdoc(label) => self.scan_nowdoc(label),
                Mode::VarOffset => self.scan_var_offset(),
            }
        }
        self.flush(self.bytes.len());
        Scan {
            regions: self.out.regions,
            halted_at: self.halted_at,
        }
    }

    // ----- region output -------------------------------------------------------------------

    /// Emits the pending code up to `to`: Code, or String inside an interpolation.
    fn flush(&mut self, to: usize) {
        if self.open_literals == 0 {
            self.out.push(RegionKind::Code, to, true);
        } else {
            let same_literal = self.out.regions.last().is_some_and(|last| {
                last.kind == RegionKind::String && last.span.start >= self.literal_start
            });
            self.out.push(RegionKind::String, to, same_literal);
        }
    }

    /// Emits a region of its own, after the pending code before it.
    fn emit(&mut self, kind: RegionKind, span: Range<usize>) {
        self.flush(span.start);
        self.out.push(kind, span.end, false);
    }

    /// A comment or a one-token string; inside an interpolation it is part of the literal.
    fn emit_unless_interpolated(&mut self, kind: RegionKind, span: Range<usize>) {
        if self.open_literals == 0 {
            self.emit(kind, span.clone());
        }
        self.pos = span.end;
    }

    // ----- state changes -------------------------------------------------------------------

    fn open_literal(&mut self, start: usize, mode: Mode) {
        if self.open_literals == 0 {
            self.flush(start);
            self.literal_start = start;
        }
        self.open_literals += 1;
        self.mode = mode;
    }

    fn close_literal(&mut self, end: usize) {
        if self.open_literals == 1 {
            self.flush(end);
        }
        self.open_literals -= 1;
        self.mode = Mode::Code;
        self.pos = end;
    }

    /// `yy_push_state`: remember the current state and switch to `mode`.
    fn push(&mut self, mode: Mode) {
        self.stack.push(self.mode);
        self.mode = mode;
    }

    /// `yy_pop_state`, which PHP skips when the stack is empty (an unmatched `}`).
    fn pop(&mut self) {
        if let Some(mode) = self.stack.pop() {
            self.mode = mode;
        }
    }

    // ----- INITIAL -------------------------------------------------------------------------

    fn scan_html(&mut self) {
        let start = self.pos;
        match find_open_tag(self.bytes, start) {
            Some(tag_start) => {
                let (kind, tag_end) = open_tag_at(self.bytes, tag_start);
                self.emit(RegionKind::InlineHtml, start..tag_start);
                self.emit(kind, tag_start..tag_end);
                self.pos = tag_end;
                self.mode = Mode::Code;
            }
            None => {
                self.emit(RegionKind::InlineHtml, start..self.bytes.len());
                self.pos = self.bytes.len();
            }
        }
    }

    // ----- ST_IN_SCRIPTING -----------------------------------------------------------------

    fn scan_code(&mut self) {
        let bytes = self.bytes;
        while self.mode == Mode::Code {
            // Brackets matter only to the look-ahead of a heredoc around this code.
            let table = if self.lookaheads.is_empty() {
                &CODE_BYTES
            } else {
                &HEREDOC_CODE_BYTES
            };
            let rest = &bytes[self.pos..];
            let plain = rest
                .iter()
                .position(|&byte| table[byte as usize] != CodeByte::Plain);
            let i = self.pos + plain.unwrap_or(rest.len());
            self.pos = i;
            let Some(&byte) = bytes.get(i) else { return };
            match table[byte as usize] {
                CodeByte::Plain => unreachable!("plain bytes were skipped"),
                // Inside a longer name nothing starts: `ab'x'` is a name and a string.
                CodeByte::NameStart | CodeByte::Digit if inside_name(bytes, i) => {
                    self.pos = label_end(bytes, i);
                }
                CodeByte::NameStart => self.word(i),
                CodeByte::Digit => self.number(i),
                CodeByte::Question => self.question_mark(i),
                CodeByte::Minus => self.minus(i),
                CodeByte::Hash if bytes.get(i + 1) == Some(&b'[') => {
                    self.lookahead_opens(b'[');
                    self.pos = i + 2;
                }
                CodeByte::Hash => self.line_comment(i),
                CodeByte::Slash => self.slash(i),
                CodeByte::SingleQuote => self.single_quoted(i, i),
                CodeByte::DoubleQuote => self.double_quoted(i, i),
                CodeByte::Backtick => {
                    self.open_literal(i, Mode::Backquoted);
                    self.pos = i + 1;
                }
                CodeByte::Less => self.less_than(i),
                CodeByte::OpenBrace => {
                    self.lookahead_opens(b'{');
                    self.push(Mode::Code);
                    self.pos = i + 1;
                }
                CodeByte::CloseBrace => {
                    self.lookahead_closes(b'}');
                    self.pop();
                    self.pos = i + 1;
                }
                // A cast such as `(int)` is one token, no bracket.
                CodeByte::OpenBracket => match cast_end(bytes, i) {
                    Some(end) => self.pos = end,
                    None => {
                        self.lookahead_opens(byte);
                        self.pos = i + 1;
                    }
                },
                // `.5` is a number, so `.0x1` is `.0` and the name `x1`; `...` is one token.
                CodeByte::Dot => match bytes.get(i + 1) {
                    Some(next) if next.is_ascii_digit() => self.number(i),
                    _ if bytes[i..].starts_with(b"...") => self.pos = i + 3,
                    _ => self.pos = i + 1,
                },
                CodeByte::CloseBracket => {
                    self.lookahead_closes(byte);
                    self.pos = i + 1;
                }
            }
        }
    }

    /// A name or keyword starting at `start`. Only three words matter here: a lone `b` or
    /// `B` prefixing a string (`b'…'`, `b"…"`, `b<<<`), and `__halt_compiler`.
    fn word(&mut self, start: usize) {
        let bytes = self.bytes;
        let end = label_end(bytes, start);
        self.pos = end;
        let word = &bytes[start..end];
        if word.eq_ignore_ascii_case(b"b") {
            match bytes.get(end) {
                Some(b'\'') => self.single_quoted(start, end),
                Some(b'"') => self.double_quoted(start, end),
                Some(b'<') => {
                    if let Some(header) = heredoc_header(bytes, end) {
                        self.heredoc(start, header);
                    }
                }
                _ => {}
            }
        } else if word.eq_ignore_ascii_case(b"__halt_compiler") && !continues_name(bytes, end) {
            self.halt_compiler(end);
        }
    }

    /// A number is read as PHP reads it because it may end where a name or another number
    /// starts: `1e5b'x'` is a number and a `b'x'` string, `0b08` is `0b0` and `8`.
    fn number(&mut self, start: usize) {
        let mut end = number_end(self.bytes, start);
        self.check_octal(start..end);
        while self.bytes.get(end).is_some_and(u8::is_ascii_digit) {
            let next = end;
            end = number_end(self.bytes, next);
            self.check_octal(next..end);
        }
        self.pos = end;
        if self
            .bytes
            .get(end)
            .is_some_and(|&byte| is_label_start(byte))
        {
            self.word(end);
        }
    }

    /// `?>` closes PHP mode, but only where a token starts: `??>` is `??` then `>`.
    fn question_mark(&mut self, at: usize) {
        match self.bytes.get(at + 1) {
            Some(b'?') => self.pos = at + 2,
            Some(b'>') => self.close_tag(at),
            Some(b'-') if self.bytes.get(at + 2) == Some(&b'>') => self.object_operator(at + 3),
            _ => self.pos = at + 1,
        }
    }

    fn minus(&mut self, at: usize) {
        match self.bytes.get(at + 1) {
            Some(b'-') => self.pos = at + 2,
            Some(b'>') => self.object_operator(at + 2),
            _ => self.pos = at + 1,
        }
    }

    /// After `->` or `?->` (`ST_LOOKING_FOR_PROPERTY`), a name is a property even when it
    /// reads like a keyword: `$x->__halt_compiler()` halts nothing. PHP stays in that state
    /// across whitespace, comments and more arrows, and there `#[` starts a comment, not an
    /// attribute.
    fn object_operator(&mut self, after: usize) {
        let bytes = self.bytes;
        self.pos = after;
        loop {
            let at = skip_whitespace(bytes, self.pos);
            self.pos = at;
            match (bytes.get(at), bytes.get(at + 1), bytes.get(at + 2)) {
                (Some(b'#'), ..) | (Some(b'/'), Some(b'/'), _) => self.line_comment(at),
                (Some(b'/'), Some(b'*'), _) => self.block_comment(at),
                (Some(b'-'), Some(b'>'), _) => self.pos = at + 2,
                (Some(b'?'), Some(b'-'), Some(b'>')) => self.pos = at + 3,
                _ => {
                    self.pos = skip_label(bytes, at);
                    return;
                }
            }
        }
    }

    fn slash(&mut self, at: usize) {
        match self.bytes.get(at + 1) {
            Some(b'/') => self.line_comment(at),
            Some(b'*') => self.block_comment(at),
            _ => self.pos = at + 1,
        }
    }

    fn close_tag(&mut self, at: usize) {
        let end = at + 2 + newline_len(self.bytes, at + 2);
        self.emit(RegionKind::CloseTag, at..end);
        self.pos = end;
        self.mode = Mode::Html;
    }

    /// `#` or `//` up to the end of the line or up to a `?>`, which it leaves for the
    /// close tag.
    fn line_comment(&mut self, start: usize) {
        let end = line_comment_end(self.bytes, start);
        self.emit_unless_interpolated(RegionKind::Comment, start..end);
    }

    /// `/* … */` or `/** … */`; a `?>` inside does not count. Unterminated: up to EOF.
    fn block_comment(&mut self, start: usize) {
        let end = block_comment_end(self.bytes, start);
        self.emit_unless_interpolated(RegionKind::Comment, start..end);
    }

    /// `'…'` where only `\\` and `\'` are escapes; unterminated, it runs to EOF.
    fn single_quoted(&mut self, start: usize, quote: usize) {
        let end = single_quoted_end(self.bytes, quote);
        self.emit_unless_interpolated(RegionKind::String, start..end);
    }

    fn double_quoted(&mut self, start: usize, quote: usize) {
        self.open_literal(start, Mode::DoubleQuoted);
        self.pos = quote + 1;
    }

    /// `<<<` may open a heredoc; otherwise `<<` pairs up first, so `<<<<X` is no heredoc.
    fn less_than(&mut self, at: usize) {
        if let Some(header) = heredoc_header(self.bytes, at) {
            self.heredoc(at, header);
        } else if self.bytes.get(at + 1) == Some(&b'<') {
            self.pos = at + 2;
        } else {
            self.pos = at + 1;
        }
    }

    /// Opens the heredoc or nowdoc whose header `<<<ID\n` is at `header`, `start` being
    /// where its `b` prefix or its `<<<` is. PHP looks for the closing label on the very
    /// first line straight away, so an empty heredoc closes here.
    fn heredoc(&mut self, start: usize, header: HeredocHeader) {
        let mode = if header.nowdoc {
            Mode::Nowdoc(header.label)
        } else {
            Mode::Heredoc(header.label)
        };
        self.open_literal(start, mode);
        self.pos = header.end;
        let label_at = skip_spaces_and_tabs(self.bytes, header.end);
        if closing_label_at(self.bytes, label_at, header.label) {
            if mixes_tabs_and_spaces(&self.bytes[header.end..label_at]) {
                self.lookahead_error();
            }
            self.close_literal(label_at + header.label.len);
        } else if !header.nowdoc && label_at < self.bytes.len() {
            self.lookaheads.push(IndentationLookahead::default());
        }
    }

    /// The closing label of the heredoc or nowdoc in `mode` is at `label_at`, indented
    /// from `line_start`. A heredoc's `T_END_HEREDOC` token takes as much indentation as its
    /// look-ahead found, which is the real one unless the look-ahead gave up.
    fn close_heredoc(&mut self, mode: Mode, line_start: usize, label_at: usize) {
        let indentation = label_at - line_start;
        let mixed = mixes_tabs_and_spaces(&self.bytes[line_start..label_at]);
        let end = match mode {
            Mode::Heredoc(label) => {
                self.lookahead_passes_label(indentation);
                if mixed {
                    self.lookahead_error();
                }
                let found = self.finish_lookahead().unwrap_or(indentation);
                (line_start + found + label.len).min(self.bytes.len())
            }
            Mode::Nowdoc(label) => {
                if mixed {
                    self.lookahead_error();
                }
                label_at + label.len
            }
            _ => unreachable!("only heredocs and nowdocs have closing labels"),
        };
        self.close_literal(end);
        // When the look-ahead gave up, the token may end inside a name, which then starts
        // a token of its own.
        match self.bytes.get(end) {
            Some(byte) if byte.is_ascii_digit() => self.number(end),
            Some(&byte) if is_label_start(byte) => self.word(end),
            _ => {}
        }
    }

    // ----- ST_DOUBLE_QUOTES, ST_BACKQUOTE, ST_HEREDOC --------------------------------------

    /// The body of an interpolating string: `"…"` or `` `…` `` up to the `closing` quote, or
    /// a heredoc (`closing` is `None`) up to its label. Stops where an interpolation opens.
    fn scan_interpolating(&mut self, closing: Option<u8>) {
        let bytes = self.bytes;
        let stops = match closing {
            Some(b'"') => &DOUBLE_QUOTED_STOPS,
            Some(_) => &BACKQUOTED_STOPS,
            None => &HEREDOC_STOPS,
        };
        let segment_start = self.pos;
        // Where the last escape sequence ended: a `{` right before it was escaped.
        let mut escape_end = usize::MAX;
        let mut i = self.pos;
        while i < bytes.len() {
            let byte = bytes[i];
            if !stops[byte as usize] {
                i += 1;
                continue;
            }
            match byte {
                b'\\' => {
                    // PHP decodes the escapes of quoted strings as it reads them (those of
                    // heredocs only when compiling), and a bad `\u{…}` is a lexing error.
                    if closing.is_some()
                        && !self.lookaheads.is_empty()
                        && !valid_unicode_escape(bytes, i)
                    {
                        self.lookahead_error();
                    }
                    // In a heredoc, `\` before a line break escapes nothing.
                    let escapes_next =
                        closing.is_some() || !matches!(bytes.get(i + 1), Some(b'\n' | b'\r'));
                    i = if escapes_next { i + 2 } else { i + 1 }.min(bytes.len());
                    escape_end = i;
                }
                b'$' => {
                    let brace_before = i > segment_start && bytes[i - 1] == b'{' && escape_end != i;
                    if brace_before {
                        // `{$`: the `$` is scanned again as code.
                        self.lookahead_opens(b'{');
                        self.pos = i;
                        self.push(Mode::Code);
                        return;
                    }
                    match bytes.get(i + 1) {
                        Some(b'{') => {
                            // `${name}` or `${name[…]}`: the name is a variable's, even
                            // `__halt_compiler` (`ST_LOOKING_FOR_VARNAME`).
                            self.lookahead_opens(b'{');
                            self.pos = i + 2;
                            if variable_name_in_braces(bytes, i + 2) {
                                self.pos = label_end(bytes, i + 2);
                            }
                            self.push(Mode::Code);
                            return;
                        }
                        Some(&next) if is_label_start(next) => {
                            let end = label_end(bytes, i + 1);
                            if bytes.get(end) == Some(&b'[') {
                                self.pos = end;
                                self.push(Mode::VarOffset);
                                return;
                            }
                            i = end;
                        }
                        _ => i += 1,
                    }
                }
                b'\n' | b'\r' => {
                    let Mode::Heredoc(label) = self.mode else {
                        unreachable!("only heredocs stop at line ends")
                    };
                    let line_start = i + newline_len(bytes, i);
                    let label_at = skip_spaces_and_tabs(bytes, line_start);
                    if closing_label_at(bytes, label_at, label) {
                        self.close_heredoc(self.mode, line_start, label_at);
                        return;
                    }
                    i = label_at;
                }
                _ => {
                    // The closing quote.
                    self.close_literal(i + 1);
                    return;
                }
            }
        }
        self.pos = bytes.len();
    }

    // ----- ST_NOWDOC -----------------------------------------------------------------------

    fn scan_nowdoc(&mut self, label: Label) {
        let bytes = self.bytes;
        let mut i = self.pos;
        while let Some(found) = memchr2(b'\n', b'\r', &bytes[i..]) {
            let line_end = i + found;
            let line_start = line_end + newline_len(bytes, line_end);
            let label_at = skip_spaces_and_tabs(bytes, line_start);
            if closing_label_at(bytes, label_at, label) {
                self.close_heredoc(self.mode, line_start, label_at);
                return;
            }
            i = label_at;
        }
        self.pos = bytes.len();
    }

    // ----- ST_VAR_OFFSET -------------------------------------------------------------------

    /// `$name[…]` inside a string: every byte is a token of the offset until `]`, which
    /// ends it, or until whitespace, `\`, `'` or `#`, which end it without being part of it.
    /// Even a `"` does not end the string here.
    fn scan_var_offset(&mut self) {
        let bytes = self.bytes;
        let rest = &bytes[self.pos..];
        match rest.iter().position(|&byte| VAR_OFFSET_ENDS[byte as usize]) {
            Some(found) => {
                let end = self.pos + found;
                self.pos = if bytes[end] == b']' { end + 1 } else { end };
                self.pop();
            }
            None => self.pos = bytes.len(),
        }
    }
}

/// Collects regions, merging a piece into the previous region when asked to.
#[derive(Default)]
struct RegionBuilder {
    regions: Vec<Region>,
    end: usize,
}

impl RegionBuilder {
    fn push(&mut self, kind: RegionKind, end: usize, merge: bool) {
        if end <= self.end {
            return;
        }
        match self.regions.last_mut() {
            Some(last) if merge && last.kind == kind => last.span.end = end,
            _ => self.regions.push(Region {
                kind,
                span: self.end..end,
            }),
        }
        self.end = end;
    }
}
