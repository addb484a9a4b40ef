//! UTF-16 and UTF-32 sources. PHP reads a file as bytes (with `zend.multibyte` off, its
//! default), so in a UTF-16 file it finds no `<?php` — the bytes are `<\0?\0p\0h\0p\0` — and
//! prints the whole file as it is, running nothing.

use std::ops::Range;

/// A wide encoding, told by the file's byte order mark or by its first bytes being `<?` in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wide {
    Utf16Le,
    Utf16Be,
    Utf32Le,
    Utf32Be,
}

impl Wide {
    pub fn name(self) -> &'static str {
        match self {
            Self::Utf16Le => "UTF-16LE",
            Self::Utf16Be => "UTF-16BE",
            Self::Utf32Le => "UTF-32LE",
            Self::Utf32Be => "UTF-32BE",
        }
    }

    fn unit(self) -> usize {
        match self {
            Self::Utf16Le | Self::Utf16Be => 2,
            Self::Utf32Le | Self::Utf32Be => 4,
        }
    }

    /// The length of the byte order mark at the start of `bytes`, if there is one.
    pub fn bom_len(self, bytes: &[u8]) -> usize {
        let bom: &[u8] = match self {
            Self::Utf16Le => b"\xFF\xFE",
            Self::Utf16Be => b"\xFE\xFF",
            Self::Utf32Le => b"\xFF\xFE\0\0",
            Self::Utf32Be => b"\0\0\xFE\xFF",
        };
        if bytes.starts_with(bom) {
            bom.len()
        } else {
            0
        }
    }

    /// The code unit at `at`, if a whole one is there.
    fn unit_at(self, bytes: &[u8], at: usize) -> Option<u32> {
        let b = bytes.get(at..at + self.unit())?;
        Some(match self {
            Self::Utf16Le => u32::from(u16::from_le_bytes([b[0], b[1]])),
            Self::Utf16Be => u32::from(u16::from_be_bytes([b[0], b[1]])),
            Self::Utf32Le => u32::from_le_bytes([b[0], b[1], b[2], b[3]]),
            Self::Utf32Be => u32::from_be_bytes([b[0], b[1], b[2], b[3]]),
        })
    }
}

/// The wide encoding `bytes` are in, if they start with its BOM or with `<?` in it.
pub fn wide_encoding(bytes: &[u8]) -> Option<Wide> {
    // UTF-32LE's BOM starts with UTF-16LE's: test it first.
    const SIGNS: &[(&[u8], Wide)] = &[
        (b"\xFF\xFE\0\0", Wide::Utf32Le),
        (b"\0\0\xFE\xFF", Wide::Utf32Be),
        (b"\xFF\xFE", Wide::Utf16Le),
        (b"\xFE\xFF", Wide::Utf16Be),
        (b"<\0\0\0?\0\0\0", Wide::Utf32Le),
        (b"\0\0\0<\0\0\0?", Wide::Utf32Be),
        (b"<\0?\0", Wide::Utf16Le),
        (b"\0<\0?", Wide::Utf16Be),
    ];
    SIGNS
        .iter()
        .find(|(sign, _)| bytes.starts_with(sign))
        .map(|&(_, wide)| wide)
}

/// The file's characters, each with the byte range it takes, after the BOM; `None` when the
/// bytes are not valid in that encoding (an odd length, a lone surrogate).
pub fn decode(bytes: &[u8], wide: Wide) -> Option<Vec<(char, Range<usize>)>> {
    let unit = wide.unit();
    let mut at = wide.bom_len(bytes);
    let mut chars = Vec::with_capacity((bytes.len() - at) / unit);
    while at < bytes.len() {
        let first = wide.unit_at(bytes, at)?;
        let (value, len) = match (wide, first) {
            (Wide::Utf16Le | Wide::Utf16Be, 0xD800..=0xDBFF) => {
                let second = wide.unit_at(bytes, at + 2)?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return None;
                }
                (0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00), 4)
            }
            _ => (first, unit),
        };
        chars.push((char::from_u32(value)?, at..at + len));
        at += len;
    }
    Some(chars)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_and_decodes() {
        let le = b"\xFF\xFE<\0?\0p\0h\0p\0\n\0\x3d\xd8\x00\xde";
        assert_eq!(wide_encoding(le), Some(Wide::Utf16Le));
        let text: String = decode(le, Wide::Utf16Le)
            .unwrap()
            .into_iter()
            .map(|(c, _)| c)
            .collect();
        assert_eq!(text, "<?php\n\u{1F600}");
        assert_eq!(wide_encoding(b"\0\0\0<\0\0\0?"), Some(Wide::Utf32Be));
        assert_eq!(wide_encoding(b"<?php"), None);
        assert_eq!(decode(b"\xFF\xFE<", Wide::Utf16Le), None);
    }
}
