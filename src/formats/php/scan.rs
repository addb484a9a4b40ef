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
//!   `T_INLINE_HTML`; the scanner does the same.
//! * A shebang line (`#!/usr/bin/php`) is inline HTML, as `token_get_all()` says; note that
//!   the PHP CLI skips it when it runs the file.
//!
//! * PHP's look-ahead at each heredoc start (see `IndentationLookahead`) is replayed, so
//!   that even in a file with a lexing error inside a heredoc, the `T_END_HEREDOC` token
//!   covers the bytes that PHP gives it.
//!
//! Known difference from `token_get_all()`, only in files that PHP refuses to compile (the
//! oracle test never met it in real code, only in generated garbage): `__halt_compiler`
//! followed, within its three tokens, by a string that PHP splits into several tokens
//! (`"{$a}"`, a heredoc) other than as the third token, or placed inside an interpolation
//! so that one of the three tokens returns into the string. The scanner then treats
//! `__halt_compiler` as an ordinary word, or counts the tokens as code.

use std::ops::{ControlFlow, Range};

use memchr::{memchr, memchr2, memchr3};

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
                let found = self
                    .lookaheads
                    .pop()
                    .map_or(indentation, |own| own.indentation);
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
                            self.lookahead_opens(b'{');
                            self.pos = i + 2;
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

    // ----- heredoc look-aheads --------------------------------------------------------------

    fn lookahead_opens(&mut self, bracket: u8) {
        for lookahead in self
            .lookaheads
            .iter_mut()
            .filter(|lookahead| !lookahead.gave_up)
        {
            lookahead.brackets.push(bracket);
        }
    }

    fn lookahead_closes(&mut self, closing: u8) {
        let opening = match closing {
            b')' => b'(',
            b']' => b'[',
            _ => b'{',
        };
        for lookahead in self
            .lookaheads
            .iter_mut()
            .filter(|lookahead| !lookahead.gave_up)
        {
            if lookahead.brackets.pop() != Some(opening) {
                lookahead.gave_up = true;
            }
        }
    }

    fn lookahead_passes_label(&mut self, indentation: usize) {
        for lookahead in self
            .lookaheads
            .iter_mut()
            .filter(|lookahead| !lookahead.gave_up)
        {
            lookahead.indentation = indentation;
        }
    }

    /// Something PHP's lexer throws an exception for, which ends every look-ahead.
    fn lookahead_error(&mut self) {
        for lookahead in &mut self.lookaheads {
            lookahead.gave_up = true;
        }
    }

    /// `0` followed by digits is octal, and an 8 or 9 in it is a lexing error.
    fn check_octal(&mut self, number: Range<usize>) {
        if self.lookaheads.is_empty() {
            return;
        }
        let digits = &self.bytes[number];
        let is_octal = digits.first() == Some(&b'0')
            && digits
                .iter()
                .all(|&byte| byte.is_ascii_digit() || byte == b'_');
        if is_octal && digits.iter().any(|&byte| byte == b'8' || byte == b'9') {
            self.lookahead_error();
        }
    }

    // ----- __halt_compiler -----------------------------------------------------------------

    /// `token_get_all()` takes three more tokens after `__halt_compiler` (normally `(`, `)`
    /// and `;` or `?>`), not counting whitespace, comments and open tags, and returns the
    /// rest of the file as one `T_INLINE_HTML`.
    fn halt_compiler(&mut self, keyword_end: usize) {
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

/// When a heredoc starts, PHP lexes ahead to its closing label to learn the label's
/// indentation, and its `T_END_HEREDOC` token later spans that much indentation plus the
/// label. The look-ahead starts with an empty bracket stack and gives up at the first lexing
/// error (an unbalanced bracket, `08`, a bad `\u{…}`, a closing label indented with both
/// tabs and spaces), keeping the indentation of the last heredoc label it passed, which then
/// is not that of the real one. Only files that PHP refuses to compile get there.
#[derive(Debug, Default)]
struct IndentationLookahead {
    /// Brackets opened since the heredoc started and not closed yet.
    brackets: Vec<u8>,
    /// Indentation of the last closing heredoc label passed.
    indentation: usize,
    gave_up: bool,
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

// ----- byte classes ------------------------------------------------------------------------

/// What a byte in code may start; `Plain` bytes cannot start anything the scanner tracks.
/// Among the bytes of names only `b`, `B` and `_` can begin a word that matters, and digits
/// a number, which may end where such a word begins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CodeByte {
    Plain,
    NameStart,
    Digit,
    Question,
    Minus,
    Hash,
    Slash,
    SingleQuote,
    DoubleQuote,
    Backtick,
    Less,
    OpenBrace,
    CloseBrace,
    /// `(` or `[`, only followed inside heredocs.
    OpenBracket,
    /// `)` or `]`, only followed inside heredocs.
    CloseBracket,
}

static CODE_BYTES: [CodeByte; 256] = {
    let mut table = [CodeByte::Plain; 256];
    let mut byte = 0;
    while byte < 256 {
        if (byte as u8).is_ascii_digit() {
            table[byte] = CodeByte::Digit;
        }
        byte += 1;
    }
    table[b'b' as usize] = CodeByte::NameStart;
    table[b'B' as usize] = CodeByte::NameStart;
    table[b'_' as usize] = CodeByte::NameStart;
    table[b'?' as usize] = CodeByte::Question;
    table[b'-' as usize] = CodeByte::Minus;
    table[b'#' as usize] = CodeByte::Hash;
    table[b'/' as usize] = CodeByte::Slash;
    table[b'\'' as usize] = CodeByte::SingleQuote;
    table[b'"' as usize] = CodeByte::DoubleQuote;
    table[b'`' as usize] = CodeByte::Backtick;
    table[b'<' as usize] = CodeByte::Less;
    table[b'{' as usize] = CodeByte::OpenBrace;
    table[b'}' as usize] = CodeByte::CloseBrace;
    table
};

const fn byte_set(members: &[u8]) -> [bool; 256] {
    let mut set = [false; 256];
    let mut i = 0;
    while i < members.len() {
        set[members[i] as usize] = true;
        i += 1;
    }
    set
}

/// `CODE_BYTES`, plus the brackets that a heredoc's look-ahead checks.
static HEREDOC_CODE_BYTES: [CodeByte; 256] = {
    let mut table = CODE_BYTES;
    table[b'(' as usize] = CodeByte::OpenBracket;
    table[b'[' as usize] = CodeByte::OpenBracket;
    table[b')' as usize] = CodeByte::CloseBracket;
    table[b']' as usize] = CodeByte::CloseBracket;
    table
};

static DOUBLE_QUOTED_STOPS: [bool; 256] = byte_set(b"\"\\$");
static BACKQUOTED_STOPS: [bool; 256] = byte_set(b"`\\$");
static HEREDOC_STOPS: [bool; 256] = byte_set(b"\\$\n\r");
static VAR_OFFSET_ENDS: [bool; 256] = byte_set(b"] \n\r\t\\'#");

/// `[a-zA-Z_\x80-\xff]`, PHP's `IS_LABEL_START`.
const fn is_label_start(byte: u8) -> bool {
    byte.is_ascii_alphabetic() || byte == b'_' || byte >= 0x80
}

/// `[a-zA-Z0-9_\x80-\xff]`, PHP's `IS_LABEL_SUCCESSOR`.
const fn is_label_successor(byte: u8) -> bool {
    is_label_start(byte) || byte.is_ascii_digit()
}

// ----- small lexical helpers ---------------------------------------------------------------

/// The end of the label whose first byte is at `start`.
fn label_end(bytes: &[u8], start: usize) -> usize {
    let rest = &bytes[start + 1..];
    start
        + 1
        + rest
            .iter()
            .position(|&byte| !is_label_successor(byte))
            .unwrap_or(rest.len())
}

/// The end of a label at `at`, or `at` itself when no label starts there.
fn skip_label(bytes: &[u8], at: usize) -> usize {
    match bytes.get(at) {
        Some(&byte) if is_label_start(byte) => label_end(bytes, at),
        _ => at,
    }
}

/// Whether the name byte (or digit) at `at` continues a name rather than starting a token:
/// it follows a name byte, or it is a letter after `$` (a variable) or `\` (a qualified
/// name). A digit after `$` starts a number: `$1` is `$` and `1`.
fn inside_name(bytes: &[u8], at: usize) -> bool {
    match at.checked_sub(1).map(|before| bytes[before]) {
        Some(b'$' | b'\\') => !bytes[at].is_ascii_digit(),
        Some(before) => is_label_successor(before),
        None => false,
    }
}

/// Whether `\name` follows, making the word before it part of a qualified name.
fn continues_name(bytes: &[u8], at: usize) -> bool {
    bytes.get(at) == Some(&b'\\') && bytes.get(at + 1).is_some_and(|&byte| is_label_start(byte))
}

/// PHP's `WHITESPACE`: `[ \n\r\t]+`.
fn skip_whitespace(bytes: &[u8], at: usize) -> usize {
    let rest = &bytes[at..];
    at + rest
        .iter()
        .position(|&byte| !matches!(byte, b' ' | b'\t' | b'\n' | b'\r'))
        .unwrap_or(rest.len())
}

/// PHP's `TABS_AND_SPACES`, the indentation of a closing heredoc label.
fn skip_spaces_and_tabs(bytes: &[u8], at: usize) -> usize {
    let rest = &bytes[at..];
    at + rest
        .iter()
        .position(|&byte| byte != b' ' && byte != b'\t')
        .unwrap_or(rest.len())
}

/// The length of the newline at `at` (`\r\n`, `\n` or `\r`), 0 when there is none.
fn newline_len(bytes: &[u8], at: usize) -> usize {
    match (bytes.get(at), bytes.get(at + 1)) {
        (Some(b'\r'), Some(b'\n')) => 2,
        (Some(b'\r' | b'\n'), _) => 1,
        _ => 0,
    }
}

/// Whether an indentation mixes tabs and spaces, which PHP rejects before a closing label.
fn mixes_tabs_and_spaces(indentation: &[u8]) -> bool {
    indentation.contains(&b' ') && indentation.contains(&b'\t')
}

/// Whether the escape at `backslash` is anything but a bad `\u{…}`: PHP wants one or more
/// hex digits up to `}`, for a code point up to U+10FFFF. A `\u` without `{` is no escape.
fn valid_unicode_escape(bytes: &[u8], backslash: usize) -> bool {
    if bytes.get(backslash + 1..backslash + 3) != Some(b"u{") {
        return true;
    }
    let digits_start = backslash + 3;
    let rest = &bytes[digits_start..];
    let digits = rest
        .iter()
        .position(|byte| !byte.is_ascii_hexdigit())
        .unwrap_or(rest.len());
    let code_point = rest[..digits].iter().try_fold(0u32, |value, &digit| {
        let digit = (digit as char).to_digit(16).expect("a hex digit");
        value
            .checked_mul(16)
            .and_then(|value| value.checked_add(digit))
    });
    digits > 0
        && rest.get(digits) == Some(&b'}')
        && code_point.is_some_and(|value| value <= 0x10_ffff)
}

/// Where the next open tag starts in HTML. With short tags on, every `<?` is one.
fn find_open_tag(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while let Some(found) = memchr(b'<', &bytes[i..]) {
        let at = i + found;
        if bytes.get(at + 1) == Some(&b'?') {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

/// The kind and end of the open tag at `at` (a `<?`). `<?php` takes one whitespace byte
/// (or `\r\n`) along; `<?php` glued to anything else is a short `<?` followed by a name.
fn open_tag_at(bytes: &[u8], at: usize) -> (RegionKind, usize) {
    let after = at + 2;
    if bytes.get(after) == Some(&b'=') {
        return (RegionKind::OpenTagWithEcho, after + 1);
    }
    let is_php = bytes
        .get(after..after + 3)
        .is_some_and(|word| word.eq_ignore_ascii_case(b"php"));
    if is_php {
        let php_end = after + 3;
        match bytes.get(php_end) {
            None => return (RegionKind::OpenTag, php_end),
            Some(b' ' | b'\t') => return (RegionKind::OpenTag, php_end + 1),
            Some(b'\n' | b'\r') => {
                return (RegionKind::OpenTag, php_end + newline_len(bytes, php_end))
            }
            Some(_) => {}
        }
    }
    (RegionKind::OpenTag, after)
}

/// The end of a `#` or `//` comment that starts at `start`: before the line break or
/// before a `?>`.
fn line_comment_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while let Some(found) = memchr3(b'\n', b'\r', b'?', &bytes[i..]) {
        let at = i + found;
        if bytes[at] != b'?' || bytes.get(at + 1) == Some(&b'>') {
            return at;
        }
        i = at + 1;
    }
    bytes.len()
}

/// The end of the `/*` comment at `start`: after the first `*/` that follows the `/*`
/// (`/*/` does not close it), or EOF.
fn block_comment_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 2;
    while let Some(found) = memchr(b'/', &bytes[i..]) {
        let slash = i + found;
        if slash > start + 2 && bytes[slash - 1] == b'*' {
            return slash + 1;
        }
        i = slash + 1;
    }
    bytes.len()
}

/// `<<<ID`, `<<<"ID"` or `<<<'ID'` (a nowdoc) followed by a newline.
#[derive(Debug, Clone, Copy)]
struct HeredocHeader {
    label: Label,
    nowdoc: bool,
    /// After the newline, where the body starts.
    end: usize,
}

/// Reads the header of a heredoc at `at`, where `<<<` must be: PHP's
/// `"<<<"{TABS_AND_SPACES}({LABEL}|[']{LABEL}[']|["]{LABEL}["]){NEWLINE}`.
fn heredoc_header(bytes: &[u8], at: usize) -> Option<HeredocHeader> {
    if !bytes.get(at..)?.starts_with(b"<<<") {
        return None;
    }
    let mut i = skip_spaces_and_tabs(bytes, at + 3);
    let quote = match bytes.get(i) {
        Some(&quote @ (b'\'' | b'"')) => {
            i += 1;
            Some(quote)
        }
        _ => None,
    };
    if !bytes.get(i).is_some_and(|&byte| is_label_start(byte)) {
        return None;
    }
    let label = Label {
        start: i,
        len: label_end(bytes, i) - i,
    };
    i += label.len;
    if let Some(quote) = quote {
        if bytes.get(i) != Some(&quote) {
            return None;
        }
        i += 1;
    }
    let newline = newline_len(bytes, i);
    if newline == 0 {
        return None;
    }
    Some(HeredocHeader {
        label,
        nowdoc: quote == Some(b'\''),
        end: i + newline,
    })
}

/// Whether the closing label of a heredoc is at `at`: the label, not followed by a label
/// byte. PHP also wants at least one byte after it, so a label that ends the file does not
/// close the heredoc.
fn closing_label_at(bytes: &[u8], at: usize, label: Label) -> bool {
    let name = &bytes[label.start..label.start + label.len];
    bytes.len() - at > label.len
        && bytes[at..].starts_with(name)
        && !is_label_successor(bytes[at + label.len])
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

/// The end of the `'…'` whose quote is at `quote`, or EOF when it is not closed.
fn single_quoted_end(bytes: &[u8], quote: usize) -> usize {
    let mut i = quote + 1;
    loop {
        match memchr2(b'\'', b'\\', &bytes[i..]) {
            None => return bytes.len(),
            Some(found) if bytes[i + found] == b'\'' => return i + found + 1,
            Some(found) => i = (i + found + 2).min(bytes.len()),
        }
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

/// The end of PHP's longest number token at `at` (`LNUM`, `DNUM`, `EXPONENT_DNUM`, `HNUM`,
/// `BNUM`, `ONUM`), or `at` when no number starts there.
fn number_end(bytes: &[u8], at: usize) -> usize {
    let is_decimal = |byte: u8| byte.is_ascii_digit();
    if bytes[at] == b'0' {
        let digits: Option<fn(u8) -> bool> = match bytes.get(at + 1).map(u8::to_ascii_lowercase) {
            Some(b'x') => Some(|byte| byte.is_ascii_hexdigit()),
            Some(b'b') => Some(|byte| byte == b'0' || byte == b'1'),
            Some(b'o') => Some(|byte| (b'0'..=b'7').contains(&byte)),
            _ => None,
        };
        if let Some(end) = digits.and_then(|digits| digit_run_end(bytes, at + 2, digits)) {
            return end;
        }
    }
    let integer_end = digit_run_end(bytes, at, is_decimal);
    let mut end = integer_end.unwrap_or(at);
    if bytes.get(end) == Some(&b'.') {
        match digit_run_end(bytes, end + 1, is_decimal) {
            Some(fraction_end) => end = fraction_end,
            None if integer_end.is_some() => end += 1,
            None => return at,
        }
    }
    if end > at && matches!(bytes.get(end), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(bytes.get(end + 1), Some(b'+' | b'-')));
        if let Some(exponent_end) = digit_run_end(bytes, end + 1 + sign, is_decimal) {
            end = exponent_end;
        }
    }
    end
}

/// The end of `[d]+(_[d]+)*` at `at` for the digits `d`, if there is one.
fn digit_run_end(bytes: &[u8], at: usize, is_digit: impl Fn(u8) -> bool) -> Option<usize> {
    let digit_at = |i: usize| bytes.get(i).is_some_and(|&byte| is_digit(byte));
    if !digit_at(at) {
        return None;
    }
    let mut i = at + 1;
    loop {
        while digit_at(i) {
            i += 1;
        }
        if bytes.get(i) == Some(&b'_') && digit_at(i + 1) {
            i += 2;
        } else {
            return Some(i);
        }
    }
}

/// A cast such as `(int)` or `( string )` is one token.
fn cast_end(bytes: &[u8], at: usize) -> Option<usize> {
    const TYPES: &[&[u8]] = &[
        b"integer", b"int", b"boolean", b"bool", b"double", b"float", b"real", b"string",
        b"binary", b"array", b"object", b"unset",
    ];
    if bytes[at] != b'(' {
        return None;
    }
    let name = skip_spaces_and_tabs(bytes, at + 1);
    let name_end = skip_label(bytes, name);
    if !TYPES
        .iter()
        .any(|ty| bytes[name..name_end].eq_ignore_ascii_case(ty))
    {
        return None;
    }
    let close = skip_spaces_and_tabs(bytes, name_end);
    (bytes.get(close) == Some(&b')')).then_some(close + 1)
}

#[cfg(test)]
mod tests {
    use super::RegionKind::*;
    use super::*;

    /// The regions of `source` as (kind, text) pairs, checked to cover it exactly.
    fn regions(source: &str) -> Vec<(RegionKind, &str)> {
        let scan = scan(source.as_bytes());
        let mut expected_start = 0;
        for region in &scan.regions {
            assert_eq!(
                region.span.start, expected_start,
                "regions must be contiguous: {scan:?}"
            );
            assert!(
                region.span.end > region.span.start,
                "empty region: {scan:?}"
            );
            expected_start = region.span.end;
        }
        assert_eq!(
            expected_start,
            source.len(),
            "regions must cover the file: {scan:?}"
        );
        scan.regions
            .iter()
            .map(|region| (region.kind, &source[region.span.clone()]))
            .collect()
    }

    #[test]
    fn empty_file_has_no_regions() {
        assert!(scan(b"").regions.is_empty());
    }

    #[test]
    fn html_only() {
        assert_eq!(
            regions("<html>\n<p>a < b</p>"),
            [(InlineHtml, "<html>\n<p>a < b</p>")]
        );
    }

    #[test]
    fn open_tag_takes_one_whitespace_byte() {
        assert_eq!(regions("<?php  x"), [(OpenTag, "<?php "), (Code, " x")]);
        assert_eq!(regions("<?php\tx"), [(OpenTag, "<?php\t"), (Code, "x")]);
        assert_eq!(regions("<?php\n\nx"), [(OpenTag, "<?php\n"), (Code, "\nx")]);
        assert_eq!(regions("<?php\r\nx"), [(OpenTag, "<?php\r\n"), (Code, "x")]);
        assert_eq!(regions("<?php\rx"), [(OpenTag, "<?php\r"), (Code, "x")]);
    }

    #[test]
    fn open_tag_at_end_of_file() {
        assert_eq!(regions("a<?php"), [(InlineHtml, "a"), (OpenTag, "<?php")]);
    }

    #[test]
    fn open_tag_is_case_insensitive() {
        assert_eq!(
            regions("<?PHP echo 1;"),
            [(OpenTag, "<?PHP "), (Code, "echo 1;")]
        );
        assert_eq!(regions("<?pHp\n"), [(OpenTag, "<?pHp\n")]);
    }

    #[test]
    fn php_glued_to_a_name_is_a_short_tag() {
        assert_eq!(regions("<?phpx;"), [(OpenTag, "<?"), (Code, "phpx;")]);
    }

    #[test]
    fn short_and_echo_tags() {
        assert_eq!(
            regions("a<?=$b?>c"),
            [
                (InlineHtml, "a"),
                (OpenTagWithEcho, "<?="),
                (Code, "$b"),
                (CloseTag, "?>"),
                (InlineHtml, "c")
            ]
        );
        assert_eq!(
            regions("<? x ?>"),
            [(OpenTag, "<?"), (Code, " x "), (CloseTag, "?>")]
        );
        assert_eq!(regions("<?"), [(OpenTag, "<?")]);
    }

    #[test]
    fn close_tag_swallows_exactly_one_newline() {
        assert_eq!(
            regions("<?php ?>\n\nB"),
            [(OpenTag, "<?php "), (CloseTag, "?>\n"), (InlineHtml, "\nB")]
        );
        assert_eq!(
            regions("<?php ?>\r\nB"),
            [(OpenTag, "<?php "), (CloseTag, "?>\r\n"), (InlineHtml, "B")]
        );
        assert_eq!(
            regions("<?php ?>\r\rB"),
            [(OpenTag, "<?php "), (CloseTag, "?>\r"), (InlineHtml, "\rB")]
        );
        assert_eq!(
            regions("<?php ?> \nB"),
            [(OpenTag, "<?php "), (CloseTag, "?>"), (InlineHtml, " \nB")]
        );
    }

    #[test]
    fn coalesce_before_greater_than_is_no_close_tag() {
        assert_eq!(
            regions("<?php $a ??> x"),
            [(OpenTag, "<?php "), (Code, "$a ??> x")]
        );
        assert_eq!(
            regions("<?php $a ???> x"),
            [
                (OpenTag, "<?php "),
                (Code, "$a ??"),
                (CloseTag, "?>"),
                (InlineHtml, " x")
            ]
        );
        assert_eq!(
            regions("<?php $a?->b ?>"),
            [(OpenTag, "<?php "), (Code, "$a?->b "), (CloseTag, "?>")]
        );
    }

    #[test]
    fn line_comments_end_before_a_close_tag() {
        assert_eq!(
            regions("<?php // c ?>\nB"),
            [
                (OpenTag, "<?php "),
                (Comment, "// c "),
                (CloseTag, "?>\n"),
                (InlineHtml, "B")
            ]
        );
        assert_eq!(
            regions("<?php # c ? > ?>B"),
            [
                (OpenTag, "<?php "),
                (Comment, "# c ? > "),
                (CloseTag, "?>"),
                (InlineHtml, "B")
            ]
        );
        assert_eq!(
            regions("<?php // a\r\n$b"),
            [(OpenTag, "<?php "), (Comment, "// a"), (Code, "\r\n$b")]
        );
        assert_eq!(regions("<?php //"), [(OpenTag, "<?php "), (Comment, "//")]);
    }

    #[test]
    fn hash_bracket_is_an_attribute() {
        assert_eq!(
            regions("<?php #[A] ?>x"),
            [
                (OpenTag, "<?php "),
                (Code, "#[A] "),
                (CloseTag, "?>"),
                (InlineHtml, "x")
            ]
        );
    }

    #[test]
    fn block_comments_ignore_close_tags() {
        assert_eq!(
            regions("<?php /* ?> */ ?>"),
            [
                (OpenTag, "<?php "),
                (Comment, "/* ?> */"),
                (Code, " "),
                (CloseTag, "?>")
            ]
        );
        assert_eq!(
            regions("<?php /** ?> */"),
            [(OpenTag, "<?php "), (Comment, "/** ?> */")]
        );
        assert_eq!(
            regions("<?php /*/ ?>"),
            [(OpenTag, "<?php "), (Comment, "/*/ ?>")]
        );
        assert_eq!(
            regions("<?php /**//**/"),
            [(OpenTag, "<?php "), (Comment, "/**/"), (Comment, "/**/")]
        );
    }

    #[test]
    fn single_quoted_strings() {
        assert_eq!(
            regions(r"<?php 'a\'?>\\' ?>"),
            [
                (OpenTag, "<?php "),
                (String, r"'a\'?>\\'"),
                (Code, " "),
                (CloseTag, "?>")
            ]
        );
        assert_eq!(
            regions("<?php 'a''b'"),
            [(OpenTag, "<?php "), (String, "'a'"), (String, "'b'")]
        );
        assert_eq!(
            regions("<?php 'open ?>"),
            [(OpenTag, "<?php "), (String, "'open ?>")]
        );
    }

    #[test]
    fn binary_prefix_belongs_to_the_string() {
        assert_eq!(
            regions("<?php b'x';B\"y\""),
            [
                (OpenTag, "<?php "),
                (String, "b'x'"),
                (Code, ";"),
                (String, "B\"y\"")
            ]
        );
        assert_eq!(
            regions("<?php $b'x'"),
            [(OpenTag, "<?php "), (Code, "$b"), (String, "'x'")]
        );
        assert_eq!(
            regions("<?php ab'x'"),
            [(OpenTag, "<?php "), (Code, "ab"), (String, "'x'")]
        );
        assert_eq!(
            regions("<?php b<<<X\na\nX;"),
            [(OpenTag, "<?php "), (String, "b<<<X\na\nX"), (Code, ";")]
        );
    }

    #[test]
    fn double_quoted_and_backtick_strings() {
        assert_eq!(
            regions(r#"<?php "a\"?>" ?>"#),
            [
                (OpenTag, "<?php "),
                (String, r#""a\"?>""#),
                (Code, " "),
                (CloseTag, "?>")
            ]
        );
        assert_eq!(
            regions("<?php `ls ?>` ?>"),
            [
                (OpenTag, "<?php "),
                (String, "`ls ?>`"),
                (Code, " "),
                (CloseTag, "?>")
            ]
        );
        assert_eq!(
            regions("<?php \"open ?>"),
            [(OpenTag, "<?php "), (String, "\"open ?>")]
        );
    }

    #[test]
    fn interpolations_belong_to_the_string() {
        let source = r#"<?php "a {$b["}?>"]} ${c} $d[e] \{$f} {$g->h('}')}" ?>"#;
        let literal = &source[6..source.len() - 3];
        assert_eq!(
            regions(source),
            [
                (OpenTag, "<?php "),
                (String, literal),
                (Code, " "),
                (CloseTag, "?>")
            ]
        );
        let nested = r#"<?php "{$a[/* " */ 'x']}{$b{1}}" ;"#;
        assert_eq!(
            regions(nested),
            [
                (OpenTag, "<?php "),
                (String, &nested[6..nested.len() - 2]),
                (Code, " ;")
            ]
        );
    }

    #[test]
    fn var_offset_can_hold_a_quote() {
        assert_eq!(
            regions(r#"<?php "a$b["]" ?>c"#),
            [
                (OpenTag, "<?php "),
                (String, r#""a$b["]""#),
                (Code, " "),
                (CloseTag, "?>"),
                (InlineHtml, "c")
            ]
        );
        assert_eq!(
            regions(r#"<?php "$a[ " ?>"#),
            [
                (OpenTag, "<?php "),
                (String, r#""$a[ ""#),
                (Code, " "),
                (CloseTag, "?>")
            ]
        );
    }

    #[test]
    fn close_tag_inside_an_interpolation_splits_the_string() {
        assert_eq!(
            regions(r#"<?php "{$a ?> h <?php }" ?>z"#),
            [
                (OpenTag, "<?php "),
                (String, "\"{$a "),
                (CloseTag, "?>"),
                (InlineHtml, " h "),
                (OpenTag, "<?php "),
                (String, "}\""),
                (Code, " "),
                (CloseTag, "?>"),
                (InlineHtml, "z")
            ]
        );
    }

    #[test]
    fn braces_in_code_nest() {
        assert_eq!(
            regions("<?php if (1) { ?>x<?php } ?>"),
            [
                (OpenTag, "<?php "),
                (Code, "if (1) { "),
                (CloseTag, "?>"),
                (InlineHtml, "x"),
                (OpenTag, "<?php "),
                (Code, "} "),
                (CloseTag, "?>")
            ]
        );
        assert_eq!(
            regions("<?php } } \"a\";"),
            [
                (OpenTag, "<?php "),
                (Code, "} } "),
                (String, "\"a\""),
                (Code, ";")
            ]
        );
    }

    #[test]
    fn heredoc_and_nowdoc() {
        assert_eq!(
            regions("<?php <<<EOT\na ?> $b\nEOT;\n?>"),
            [
                (OpenTag, "<?php "),
                (String, "<<<EOT\na ?> $b\nEOT"),
                (Code, ";\n"),
                (CloseTag, "?>")
            ]
        );
        assert_eq!(
            regions("<?php <<< \"EOT\"\r\nx\r\nEOT;"),
            [
                (OpenTag, "<?php "),
                (String, "<<< \"EOT\"\r\nx\r\nEOT"),
                (Code, ";")
            ]
        );
        assert_eq!(
            regions("<?php <<<'EOT'\n{$a ?>\nEOT;"),
            [
                (OpenTag, "<?php "),
                (String, "<<<'EOT'\n{$a ?>\nEOT"),
                (Code, ";")
            ]
        );
        assert_eq!(
            regions("<?php <<<EOT\nEOT;"),
            [(OpenTag, "<?php "), (String, "<<<EOT\nEOT"), (Code, ";")]
        );
        assert_eq!(
            regions("<?php <<<<EOT\n?>"),
            [(OpenTag, "<?php "), (Code, "<<<<EOT\n"), (CloseTag, "?>")]
        );
    }

    #[test]
    fn flexible_heredoc_closing_label() {
        let source = "<?php f(<<<EOT\n    a\n    EOTX\n    EOT, 1);";
        assert_eq!(
            regions(source),
            [
                (OpenTag, "<?php "),
                (Code, "f("),
                (String, "<<<EOT\n    a\n    EOTX\n    EOT"),
                (Code, ", 1);")
            ]
        );
        assert_eq!(
            regions("<?php <<<A\n\tA\n"),
            [(OpenTag, "<?php "), (String, "<<<A\n\tA"), (Code, "\n")]
        );
    }

    #[test]
    fn heredoc_label_at_end_of_file_does_not_close() {
        assert_eq!(
            regions("<?php <<<EOT\nabc\nEOT"),
            [(OpenTag, "<?php "), (String, "<<<EOT\nabc\nEOT")]
        );
    }

    #[test]
    fn heredoc_interpolation_with_nested_heredoc() {
        let source = "<?php <<<A\n{$x(<<<B\nA\nB)}\nA;";
        assert_eq!(
            regions(source),
            [
                (OpenTag, "<?php "),
                (String, &source[6..source.len() - 1]),
                (Code, ";")
            ]
        );
    }

    #[test]
    fn heredoc_escaped_newline_still_ends_a_line() {
        assert_eq!(
            regions("<?php <<<A\nx\\\nA;"),
            [(OpenTag, "<?php "), (String, "<<<A\nx\\\nA"), (Code, ";")]
        );
    }

    #[test]
    fn halt_compiler_makes_the_rest_raw_data() {
        assert_eq!(
            regions("<?php __halt_compiler();<?php ?>"),
            [
                (OpenTag, "<?php "),
                (Code, "__halt_compiler();"),
                (InlineHtml, "<?php ?>")
            ]
        );
        assert_eq!(
            regions("<?php __HALT_COMPILER ( ) /* c */ ?>\nraw"),
            [
                (OpenTag, "<?php "),
                (Code, "__HALT_COMPILER ( ) "),
                (Comment, "/* c */"),
                (Code, " "),
                (CloseTag, "?>\n"),
                (InlineHtml, "raw")
            ]
        );
        assert_eq!(
            regions("<?php __halt_compiler();"),
            [(OpenTag, "<?php "), (Code, "__halt_compiler();")]
        );
    }

    #[test]
    fn halt_compiler_as_a_property_or_name_part_halts_nothing() {
        assert_eq!(
            regions("<?php $a->__halt_compiler(); ?>x"),
            [
                (OpenTag, "<?php "),
                (Code, "$a->__halt_compiler(); "),
                (CloseTag, "?>"),
                (InlineHtml, "x")
            ]
        );
        assert_eq!(
            regions("<?php A\\__halt_compiler(); ?>x"),
            [
                (OpenTag, "<?php "),
                (Code, "A\\__halt_compiler(); "),
                (CloseTag, "?>"),
                (InlineHtml, "x")
            ]
        );
        assert_eq!(
            regions("<?php $__halt_compiler; ?>x"),
            [
                (OpenTag, "<?php "),
                (Code, "$__halt_compiler; "),
                (CloseTag, "?>"),
                (InlineHtml, "x")
            ]
        );
    }

    #[test]
    fn comments_after_an_object_operator_keep_reading_a_property() {
        assert_eq!(
            regions("<?php $a->#[x]\n$b"),
            [
                (OpenTag, "<?php "),
                (Code, "$a->"),
                (Comment, "#[x]"),
                (Code, "\n$b")
            ]
        );
        assert_eq!(
            regions("<?php $a?-> /* c */ b'x'"),
            [
                (OpenTag, "<?php "),
                (Code, "$a?-> "),
                (Comment, "/* c */"),
                (Code, " b"),
                (String, "'x'")
            ]
        );
        assert_eq!(
            regions("<?php $a->x #[A]"),
            [(OpenTag, "<?php "), (Code, "$a->x #[A]")]
        );
    }

    #[test]
    fn numbers_end_where_php_ends_them() {
        assert_eq!(
            regions("<?php 1e5b'x'; 0b08b\"y\"; 1_0b'z'"),
            [
                (OpenTag, "<?php "),
                (Code, "1e5"),
                (String, "b'x'"),
                (Code, "; 0b08"),
                (String, "b\"y\""),
                (Code, "; 1_0"),
                (String, "b'z'")
            ]
        );
        assert_eq!(
            regions("<?php x1e5b'x'; 0x1Fb'y'"),
            [
                (OpenTag, "<?php "),
                (Code, "x1e5b"),
                (String, "'x'"),
                (Code, "; 0x1Fb"),
                (String, "'y'")
            ]
        );
    }

    #[test]
    fn halt_compiler_counts_any_three_tokens() {
        assert_eq!(
            regions("<?php __halt_compiler 1e5 b'x' (int) rest"),
            [
                (OpenTag, "<?php "),
                (Code, "__halt_compiler 1e5 "),
                (String, "b'x'"),
                (Code, " (int)"),
                (InlineHtml, " rest")
            ]
        );
        assert_eq!(
            regions("<?php __halt_compiler ?>x<?php ; rest"),
            [
                (OpenTag, "<?php "),
                (Code, "__halt_compiler "),
                (CloseTag, "?>"),
                (InlineHtml, "x"),
                (OpenTag, "<?php "),
                (Code, ";"),
                (InlineHtml, " rest")
            ]
        );
        assert_eq!(
            regions("<?php __halt_compiler()\"{$a}\""),
            [
                (OpenTag, "<?php "),
                (Code, "__halt_compiler()"),
                (String, "\""),
                (InlineHtml, "{$a}\"")
            ]
        );
    }

    #[test]
    fn heredoc_end_token_follows_the_lookahead_that_gave_up() {
        // `{$a[}` leaves a `[` open, so PHP's look-ahead gives up and the closing label's
        // token only covers the indentation it knew about (none): ` E`, then `b'x'`.
        assert_eq!(
            regions("<?php <<<Eb\n{$a[}\n Eb'x';"),
            [
                (OpenTag, "<?php "),
                (String, "<<<Eb\n{$a[}\n E"),
                (String, "b'x'"),
                (Code, ";")
            ]
        );
        // The look-ahead passed the nested label `X`, indented by four, before giving up.
        let source = "<?php <<<A\n{$b(<<<X\n    x\n    X)}{$c[}\nA;\n?>x";
        assert_eq!(
            regions(source),
            [
                (OpenTag, "<?php "),
                (String, &source[6..source.len() - 1]),
                (Code, "x")
            ]
        );
    }

    #[test]
    fn region_lookup() {
        let scan = scan(b"a<?php 'b'");
        assert_eq!(scan.region_at(0).map(|r| r.kind), Some(InlineHtml));
        assert_eq!(scan.region_at(7).map(|r| r.kind), Some(String));
        assert_eq!(scan.region_at(10), None);
        assert_eq!(scan.of_kind(OpenTag).count(), 1);
    }
}
