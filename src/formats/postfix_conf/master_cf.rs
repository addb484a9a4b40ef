//! master.cf as postconf 3.7 reads it (`pcf_parse_master_entry()`): logical lines of eight
//! or more fields (service, type, private, unpriv, chroot, wakeup, maxproc, command and its
//! arguments), split at white space except inside `{ … }`; the arguments' leading options
//! carry `-o name=value` and `-o { name = value }` overrides.

use std::ops::Range;

use super::{is_space, logical_lines, Logical};
use crate::source::SourceFile;

/// One field or argument; ranges in the logical line's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub range: Range<usize>,
    /// `{` without its `}`: the token runs to the end of the line.
    pub unterminated: bool,
}

/// `-o name=value`; ranges in the logical line's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    /// From `-o` to the end of its argument.
    pub span: Range<usize>,
    pub name: Range<usize>,
    pub value: Range<usize>,
    /// `-o {name = value` without `}`: postconf warns and reads it anyway.
    pub missing_brace: Option<Range<usize>>,
}

/// What postconf rejects in an entry: the first one is fatal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldError {
    /// Fewer than eight fields.
    BadFieldCount,
    /// A field that is not one of its values: postconf's name of it, and which field.
    Invalid { field: &'static str, index: usize },
}

impl FieldError {
    /// postconf's words (`fatal: …`).
    pub fn words(&self, entry: &Entry, line: &Logical, path: &str) -> String {
        match self {
            Self::BadFieldCount => format!("file {path}: line {}: bad field count", line.line),
            Self::Invalid { field, index } => format!(
                "invalid {field} field \"{}\" in \"{}\"",
                String::from_utf8_lossy(&line.text[entry.fields[*index].range.clone()]),
                line.string()
            ),
        }
    }
}

/// One service line.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Its logical line in [`MasterCf::lines`].
    pub logical: usize,
    pub fields: Vec<Token>,
    pub overrides: Vec<Override>,
    pub errors: Vec<FieldError>,
}

impl Entry {
    /// Field `i` (0-based) when it exists.
    pub fn field<'t>(&self, line: &'t Logical, i: usize) -> Option<&'t [u8]> {
        self.fields.get(i).map(|t| &line.text[t.range.clone()])
    }
}

pub const TYPES: &[&str] = &["inet", "unix", "unix-dgram", "fifo", "pass"];

pub struct MasterCf<'a> {
    pub source: &'a SourceFile,
    pub lines: Vec<Logical>,
    pub comments: Vec<Range<usize>>,
    /// One per logical line that does not start with white space.
    pub entries: Vec<Entry>,
}

impl<'a> MasterCf<'a> {
    pub fn new(source: &'a SourceFile) -> Self {
        let (lines, comments) = logical_lines(source.bytes());
        let entries = lines
            .iter()
            .enumerate()
            .filter(|(_, l)| !l.indented)
            .map(|(i, l)| parse_entry(i, &l.text))
            .collect();
        Self {
            source,
            lines,
            comments,
            entries,
        }
    }

    pub fn line(&self, entry: &Entry) -> &Logical {
        &self.lines[entry.logical]
    }

    /// What other files need: each valid service with its program, process limit and
    /// overrides.
    pub fn services(&self) -> Vec<Service> {
        self.entries
            .iter()
            .filter(|e| e.errors.is_empty())
            .map(|e| {
                let line = self.line(e);
                let text = |i: usize| {
                    String::from_utf8_lossy(e.field(line, i).unwrap_or(b"")).into_owned()
                };
                let maxproc = text(6);
                Service {
                    name: text(0),
                    kind: text(1),
                    program: text(7),
                    process_limit: maxproc.parse().ok(),
                    overrides: e
                        .overrides
                        .iter()
                        .map(|o| {
                            (
                                String::from_utf8_lossy(&line.text[o.name.clone()]).into_owned(),
                                String::from_utf8_lossy(&line.text[o.value.clone()]).into_owned(),
                            )
                        })
                        .collect(),
                    line: line.line,
                }
            })
            .collect()
    }
}

/// A service as other files see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    pub name: String,
    pub kind: String,
    /// The command field (`smtpd`, `pipe`…), as postconf compares it.
    pub program: String,
    /// maxproc; `None` for `-` (default_process_limit). 0 means no limit.
    pub process_limit: Option<u32>,
    /// `-o` overrides in order.
    pub overrides: Vec<(String, String)>,
    pub line: usize,
}

/// `mystrtokq()` with white space and braces: the tokens of a line.
pub fn tokens(text: &[u8]) -> Vec<Token> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < text.len() {
        at = super::skip_space(text, at);
        if at >= text.len() {
            break;
        }
        let start = at;
        let mut level = 0usize;
        while at < text.len() && !(level == 0 && is_space(text[at])) {
            match text[at] {
                b'{' => level += 1,
                b'}' => level = level.saturating_sub(1),
                _ => {}
            }
            at += 1;
        }
        out.push(Token {
            range: start..at,
            unterminated: level > 0,
        });
    }
    out
}

fn is_flag(text: &[u8]) -> bool {
    matches!(text, b"y" | b"n" | b"-")
}

fn is_wakeup(text: &[u8]) -> bool {
    if text == b"-" {
        return true;
    }
    let digits = text.strip_suffix(b"?").unwrap_or(text);
    !digits.is_empty() && digits.iter().all(u8::is_ascii_digit)
}

fn is_process_limit(text: &[u8]) -> bool {
    text == b"-" || (!text.is_empty() && text.iter().all(u8::is_ascii_digit))
}

/// `split_nameval()`: `name = value` with white space trimmed; `None` without a name or `=`.
pub fn split_nameval(text: &[u8], range: Range<usize>) -> Option<(Range<usize>, Range<usize>)> {
    let s = super::skip_space(text, range.start).min(range.end);
    let mut p = s;
    while p < range.end && text[p] != b'=' && !is_space(text[p]) {
        p += 1;
    }
    if p == s {
        return None;
    }
    let name = s..p;
    let eq = super::skip_space(text, p).min(range.end);
    if text.get(eq) != Some(&b'=') || eq >= range.end {
        return None;
    }
    let vs = super::skip_space(text, eq + 1).min(range.end);
    let mut ve = range.end;
    while ve > vs && is_space(text[ve - 1]) {
        ve -= 1;
    }
    Some((name, vs..ve))
}

/// A field's index, postconf's name of it, and what it accepts.
type FieldCheck = (usize, &'static str, fn(&[u8]) -> bool);

fn parse_entry(logical: usize, text: &[u8]) -> Entry {
    let fields = tokens(text);
    let mut errors = Vec::new();
    let mut overrides = Vec::new();
    if fields.len() < 8 {
        errors.push(FieldError::BadFieldCount);
        return Entry {
            logical,
            fields,
            overrides,
            errors,
        };
    }
    let field = |i: usize| &text[fields[i].range.clone()];
    let checks: [FieldCheck; 6] = [
        (1, "type", |t| TYPES.iter().any(|k| k.as_bytes() == t)),
        (2, "private", is_flag),
        (3, "unprivileged", is_flag),
        (4, "chroot", is_flag),
        (5, "wakeup", is_wakeup),
        (6, "process_limit", is_process_limit),
    ];
    for (index, name, valid) in checks {
        if !valid(field(index)) {
            errors.push(FieldError::Invalid { field: name, index });
        }
    }
    let mut i = 8;
    while i < fields.len() {
        let arg = field(i);
        if arg.first() != Some(&b'-') || arg == b"--" {
            break;
        }
        if arg == b"-o" && i + 1 < fields.len() {
            let value = &fields[i + 1];
            let mut range = value.range.clone();
            let mut missing_brace = None;
            if text[range.start] == b'{' {
                if text[range.end - 1] == b'}' && !value.unterminated {
                    range = range.start + 1..range.end - 1;
                } else {
                    missing_brace = Some(value.range.clone());
                    range = range.start + 1..range.end;
                }
            }
            if let Some((name, value_range)) = split_nameval(text, range) {
                overrides.push(Override {
                    span: fields[i].range.start..value.range.end,
                    name,
                    value: value_range,
                    missing_brace,
                });
            }
            i += 2;
            continue;
        }
        i += 1;
    }
    Entry {
        logical,
        fields,
        overrides,
        errors,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Parsed = (Vec<FieldError>, Vec<(String, String)>);

    fn master(text: &str) -> Vec<Parsed> {
        let source = SourceFile::new("master.cf", text.as_bytes().to_vec());
        let m = MasterCf::new(&source);
        m.entries
            .iter()
            .map(|e| {
                let line = m.line(e);
                let o = e
                    .overrides
                    .iter()
                    .map(|o| {
                        (
                            String::from_utf8_lossy(&line.text[o.name.clone()]).into_owned(),
                            String::from_utf8_lossy(&line.text[o.value.clone()]).into_owned(),
                        )
                    })
                    .collect();
                (e.errors.clone(), o)
            })
            .collect()
    }

    #[test]
    fn fields_and_overrides() {
        let m = master(
            "smtp inet n - y - - smtpd\n  -o a=1\n  -o { b = 2 2 }\n  -o {c = 3\nx unix - - q 10?? -1 y\nshort unix -\n",
        );
        assert!(m[0].0.is_empty());
        assert_eq!(
            m[0].1,
            [
                ("a".into(), "1".into()),
                ("b".into(), "2 2".into()),
                ("c".into(), "3".into())
            ]
        );
        assert_eq!(
            m[1].0,
            [
                FieldError::Invalid {
                    field: "chroot",
                    index: 4
                },
                FieldError::Invalid {
                    field: "wakeup",
                    index: 5
                },
                FieldError::Invalid {
                    field: "process_limit",
                    index: 6
                },
            ]
        );
        assert_eq!(m[2].0, [FieldError::BadFieldCount]);
    }
}
