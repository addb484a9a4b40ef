//! PHP007: a UTF-16 or UTF-32 source, which PHP prints as it is instead of running it.

use crate::fix::{Edit, Fix};
use crate::formats::php::encoding::{decode, wide_encoding, Wide};
use crate::formats::php::PhpFile;
use crate::rules::Reporter;

php_rule! {
    code: "PHP007",
    name: "non-utf8-source",
    prefilter: &[],
    run: run,
}

fn run(file: &PhpFile, cx: &mut Reporter) {
    let bytes = file.bytes();
    let Some(wide) = wide_encoding(bytes) else {
        return;
    };
    let bom = wide.bom_len(bytes);
    // The first characters, ending on a character boundary of the text view.
    let span = 0..file.source.floor_char_boundary(bom.max(bytes.len().min(8)));
    let diagnostic = cx.report(
        span,
        format!(
            "this file is {}: PHP reads bytes, finds no `<?php` in it and prints the whole file instead of running it",
            wide.name()
        ),
    );
    diagnostic.note(
        "PHP sources are read as bytes (`zend.multibyte` is off by default): save it as UTF-8 without BOM",
    );
    if let Some(edits) = reencode(bytes, wide) {
        diagnostic.fix(Fix::unsafe_(
            "re-encode the file as UTF-8 without BOM",
            edits,
        ));
    }
}

/// Edits that turn the file into UTF-8 without BOM. Each line feed keeps its own byte, because
/// the fix engine writes a `\n` in a replacement as the line ending found near it, which in a
/// wide encoding is no line ending at all.
fn reencode(bytes: &[u8], wide: Wide) -> Option<Vec<Edit>> {
    let chars = decode(bytes, wide)?;
    let mut edits = Vec::new();
    let mut run_start = 0;
    let mut text = String::new();
    for (character, range) in chars {
        if character != '\n' {
            text.push(character);
            continue;
        }
        let newline = range.start + memchr::memchr(b'\n', &bytes[range.clone()])?;
        edits.push(Edit::replace(run_start..newline, std::mem::take(&mut text)));
        // The zero bytes after the line feed go with the next run.
        run_start = newline + 1;
    }
    edits.push(Edit::replace(run_start..bytes.len(), text));
    Some(edits)
}
