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

fn describe_whitespace(bytes: &[u8]) -> String {
    let newlines = bytes.iter().filter(|b| **b == b'\n').count() + count_lone_cr(bytes);
    let others = bytes.iter().filter(|b| !matches!(b, b'\n' | b'\r')).count();
    match (newlines, others) {
        (1, 0) => "a newline".into(),
        (n, 0) => format!("{n} newlines"),
        (0, 1) => "a space".into(),
        (0, _) => "whitespace".into(),
        _ => "whitespace and a line break".into(),
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
