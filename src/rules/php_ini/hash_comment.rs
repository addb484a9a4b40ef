//! INI006: `#` is not a comment since PHP 7. A line starting with `#` is read as a key (or a
//! key without a value, or a syntax error), and ` # …` after a value is part of the value.

use crate::config::Version;
use crate::fix::{Edit, Fix};
use crate::formats::php_ini::PhpIniFile;
use crate::rules::Reporter;

php_ini_rule! {
    code: "INI006",
    name: "hash-comment",
    prefilter: &[&["#"]],
    run: run,
}

fn run(file: &PhpIniFile, cx: &mut Reporter) {
    if cx.target("php") < Version::new(7, 0) {
        return;
    }
    let bytes = file.bytes();
    // Multi-line values hold lines that are not lines of the file for PHP.
    // Entries are in file order, their values too.
    let entries = &file.parsed.entries;
    let inside_value = |at: usize| {
        let i = entries.partition_point(|e| e.raw.start < at);
        i > 0 && at < entries[i - 1].raw.end
    };
    let entry_at = |at: usize| {
        let i = entries.partition_point(|e| e.key.start < at);
        entries.get(i).filter(|e| e.key.start == at)
    };
    let mut start = 0;
    while start < bytes.len() {
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
        let mut p = start;
        while p < end && matches!(bytes[p], b' ' | b'\t') {
            p += 1;
        }
        if p < end && bytes[p] == b'#' && !inside_value(p) {
            let what = match entry_at(p) {
                Some(e) => format!(
                    "PHP reads it as the setting `{}`",
                    String::from_utf8_lossy(&e.key_text)
                ),
                None if file
                    .parsed
                    .error
                    .as_ref()
                    .is_some_and(|e| file.line(e.span.start) == file.line(p)) =>
                {
                    "PHP reads it as a setting, and here as a syntax error".into()
                }
                None => "PHP reads it as a key without a value".into(),
            };
            cx.report(
                p..p + 1,
                format!("`#` does not start a comment since PHP 7: {what}"),
            )
            .fix(Fix::safe(
                "make it a `;` comment",
                vec![Edit::replace(p..p + 1, ";")],
            ));
        }
        start = end + 1;
    }
    for entry in file.applied() {
        let Some(at) = hash_after_blank(&bytes[entry.raw.clone()]) else {
            continue;
        };
        let at = entry.raw.start + at;
        // PHP's `;` comment needs a newline after it: at the very end of the file the rest of
        // the line would be read as more settings.
        let line_ends = memchr::memchr2(b'\n', b'\r', &bytes[entry.raw.end..]).is_some();
        let diagnostic = cx.report(
            at..entry.raw.end,
            format!(
                "`#` does not start a comment since PHP 7: the value of `{}` is `{}`",
                String::from_utf8_lossy(&entry.key_text),
                String::from_utf8_lossy(&entry.value)
            ),
        );
        if line_ends {
            diagnostic.fix(Fix::safe(
                "make it a `;` comment",
                vec![Edit::replace(at..at + 1, ";")],
            ));
        } else {
            diagnostic.note("end the line with a newline, then make `#` a `;`: PHP's `;` comment needs a newline after it");
        }
    }
}

/// Where a `#` after a blank stands in a raw value, outside quotes.
fn hash_after_blank(raw: &[u8]) -> Option<usize> {
    let mut quote: Option<u8> = None;
    for (i, &b) in raw.iter().enumerate() {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'#' && i > 0 && matches!(raw[i - 1], b' ' | b'\t') => return Some(i),
            None => {}
        }
    }
    None
}
