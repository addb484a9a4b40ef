//! Postfix `main.cf` and `master.cf` (`postfix-main`, `postfix-master`): one module for both,
//! since they share Postfix's line reader (`readllines()`), its macro syntax and its parameter
//! catalogue. [`main_cf`] follows `dict_load_fp()`/`split_nameval()`, [`master_cf`] follows
//! postconf's `pcf_parse_master_entry()`; [`expand`] is `mac_parse()`; [`catalogue`] is what
//! `postconf -d` of Postfix 3.7 knows; [`tables`] finds lookup table references and [`uses`]
//! tells which daemon, and how many of its processes, search each of them.

pub mod catalogue;
pub mod expand;
mod handler;
pub mod main_cf;
pub mod master_cf;
pub mod tables;
pub mod uses;

pub use handler::{MainHandler, MasterHandler};
pub use main_cf::MainCf;
pub use master_cf::MasterCf;

use std::ops::Range;

use crate::source::Segments;

/// A hash map for names: foldhash is several times quicker than SipHash on short keys and,
/// seeded per process, as hard to flood.
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// Postfix's `ISSPACE`: ASCII white space.
pub fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// One logical line: a first physical line and the indented lines that continue it.
#[derive(Debug, Clone)]
pub struct Logical {
    /// Postfix's line number for it: that of its first physical line (1-based).
    pub line: usize,
    /// From its first byte to the end of its last content, in the file.
    pub span: Range<usize>,
    /// What Postfix sees: the parts concatenated as they are, cut at a NUL byte, the end
    /// trimmed.
    pub text: Vec<u8>,
    /// `(offset in text, offset in the file)` where each physical part starts.
    segments: Segments,
    /// Its first line starts with white space: Postfix warns and drops the whole line.
    pub indented: bool,
}

impl Logical {
    /// The file offset of a byte of `text` (or of its end).
    pub fn source_offset(&self, at: usize) -> usize {
        self.segments.offset(at)
    }

    /// The file span of a range of `text`.
    pub fn source_span(&self, range: &Range<usize>) -> Range<usize> {
        self.segments.span(range)
    }

    /// The physical line number (1-based) of a byte of `text`.
    pub fn line_of(&self, bytes: &[u8], at: usize) -> usize {
        let offset = self.source_offset(at).min(bytes.len());
        self.line + memchr::memchr_iter(b'\n', &bytes[self.span.start.min(offset)..offset]).count()
    }

    /// The physical parts after the first.
    pub fn continuations(&self) -> usize {
        self.segments.len() - 1
    }

    /// The text as a string (bytes that are not UTF-8 as U+FFFD).
    pub fn string(&self) -> String {
        String::from_utf8_lossy(&self.text).into_owned()
    }

    /// The text as postconf quotes a line it drops: its first 30 bytes, then `...`.
    pub fn quoted_start(&self) -> String {
        let more = if self.text.len() > 30 { "..." } else { "" };
        let start = &self.text[..self.text.len().min(30)];
        format!("{}{more}", String::from_utf8_lossy(start))
    }
}

/// The logical lines of a file and its comment lines (without their newline), as
/// `readllines()` reads them: blank and comment lines are skipped even between the parts of
/// a logical line, and a line that starts with white space continues the one before.
pub fn logical_lines(bytes: &[u8]) -> (Vec<Logical>, Vec<Range<usize>>) {
    let mut lines = Vec::new();
    let mut comments = Vec::new();
    let mut current: Option<Logical> = None;
    let mut number = 1;
    let mut at = 0;
    while at < bytes.len() {
        let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
        let content = &bytes[at..end];
        match content.iter().position(|&b| !is_space(b)) {
            None => {}
            Some(i) if content[i] == b'#' => comments.push(at + i..end),
            Some(_) if is_space(content[0]) && current.is_some() => {
                let logical = current.as_mut().expect("checked");
                logical.segments.push(logical.text.len(), at);
                logical.text.extend_from_slice(content);
                logical.span.end = end;
            }
            Some(_) => {
                if let Some(done) = current.take() {
                    lines.push(finish(done));
                }
                current = Some(Logical {
                    line: number,
                    span: at..end,
                    text: content.to_vec(),
                    segments: Segments::starting_at(at),
                    indented: is_space(content[0]),
                });
            }
        }
        number += 1;
        at = end + 1;
    }
    if let Some(done) = current.take() {
        lines.push(finish(done));
    }
    (lines, comments)
}

/// Cuts the text at a NUL (Postfix's strings end there) and trims its end.
fn finish(mut logical: Logical) -> Logical {
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
    logical
}

/// Runs of white space folded into one space, as `postconf -n` prints a value.
pub fn fold_space(text: &[u8]) -> String {
    let mut out = Vec::with_capacity(text.len());
    let mut space = false;
    for &b in text {
        if is_space(b) {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(b' ');
            }
            space = false;
            out.push(b);
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Skips white space from `at`.
pub(crate) fn skip_space(text: &[u8], mut at: usize) -> usize {
    while at < text.len() && is_space(text[at]) {
        at += 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuation_comments_and_first_indented_line() {
        let (l, comments) = logical_lines(b"  x = 1\na = b,\n# c\n\n  c\r\nd = e\0f\n");
        assert_eq!(l.len(), 3);
        assert!(l[0].indented);
        assert_eq!(l[1].text, b"a = b,  c");
        assert_eq!(l[1].line, 2);
        assert_eq!(l[1].continuations(), 1);
        assert_eq!(l[1].source_offset(8), 22);
        assert_eq!(l[2].text, b"d = e");
        assert_eq!(comments.len(), 1);
        assert_eq!(fold_space(b"a   b\t c"), "a b c");
    }
}
