//! PFM005: `value # note`: Postfix 3.7 makes ` # note` part of the value; 3.8 and later warn
//! "#comment after other text is not allowed".

use crate::config::Version;
use crate::diagnostic::Severity;
use crate::fix::{newline_near, Edit, Fix};
use crate::formats::postfix_conf::expand::scan;
use crate::formats::postfix_conf::{is_space, MainCf};
use crate::rules::Reporter;

main_rule! {
    code: "PFM005",
    name: "trailing-comment",
    prefilter: &[&["#"]],
    run: run,
}

fn run(main: &MainCf, cx: &mut Reporter) {
    let newer = cx.target("postfix") >= Version::new(3, 8);
    let bytes = main.source.bytes();
    for entry in &main.entries {
        let value = main.value_bytes(entry);
        let Some(at) =
            (0..value.len()).find(|&i| value[i] == b'#' && (i == 0 || is_space(value[i - 1])))
        else {
            continue;
        };
        let name = main.name(entry);
        let start = entry.value.start + at;
        let span = main.span(entry, &(start..entry.value.end));
        // The comment up to the end of its physical line.
        let line_end =
            memchr::memchr(b'\n', &bytes[span.start..]).map_or(bytes.len(), |i| span.start + i);
        let mut comment_end = line_end.min(span.end.max(span.start));
        if comment_end > span.start && bytes[comment_end - 1] == b'\r' {
            comment_end -= 1;
        }
        let comment = String::from_utf8_lossy(&bytes[span.start..comment_end])
            .trim_end()
            .to_string();
        let mut from = span.start;
        while from > 0 && matches!(bytes[from - 1], b' ' | b'\t') {
            from -= 1;
        }
        let d = cx.report(
            span.start..comment_end,
            format!("`{comment}` is part of the value of {name}: Postfix reads only `#` at the start of a line as a comment"),
        );
        if newer {
            d.severity = Severity::Error;
            d.note("Postfix 3.8 and later: \"#comment after other text is not allowed\"");
        }
        let line_start = main.line(entry).span.start;
        // The inserted line ends as the line it goes above does; a lone CR there (which
        // Postfix does not end a line at) would join the comment and the entry.
        if !newline_near(bytes, line_start).ends_with(b"\n") {
            continue;
        }
        // Where the comment closes a `${…}` the value opens, the value without it is a syntax
        // error: no fix then.
        if scan(&value[..at]).error.is_some() {
            continue;
        }
        d.fix(Fix::unsafe_(
            "move the comment to its own line above",
            vec![
                Edit::insert(line_start, format!("{comment}\n")),
                Edit::delete(from..comment_end),
            ],
        ));
    }
}
