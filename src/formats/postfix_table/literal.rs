//! Patterns that are literal text with optional anchors (`^user@example\.com$`), read as a
//! sequence of atoms: what the merge fix factors, and what the literal-table and dot rules
//! look at. Anything else (classes, groups, repetition, `\w`…) is not literal.

/// One unit of a literal pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Atom {
    /// `^` at the start.
    Start,
    /// `$` at the end.
    End,
    /// A byte that matches itself.
    Char(u8),
    /// `\` and ASCII punctuation: the punctuation itself.
    Escaped(u8),
    /// An unescaped `.` (any character): literal-looking, but not literal.
    AnyChar,
}

impl Atom {
    /// The byte it matches, if it matches exactly one.
    pub fn literal(self) -> Option<u8> {
        match self {
            Atom::Char(b) | Atom::Escaped(b) => Some(b),
            _ => None,
        }
    }
}

/// Bytes with a special meaning outside brackets in ERE and PCRE (without `x`).
fn is_meta(b: u8) -> bool {
    matches!(
        b,
        b'.' | b'['
            | b']'
            | b'('
            | b')'
            | b'*'
            | b'+'
            | b'?'
            | b'{'
            | b'}'
            | b'|'
            | b'^'
            | b'$'
            | b'\\'
    )
}

/// The atoms of a pattern body made of literal bytes, escaped punctuation and unescaped dots,
/// with `^` only first and `$` only last. `None` for anything else.
pub fn atoms(body: &[u8]) -> Option<Vec<Atom>> {
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        let b = body[i];
        match b {
            b'^' if i == 0 => out.push(Atom::Start),
            b'$' if i + 1 == body.len() => out.push(Atom::End),
            b'.' => out.push(Atom::AnyChar),
            b'\\' => {
                let next = *body.get(i + 1)?;
                if !next.is_ascii_punctuation() {
                    return None;
                }
                out.push(Atom::Escaped(next));
                i += 1;
            }
            _ if is_meta(b) => return None,
            _ if b < 0x20 || b == 0x7f => return None,
            _ => out.push(Atom::Char(b)),
        }
        i += 1;
    }
    Some(out)
}

/// Whether every atom matches exactly one byte (no unescaped dot).
pub fn is_exact(atoms: &[Atom]) -> bool {
    !atoms.contains(&Atom::AnyChar)
}

/// Writes atoms back as a pattern for the delimiter `delimiter`.
pub fn render(atoms: &[Atom], delimiter: u8, out: &mut Vec<u8>) {
    for &atom in atoms {
        match atom {
            Atom::Start => out.push(b'^'),
            Atom::End => out.push(b'$'),
            Atom::AnyChar => out.push(b'.'),
            Atom::Escaped(b) => out.extend_from_slice(&[b'\\', b]),
            Atom::Char(b) if b == delimiter || b == b'\\' => out.extend_from_slice(&[b'\\', b]),
            Atom::Char(b) => out.push(b),
        }
    }
}

/// The text a fully literal, anchored pattern matches: `^user@example\.com$` →
/// `user@example.com`.
pub fn anchored_text(atoms: &[Atom]) -> Option<Vec<u8>> {
    let inner = atoms
        .strip_prefix(&[Atom::Start])?
        .strip_suffix(&[Atom::End])?;
    inner.iter().map(|a| a.literal()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_literal_patterns() {
        let a = atoms(br"^user@example\.com$").unwrap();
        assert_eq!(a.first(), Some(&Atom::Start));
        assert_eq!(anchored_text(&a).unwrap(), b"user@example.com");
        assert!(atoms(br"^a(b|c)$").is_none());
        assert!(atoms(br"\w+").is_none());
        assert!(!is_exact(&atoms(b"a.b").unwrap()));
        let mut out = Vec::new();
        render(&atoms(br"a\/b").unwrap(), b'/', &mut out);
        assert_eq!(out, br"a\/b");
    }
}
