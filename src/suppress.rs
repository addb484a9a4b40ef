//! Inline suppressions: `etclint: ignore[CODE,…] reason` in a comment on the line before a
//! finding, or `etclint: ignore-file[CODE,…] reason` anywhere for the whole file. Codes or
//! names. Each format says where its comments are.

use std::ops::Range;

use crate::diagnostic::Diagnostic;
use crate::rules::{self, Rule};
use crate::source::SourceFile;

/// The marker every directive starts with; files without it are not searched further.
pub const MARKER: &[u8] = b"etclint:";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// The whole comment holding the directive.
    pub comment: Range<usize>,
    /// The 0-based line the comment ends on: a line directive covers the line after it.
    pub line: usize,
    pub file_wide: bool,
    pub codes: Vec<Code>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    pub text: String,
    pub span: Range<usize>,
    /// `None` when no rule has this code or name.
    pub rule: Option<&'static Rule>,
    /// Whether it suppressed at least one finding.
    pub used: bool,
}

/// The directives in the given comments of `source`.
pub fn directives(
    source: &SourceFile,
    comments: impl IntoIterator<Item = Range<usize>>,
) -> Vec<Directive> {
    let text = source.text();
    let mut out = Vec::new();
    for comment in comments {
        let body = &text[comment.clone()];
        let Some(at) = body.find("etclint:") else {
            continue;
        };
        let after = comment.start + at + MARKER.len();
        let rest = text[after..comment.end].trim_start();
        let rest_start = comment.end - text[after..comment.end].trim_start().len();
        let (file_wide, open) = if rest.starts_with("ignore-file[") {
            (true, "ignore-file[".len())
        } else if rest.starts_with("ignore[") {
            (false, "ignore[".len())
        } else {
            continue;
        };
        let list_start = rest_start + open;
        let Some(close) = text[list_start..comment.end].find(']') else {
            continue;
        };
        let mut codes = Vec::new();
        let mut at = list_start;
        for part in text[list_start..list_start + close].split(',') {
            let trimmed = part.trim();
            let start = at + (part.len() - part.trim_start().len());
            if !trimmed.is_empty() {
                codes.push(Code {
                    text: trimmed.to_string(),
                    span: start..start + trimmed.len(),
                    rule: rules::by_code_or_name(trimmed),
                    used: false,
                });
            }
            at += part.len() + 1;
        }
        let line = source.line_index(comment.end.saturating_sub(1).max(comment.start));
        out.push(Directive {
            comment,
            line,
            file_wide,
            codes,
        });
    }
    out
}

/// Removes the diagnostics the directives suppress and marks the codes that did.
pub fn apply(source: &SourceFile, directives: &mut [Directive], diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.retain(|d| {
        let line = source.line_index(d.span.start);
        let mut suppressed = false;
        for directive in directives
            .iter_mut()
            .filter(|dir| dir.file_wide || dir.line + 1 == line)
        {
            for code in directive
                .codes
                .iter_mut()
                .filter(|c| c.rule.is_some_and(|r| r.code == d.code))
            {
                code.used = true;
                suppressed = true;
            }
        }
        !suppressed
    });
}

/// Whether `comment` is alone on its line(s), so that removing it should remove the line.
pub fn stands_alone(source: &SourceFile, comment: &Range<usize>) -> bool {
    let first = source.line_range(source.line_index(comment.start));
    let last =
        source.line_range(source.line_index(comment.end.saturating_sub(1).max(comment.start)));
    let text = source.text();
    text[first.start..comment.start].trim().is_empty()
        && text[comment.end.min(last.end)..last.end].trim().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_codes_names_and_file_wide() {
        let source = SourceFile::new("x.php", b"<?php\n// etclint: ignore[PHP001, removed-long-superglobal] legacy\n# etclint: ignore-file[PHP999]\n".to_vec());
        let found = directives(&source, [6..65, 66..96]);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].line, 1);
        assert!(!found[0].file_wide);
        let codes: Vec<_> = found[0]
            .codes
            .iter()
            .map(|c| (c.text.as_str(), c.rule.map(|r| r.code)))
            .collect();
        assert_eq!(
            codes,
            [
                ("PHP001", Some("PHP001")),
                ("removed-long-superglobal", Some("PHP004"))
            ]
        );
        assert_eq!(
            &source.text()[found[0].codes[1].span.clone()],
            "removed-long-superglobal"
        );
        assert!(found[1].file_wide);
        assert_eq!(found[1].codes[0].rule, None);
    }

    #[test]
    fn ignores_other_comments() {
        let source = SourceFile::new("x.php", b"<?php // etclint is great; ignore[x]\n".to_vec());
        assert!(directives(&source, std::iter::once(6..37)).is_empty());
    }
}
