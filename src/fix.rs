//! Fixes are byte edits on the original file. Applying them: sort by start, skip any that
//! overlaps or touches one already taken, and keep the file's line endings around each edit.

use std::ops::Range;

use crate::diagnostic::Diagnostic;

/// How far a fix can be trusted (ruff's model): `DisplayOnly < Unsafe < Safe`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// Shown as a suggestion, never applied.
    DisplayOnly,
    /// Probably right, but needs a human look: applied only with `--unsafe-fixes`.
    Unsafe,
    /// Cannot change what the program does beyond removing the defect.
    Safe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::DisplayOnly => "display-only",
            Self::Unsafe => "unsafe",
            Self::Safe => "safe",
        }
    }
}

/// Replace `span` of the original bytes by `replacement`. Newlines in `replacement` are
/// written as `\n`; they take the line ending the file uses around the edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Range<usize>,
    pub replacement: String,
}

impl Edit {
    pub fn replace(span: Range<usize>, replacement: impl Into<String>) -> Self {
        Self {
            span,
            replacement: replacement.into(),
        }
    }

    pub fn delete(span: Range<usize>) -> Self {
        Self {
            span,
            replacement: String::new(),
        }
    }

    pub fn insert(at: usize, text: impl Into<String>) -> Self {
        Self {
            span: at..at,
            replacement: text.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<Edit>,
    pub applicability: Applicability,
}

impl Fix {
    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self::new(title, edits, Applicability::Safe)
    }

    pub fn unsafe_(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self::new(title, edits, Applicability::Unsafe)
    }

    pub fn new(
        title: impl Into<String>,
        mut edits: Vec<Edit>,
        applicability: Applicability,
    ) -> Self {
        edits.sort_by_key(|edit| (edit.span.start, edit.span.end));
        Self {
            title: title.into(),
            edits,
            applicability,
        }
    }

    fn span(&self) -> Range<usize> {
        let start = self.edits.iter().map(|e| e.span.start).min().unwrap_or(0);
        let end = self.edits.iter().map(|e| e.span.end).max().unwrap_or(0);
        start..end
    }
}

/// Applies the fixes of `diagnostics` whose applicability is at least `minimum`, skipping
/// fixes that overlap or touch one already applied. Returns the new bytes and how many fixes
/// were applied.
pub fn apply_fixes(
    bytes: &[u8],
    diagnostics: &[Diagnostic],
    minimum: Applicability,
) -> (Vec<u8>, usize) {
    let mut fixes: Vec<&Fix> = diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .filter(|fix| {
            fix.applicability >= minimum && fix.applicability > Applicability::DisplayOnly
        })
        .filter(|fix| {
            fix.edits
                .iter()
                .all(|e| e.span.start <= e.span.end && e.span.end <= bytes.len())
        })
        .collect();
    fixes.sort_by_key(|fix| (fix.span().start, fix.span().end));

    let mut taken: Vec<&Edit> = Vec::new();
    let mut applied = 0;
    for fix in fixes {
        let clashes = fix
            .edits
            .iter()
            .any(|edit| taken.iter().any(|t| touches(&t.span, &edit.span)));
        let self_overlap = fix
            .edits
            .windows(2)
            .any(|w| w[0].span.end > w[1].span.start);
        if clashes || self_overlap {
            continue;
        }
        taken.extend(&fix.edits);
        applied += 1;
    }
    taken.sort_by_key(|edit| (edit.span.start, edit.span.end));

    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    for edit in taken {
        out.extend_from_slice(&bytes[at..edit.span.start]);
        let newline = newline_near(bytes, edit.span.start);
        for (i, line) in edit.replacement.split('\n').enumerate() {
            if i > 0 {
                out.extend_from_slice(newline);
            }
            out.extend_from_slice(line.as_bytes());
        }
        at = edit.span.end;
    }
    out.extend_from_slice(&bytes[at..]);
    (out, applied)
}

fn touches(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start <= b.end && b.start <= a.end
}

/// The line ending used at `offset`: that of the line it is on, else of the line before, else
/// `\n`.
pub fn newline_near(bytes: &[u8], offset: usize) -> &'static [u8] {
    let ending_at = |i: usize| -> &'static [u8] {
        match (bytes[i], bytes.get(i + 1)) {
            (b'\r', Some(b'\n')) => b"\r\n",
            (b'\r', _) => b"\r",
            _ => b"\n",
        }
    };
    if let Some(i) = memchr::memchr2(b'\n', b'\r', &bytes[offset.min(bytes.len())..]) {
        return ending_at(offset + i);
    }
    match memchr::memrchr2(b'\n', b'\r', &bytes[..offset.min(bytes.len())]) {
        Some(i) if bytes[i] == b'\n' && i > 0 && bytes[i - 1] == b'\r' => b"\r\n",
        Some(i) => ending_at(i),
        None => b"\n",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;

    fn with_fix(edits: Vec<Edit>, applicability: Applicability) -> Diagnostic {
        let mut d = Diagnostic::new("T001", "t", Severity::Error, 0..0, "m");
        d.fix(Fix::new("t", edits, applicability));
        d
    }

    #[test]
    fn applies_in_order_and_skips_touching() {
        let diags = vec![
            with_fix(vec![Edit::replace(4..5, "X")], Applicability::Safe),
            with_fix(vec![Edit::replace(0..1, "A")], Applicability::Safe),
            with_fix(vec![Edit::replace(5..6, "Y")], Applicability::Safe),
        ];
        let (out, n) = apply_fixes(b"abcdefg", &diags, Applicability::Safe);
        assert_eq!(out, b"AbcdXfg");
        assert_eq!(n, 2);
    }

    #[test]
    fn unsafe_fixes_need_asking() {
        let diags = vec![with_fix(vec![Edit::delete(0..1)], Applicability::Unsafe)];
        assert_eq!(apply_fixes(b"ab", &diags, Applicability::Safe).1, 0);
        assert_eq!(apply_fixes(b"ab", &diags, Applicability::Unsafe).0, b"b");
    }

    #[test]
    fn inserted_newlines_follow_the_file() {
        let diags = vec![with_fix(vec![Edit::insert(3, "x\n")], Applicability::Safe)];
        assert_eq!(
            apply_fixes(b"a\r\nb\r\n", &diags, Applicability::Safe).0,
            b"a\r\nx\r\nb\r\n"
        );
        assert_eq!(
            apply_fixes(b"a\nb\n", &diags[..], Applicability::Safe).0[..4],
            *b"a\nbx"
        );
    }

    #[test]
    fn newline_at_end_of_crlf_file() {
        let diags = vec![with_fix(vec![Edit::insert(4, "\n")], Applicability::Safe)];
        assert_eq!(
            apply_fixes(b"a\r\nb", &diags, Applicability::Safe).0,
            b"a\r\nb\r\n"
        );
    }
}
