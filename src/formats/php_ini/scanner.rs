//! PHP's ini scanner and parser (`Zend/zend_ini_scanner.l`, `zend_ini_parser.y` and the
//! callback `php_ini_parser_cb` of `main/php_ini.c`, PHP 8.2), reproduced rule by rule: the
//! scanner's states and its longest-match choice between rules (the first rule wins a tie), the
//! line counter as PHP keeps it (a section's `]` counts a line, a multi-line single-quoted
//! string does not), bison's default reductions (a statement whose value is complete is stored
//! even when the token after it is an error) and bison's messages. After the first error PHP
//! stops; this parser goes on from the next line so that the rest of the file can be linted,
//! marking what it reads there as dropped.

use std::collections::HashMap;
use std::ops::Range;

use super::constants;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Initial,
    Value,
    SectionValue,
    Offset,
    DoubleQuotes,
    VarName,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    End,
    Section,
    Raw,
    Constant,
    Number,
    String,
    Whitespace,
    Label,
    Offset,
    DollarCurly,
    VarName,
    QuotedString,
    True,
    False,
    Null,
    EndOfLine,
    Char(u8),
}

impl Kind {
    /// The token's name in bison's messages.
    fn name(&self) -> String {
        match self {
            Kind::End => "end of file".into(),
            Kind::Section => "TC_SECTION".into(),
            Kind::Raw => "TC_RAW".into(),
            Kind::Constant => "TC_CONSTANT".into(),
            Kind::Number => "TC_NUMBER".into(),
            Kind::String => "TC_STRING".into(),
            Kind::Whitespace => "TC_WHITESPACE".into(),
            Kind::Label => "TC_LABEL".into(),
            Kind::Offset => "TC_OFFSET".into(),
            Kind::DollarCurly => "TC_DOLLAR_CURLY".into(),
            Kind::VarName => "TC_VARNAME".into(),
            Kind::QuotedString => "TC_QUOTED_STRING".into(),
            Kind::True => "BOOL_TRUE".into(),
            Kind::False => "BOOL_FALSE".into(),
            Kind::Null => "NULL_NULL".into(),
            Kind::EndOfLine => "END_OF_LINE".into(),
            Kind::Char(c) => format!("'{}'", *c as char),
        }
    }
}

#[derive(Debug, Clone)]
struct Token {
    kind: Kind,
    /// The bytes the rule matched.
    span: Range<usize>,
    /// The token's text as the scanner hands it on (trimmed, unquoted, unescaped).
    text: Vec<u8>,
}

/// One `key = value` (or `key[offset] = value`) as PHP's parser hands it to php.ini's callback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The key as PHP trims it.
    pub key: Range<usize>,
    pub key_text: Vec<u8>,
    /// `arr[k] = v`: `Some(k)`; `arr[] = v`: `Some("")`.
    pub offset: Option<Vec<u8>>,
    /// The value PHP stores.
    pub value: Vec<u8>,
    /// The value as written, from its first byte to its last (no surrounding blanks).
    pub raw: Range<usize>,
    /// From the key to the end of the value.
    pub statement: Range<usize>,
    /// The value has a quoted piece (`"On"`).
    pub quoted: bool,
    /// The value is a bare boolean word (`On`, `off`, `null`…): its truth.
    pub boolean: Option<bool>,
    /// The section it stands in (index into [`Parsed::sections`]).
    pub section: Option<usize>,
    /// After a `[PATH…]`/`[HOST…]` section: per-directory or per-host, not in the main
    /// configuration (`get_cfg_var` does not see it).
    pub hidden: bool,
    /// After PHP's first syntax error: PHP never reads it.
    pub dropped: bool,
}

/// A `[name]` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// From `[` to `]`.
    pub span: Range<usize>,
    /// The name as PHP evaluates it.
    pub name: Vec<u8>,
    /// It makes every later setting per-directory/per-host: its name starts with `PATH` or
    /// `HOST` (any case) and something follows.
    pub hides: bool,
    /// Written as `[PATH=…]` or `[HOST=…]`: meant as such.
    pub proper: bool,
    pub dropped: bool,
}

/// PHP's first syntax error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// `syntax error, unexpected END_OF_LINE` (PHP adds ` in FILE on line N`).
    pub message: String,
    /// The line PHP names.
    pub line: usize,
    /// The token PHP stopped at.
    pub span: Range<usize>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    pub entries: Vec<Entry>,
    /// Keys without `=`, which PHP accepts and ignores.
    pub bare: Vec<Range<usize>>,
    pub sections: Vec<Section>,
    /// `;` comments.
    pub comments: Vec<Range<usize>>,
    pub error: Option<SyntaxError>,
}

fn is_label_byte(b: u8) -> bool {
    !matches!(
        b,
        b'=' | b'\n'
            | b'\r'
            | b'\t'
            | b';'
            | b'&'
            | b'|'
            | b'^'
            | b'$'
            | b'~'
            | b'('
            | b')'
            | b'{'
            | b'}'
            | b'!'
            | b'"'
            | b'['
    )
}

fn is_blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

struct Lexer<'a> {
    bytes: &'a [u8],
    pos: usize,
    state: State,
    stack: Vec<State>,
    /// PHP's line counter.
    lineno: usize,
    /// Where the next `\r` or `\n` at or after some position is (cached, positions only grow).
    next_newline: Option<(usize, Option<usize>)>,
    comments: Vec<Range<usize>>,
}

impl<'a> Lexer<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        // PHP skips a UTF-8 BOM only when more than the BOM follows.
        let pos = if bytes.len() > 3 && bytes.starts_with(b"\xef\xbb\xbf") {
            3
        } else {
            0
        };
        Self {
            bytes,
            pos,
            state: State::Initial,
            stack: Vec::new(),
            lineno: 1,
            next_newline: None,
            comments: Vec::new(),
        }
    }

    fn at(&self, p: usize) -> Option<u8> {
        self.bytes.get(p).copied()
    }

    fn newline_from(&mut self, p: usize) -> Option<usize> {
        if let Some((from, found)) = self.next_newline {
            if from <= p && found.is_none_or(|f| f >= p) {
                return found;
            }
        }
        let found =
            memchr::memchr2(b'\n', b'\r', &self.bytes[p.min(self.bytes.len())..]).map(|i| p + i);
        self.next_newline = Some((p, found));
        found
    }

    fn blanks(&self, mut p: usize) -> usize {
        while self.at(p).is_some_and(is_blank) {
            p += 1;
        }
        p
    }

    /// The length of a NEWLINE at `p` (`\r`, `\n` or `\r\n`).
    fn newline(&self, p: usize) -> usize {
        match (self.at(p), self.at(p + 1)) {
            (Some(b'\r'), Some(b'\n')) => 2,
            (Some(b'\r' | b'\n'), _) => 1,
            _ => 0,
        }
    }

    /// `[ \t]*{NEWLINE}`.
    fn blanks_newline(&self, p: usize) -> usize {
        let q = self.blanks(p);
        match self.newline(q) {
            0 => 0,
            n => q + n - p,
        }
    }

    /// `[ \t]*[;][^\r\n]*{NEWLINE}`: the comment must end with a newline.
    fn comment(&mut self, p: usize) -> usize {
        let q = self.blanks(p);
        if self.at(q) != Some(b';') {
            return 0;
        }
        match self.newline_from(q) {
            Some(nl) => nl + self.newline(nl) - p,
            None => 0,
        }
    }

    /// A case-insensitive word of `words` followed by blanks.
    fn word(&self, p: usize, words: &[&str]) -> usize {
        words
            .iter()
            .filter(|w| {
                self.bytes
                    .get(p..p + w.len())
                    .is_some_and(|s| s.eq_ignore_ascii_case(w.as_bytes()))
            })
            .map(|w| self.blanks(p + w.len()) - p)
            .max()
            .unwrap_or(0)
    }

    fn label(&self, p: usize) -> usize {
        let mut q = p;
        while self.at(q).is_some_and(is_label_byte) {
            q += 1;
        }
        q - p
    }

    /// `'…'` with at least one byte inside.
    fn single_quoted(&self, p: usize) -> usize {
        if self.at(p) != Some(b'\'') || self.at(p + 1).is_none_or(|b| b == b'\'') {
            return 0;
        }
        match memchr::memchr(b'\'', &self.bytes[p + 1..]) {
            Some(i) => i + 2,
            None => 0,
        }
    }

    fn constant(&self, p: usize) -> usize {
        if !self
            .at(p)
            .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        {
            return 0;
        }
        let mut q = p + 1;
        while self
            .at(q)
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            q += 1;
        }
        q - p
    }

    /// `[-]?[0-9]+ | [0-9]*[.][0-9]+ | [0-9]+[.][0-9]*`.
    fn number(&self, p: usize) -> usize {
        let digits = |mut q: usize| {
            while self.at(q).is_some_and(|b| b.is_ascii_digit()) {
                q += 1;
            }
            q
        };
        let mut best = 0;
        let start = if self.at(p) == Some(b'-') { p + 1 } else { p };
        let d = digits(start);
        if d > start {
            best = d - p;
        }
        // DNUM has no sign.
        let d = digits(p);
        if self.at(d) == Some(b'.') {
            let e = digits(d + 1);
            if d > p || e > d + 1 {
                best = best.max(e - p);
            }
        }
        best
    }

    /// `"$" ([^{\0] | "\\" ANY)` at `p`: its length.
    fn literal_dollar(&self, p: usize) -> usize {
        if self.at(p) != Some(b'$') {
            return 0;
        }
        match self.at(p + 1) {
            Some(b'\\') if self.at(p + 2).is_some() => 3,
            Some(b'{' | 0) | None => 0,
            Some(_) => 2,
        }
    }

    /// `{VALUE_CHARS}+`.
    fn value_chars(&self, p: usize) -> usize {
        let mut q = p;
        loop {
            match self.at(q) {
                Some(b'$') => match self.literal_dollar(q) {
                    0 => break,
                    n => q += n,
                },
                Some(
                    b'=' | b' ' | b'\t' | b'\n' | b'\r' | b';' | b'&' | b'|' | b'^' | b'~' | b'('
                    | b')' | b'!' | b'"' | b'\'' | 0,
                )
                | None => break,
                Some(_) => q += 1,
            }
        }
        q - p
    }

    /// `{SECTION_VALUE_CHARS}+`.
    fn section_value_chars(&self, p: usize) -> usize {
        let mut q = p;
        loop {
            match self.at(q) {
                Some(b'$') => match self.literal_dollar(q) {
                    0 => break,
                    n => q += n,
                },
                Some(b'\\') if self.at(q + 1).is_some() => q += 2,
                Some(b'\n' | b'\r' | b';' | b'"' | b'\'' | b']' | b'\\') | None => break,
                Some(_) => q += 1,
            }
        }
        q - p
    }

    fn push(&mut self, state: State) {
        self.stack.push(self.state);
        self.state = state;
    }

    fn pop(&mut self) {
        self.state = self.stack.pop().unwrap_or(State::Initial);
    }

    fn token(&mut self, kind: Kind, len: usize, text: Vec<u8>) -> Token {
        let span = self.pos..self.pos + len;
        self.pos += len;
        Token { kind, span, text }
    }

    fn trimmed(&self, span: Range<usize>) -> Vec<u8> {
        let mut s = span.start;
        let mut e = span.end;
        while s < e && is_blank(self.bytes[s]) {
            s += 1;
        }
        while e > s && matches!(self.bytes[e - 1], b' ' | b'\t' | b'\r' | b'\n') {
            e -= 1;
        }
        self.bytes[s..e].to_vec()
    }

    /// Picks the longest of the candidate rules (`(rule, length)` in PHP's rule order; the
    /// first wins a tie).
    fn longest(candidates: &[(u8, usize)]) -> (u8, usize) {
        let mut best = (0, 0);
        for &(rule, len) in candidates {
            if len > best.1 {
                best = (rule, len);
            }
        }
        best
    }

    fn next(&mut self) -> Token {
        loop {
            let p = self.pos;
            if p >= self.bytes.len() {
                if self.state == State::Value {
                    self.state = State::Initial;
                    return self.token(Kind::EndOfLine, 0, Vec::new());
                }
                return self.token(Kind::End, 0, Vec::new());
            }
            match self.state {
                State::Initial => {
                    let label = self.label(p);
                    let label_offset = if label > 0 && self.at(p + label) == Some(b'[') {
                        self.blanks(p + label + 1) - p
                    } else {
                        0
                    };
                    let eq = {
                        let q = self.blanks(p);
                        if self.at(q) == Some(b'=') {
                            self.blanks(q + 1) - p
                        } else {
                            0
                        }
                    };
                    let tokens = usize::from(matches!(
                        self.at(p),
                        Some(
                            b':' | b','
                                | b'.'
                                | b'['
                                | b']'
                                | b'"'
                                | b'\''
                                | b'('
                                | b')'
                                | b'&'
                                | b'|'
                                | b'^'
                                | b'+'
                                | b'-'
                                | b'/'
                                | b'*'
                                | b'='
                                | b'%'
                                | b'$'
                                | b'!'
                                | b'~'
                                | b'<'
                                | b'>'
                                | b'?'
                                | b'@'
                                | b'{'
                                | b'}'
                        )
                    ));
                    let blanks = self.blanks(p) - p;
                    let candidates = [
                        (1, usize::from(self.at(p) == Some(b'['))),
                        (2, label_offset),
                        (3, self.word(p, &["true", "on", "yes"])),
                        (4, self.word(p, &["false", "off", "no", "none"])),
                        (5, self.word(p, &["null"])),
                        (6, label),
                        (7, eq),
                        (8, tokens),
                        (9, blanks),
                        (10, self.blanks_newline(p)),
                        (11, self.comment(p)),
                    ];
                    let (rule, len) = Self::longest(&candidates);
                    match rule {
                        1 => {
                            self.state = State::SectionValue;
                            return self.token(Kind::Section, len, Vec::new());
                        }
                        2 => {
                            let mut text = self.trimmed(p..p + label);
                            while text.last().is_some_and(|&b| b == b'[') {
                                text.pop();
                            }
                            self.state = State::Offset;
                            return self.token(Kind::Offset, len, text);
                        }
                        3 => return self.token(Kind::True, len, b"1".to_vec()),
                        4 => return self.token(Kind::False, len, Vec::new()),
                        5 => return self.token(Kind::Null, len, Vec::new()),
                        6 => {
                            let text = self.trimmed(p..p + len);
                            return self.token(Kind::Label, len, text);
                        }
                        7 => {
                            self.state = State::Value;
                            return self.token(Kind::Char(b'='), len, Vec::new());
                        }
                        8 => {
                            let c = self.bytes[p];
                            return self.token(Kind::Char(c), len, Vec::new());
                        }
                        9 => {
                            self.pos += len;
                            continue;
                        }
                        10 => {
                            self.lineno += 1;
                            return self.token(Kind::EndOfLine, len, Vec::new());
                        }
                        11 => {
                            self.lineno += 1;
                            self.note_comment(p, len);
                            return self.token(Kind::EndOfLine, len, Vec::new());
                        }
                        _ => return self.token(Kind::End, 0, Vec::new()),
                    }
                }
                State::Value => {
                    let operator = if matches!(
                        self.at(p),
                        Some(b'&' | b'|' | b'^' | b'~' | b'(' | b')' | b'!')
                    ) {
                        self.blanks(p + 1) - p
                    } else {
                        0
                    };
                    let quote = {
                        let q = self.blanks(p);
                        if self.at(q) == Some(b'"') {
                            q + 1 - p
                        } else {
                            0
                        }
                    };
                    let candidates = [
                        (1, self.single_quoted(p)),
                        (
                            2,
                            if self.bytes[p..].starts_with(b"${") {
                                2
                            } else {
                                0
                            },
                        ),
                        (3, self.word(p, &["true", "on", "yes"])),
                        (4, self.word(p, &["false", "off", "no", "none"])),
                        (5, self.word(p, &["null"])),
                        (6, self.blanks_newline(p)),
                        (7, self.constant(p)),
                        (8, self.number(p)),
                        (9, operator),
                        (10, usize::from(self.at(p) == Some(b'='))),
                        (11, self.value_chars(p)),
                        (12, quote),
                        (13, self.blanks(p) - p),
                        (14, self.comment(p)),
                        (15, 1),
                    ];
                    let (rule, len) = Self::longest(&candidates);
                    return match rule {
                        1 => {
                            let text = self.bytes[p + 1..p + len - 1].to_vec();
                            self.token(Kind::Raw, len, text)
                        }
                        2 => {
                            self.push(State::VarName);
                            self.token(Kind::DollarCurly, len, Vec::new())
                        }
                        3 => self.token(Kind::True, len, b"1".to_vec()),
                        4 => self.token(Kind::False, len, Vec::new()),
                        5 => self.token(Kind::Null, len, Vec::new()),
                        6 => {
                            self.state = State::Initial;
                            self.lineno += 1;
                            self.token(Kind::EndOfLine, len, Vec::new())
                        }
                        7 => {
                            let text = self.bytes[p..p + len].to_vec();
                            self.token(Kind::Constant, len, text)
                        }
                        8 => {
                            let text = self.bytes[p..p + len].to_vec();
                            self.token(Kind::Number, len, text)
                        }
                        9 => {
                            let c = self.bytes[p];
                            self.token(Kind::Char(c), len, Vec::new())
                        }
                        10 => {
                            // `=` in a value ends it, and is read again as a token.
                            self.state = State::Initial;
                            self.token(Kind::EndOfLine, 0, Vec::new())
                        }
                        11 => {
                            let text = self.bytes[p..p + len].to_vec();
                            self.token(Kind::String, len, text)
                        }
                        12 => {
                            self.push(State::DoubleQuotes);
                            self.token(Kind::Char(b'"'), len, Vec::new())
                        }
                        13 => {
                            let text = self.bytes[p..p + len].to_vec();
                            self.token(Kind::Whitespace, len, text)
                        }
                        14 => {
                            self.state = State::Initial;
                            self.lineno += 1;
                            self.note_comment(p, len);
                            self.token(Kind::EndOfLine, len, Vec::new())
                        }
                        _ => {
                            self.state = State::Initial;
                            self.token(Kind::EndOfLine, 1, Vec::new())
                        }
                    };
                }
                State::SectionValue | State::Offset => {
                    let section = self.state == State::SectionValue;
                    let end = if section {
                        if self.at(p) == Some(b']') {
                            let q = self.blanks(p + 1);
                            q + self.newline(q) - p
                        } else {
                            0
                        }
                    } else {
                        let q = self.blanks(p);
                        if self.at(q) == Some(b']') {
                            q + 1 - p
                        } else {
                            0
                        }
                    };
                    let quote = {
                        let q = self.blanks(p);
                        if self.at(q) == Some(b'"') {
                            q + 1 - p
                        } else {
                            0
                        }
                    };
                    let candidates = [
                        (1, self.single_quoted(p)),
                        (2, end),
                        (
                            3,
                            if self.bytes[p..].starts_with(b"${") {
                                2
                            } else {
                                0
                            },
                        ),
                        (4, self.constant(p)),
                        (5, self.number(p)),
                        (6, self.section_value_chars(p)),
                        (7, quote),
                        (8, self.blanks(p) - p),
                    ];
                    let (rule, len) = Self::longest(&candidates);
                    return match rule {
                        1 => {
                            let text = self.bytes[p + 1..p + len - 1].to_vec();
                            self.token(Kind::Raw, len, text)
                        }
                        2 => {
                            self.state = State::Initial;
                            if section {
                                self.lineno += 1;
                            }
                            self.token(Kind::Char(b']'), len, Vec::new())
                        }
                        3 => {
                            self.push(State::VarName);
                            self.token(Kind::DollarCurly, len, Vec::new())
                        }
                        4 => {
                            let text = self.bytes[p..p + len].to_vec();
                            self.token(Kind::Constant, len, text)
                        }
                        5 => {
                            let text = self.bytes[p..p + len].to_vec();
                            self.token(Kind::Number, len, text)
                        }
                        6 => {
                            let text = self.bytes[p..p + len].to_vec();
                            self.token(Kind::String, len, text)
                        }
                        7 => {
                            self.push(State::DoubleQuotes);
                            self.token(Kind::Char(b'"'), len, Vec::new())
                        }
                        8 => {
                            let text = self.bytes[p..p + len].to_vec();
                            self.token(Kind::Whitespace, len, text)
                        }
                        _ => self.token(Kind::End, 0, Vec::new()),
                    };
                }
                State::DoubleQuotes => {
                    if self.bytes[p..].starts_with(b"${") {
                        self.push(State::VarName);
                        return self.token(Kind::DollarCurly, 2, Vec::new());
                    }
                    if self.at(p) == Some(b'"') {
                        let len = self.blanks(p + 1) - p;
                        self.pop();
                        return self.token(Kind::Char(b'"'), len, Vec::new());
                    }
                    let len = self.quoted_content(p);
                    let text = self.unescape(p..p + len);
                    return self.token(Kind::QuotedString, len, text);
                }
                State::VarName => {
                    let label = self.label(p);
                    if label > 0 {
                        let text = self.trimmed(p..p + label);
                        return self.token(Kind::VarName, label, text);
                    }
                    if self.at(p) == Some(b'}') {
                        self.pop();
                        return self.token(Kind::Char(b'}'), 1, Vec::new());
                    }
                    return self.token(Kind::End, 0, Vec::new());
                }
            }
        }
    }

    fn note_comment(&mut self, p: usize, len: usize) {
        let start = self.blanks(p);
        let mut end = p + len;
        while end > start && matches!(self.bytes[end - 1], b'\r' | b'\n') {
            end -= 1;
        }
        self.comments.push(start..end);
    }

    /// The content of a double-quoted string from `p`: up to an unescaped `"` or `${`
    /// (`\"` at the end of a line is a backslash and the closing quote: `"C:\path\"`).
    fn quoted_content(&self, p: usize) -> usize {
        let end = self.bytes.len();
        let mut s = p;
        while s < end {
            let c = self.bytes[s];
            s += 1;
            match c {
                b'"' => {
                    s -= 1;
                    break;
                }
                b'$' if s < end && self.bytes[s] == b'{' => {
                    s -= 1;
                    break;
                }
                b'\\' if s < end => {
                    let escaped = self.bytes[s];
                    s += 1;
                    if escaped == b'"' && (s >= end || matches!(self.bytes[s], b'\n' | b'\r')) {
                        s -= 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        s.max(p + 1).min(end) - p
    }

    /// `\"`, `\\` and `\$` lose their backslash; other escapes stay as written. Counts the
    /// lines of the content as PHP does.
    fn unescape(&mut self, span: Range<usize>) -> Vec<u8> {
        let raw = &self.bytes[span];
        let mut out = Vec::with_capacity(raw.len());
        let mut i = 0;
        while i < raw.len() {
            let c = raw[i];
            if c == b'\\' {
                i += 1;
                if i >= raw.len() {
                    out.push(b'\\');
                    continue;
                }
                match raw[i] {
                    b'"' | b'\\' | b'$' => out.push(raw[i]),
                    other => {
                        out.push(b'\\');
                        out.push(other);
                    }
                }
            } else {
                out.push(c);
            }
            if raw[i] == b'\n' || (raw[i] == b'\r' && raw.get(i + 1) != Some(&b'\n')) {
                self.lineno += 1;
            }
            i += 1;
        }
        out
    }
}

/// What a value is made of while it is being read.
struct Value {
    bytes: Vec<u8>,
    quoted: bool,
    start: Option<usize>,
    end: usize,
}

impl Value {
    fn new() -> Self {
        Self {
            bytes: Vec::new(),
            quoted: false,
            start: None,
            end: 0,
        }
    }

    fn cover(&mut self, span: &Range<usize>) {
        if self.start.is_none() {
            self.start = Some(span.start);
        }
        self.end = self.end.max(span.end);
    }
}

/// Why a statement stopped: PHP's error, with whether the statement's value was complete (then
/// bison's default reductions stored it before noticing).
struct Failure {
    token: Token,
    expecting: &'static str,
}

struct Parser<'a> {
    lexer: Lexer<'a>,
    /// The main configuration so far (what `${name}` finds before the environment).
    configuration: HashMap<Vec<u8>, Vec<u8>>,
    special_section: bool,
    hidden: bool,
    section: Option<usize>,
    dropped: bool,
    out: Parsed,
    peeked: Option<Token>,
    env: &'a dyn Fn(&[u8]) -> Option<Vec<u8>>,
}

type Step<T> = Result<T, Failure>;

fn fail<T>(token: Token, expecting: &'static str) -> Step<T> {
    Err(Failure { token, expecting })
}

impl<'a> Parser<'a> {
    fn next(&mut self) -> Token {
        self.peeked.take().unwrap_or_else(|| self.lexer.next())
    }

    fn run(&mut self) {
        loop {
            let token = self.next();
            let result = match token.kind {
                Kind::End => break,
                Kind::EndOfLine => Ok(()),
                Kind::Section => self.section(token),
                Kind::Label => self.label(token),
                Kind::Offset => self.offset(token),
                _ => fail(token, ""),
            };
            if let Err(failure) = result {
                self.error(failure);
                if !self.recover() {
                    break;
                }
            }
        }
    }

    fn error(&mut self, failure: Failure) {
        if self.out.error.is_some() {
            return;
        }
        let mut message = format!("syntax error, unexpected {}", failure.token.kind.name());
        if failure.expecting == EXHAUSTED {
            message = "memory exhausted".into();
        } else if !failure.expecting.is_empty() {
            message.push_str(", expecting ");
            message.push_str(failure.expecting);
        }
        self.out.error = Some(SyntaxError {
            message,
            line: self.lexer.lineno,
            span: failure.token.span,
        });
        self.dropped = true;
    }

    /// Goes on after an error from the start of the next line (PHP itself stops).
    fn recover(&mut self) -> bool {
        self.peeked = None;
        let from = self.lexer.pos.min(self.lexer.bytes.len());
        // The error token may be the line's own newline.
        let back = from.saturating_sub(1);
        let at = if back < self.lexer.bytes.len() && matches!(self.lexer.bytes[back], b'\n') {
            Some(back)
        } else {
            memchr::memchr(b'\n', &self.lexer.bytes[from..]).map(|i| from + i)
        };
        let Some(nl) = at else {
            return false;
        };
        self.lexer.pos = nl + 1;
        self.lexer.state = State::Initial;
        self.lexer.stack.clear();
        true
    }

    fn section(&mut self, open: Token) -> Step<()> {
        let mut name = Value::new();
        let close = loop {
            let token = self.next();
            match token.kind {
                Kind::Char(b']') => break token,
                _ => self.piece(token, &mut name, false, "']'")?,
            }
        };
        let name = name.bytes;
        let starts = |prefix: &[u8]| {
            name.len() >= prefix.len() && name[..prefix.len()].eq_ignore_ascii_case(prefix)
        };
        let special = starts(b"PATH") || starts(b"HOST");
        let mut hides = false;
        if special && name.len() > 4 {
            hides = true;
            self.hidden = true;
        }
        self.special_section = special;
        let proper = special && name.get(4) == Some(&b'=');
        self.section = Some(self.out.sections.len());
        let mut end = close.span.end;
        while end > close.span.start + 1 && matches!(self.lexer.bytes[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        while end > close.span.start + 1 && is_blank(self.lexer.bytes[end - 1]) {
            end -= 1;
        }
        self.out.sections.push(Section {
            span: open.span.start..end,
            name,
            hides,
            proper,
            dropped: self.dropped,
        });
        Ok(())
    }

    fn label(&mut self, label: Token) -> Step<()> {
        let token = self.next();
        if token.kind != Kind::Char(b'=') {
            // A bare key: accepted, sets nothing.
            self.out.bare.push(key_span(&self.lexer, &label.span));
            self.peeked = Some(token);
            return Ok(());
        }
        self.assignment(label, None)
    }

    fn offset(&mut self, head: Token) -> Step<()> {
        let mut offset = Value::new();
        loop {
            let token = self.next();
            match token.kind {
                Kind::Char(b']') => break,
                _ => self.piece(token, &mut offset, true, "']'")?,
            }
        }
        let token = self.next();
        if token.kind != Kind::Char(b'=') {
            return fail(token, "'='");
        }
        self.assignment(head, Some(offset.bytes))
    }

    fn assignment(&mut self, key: Token, offset: Option<Vec<u8>>) -> Step<()> {
        let mut value = Value::new();
        let mut boolean = None;
        let first = self.next();
        let outcome = match first.kind {
            Kind::True | Kind::False | Kind::Null => {
                boolean = Some(first.kind == Kind::True);
                value.bytes = first.text.clone();
                let mut end = first.span.end;
                while end > first.span.start && is_blank(self.lexer.bytes[end - 1]) {
                    end -= 1;
                }
                value.cover(&(first.span.start..end));
                Ok(())
            }
            Kind::EndOfLine => Ok(()),
            _ => {
                self.peeked = Some(first);
                self.expr(&mut value).map(|bytes| value.bytes = bytes)
            }
        };
        let failure = match outcome {
            Ok(()) => None,
            Err(failure) if failure.expecting == COMPLETE => Some(failure),
            Err(failure) => return Err(failure),
        };
        self.store(key, offset, value, boolean);
        match failure {
            Some(failure) => Err(Failure {
                token: failure.token,
                expecting: "",
            }),
            None => Ok(()),
        }
    }

    fn store(&mut self, key: Token, offset: Option<Vec<u8>>, value: Value, boolean: Option<bool>) {
        let key_span = key_span(&self.lexer, &key.span);
        let raw = match value.start {
            Some(start) => {
                let mut end = value.end;
                while end > start && is_blank(self.lexer.bytes[end - 1]) {
                    end -= 1;
                }
                start..end
            }
            None => key.span.end..key.span.end,
        };
        let raw = match value.start {
            Some(_) => raw,
            // An empty value: just after the `=`.
            None => {
                let p = self.lexer.pos.min(self.lexer.bytes.len());
                let mut q = key_span.end;
                while q < p && self.lexer.bytes[q] != b'=' {
                    q += 1;
                }
                let mut q = (q + 1).min(p).max(key_span.end);
                while q < p && is_blank(self.lexer.bytes[q]) {
                    q += 1;
                }
                q..q
            }
        };
        let key_text = key.text;
        let is_extension = !self.special_section
            && (key_text.eq_ignore_ascii_case(b"extension")
                || key_text.eq_ignore_ascii_case(b"zend_extension"));
        if !self.dropped && !self.hidden && !is_extension {
            match &offset {
                None => {
                    self.configuration
                        .insert(key_text.clone(), value.bytes.clone());
                }
                Some(_) => {
                    self.configuration.remove(&key_text);
                }
            }
        }
        let statement = key_span.start..raw.end.max(key_span.end);
        self.out.entries.push(Entry {
            key: key_span,
            key_text,
            offset,
            value: value.bytes,
            raw,
            statement,
            quoted: value.quoted,
            boolean,
            section: self.section,
            hidden: self.hidden,
            dropped: self.dropped,
        });
    }

    /// `expr`: `| & ^` of equal precedence, left-associative, over unary `~ !` and
    /// parentheses, read with an explicit stack (no recursion, however deep the nesting).
    /// Bison's stack holds 10,000 states: deeper nesting is PHP's "memory exhausted".
    fn expr(&mut self, value: &mut Value) -> Step<Vec<u8>> {
        enum Pending {
            Prefix(u8),
            Paren,
            Binary(Vec<u8>, u8),
        }
        // Parser states below the value: the start, statement_list, the key and `=`.
        const BASE: usize = 4;
        let mut stack: Vec<Pending> = Vec::new();
        let mut weight = 0usize;
        loop {
            // An operand.
            let token = self.next();
            if BASE + weight + 1 >= MAX_DEPTH
                && (starts_piece(&token.kind)
                    || matches!(token.kind, Kind::Char(b'~' | b'!' | b'(')))
            {
                return fail(token, EXHAUSTED);
            }
            let mut operand = match token.kind {
                Kind::Char(op @ (b'~' | b'!')) => {
                    value.cover(&token.span);
                    stack.push(Pending::Prefix(op));
                    weight += 1;
                    continue;
                }
                Kind::Char(b'(') => {
                    value.cover(&token.span);
                    stack.push(Pending::Paren);
                    weight += 1;
                    continue;
                }
                _ if starts_piece(&token.kind) => {
                    self.peeked = Some(token);
                    self.list(value)?
                }
                _ => return fail(token, ""),
            };
            loop {
                // Prefixes bind tighter than the operators; equal operators group to the left.
                while let Some(top) = stack.last() {
                    match top {
                        Pending::Prefix(op) => {
                            operand = operate(*op, &operand, None);
                            weight -= 1;
                        }
                        Pending::Binary(left, op) => {
                            operand = operate(*op, left, Some(&operand));
                            weight -= 2;
                        }
                        Pending::Paren => break,
                    }
                    stack.pop();
                }
                let token = self.next();
                match token.kind {
                    Kind::Char(op @ (b'|' | b'&' | b'^')) => {
                        value.cover(&token.span);
                        stack.push(Pending::Binary(operand, op));
                        weight += 2;
                        break;
                    }
                    Kind::Char(b')') if !stack.is_empty() => {
                        if BASE + weight + 2 >= MAX_DEPTH {
                            return fail(token, EXHAUSTED);
                        }
                        value.cover(&token.span);
                        stack.pop();
                        weight -= 1;
                    }
                    _ if !stack.is_empty() => return fail(token, "'^' or '|' or '&' or ')'"),
                    _ if ends_value(&token.kind) => {
                        self.peeked = Some(token);
                        return Ok(operand);
                    }
                    _ => {
                        return Err(Failure {
                            token,
                            expecting: COMPLETE,
                        })
                    }
                }
            }
        }
    }

    /// One or more pieces, concatenated.
    fn list(&mut self, value: &mut Value) -> Step<Vec<u8>> {
        let mut list = Value::new();
        loop {
            let token = self.next();
            if !starts_piece(&token.kind) {
                self.peeked = Some(token);
                break;
            }
            self.piece(token, &mut list, true, "")?;
        }
        value.quoted |= list.quoted;
        if let Some(start) = list.start {
            value.cover(&(start..list.end));
        }
        Ok(list.bytes)
    }

    /// One piece of a string list: a constant, number, string, blanks, `'raw'`, `"quoted"` or
    /// `${var}`. Constants are looked up in values and offsets, not in section names.
    fn piece(
        &mut self,
        token: Token,
        into: &mut Value,
        constants: bool,
        expecting: &'static str,
    ) -> Step<()> {
        into.cover(&token.span);
        match token.kind {
            Kind::Constant if constants => match constants::lookup(&token.text) {
                Some(v) => into.bytes.extend_from_slice(v.as_bytes()),
                None => into.bytes.extend_from_slice(&token.text),
            },
            Kind::Raw => {
                into.quoted = true;
                into.bytes.extend_from_slice(&token.text);
            }
            Kind::Constant | Kind::Number | Kind::String | Kind::Whitespace => {
                into.bytes.extend_from_slice(&token.text)
            }
            Kind::DollarCurly => {
                let v = self.variable()?;
                into.bytes.extend_from_slice(&v);
            }
            Kind::Char(b'"') => {
                into.quoted = true;
                loop {
                    let token = self.next();
                    into.cover(&token.span);
                    match token.kind {
                        Kind::Char(b'"') => break,
                        Kind::QuotedString => into.bytes.extend_from_slice(&token.text),
                        Kind::DollarCurly => {
                            let v = self.variable()?;
                            into.bytes.extend_from_slice(&v);
                        }
                        _ => {
                            return fail(token, "TC_DOLLAR_CURLY or TC_QUOTED_STRING or '\"'");
                        }
                    }
                }
            }
            _ => return fail(token, expecting),
        }
        Ok(())
    }

    /// `${name}`: an earlier key of the main configuration, else the environment, else "".
    fn variable(&mut self) -> Step<Vec<u8>> {
        let name = self.next();
        if name.kind != Kind::VarName {
            return fail(name, "TC_VARNAME");
        }
        let close = self.next();
        if close.kind != Kind::Char(b'}') {
            return fail(close, "'}'");
        }
        Ok(self
            .configuration
            .get(&name.text)
            .cloned()
            .or_else(|| (self.env)(&name.text))
            .unwrap_or_default())
    }
}

/// The marker of a failure after a complete value: bison has stored the statement.
const COMPLETE: &str = "\u{0}complete";
/// The marker of bison's stack overflow ("memory exhausted").
const EXHAUSTED: &str = "\u{0}exhausted";
/// Bison's `YYMAXDEPTH`.
const MAX_DEPTH: usize = 10_000;

fn starts_piece(kind: &Kind) -> bool {
    matches!(
        kind,
        Kind::Constant
            | Kind::Raw
            | Kind::Number
            | Kind::String
            | Kind::Whitespace
            | Kind::DollarCurly
            | Kind::Char(b'"')
    )
}

/// Tokens that may follow a complete value: the next statement starts.
fn ends_value(kind: &Kind) -> bool {
    matches!(kind, Kind::EndOfLine | Kind::End)
}

fn key_span(lexer: &Lexer, span: &Range<usize>) -> Range<usize> {
    let bytes = lexer.bytes;
    let mut s = span.start;
    let mut e = span.end;
    while s < e && is_blank(bytes[s]) {
        s += 1;
    }
    while e > s && matches!(bytes[e - 1], b' ' | b'\t' | b'\r' | b'\n' | b'[') {
        e -= 1;
    }
    s..e
}

/// C's `atoi` as glibc has it (`(int) strtol(s, NULL, 10)`).
pub fn atoi(bytes: &[u8]) -> i32 {
    let mut i = 0;
    while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) {
        i += 1;
    }
    let negative = bytes.get(i) == Some(&b'-');
    if matches!(bytes.get(i), Some(b'-' | b'+')) {
        i += 1;
    }
    let mut value: i64 = 0;
    while let Some(d) = bytes.get(i).filter(|b| b.is_ascii_digit()) {
        value = value.saturating_mul(10).saturating_add(i64::from(d - b'0'));
        i += 1;
    }
    let value = if negative {
        value.saturating_neg()
    } else {
        value
    };
    value as i32
}

fn operate(op: u8, left: &[u8], right: Option<&[u8]>) -> Vec<u8> {
    let a = atoi(left);
    let b = right.map_or(0, atoi);
    let result = match op {
        b'|' => a | b,
        b'&' => a & b,
        b'^' => a ^ b,
        b'~' => !a,
        b'!' => i32::from(a == 0),
        _ => 0,
    };
    result.to_string().into_bytes()
}

/// Reads `bytes` as PHP 8.2 reads a php.ini. `env` answers `${NAME}` for names the file has
/// not set before.
pub fn parse(bytes: &[u8], env: &dyn Fn(&[u8]) -> Option<Vec<u8>>) -> Parsed {
    let mut parser = Parser {
        lexer: Lexer::new(bytes),
        configuration: HashMap::new(),
        special_section: false,
        hidden: false,
        section: None,
        dropped: false,
        out: Parsed::default(),
        peeked: None,
        env,
    };
    parser.run();
    let mut out = parser.out;
    out.comments = parser.lexer.comments;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &[u8]) -> Option<Vec<u8>> {
        None
    }

    fn values(text: &str) -> Vec<(String, String)> {
        parse(text.as_bytes(), &no_env)
            .entries
            .iter()
            .filter(|e| !e.dropped)
            .map(|e| {
                (
                    String::from_utf8_lossy(&e.key_text).into_owned(),
                    String::from_utf8_lossy(&e.value).into_owned(),
                )
            })
            .collect()
    }

    fn error(text: &str) -> Option<(String, usize)> {
        parse(text.as_bytes(), &no_env)
            .error
            .map(|e| (e.message, e.line))
    }

    fn one(text: &str) -> String {
        values(text).pop().unwrap().1
    }

    #[test]
    fn values_as_php_stores_them() {
        assert_eq!(one("a = foo;bar\n"), "foo");
        assert_eq!(one("a = foo # c\n"), "foo # c");
        assert_eq!(one("a = On\n"), "1");
        assert_eq!(one("a = \"On\"\n"), "On");
        assert_eq!(one("a = off\n"), "");
        assert_eq!(one("a = foo\"bar\"'baz'\n"), "foobarbaz");
        assert_eq!(one("a = foo \"bar\" baz\n"), "foobarbaz");
        assert_eq!(one("a = E_ALL & ~E_NOTICE\n"), "32759");
        assert_eq!(one("a = \"x\ny\"\n"), "x\ny");
        assert_eq!(one("a = \"C:\\path\\\"\n"), "C:\\path\\");
        assert_eq!(one("a = 1 "), "1 ");
        assert_eq!(one("a = $foo\n"), "$foo");
        assert_eq!(one("b = 2\na = ${b}x\n"), "2x");
        assert_eq!(one("a = ${b:-x}\n"), "");
        assert_eq!(one("a =\n"), "");
        assert_eq!(one("\u{feff}a = 1\n"), "1");
        assert_eq!(one("a = 1\r\n"), "1");
        assert_eq!(values("#b = 2\n"), [("#b".into(), "2".into())]);
        let parsed = parse(b"a = \"x\" 'y' ;c\n", &no_env);
        assert_eq!(parsed.entries[0].raw, 4..11);
        assert_eq!(values("a = b = c\n"), [("a".into(), "b ".into())]);
    }

    #[test]
    fn errors_as_php_reports_them() {
        assert_eq!(
            error("on = 1\n"),
            Some(("syntax error, unexpected BOOL_TRUE".into(), 1))
        );
        assert_eq!(
            error("b = 1 |\na=1\n"),
            Some(("syntax error, unexpected END_OF_LINE".into(), 2))
        );
        assert_eq!(
            error("a = (1\n"),
            Some((
                "syntax error, unexpected END_OF_LINE, expecting '^' or '|' or '&' or ')'".into(),
                2
            ))
        );
        assert_eq!(
            error("[sec\n"),
            Some((
                "syntax error, unexpected end of file, expecting ']'".into(),
                1
            ))
        );
        assert_eq!(
            error("a[x]\n"),
            Some((
                "syntax error, unexpected END_OF_LINE, expecting '='".into(),
                2
            ))
        );
        assert_eq!(
            error("a = ${}\n"),
            Some((
                "syntax error, unexpected '}', expecting TC_VARNAME".into(),
                1
            ))
        );
        assert_eq!(error("[a] b=1 |\n").unwrap().1, 3);
        assert_eq!(error("a='x\ny'\nb=1 |\n").unwrap().1, 3);
        // The value before the error is stored.
        assert_eq!(values("a = On x\nb=1\n"), [("a".into(), "1".into())]);
    }

    #[test]
    fn path_and_host_sections_hide_what_follows() {
        let parsed = parse(b"[pathology]\na = 1\n[other]\nb = 2\n", &no_env);
        assert!(parsed.entries.iter().all(|e| e.hidden));
        let parsed = parse(b"[PATH]\na = 1\n", &no_env);
        assert!(!parsed.entries[0].hidden);
    }
}
