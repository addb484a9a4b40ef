//! wgetrc (`.wgetrc`, `/etc/wgetrc`), read as wget 1.21.3 reads it (`run_wgetrc` and
//! `parse_line` in `src/init.c`): lines end at `\n` only, a NUL ends what wget sees of a line,
//! whitespace around the line and around `=` is dropped, `#` starts a comment only as the
//! first character, and the value is the rest of the line: no quoting, no inline comments.
//! Command names are looked up with `-` and `_` removed and case ignored.

pub mod commands;
mod handler;
pub mod values;

pub use handler::Handler;

use std::cell::OnceCell;
use std::ops::Range;

use crate::source::SourceFile;
use commands::CommandSpec;
use values::{is_space, Verdict};

/// One wgetrc file, parsed.
pub struct WgetrcFile<'a> {
    pub source: &'a SourceFile,
    pub lines: Vec<Line>,
    verdicts: OnceCell<Vec<Option<Verdict>>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// wget's line number (1-based; only `\n` ends a line).
    pub number: usize,
    /// The line without its `\n`.
    pub span: Range<usize>,
    /// Where a NUL byte cuts off what wget reads of the line.
    pub nul_at: Option<usize>,
    pub kind: LineKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum LineKind {
    Blank,
    Comment,
    /// No `=` after the command name: wget's "Syntax error".
    SyntaxError {
        /// What was read as the command name (possibly empty).
        name: Range<usize>,
        /// Where wget expected `=`.
        at: usize,
    },
    Command(Command),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Command {
    /// The name as written (letters, digits, `_`, `-`; possibly empty).
    pub name: Range<usize>,
    pub value: Range<usize>,
    /// `None`: wget's "Unknown command".
    pub spec: Option<&'static CommandSpec>,
}

impl<'a> WgetrcFile<'a> {
    pub fn new(source: &'a SourceFile) -> Self {
        Self {
            source,
            lines: parse(source.bytes()),
            verdicts: OnceCell::new(),
        }
    }

    pub fn bytes(&self) -> &'a [u8] {
        self.source.bytes()
    }

    /// The text of a span (`?` for bytes that are not UTF-8).
    pub fn text(&self, span: &Range<usize>) -> &'a str {
        let source: &'a SourceFile = self.source;
        source.text().get(span.clone()).unwrap_or("")
    }

    /// The lines that are commands, with their line.
    pub fn commands(&self) -> impl Iterator<Item = (&Line, &Command)> {
        self.lines.iter().filter_map(|line| match &line.kind {
            LineKind::Command(command) => Some((line, command)),
            _ => None,
        })
    }

    /// The known commands, with what wget does with each value.
    pub fn known(&self) -> impl Iterator<Item = (&Line, &Command, &'static CommandSpec, &Verdict)> {
        let verdicts = self.verdicts();
        self.lines
            .iter()
            .zip(verdicts)
            .filter_map(|(line, verdict)| match (&line.kind, verdict) {
                (LineKind::Command(c), Some(v)) => Some((line, c, c.spec?, v)),
                _ => None,
            })
    }

    /// For each line, what wget does with its value (`None` for lines that are not known
    /// commands).
    fn verdicts(&self) -> &[Option<Verdict>] {
        self.verdicts.get_or_init(|| {
            let mut seen: Vec<&'static str> = Vec::new();
            self.lines
                .iter()
                .map(|line| {
                    let LineKind::Command(command) = &line.kind else {
                        return None;
                    };
                    let spec = command.spec?;
                    let before = seen.contains(&spec.name);
                    seen.push(spec.name);
                    Some(values::check(
                        spec,
                        self.text(&command.name),
                        &self.bytes()[command.value.clone()],
                        before,
                    ))
                })
                .collect()
        })
    }

    /// The last line that sets `name` (wget's name), if any: the one that counts.
    pub fn last(&self, name: &str) -> Option<(&Line, &Command)> {
        self.commands()
            .filter(|(_, c)| c.spec.is_some_and(|s| s.name == name))
            .last()
    }

    /// Whether wget stops at some line of the file.
    pub fn has_error(&self) -> bool {
        self.lines.iter().any(|line| match &line.kind {
            LineKind::SyntaxError { .. } => true,
            LineKind::Command(c) => c.spec.is_none(),
            _ => false,
        }) || self
            .known()
            .any(|(_, _, _, v)| matches!(v, Verdict::Invalid { .. }))
    }
}

/// Splits `bytes` into wget's lines and reads each.
pub fn parse(bytes: &[u8]) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut start = 0;
    while start < bytes.len() {
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
        lines.push(parse_line(bytes, start..end, lines.len() + 1));
        start = end + 1;
    }
    lines
}

fn parse_line(bytes: &[u8], span: Range<usize>, number: usize) -> Line {
    let nul_at = memchr::memchr(0, &bytes[span.clone()]).map(|i| span.start + i);
    let seen_end = nul_at.unwrap_or(span.end);
    let mut start = span.start;
    while start < seen_end && is_space(bytes[start]) {
        start += 1;
    }
    let mut end = seen_end;
    while end > start && is_space(bytes[end - 1]) {
        end -= 1;
    }
    let kind = if start == end {
        LineKind::Blank
    } else if bytes[start] == b'#' {
        LineKind::Comment
    } else {
        let mut p = start;
        while p < end && (bytes[p].is_ascii_alphanumeric() || matches!(bytes[p], b'_' | b'-')) {
            p += 1;
        }
        let name = start..p;
        while p < end && is_space(bytes[p]) {
            p += 1;
        }
        if p == end || bytes[p] != b'=' {
            LineKind::SyntaxError { name, at: p }
        } else {
            p += 1;
            while p < end && is_space(bytes[p]) {
                p += 1;
            }
            let spec = commands::lookup(&bytes[name.clone()]);
            LineKind::Command(Command {
                name,
                value: p..end,
                spec,
            })
        }
    };
    Line {
        number,
        span,
        nul_at,
        kind,
    }
}

/// Whether wget would refuse the file: the fix loop keeps no fix that makes it so.
pub fn has_error(bytes: &[u8]) -> bool {
    let source = SourceFile::new("", bytes.to_vec());
    WgetrcFile::new(&source).has_error()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<LineKind> {
        parse(text.as_bytes()).into_iter().map(|l| l.kind).collect()
    }

    #[test]
    fn lines_as_wget_reads_them() {
        let text =
            "  # c\n\ntries = 3 # x\r\nu-s-e_proxy=on\nnoequals\n=3\ntries == 3\nfoo.bar = 1\n";
        let lines = parse(text.as_bytes());
        assert_eq!(lines.len(), 8);
        assert_eq!(lines[0].kind, LineKind::Comment);
        assert_eq!(lines[1].kind, LineKind::Blank);
        let LineKind::Command(c) = &lines[2].kind else {
            panic!()
        };
        assert_eq!(&text[c.value.clone()], "3 # x");
        assert_eq!(c.spec.unwrap().name, "tries");
        let LineKind::Command(c) = &lines[3].kind else {
            panic!()
        };
        assert_eq!(c.spec.unwrap().name, "useproxy");
        assert!(matches!(lines[4].kind, LineKind::SyntaxError { .. }));
        let LineKind::Command(c) = &lines[5].kind else {
            panic!()
        };
        assert!(c.name.is_empty() && c.spec.is_none());
        let LineKind::Command(c) = &lines[6].kind else {
            panic!()
        };
        assert_eq!(&text[c.value.clone()], "= 3");
        assert!(matches!(lines[7].kind, LineKind::SyntaxError { .. }));
    }

    #[test]
    fn a_nul_ends_the_line_and_a_lone_cr_does_not() {
        let k = kinds("tries = 3\0junk\nwait = 1\rquota = 2\n");
        let LineKind::Command(c) = &k[0] else {
            panic!()
        };
        assert_eq!(c.value, 8..9);
        assert_eq!(k.len(), 2);
        let LineKind::Command(c) = &k[1] else {
            panic!()
        };
        assert_eq!(c.value.len(), "1\rquota = 2".len());
        assert_eq!(kinds("# only\n"), [LineKind::Comment]);
        assert!(kinds("").is_empty());
    }
}
