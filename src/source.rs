//! A file as etclint reads it: the exact bytes (never altered), a text view for display that
//! keeps byte offsets, and the facts a fix must preserve (line endings, BOM, encoding).

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// How lines end in a file, as far as it is consistent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NewlineStyle {
    Lf,
    CrLf,
    Cr,
    /// More than one kind of line ending.
    Mixed,
    /// No line ending at all.
    None,
}

impl NewlineStyle {
    pub fn detect(bytes: &[u8]) -> Self {
        let (mut lf, mut crlf, mut cr) = (false, false, false);
        let mut at = 0;
        while let Some(found) = memchr::memchr2(b'\n', b'\r', &bytes[at..]) {
            let i = at + found;
            match bytes[i] {
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                    crlf = true;
                    at = i + 2;
                }
                b'\r' => {
                    cr = true;
                    at = i + 1;
                }
                _ => {
                    lf = true;
                    at = i + 1;
                }
            }
            if usize::from(lf) + usize::from(crlf) + usize::from(cr) > 1 {
                return Self::Mixed;
            }
        }
        match (lf, crlf, cr) {
            (true, _, _) => Self::Lf,
            (_, true, _) => Self::CrLf,
            (_, _, true) => Self::Cr,
            _ => Self::None,
        }
    }
}

/// A 1-based line and column (columns count Unicode scalar values) and a byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
    pub offset: usize,
}

/// One input file. The bytes are kept exactly; `text()` is a view of them in which every byte
/// that is not part of valid UTF-8 is shown as `?`, so that byte offsets are the same in both.
pub struct SourceFile {
    path: PathBuf,
    text: String,
    /// The original bytes when they are not valid UTF-8 (else `text` holds them).
    invalid_utf8: Option<Vec<u8>>,
    line_starts: OnceLock<Vec<usize>>,
}

impl SourceFile {
    pub fn new(path: impl Into<PathBuf>, bytes: Vec<u8>) -> Self {
        let (text, invalid_utf8) = match String::from_utf8(bytes) {
            Ok(text) => (text, None),
            Err(err) => {
                let bytes = err.into_bytes();
                (replace_invalid_utf8(&bytes), Some(bytes))
            }
        };
        Self {
            path: path.into(),
            text,
            invalid_utf8,
            line_starts: OnceLock::new(),
        }
    }

    /// The path as it was given (relative stays relative).
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn bytes(&self) -> &[u8] {
        self.invalid_utf8.as_deref().unwrap_or(self.text.as_bytes())
    }

    /// The file as text, with the same byte offsets as `bytes()`.
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn len(&self) -> usize {
        self.text.len()
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    pub fn is_utf8(&self) -> bool {
        self.invalid_utf8.is_none()
    }

    pub fn has_bom(&self) -> bool {
        self.bytes().starts_with(UTF8_BOM)
    }

    pub fn newline_style(&self) -> NewlineStyle {
        NewlineStyle::detect(self.bytes())
    }

    /// Byte offsets where lines start. A line ends at `\n`, `\r\n` or a lone `\r`, as PHP's
    /// lexer and most editors count them.
    pub fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| line_starts(self.bytes()))
    }

    /// The 0-based index of the line holding `offset`.
    pub fn line_index(&self, offset: usize) -> usize {
        let starts = self.line_starts();
        starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1)
    }

    /// The byte range of line `index` (0-based), including its line ending.
    pub fn line_range(&self, index: usize) -> Range<usize> {
        let starts = self.line_starts();
        let start = starts.get(index).copied().unwrap_or(self.len());
        let end = starts.get(index + 1).copied().unwrap_or(self.len());
        start..end
    }

    pub fn position(&self, offset: usize) -> Position {
        let offset = self.floor_char_boundary(offset.min(self.len()));
        let line = self.line_index(offset);
        let start = self.line_range(line).start;
        let column = self.text[start..offset].chars().count() + 1;
        Position {
            line: line + 1,
            column,
            offset,
        }
    }

    /// The nearest char boundary at or before `offset` in the text view.
    pub fn floor_char_boundary(&self, mut offset: usize) -> usize {
        while offset > 0 && !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }
}

fn line_starts(bytes: &[u8]) -> Vec<usize> {
    let mut starts = vec![0];
    let mut at = 0;
    while let Some(found) = memchr::memchr2(b'\n', b'\r', &bytes[at..]) {
        let i = at + found;
        let next = if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            i + 2
        } else {
            i + 1
        };
        starts.push(next);
        at = next;
    }
    starts
}

fn replace_invalid_utf8(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        for _ in chunk.invalid() {
            text.push('?');
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_keeps_offsets() {
        let file = SourceFile::new("x", b"caf\xe9 ok\n\xff".to_vec());
        assert!(!file.is_utf8());
        assert_eq!(file.text(), "caf? ok\n?");
        assert_eq!(file.bytes(), b"caf\xe9 ok\n\xff");
        assert_eq!(
            file.position(8),
            Position {
                line: 2,
                column: 1,
                offset: 8
            }
        );
    }

    #[test]
    fn lines_end_at_lf_crlf_and_cr() {
        let file = SourceFile::new("x", b"a\nb\r\nc\rd".to_vec());
        assert_eq!(file.line_starts(), &[0, 2, 5, 7]);
        assert_eq!(
            file.position(7),
            Position {
                line: 4,
                column: 1,
                offset: 7
            }
        );
        assert_eq!(file.line_range(1), 2..5);
    }

    #[test]
    fn columns_count_characters() {
        let file = SourceFile::new("x", "é=ü\n".as_bytes().to_vec());
        assert_eq!(file.position(3).column, 3);
    }

    #[test]
    fn newline_styles() {
        assert_eq!(NewlineStyle::detect(b"a\nb\n"), NewlineStyle::Lf);
        assert_eq!(NewlineStyle::detect(b"a\r\nb\r\n"), NewlineStyle::CrLf);
        assert_eq!(NewlineStyle::detect(b"a\rb"), NewlineStyle::Cr);
        assert_eq!(NewlineStyle::detect(b"a\r\nb\n"), NewlineStyle::Mixed);
        assert_eq!(NewlineStyle::detect(b"ab"), NewlineStyle::None);
    }
}

/// Where the parts of a text joined from several places of one file start, as
/// `(offset in the text, offset in the file)` in order: a logical line made of continuation
/// lines maps a byte of what the program reads back to the file with it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Segments(Vec<(usize, usize)>);

impl Segments {
    /// A text whose first part starts at `file_at`.
    pub fn starting_at(file_at: usize) -> Self {
        Self(vec![(0, file_at)])
    }

    /// The next part: the text's byte `text_at` is the file's byte `file_at`.
    pub fn push(&mut self, text_at: usize, file_at: usize) {
        self.0.push((text_at, file_at));
    }

    /// How many parts.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The file offset of a byte of the text (or of its end).
    pub fn offset(&self, at: usize) -> usize {
        let i = self.0.partition_point(|&(t, _)| t <= at).max(1) - 1;
        let (t, s) = self.0[i];
        s + (at - t)
    }

    /// The file span of a range of the text; across parts it covers what lies between them.
    pub fn span(&self, range: &Range<usize>) -> Range<usize> {
        let start = self.offset(range.start);
        let end = if range.end > range.start {
            self.offset(range.end - 1) + 1
        } else {
            start
        };
        start..end.max(start)
    }
}

impl From<Vec<(usize, usize)>> for Segments {
    fn from(parts: Vec<(usize, usize)>) -> Self {
        Self(parts)
    }
}
