//! Shared by the two rules about stray output around a code file's tags: what the stray bytes
//! are, and which linted files include this one and send headers or a download after it.

use std::path::Path;
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

use crate::diagnostic::{Diagnostic, Label};
use crate::formats::php::includes::{self, OutputKind, Summary, OUTPUT_FUNCTIONS};
use crate::formats::php::PhpFile;

/// The rules whose findings name the files that include the file.
pub const LINKED_RULES: &[&str] = &["PHP001", "PHP002"];

/// What `file` tells about the files it includes, when it sends headers or a download at all
/// (most files do not, and are not tokenized for it).
pub fn summary(file: &PhpFile, root: &Path) -> Option<Summary> {
    static OUTPUT_NAMES: OnceLock<AhoCorasick> = OnceLock::new();
    let names = OUTPUT_NAMES.get_or_init(|| {
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(OUTPUT_FUNCTIONS.iter().map(|(name, _)| name))
            .expect("plain literals")
    });
    let extra = file
        .settings
        .rule_option_strings("PHP001", "output-functions");
    if !names.is_match(file.bytes())
        && !extra
            .iter()
            .any(|f| contains_ignoring_case(file.bytes(), f.as_bytes()))
    {
        return None;
    }
    let summary = includes::summarize(file.source.path(), root, file.bytes(), file.scan(), &extra);
    (!summary.includes.is_empty() && !summary.output_calls.is_empty()).then_some(summary)
}

fn contains_ignoring_case(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty()
        && haystack
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
}

/// "a newline", "2 newlines", "a space and a newline", "a UTF-8 BOM"…
pub fn describe(bytes: &[u8]) -> String {
    if bytes.starts_with(crate::source::UTF8_BOM) {
        return if bytes.len() == 3 {
            "a UTF-8 BOM".into()
        } else {
            "a UTF-8 BOM and whitespace".into()
        };
    }
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

/// Adds to `diagnostic` a label at each include of this file by a linted file that sends
/// headers or a download, and says in the message what the stray bytes break there.
pub fn explain_includers(diagnostic: &mut Diagnostic, includers: &[(&Path, &Summary, usize)]) {
    let mut breaks_headers = false;
    let mut corrupts_download = false;
    for (path, summary, include_index) in includers {
        let Some(call) = summary.output_calls.first() else {
            continue;
        };
        let include = &summary.includes[*include_index];
        diagnostic.labels.push(Label {
            path: Some(path.to_path_buf()),
            span: include.span.clone(),
            message: "included here".into(),
        });
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
            diagnostic.labels.push(Label {
                path: Some(path.to_path_buf()),
                span: call.span.clone(),
                message: format!("{}() {effect}", call.function),
            });
        }
        breaks_headers |= summary
            .output_calls
            .iter()
            .any(|c| c.kind == OutputKind::Headers);
        corrupts_download |= summary
            .output_calls
            .iter()
            .any(|c| c.kind == OutputKind::Download);
    }
    let effect = match (breaks_headers, corrupts_download) {
        (true, true) => "breaks the headers and corrupts the download",
        (true, false) => "breaks the headers",
        (false, true) => "corrupts the download",
        (false, false) => return,
    };
    let mut names: Vec<String> = includers
        .iter()
        .filter(|(_, summary, _)| !summary.output_calls.is_empty())
        .map(|(path, _, _)| format!("`{}`", path.display()))
        .collect();
    names.dedup();
    let whose = match names.len() {
        1 => names[0].clone(),
        n => format!("{n} files"),
    };
    diagnostic.message = format!(
        "{}: this {effect} of {whose}, which includes it",
        diagnostic.message
    );
}
