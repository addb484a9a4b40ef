//! PFM006: what makes postconf and every Postfix program stop (a line without `=` or without
//! a name, a bad `$`), or drop a line (one that starts with white space).

use crate::formats::postfix_conf::main_cf::Syntax;
use crate::formats::postfix_conf::MainCf;
use crate::rules::Reporter;

main_rule! {
    code: "PFM006",
    name: "syntax",
    prefilter: &[],
    run: run,
}

fn run(main: &MainCf, cx: &mut Reporter) {
    let path = super::shown(main);
    for &(logical, problem) in &main.syntax {
        let line = &main.lines[logical];
        let text = line.string();
        let (message, note) = match problem {
            Syntax::Indented => (
                "logical line must not start with whitespace: Postfix ignores this line".to_string(),
                format!("postconf: warning: {path}: logical line must not start with whitespace: \"{}\"", line.quoted_start()),
            ),
            Syntax::MissingEquals => (
                "missing '=' after attribute name: Postfix stops reading main.cf here and no Postfix program starts".to_string(),
                format!("postconf: fatal: {path}, line {}: missing '=' after attribute name: \"{text}\"", line.line),
            ),
            Syntax::MissingName => (
                "missing attribute name: Postfix stops reading main.cf here and no Postfix program starts".to_string(),
                format!("postconf: fatal: {path}, line {}: missing attribute name: \"{text}\"", line.line),
            ),
        };
        let d = cx.report(line.span.clone(), message);
        d.note(note);
    }
    for &i in main.effective() {
        let entry = &main.entries[i];
        let Some(error) = main.macro_error(i) else {
            continue;
        };
        let at = entry.value.start + error.at();
        let end = (at + 2).min(entry.value.end).max(at + 1);
        // The `$` and what follows it, that character whole (`$é`).
        let span = main.span(entry, &(at..end));
        let text = main.source.text();
        let mut span_end = span.end;
        while span_end < text.len() && !text.is_char_boundary(span_end) {
            span_end += 1;
        }
        let d = cx.report(
            span.start..span_end,
            format!("{}: every Postfix program stops with \"macro processing error\" (write `$$` for a literal `$`)", error.words()),
        );
        d.note(format!(
            "postconf: warning: {}: \"{}\"",
            error.words(),
            main.value(entry)
        ));
    }
}
