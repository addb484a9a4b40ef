//! Shared by the two rules about stray output around a code file's tags: what the stray bytes
//! are, and which files of the run include this one and send headers or a download after it.

use std::path::PathBuf;

use crate::diagnostic::{Diagnostic, Label};
use crate::formats::php::includes::OutputKind;
use crate::formats::php::invisible::{invisible_at, invisibles};
use crate::formats::php::PhpFacts;
use crate::rules::Reporter;

/// "a newline", "2 newlines", "a space and a newline", "a UTF-8 BOM", "a no-break space
/// (U+00A0)"…
pub fn describe(bytes: &[u8]) -> String {
    let (bom, rest) = match bytes.strip_prefix(crate::source::UTF8_BOM) {
        Some(rest) => (true, rest),
        None => (false, bytes),
    };
    let invisibles = invisibles(rest);
    let ascii: Vec<u8> = if invisibles.is_empty() {
        rest.to_vec()
    } else {
        let mut ascii = Vec::new();
        let mut at = 0;
        while at < rest.len() {
            match invisible_at(rest, at) {
                Some(invisible) => at += invisible.len,
                None => {
                    ascii.push(rest[at]);
                    at += 1;
                }
            }
        }
        ascii
    };
    let mut parts: Vec<String> = Vec::new();
    if bom {
        parts.push("a UTF-8 BOM".into());
    }
    parts.extend(invisibles.iter().map(|i| match i.character {
        '\u{FEFF}' if bom => "a second BOM (U+FEFF)".into(),
        _ => i.describe(),
    }));
    if !ascii.is_empty() {
        parts.push(if parts.is_empty() {
            describe_whitespace(&ascii)
        } else {
            "whitespace".into()
        });
    }
    match parts.as_slice() {
        [] => "nothing".into(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Each kind of ASCII whitespace by name and count: "a space", "2 tabs and a newline".
fn describe_whitespace(bytes: &[u8]) -> String {
    let count = |byte: u8| bytes.iter().filter(|b| **b == byte).count();
    let kinds = [
        (count(b' '), "a space", "spaces"),
        (count(b'\t'), "a tab", "tabs"),
        (count(0x0c), "a form feed", "form feeds"),
        (count(0x0b), "a vertical tab", "vertical tabs"),
        (count(b'\n') + count_lone_cr(bytes), "a newline", "newlines"),
    ];
    let parts: Vec<String> = kinds
        .iter()
        .filter(|(n, ..)| *n > 0)
        .map(|&(n, one, many)| match n {
            1 => one.to_string(),
            _ => format!("{n} {many}"),
        })
        .collect();
    match parts.as_slice() {
        [] => "whitespace".into(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The verb for what `describe` gave: "a newline is sent", "2 newlines are sent".
pub fn is_or_are(what: &str) -> &'static str {
    let counted = what
        .split_whitespace()
        .next()
        .and_then(|n| n.parse::<usize>().ok())
        .is_some_and(|n| n > 1);
    if counted || what.contains(" and ") {
        "are"
    } else {
        "is"
    }
}

fn count_lone_cr(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .enumerate()
        .filter(|(i, b)| **b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
        .count()
}

/// The files of the run that include this one and send headers or a download: a label at each
/// include and call, and what the stray bytes break there.
pub struct Includers {
    labels: Vec<Label>,
    effect: Option<String>,
}

impl Includers {
    pub fn of(cx: &Reporter) -> Self {
        let workspace = cx.workspace();
        let mut labels = Vec::new();
        let mut breaks_headers = false;
        let mut corrupts_download = false;
        let mut names: Vec<String> = Vec::new();
        for (entry, reference) in workspace.referrers(cx.file()) {
            let Some(summary) = entry.facts.data::<PhpFacts>() else {
                continue;
            };
            let Some(call) = summary.output_calls.first() else {
                continue;
            };
            let path = Some(entry.path.clone());
            labels.push(label(&path, reference.span.clone(), "included here".into()));
            for call in summary
                .output_calls
                .iter()
                .filter(|c| c.kind != call.kind)
                .take(1)
                .chain([call])
            {
                let effect = match call.kind {
                    OutputKind::Headers => "fails: headers already sent",
                    OutputKind::Download => "sends a download the stray bytes precede",
                };
                labels.push(label(
                    &path,
                    call.span.clone(),
                    format!("{}() {effect}", call.function),
                ));
            }
            let sends = |kind| summary.output_calls.iter().any(|c| c.kind == kind);
            breaks_headers |= sends(OutputKind::Headers);
            corrupts_download |= sends(OutputKind::Download);
            names.push(format!("`{}`", entry.path.display()));
        }
        names.dedup();
        let effect = match (breaks_headers, corrupts_download) {
            (true, true) => Some("breaks the headers and corrupts the download"),
            (true, false) => Some("breaks the headers"),
            (false, true) => Some("corrupts the download"),
            (false, false) => None,
        };
        let whose = match names.len() {
            1 => names[0].clone(),
            n => format!("{n} files"),
        };
        Self {
            labels,
            effect: effect.map(|e| format!("this {e} of {whose}, which includes it")),
        }
    }

    /// The finding's message, with what it breaks in the including files.
    pub fn message(&self, what: String) -> String {
        match &self.effect {
            Some(effect) => format!("{what}: {effect}"),
            None => what,
        }
    }

    /// Adds the labels in the including files, after the finding's own.
    pub fn label(self, diagnostic: &mut Diagnostic) {
        diagnostic.labels.extend(self.labels);
    }
}

fn label(path: &Option<PathBuf>, span: std::ops::Range<usize>, message: String) -> Label {
    Label {
        path: path.clone(),
        span,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_is_named_and_counted() {
        assert_eq!(describe(b"\n"), "a newline");
        assert_eq!(describe(b"\n\n"), "2 newlines");
        assert_eq!(describe(b"\t"), "a tab");
        assert_eq!(describe(b"\x0c"), "a form feed");
        assert_eq!(describe(b"  \t\r\n"), "2 spaces, a tab and a newline");
        assert_eq!(is_or_are("a newline"), "is");
        assert_eq!(is_or_are("2 newlines"), "are");
        assert_eq!(is_or_are("a tab and a newline"), "are");
        assert_eq!(is_or_are("a no-break space (U+00A0)"), "is");
    }
}
