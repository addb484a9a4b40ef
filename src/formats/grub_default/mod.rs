//! GRUB 2's `/etc/default/grub`: a POSIX shell file that grub-mkconfig sources. etclint reads
//! its plain assignments (`KEY=value`, `KEY="value"`, `KEY='value'`, `export KEY=…`), their
//! quoting and comments; other shell lines are kept as they are.

mod handler;

pub use handler::Handler;

use std::ops::Range;

use crate::source::SourceFile;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub line: usize,
    pub name: Range<usize>,
    /// The value as written, quotes included.
    pub raw: Range<usize>,
    /// The value after the shell removes quotes.
    pub value: String,
    /// Where text can be added at the end of the value, inside its closing quote.
    pub append_at: usize,
    /// The quote the value ends in, if any.
    pub quote: Option<u8>,
}

pub struct GrubDefaultFile<'a> {
    pub source: &'a SourceFile,
    pub assignments: Vec<Assignment>,
    pub comments: Vec<Range<usize>>,
}

impl<'a> GrubDefaultFile<'a> {
    pub fn new(source: &'a SourceFile) -> Self {
        let (assignments, comments) = parse(source.bytes());
        Self {
            source,
            assignments,
            comments,
        }
    }

    /// The last assignment of `name`: the one the shell keeps.
    pub fn last(&self, name: &str) -> Option<&Assignment> {
        let bytes = self.source.bytes();
        self.assignments
            .iter()
            .rfind(|a| &bytes[a.name.clone()] == name.as_bytes())
    }
}

fn is_name(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Assignments and comments, line by line (a quoted value may span lines).
pub fn parse(bytes: &[u8]) -> (Vec<Assignment>, Vec<Range<usize>>) {
    let mut assignments = Vec::new();
    let mut comments = Vec::new();
    let mut i = 0;
    let mut line = 1;
    while i < bytes.len() {
        while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\r') {
            i += 1;
        }
        if i >= bytes.len() {
            break;
        }
        if bytes[i] == b'\n' {
            i += 1;
            line += 1;
            continue;
        }
        if bytes[i] == b'#' {
            let end = memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |e| i + e);
            comments.push(i..end);
            i = end;
            continue;
        }
        if bytes[i..].starts_with(b"export ") {
            i += 7;
            while i < bytes.len() && bytes[i] == b' ' {
                i += 1;
            }
        }
        let name_start = i;
        while i < bytes.len() && is_name(bytes[i]) {
            i += 1;
        }
        let name = name_start..i;
        if name.is_empty() || bytes.get(i) != Some(&b'=') || bytes[name_start].is_ascii_digit() {
            // Another shell line: skipped to its end.
            let end = memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |e| i + e);
            i = end;
            continue;
        }
        i += 1;
        let raw_start = i;
        let mut value = Vec::new();
        let mut quote = None;
        let mut append_at = i;
        while i < bytes.len() {
            match bytes[i] {
                b'\'' => {
                    let end =
                        memchr::memchr(b'\'', &bytes[i + 1..]).map_or(bytes.len(), |e| i + 1 + e);
                    value.extend_from_slice(&bytes[i + 1..end]);
                    line += bytes[i..end].iter().filter(|&&b| b == b'\n').count();
                    append_at = end;
                    quote = Some(b'\'');
                    i = (end + 1).min(bytes.len());
                }
                b'"' => {
                    let mut j = i + 1;
                    while j < bytes.len() && bytes[j] != b'"' {
                        if bytes[j] == b'\\' && j + 1 < bytes.len() {
                            if !matches!(bytes[j + 1], b'"' | b'\\' | b'$' | b'`' | b'\n') {
                                value.push(b'\\');
                            }
                            if bytes[j + 1] != b'\n' {
                                value.push(bytes[j + 1]);
                            }
                            j += 2;
                            continue;
                        }
                        if bytes[j] == b'\n' {
                            line += 1;
                        }
                        value.push(bytes[j]);
                        j += 1;
                    }
                    append_at = j;
                    quote = Some(b'"');
                    i = (j + 1).min(bytes.len());
                }
                b'\\' if i + 1 < bytes.len() => {
                    if bytes[i + 1] != b'\n' {
                        value.push(bytes[i + 1]);
                    }
                    i += 2;
                    append_at = i;
                    quote = None;
                }
                b' ' | b'\t' | b'\n' | b';' | b'\r' => break,
                c => {
                    value.push(c);
                    i += 1;
                    append_at = i;
                    quote = None;
                }
            }
        }
        assignments.push(Assignment {
            line,
            name,
            raw: raw_start..i,
            value: String::from_utf8_lossy(&value).into_owned(),
            append_at,
            quote,
        });
        let end =
            memchr::memchr(b'\n', &bytes[i.min(bytes.len())..]).map_or(bytes.len(), |e| i + e);
        // A comment after the value: `KEY=x # note`.
        if let Some(hash) = bytes[i..end].iter().position(|&b| b == b'#') {
            if hash > 0 && matches!(bytes[i + hash - 1], b' ' | b'\t') {
                comments.push(i + hash..end);
            }
        }
        i = end;
    }
    (assignments, comments)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assignments_as_the_shell_reads_them() {
        let text = b"# c\nGRUB_DEFAULT=0\nGRUB_CMDLINE_LINUX=\"rd.lvm=1 \\\"q\\\"\"\nexport X='a b'\nif true; then\nY=1 # n\n";
        let (a, comments) = parse(text);
        assert_eq!(a.len(), 4);
        assert_eq!(a[1].value, "rd.lvm=1 \"q\"");
        assert_eq!(a[1].quote, Some(b'"'));
        assert_eq!(text[a[1].append_at], b'"');
        assert_eq!(a[2].value, "a b");
        assert_eq!(a[3].line, 6);
        assert_eq!(comments.len(), 2);
    }
}
