//! Characters that PHP outputs like any inline HTML but that editors do not show: ASCII
//! whitespace, and the Unicode characters of the same kind — Unicode's `White_Space` property
//! beyond ASCII, the zero-width characters and the byte order mark (U+FEFF).

/// The non-ASCII ones, with their Unicode names (lower case).
const INVISIBLE: &[(char, &str)] = &[
    ('\u{0085}', "next line"),
    ('\u{00A0}', "no-break space"),
    ('\u{1680}', "ogham space mark"),
    ('\u{180E}', "mongolian vowel separator"),
    ('\u{2000}', "en quad"),
    ('\u{2001}', "em quad"),
    ('\u{2002}', "en space"),
    ('\u{2003}', "em space"),
    ('\u{2004}', "three-per-em space"),
    ('\u{2005}', "four-per-em space"),
    ('\u{2006}', "six-per-em space"),
    ('\u{2007}', "figure space"),
    ('\u{2008}', "punctuation space"),
    ('\u{2009}', "thin space"),
    ('\u{200A}', "hair space"),
    ('\u{200B}', "zero width space"),
    ('\u{200C}', "zero width non-joiner"),
    ('\u{200D}', "zero width joiner"),
    ('\u{2028}', "line separator"),
    ('\u{2029}', "paragraph separator"),
    ('\u{202F}', "narrow no-break space"),
    ('\u{205F}', "medium mathematical space"),
    ('\u{2060}', "word joiner"),
    ('\u{3000}', "ideographic space"),
    ('\u{FEFF}', "byte order mark"),
];

/// One invisible non-ASCII character found in the bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Invisible {
    pub character: char,
    pub name: &'static str,
    /// Its length in UTF-8.
    pub len: usize,
}

impl Invisible {
    /// "a no-break space (U+00A0)".
    pub fn describe(self) -> String {
        format!("a {} (U+{:04X})", self.name, self.character as u32)
    }
}

/// The invisible non-ASCII character at `at`, if one starts there.
pub fn invisible_at(bytes: &[u8], at: usize) -> Option<Invisible> {
    let len = match *bytes.get(at)? {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => return None,
    };
    let character = std::str::from_utf8(bytes.get(at..at + len)?)
        .ok()?
        .chars()
        .next()?;
    INVISIBLE
        .iter()
        .find(|(c, _)| *c == character)
        .map(|&(character, name)| Invisible {
            character,
            name,
            len,
        })
}

/// Whether `bytes` is only ASCII whitespace and invisible characters: what PHP outputs and an
/// editor shows as blank.
pub fn is_blank(bytes: &[u8]) -> bool {
    let mut at = 0;
    while at < bytes.len() {
        if matches!(bytes[at], b' ' | b'\t' | b'\n' | b'\r' | b'\x0b' | b'\x0c') {
            at += 1;
        } else if let Some(invisible) = invisible_at(bytes, at) {
            at += invisible.len;
        } else {
            return false;
        }
    }
    true
}

/// The distinct invisible non-ASCII characters in `bytes`, in order of first appearance.
pub fn invisibles(bytes: &[u8]) -> Vec<Invisible> {
    let mut found: Vec<Invisible> = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        match invisible_at(bytes, at) {
            Some(invisible) => {
                if !found.contains(&invisible) {
                    found.push(invisible);
                }
                at += invisible.len;
            }
            None => at += 1,
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unicode_spaces_are_blank() {
        assert!(is_blank(b"\xc2\xa0 \n\xe2\x80\x8b\xef\xbb\xbf"));
        assert!(!is_blank(b"\xc2\xa9"));
        assert!(!is_blank(b"x"));
        assert_eq!(
            invisibles(b"\n\xc2\xa0\xc2\xa0")
                .first()
                .map(|i| i.describe()),
            Some("a no-break space (U+00A0)".into())
        );
    }

    #[test]
    fn truncated_sequence_is_not_blank() {
        assert!(!is_blank(b"\xe2\x80"));
    }
}
