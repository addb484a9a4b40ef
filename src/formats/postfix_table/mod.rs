//! Postfix `regexp:` and `pcre:` lookup tables: one parser for both (their grammar is the same
//! but for the flags and regexp:'s second pattern), two handlers. The parser follows
//! `readllines()` and `dict_regexp.c`/`dict_pcre.c` of Postfix 3.7: logical lines (an indented
//! line continues the previous one, comment and blank lines are skipped even between the
//! parts), then per logical line a rule, `if`, `endif` or an unrecognized request.
//! [`validate`] compiles every pattern with the engine Postfix uses and gives Postfix's own
//! warnings, in the order `postmap` prints them.

pub mod engine;
mod handler;
pub mod literal;
pub mod validate;

pub use handler::{PcreHandler, RegexpHandler};
pub use validate::{Kind, Problem, Validation, Wording};

use std::cell::OnceCell;
use std::ops::Range;

use crate::source::{Segments, SourceFile};

/// Which Postfix table type reads the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// `regexp:`: POSIX `regcomp` (glibc).
    Regexp,
    /// `pcre:`: PCRE2.
    Pcre,
}

impl Engine {
    /// The type name as in `regexp:/etc/postfix/x`: also how Postfix's warnings begin.
    pub fn name(self) -> &'static str {
        match self {
            Self::Regexp => "regexp",
            Self::Pcre => "pcre",
        }
    }
}

/// Postfix's `ISSPACE`: ASCII white space.
pub fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// Postfix's `ISALNUM`: ASCII letters and digits only.
pub fn is_alnum(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// One logical line: a first physical line and the indented lines that continue it.
#[derive(Debug, Clone)]
pub struct Logical {
    /// Postfix's line number for it: that of its first physical line (1-based, `\n` counted).
    pub line: usize,
    /// From its first byte to the end of its last content, in the file.
    pub span: Range<usize>,
    /// What Postfix sees: the parts concatenated, cut at a NUL byte, trailing space trimmed.
    pub text: Vec<u8>,
    /// `(offset in text, offset in the file)` where each physical part starts.
    segments: Segments,
    /// The indented physical lines glued to it (their content, without the newline).
    pub continuations: Vec<Range<usize>>,
    /// Comment lines between its parts.
    pub inner_comments: usize,
    pub statement: Statement,
}

impl Logical {
    /// The file offset of a byte of `text` (or of its end).
    pub fn source_offset(&self, at: usize) -> usize {
        self.segments.offset(at)
    }

    /// The file span of a range of `text`. With continuations it may cover their newlines.
    pub fn source_span(&self, range: &Range<usize>) -> Range<usize> {
        self.segments.span(range)
    }

    /// Whether it is one physical line without comments inside.
    pub fn is_single_line(&self) -> bool {
        self.continuations.is_empty() && self.inner_comments == 0
    }
}

/// What a logical line is.
#[derive(Debug, Clone)]
pub enum Statement {
    Rule(Rule),
    If(If),
    Endif(Endif),
    /// A line starting with a letter or digit that is not `if`/`endif`.
    Unrecognized,
    /// The first logical line starts with white space: Postfix warns and drops it.
    Indented,
    /// Nothing before a NUL byte: Postfix skips it.
    Empty,
}

/// `[!…]/pattern/flags[!/pattern2/flags] result`.
#[derive(Debug, Clone)]
pub struct Rule {
    pub first: Result<Pattern, PatternError>,
    /// regexp:'s `!/p2/`, when the first pattern parsed.
    pub second: Option<Result<Pattern, PatternError>>,
    /// The result text (in `Logical::text`), when the patterns parsed; may be empty.
    pub result: Option<Range<usize>>,
}

#[derive(Debug, Clone)]
pub struct If {
    pub pattern: Result<Pattern, PatternError>,
    /// Text after the pattern: Postfix ignores it with a warning.
    pub extra: Option<Range<usize>>,
}

#[derive(Debug, Clone)]
pub struct Endif {
    pub extra: Option<Range<usize>>,
}

/// One pattern with its delimiters and flags; ranges are in `Logical::text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// An odd number of `!` before it.
    pub negated: bool,
    /// From the first `!` (or the delimiter) to after the flags.
    pub span: Range<usize>,
    pub delimiter: u8,
    /// Between the delimiters, backslashes kept (Postfix passes them on).
    pub body: Range<usize>,
    pub flags: Range<usize>,
    /// The compile options after the flags toggled Postfix's defaults (engine bits).
    pub options: engine::Options,
    /// Obsolete pcre flags `X`, ignored with a warning (offsets in text).
    pub obsolete: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternError {
    /// Nothing after the `!`s.
    NoRegexp,
    /// No closing delimiter: the delimiter and where the pattern starts.
    NoClosingDelimiter { delimiter: u8, at: usize },
    /// A flag letter the engine does not know, at its offset.
    UnknownOption { option: u8, at: usize },
}

/// A parsed table.
pub struct Table<'a> {
    pub source: &'a SourceFile,
    pub engine: Engine,
    pub lines: Vec<Logical>,
    /// Comment lines (`#` first after optional white space), without their newline.
    pub comments: Vec<Range<usize>>,
    validation: OnceCell<Validation>,
}

impl<'a> Table<'a> {
    pub fn new(source: &'a SourceFile, engine: Engine) -> Self {
        let (lines, comments) = parse(source.bytes(), engine);
        Self {
            source,
            engine,
            lines,
            comments,
            validation: OnceCell::new(),
        }
    }

    pub fn bytes(&self) -> &'a [u8] {
        self.source.bytes()
    }

    /// Every pattern compiled as Postfix compiles it, and Postfix's warnings: once per file.
    pub fn validation(&self) -> &Validation {
        self.validation
            .get_or_init(|| validate::validate(&self.lines, self.engine))
    }

    /// The rules Postfix keeps, with their logical line's index.
    pub fn kept_rules(&self) -> impl Iterator<Item = (usize, &Logical, &Rule)> {
        let kept = &self.validation().kept;
        self.lines
            .iter()
            .enumerate()
            .filter(|(i, _)| kept[*i])
            .filter_map(|(i, line)| match &line.statement {
                Statement::Rule(rule) => Some((i, line, rule)),
                _ => None,
            })
    }

    /// `span` widened to whole characters of the file's text view (a delimiter or a flag may
    /// be one byte of a multi-byte character).
    pub fn char_span(&self, span: &Range<usize>) -> Range<usize> {
        let text = self.source.text();
        let start = self.source.floor_char_boundary(span.start.min(text.len()));
        let mut end = span.end.min(text.len()).max(start);
        while !text.is_char_boundary(end) {
            end += 1;
        }
        start..end
    }

    /// The text of a range of a logical line.
    pub fn text<'t>(&self, line: &'t Logical, range: &Range<usize>) -> &'t [u8] {
        &line.text[range.clone()]
    }
}

/// Splits the file into logical lines and comment lines, as `readllines()` does.
pub fn parse(bytes: &[u8], engine: Engine) -> (Vec<Logical>, Vec<Range<usize>>) {
    let mut lines = Vec::new();
    let mut comments = Vec::new();
    let mut current: Option<Logical> = None;
    let mut number = 1;
    let mut at = 0;
    // Comment lines since the last part: inside the logical line only if a part follows.
    let mut pending_comments = 0;
    while at < bytes.len() {
        let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
        let content = &bytes[at..end];
        match content.iter().position(|&b| !is_space(b)) {
            None => {}
            Some(i) if content[i] == b'#' => {
                comments.push(at + i..end);
                pending_comments += 1;
            }
            Some(_) if is_space(content[0]) && current.is_some() => {
                let logical = current.as_mut().expect("checked");
                logical.inner_comments += std::mem::take(&mut pending_comments);
                logical.segments.push(logical.text.len(), at);
                logical.text.extend_from_slice(content);
                logical.continuations.push(at..end);
                logical.span.end = end;
            }
            Some(_) => {
                if let Some(done) = current.take() {
                    lines.push(finish(done, engine));
                }
                pending_comments = 0;
                current = Some(Logical {
                    line: number,
                    span: at..end,
                    text: content.to_vec(),
                    segments: Segments::starting_at(at),
                    continuations: Vec::new(),
                    inner_comments: 0,
                    statement: Statement::Unrecognized,
                });
            }
        }
        number += 1;
        at = end + 1;
    }
    if let Some(done) = current.take() {
        lines.push(finish(done, engine));
    }
    (lines, comments)
}

/// Cuts the text at a NUL (Postfix's strings end there), trims the end, parses the statement.
fn finish(mut logical: Logical, engine: Engine) -> Logical {
    if let Some(nul) = memchr::memchr(0, &logical.text) {
        logical.text.truncate(nul);
    }
    let trimmed = logical
        .text
        .iter()
        .rposition(|&b| !is_space(b))
        .map_or(0, |i| i + 1);
    logical.text.truncate(trimmed);
    logical.span.end = logical
        .span
        .start
        .max(logical.source_span(&(0..trimmed)).end);
    logical.statement = statement(&logical.text, engine);
    logical
}

fn skip_space(text: &[u8], mut at: usize) -> usize {
    while at < text.len() && is_space(text[at]) {
        at += 1;
    }
    at
}

fn statement(text: &[u8], engine: Engine) -> Statement {
    let Some(&first) = text.first() else {
        return Statement::Empty;
    };
    if is_space(first) {
        return Statement::Indented;
    }
    let keyword = |word: &[u8]| {
        text.len() >= word.len()
            && text[..word.len()].eq_ignore_ascii_case(word)
            && !text.get(word.len()).copied().is_some_and(is_alnum)
    };
    if !is_alnum(first) {
        return Statement::Rule(rule(text, engine));
    }
    if keyword(b"if") {
        let at = skip_space(text, 2);
        let (pattern, end) = match pattern(text, at, engine) {
            Ok((p, end)) => (Ok(p), end),
            Err(e) => (Err(e), text.len()),
        };
        let rest = skip_space(text, end);
        let extra = (pattern.is_ok() && rest < text.len()).then_some(rest..text.len());
        return Statement::If(If { pattern, extra });
    }
    if keyword(b"endif") {
        let rest = skip_space(text, 5);
        let extra = (rest < text.len()).then_some(rest..text.len());
        return Statement::Endif(Endif { extra });
    }
    Statement::Unrecognized
}

fn rule(text: &[u8], engine: Engine) -> Rule {
    let (first, mut at) = match pattern(text, 0, engine) {
        Ok((p, end)) => (p, end),
        Err(e) => {
            return Rule {
                first: Err(e),
                second: None,
                result: None,
            }
        }
    };
    let mut second = None;
    if engine == Engine::Regexp && text.get(at) == Some(&b'!') {
        match pattern(text, at, engine) {
            Ok((p, end)) => {
                second = Some(Ok(p));
                at = end;
            }
            Err(e) => {
                return Rule {
                    first: Ok(first),
                    second: Some(Err(e)),
                    result: None,
                }
            }
        }
    }
    let start = skip_space(text, at);
    Rule {
        first: Ok(first),
        second,
        result: Some(start..text.len()),
    }
}

/// `dict_regexp_get_pat()` / `dict_pcre_get_pattern()`: `!`s and spaces, the delimiter, the
/// pattern up to the unescaped closing delimiter, the flags. Returns where it stopped.
fn pattern(text: &[u8], start: usize, engine: Engine) -> Result<(Pattern, usize), PatternError> {
    let mut at = start;
    let mut negated = false;
    while at < text.len() {
        match text[at] {
            b'!' => negated = !negated,
            b if is_space(b) => {}
            _ => break,
        }
        at += 1;
    }
    if at >= text.len() {
        return Err(PatternError::NoRegexp);
    }
    let delimiter = text[at];
    let body_start = at + 1;
    let mut p = body_start;
    let mut closed = false;
    while p < text.len() {
        if text[p] == b'\\' {
            if p + 1 < text.len() {
                p += 1;
            } else {
                // dict_regexp stops on a final backslash and takes it for the delimiter;
                // dict_pcre steps past it and finds the end of the line.
                closed = engine == Engine::Regexp;
                break;
            }
        } else if text[p] == delimiter {
            closed = true;
            break;
        }
        p += 1;
    }
    if !closed {
        return Err(PatternError::NoClosingDelimiter {
            delimiter,
            at: start,
        });
    }
    let body = body_start..p;
    let flags_start = p + 1;
    let mut q = flags_start;
    let mut options = engine::Options::default_for(engine);
    let mut obsolete = Vec::new();
    while q < text.len() && !is_space(text[q]) && !(engine == Engine::Regexp && text[q] == b'!') {
        match options.toggle(engine, text[q]) {
            engine::Toggle::Done => {}
            engine::Toggle::Obsolete => obsolete.push(q),
            engine::Toggle::Unknown => {
                return Err(PatternError::UnknownOption {
                    option: text[q],
                    at: q,
                })
            }
        }
        q += 1;
    }
    let span_start = text[start..at]
        .iter()
        .position(|&b| b == b'!')
        .map_or(at, |i| start + i);
    Ok((
        Pattern {
            negated,
            span: span_start..q,
            delimiter,
            body,
            flags: flags_start..q,
            options,
            obsolete,
        },
        q,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<Logical> {
        parse(text.as_bytes(), Engine::Regexp).0
    }

    #[test]
    fn continuation_and_comments() {
        let l = lines("/a/ R\n# c\n  /b/ S\n\n/c/ T # x\n");
        assert_eq!(l.len(), 2);
        assert_eq!(l[0].text, b"/a/ R  /b/ S");
        assert_eq!(l[0].continuations.len(), 1);
        assert_eq!(l[0].inner_comments, 1);
        assert_eq!(l[1].line, 5);
        let Statement::Rule(rule) = &l[1].statement else {
            panic!()
        };
        assert_eq!(&l[1].text[rule.result.clone().unwrap()], b"T # x");
        assert_eq!(l[0].source_offset(7), 12);
    }

    #[test]
    fn patterns() {
        let l = lines("!!/a\\/b/i!/c/ R\n/x/q R\n/open\nif /z/ extra\nENDIF\nuser@x OK\n");
        let Statement::Rule(rule) = &l[0].statement else {
            panic!()
        };
        let first = rule.first.as_ref().unwrap();
        assert!(!first.negated);
        assert_eq!(&l[0].text[first.body.clone()], b"a\\/b");
        let second = rule.second.as_ref().unwrap().as_ref().unwrap();
        assert!(second.negated);
        let Statement::Rule(rule) = &l[1].statement else {
            panic!()
        };
        assert!(matches!(
            rule.first,
            Err(PatternError::UnknownOption { option: b'q', .. })
        ));
        let Statement::Rule(rule) = &l[2].statement else {
            panic!()
        };
        assert!(matches!(
            rule.first,
            Err(PatternError::NoClosingDelimiter {
                delimiter: b'/',
                ..
            })
        ));
        assert!(matches!(
            &l[3].statement,
            Statement::If(If { extra: Some(_), .. })
        ));
        assert!(matches!(&l[4].statement, Statement::Endif(_)));
        assert!(matches!(&l[5].statement, Statement::Unrecognized));
    }
}

/// What a main.cf or master.cf says of a table it names: which parameter names it, which
/// daemon searches that parameter, how many of that daemon may run. The main.cf/master.cf
/// facts give them through `postfix_conf::uses::table_uses`, which PFT010 asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableUse {
    /// The span of the reference (`regexp:/etc/postfix/transport.regexp`) in the naming file.
    pub reference: Range<usize>,
    pub parameter: String,
    pub daemon: String,
    /// The daemon's master.cf maxproc (`-`: default_process_limit), summed over the services
    /// that run it.
    pub process_limit: u32,
    /// Opened through `proxy:`: one copy in proxymap(8), not one per process.
    pub proxied: bool,
}
