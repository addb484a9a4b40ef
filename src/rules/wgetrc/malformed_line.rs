//! WGT003: a line that is not `command = value`, which makes wget refuse to run.

use crate::fix::{Edit, Fix};
use crate::formats::wgetrc::{LineKind, WgetrcFile};
use crate::rules::Reporter;

wgetrc_rule! {
    code: "WGT003",
    name: "malformed-line",
    prefilter: &[],
    run: run,
}

fn run(file: &WgetrcFile, cx: &mut Reporter) {
    for line in &file.lines {
        let LineKind::SyntaxError { name, at } = &line.kind else {
            continue;
        };
        if name.start == 0 && file.source.has_bom() {
            bom(cx);
            continue;
        }
        let end = line.nul_at.unwrap_or(line.span.end);
        let text = file.text(&(name.start..end)).trim_end();
        let span = name.start..name.start + text.len().max(char_len(file, name.start));
        let diagnostic = cx.report(
            span,
            format!("`{text}` is not `command = value`: wget stops with a syntax error"),
        );
        if *at < end {
            let expected = if name.is_empty() {
                "a command name (letters, digits, `_`, `-`) must start the line"
            } else {
                "wget expects `=` here"
            };
            diagnostic.label(*at..at + char_len(file, *at), expected);
        }
        diagnostic.note("a comment must be a line of its own starting with `#`");
    }
}

/// Editors that save "UTF-8 with BOM" put EF BB BF before the first line, which wget reads as
/// part of it.
fn bom(cx: &mut Reporter) {
    let bom = 0..crate::source::UTF8_BOM.len();
    cx.report(
        bom.clone(),
        "the file starts with a UTF-8 byte order mark, which wget reads as part of the first line: wget stops with a syntax error",
    )
    .note("editors do not show it (bytes EF BB BF); save the file as UTF-8 without BOM")
    .fix(Fix::safe("remove the byte order mark", vec![Edit::delete(bom)]));
}

/// The length of the character at `at` (the text view shows bytes that are not UTF-8 as `?`).
fn char_len(file: &WgetrcFile, at: usize) -> usize {
    file.source
        .text()
        .get(at..)
        .and_then(|rest| rest.chars().next())
        .map_or(0, char::len_utf8)
}
