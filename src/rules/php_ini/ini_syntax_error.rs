//! INI007: a syntax error, as PHP reports it. PHP keeps what it read before the error and sets
//! nothing after it.

use crate::formats::php_ini::PhpIniFile;
use crate::rules::Reporter;

php_ini_rule! {
    code: "INI007",
    name: "ini-syntax-error",
    prefilter: &[],
    run: run,
}

fn run(file: &PhpIniFile, cx: &mut Reporter) {
    let Some(error) = &file.parsed.error else {
        return;
    };
    let bytes = file.bytes();
    // PHP names the line its counter is on (for an unexpected END_OF_LINE, the next one):
    // point there when the file has that line, else at the token.
    let starts = file.source.line_starts();
    let on_named_line = |span: &std::ops::Range<usize>| file.line(span.start) == error.line;
    let span = if on_named_line(&error.span) || error.line > starts.len() {
        error.span.clone()
    } else {
        let range = file.source.line_range(error.line - 1);
        let mut start = range.start;
        let mut end = range.end;
        while start < end && matches!(bytes[start], b' ' | b'\t') {
            start += 1;
        }
        while end > start && matches!(bytes[end - 1], b' ' | b'\t' | b'\r' | b'\n') {
            end -= 1;
        }
        start..end
    };
    let dropped = file.parsed.entries.iter().find(|e| e.dropped);
    let message = match dropped {
        Some(_) => format!(
            "{}: PHP stops reading the file here and sets nothing after it",
            error.message
        ),
        None => format!("{}: PHP stops reading the file here", error.message),
    };
    let diagnostic = cx.report(span.clone(), message);
    if span != error.span && !error.span.is_empty() {
        diagnostic.label(error.span.clone(), "PHP's parser stops at this token");
    }
    if let Some(entry) = dropped {
        diagnostic.label(
            entry.key.clone(),
            "the first setting PHP drops (and every one after it)",
        );
    }
    diagnostic.note(format!(
        "PHP says: PHP:  {} in {} on line {}",
        error.message,
        file.path().display(),
        error.line
    ));
}
