//! Fingerprints that let code scanning and GitLab recognise a finding in a later run even when
//! lines above it moved: a hash of the rule and of the text around the finding, not of its
//! line number, plus a counter that keeps identical findings apart.
//!
//! The hash is FNV-1a (64 bits), written out here because a fingerprint must not change from
//! one etclint build to the next, and std's `DefaultHasher` may change with any Rust release.

use std::collections::HashMap;

use crate::source::SourceFile;

/// The 64-bit FNV-1a hash (Fowler, Noll, Vo).
#[derive(Debug, Clone, Copy)]
pub struct Fnv1a(u64);

impl Fnv1a {
    const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;

    pub fn new() -> Self {
        Self(Self::OFFSET_BASIS)
    }

    pub fn write(&mut self, bytes: &[u8]) -> &mut Self {
        for &byte in bytes {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(Self::PRIME);
        }
        self
    }

    /// One field of a record. The 0xFF after it never occurs in UTF-8, so `("ab", "c")` and
    /// `("a", "bc")` hash differently.
    pub fn field(&mut self, text: &str) -> &mut Self {
        self.write(text.as_bytes()).write(&[0xFF])
    }

    pub fn finish(&self) -> u64 {
        self.0
    }
}

impl Default for Fnv1a {
    fn default() -> Self {
        Self::new()
    }
}

/// The line holding `offset` and its neighbours, without their indentation and line endings:
/// re-indenting a block or converting it to CRLF keeps the fingerprints of its findings.
pub fn line_context(source: &SourceFile, offset: usize) -> [&str; 3] {
    let line = source.line_index(offset.min(source.len()));
    let text = |index: Option<usize>| {
        index
            .filter(|&i| i < source.line_starts().len())
            .map_or("", |i| source.text()[source.line_range(i)].trim())
    };
    [
        text(line.checked_sub(1)),
        text(Some(line)),
        text(Some(line + 1)),
    ]
}

/// What a finding is about: its rule and the text around its start. Without the source (a
/// file that could not be read again), the rule alone.
pub fn finding_hash(code: &str, source: Option<&SourceFile>, offset: usize) -> Fnv1a {
    let mut hash = Fnv1a::new();
    hash.field(code);
    if let Some(source) = source {
        for line in line_context(source, offset) {
            hash.field(line);
        }
    }
    hash
}

/// `finding_hash` for the findings of one file, computed once per rule and line: a long line
/// holding thousands of findings is hashed once, not once per finding.
pub struct FindingHashes<'a> {
    source: Option<&'a SourceFile>,
    /// (rule, line index) → the hash; the rule is hashed first, so it is part of the key.
    cache: HashMap<(&'a str, usize), Fnv1a>,
}

impl<'a> FindingHashes<'a> {
    pub fn new(source: Option<&'a SourceFile>) -> Self {
        Self {
            source,
            cache: HashMap::new(),
        }
    }

    /// `finding_hash(code, source, offset)`.
    pub fn get(&mut self, code: &'a str, offset: usize) -> Fnv1a {
        let source = self.source;
        let line = source.map_or(0, |s| s.line_index(offset.min(s.len())));
        *self
            .cache
            .entry((code, line))
            .or_insert_with(|| finding_hash(code, source, offset))
    }
}

/// Numbers equal hashes 1, 2, 3… in the order they come, so that identical findings (the
/// same rule on two identical lines) keep distinct fingerprints.
#[derive(Debug, Default)]
pub struct Occurrences(HashMap<u64, usize>);

impl Occurrences {
    pub fn next(&mut self, hash: u64) -> usize {
        let count = self.0.entry(hash).or_insert(0);
        *count += 1;
        *count
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_reference_vectors() {
        assert_eq!(Fnv1a::new().finish(), 0xcbf2_9ce4_8422_2325);
        assert_eq!(Fnv1a::new().write(b"a").finish(), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(
            Fnv1a::new().write(b"foobar").finish(),
            0x8594_4171_f739_67e8
        );
    }

    #[test]
    fn fields_are_delimited() {
        let ab_c = Fnv1a::new().field("ab").field("c").finish();
        let a_bc = Fnv1a::new().field("a").field("bc").finish();
        assert_ne!(ab_c, a_bc);
    }

    #[test]
    fn context_ignores_indentation_line_endings_and_moves() {
        let before = SourceFile::new("a", b"<?php\n$x = 1;\n$y = $HTTP_GET_VARS;\n".to_vec());
        let after = SourceFile::new(
            "a",
            b"<?php\r\n// new line\r\n$x = 1;\r\n    $y = $HTTP_GET_VARS;\r\n".to_vec(),
        );
        let at = |s: &SourceFile| s.text().find("$HTTP").unwrap();
        assert_eq!(
            line_context(&before, at(&before)),
            ["$x = 1;", "$y = $HTTP_GET_VARS;", ""]
        );
        assert_eq!(
            finding_hash("PHP004", Some(&before), at(&before)).finish(),
            finding_hash("PHP004", Some(&after), at(&after)).finish()
        );
        assert_ne!(
            finding_hash("PHP004", Some(&before), at(&before)).finish(),
            finding_hash("PHP005", Some(&before), at(&before)).finish()
        );
    }

    #[test]
    fn cached_hashes_are_the_hashes() {
        let source = SourceFile::new("a", b"<?php\n$a; $b;\r\n\n$c;".to_vec());
        let mut hashes = FindingHashes::new(Some(&source));
        let mut unread = FindingHashes::new(None);
        for offset in (0..=source.len() + 1).chain([0, 7, 12, 3]) {
            for code in ["PHP004", "PHP005"] {
                let expected = finding_hash(code, Some(&source), offset).finish();
                assert_eq!(hashes.get(code, offset).finish(), expected, "{offset}");
                let expected = finding_hash(code, None, offset).finish();
                assert_eq!(unread.get(code, offset).finish(), expected, "{offset}");
            }
        }
    }

    #[test]
    fn occurrences_count_from_one_per_hash() {
        let mut seen = Occurrences::default();
        assert_eq!(seen.next(7), 1);
        assert_eq!(seen.next(7), 2);
        assert_eq!(seen.next(8), 1);
    }
}
