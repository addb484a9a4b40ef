//! PFC001: a master.cf line postconf and master(8) reject: a bad field count or field value
//! (master stops), a line that starts with white space or a `{` without `}` (warnings).

use crate::diagnostic::Severity;
use crate::formats::postfix_conf::master_cf::FieldError;
use crate::formats::postfix_conf::MasterCf;
use crate::rules::Reporter;

master_rule! {
    code: "PFC001",
    name: "master-field",
    prefilter: &[],
    run: run,
}

fn run(master: &MasterCf, cx: &mut Reporter) {
    let path = master.source.path().display().to_string();
    for line in master.lines.iter().filter(|l| l.indented) {
        let d = cx.report(
            line.span.clone(),
            "logical line must not start with whitespace: Postfix ignores this line",
        );
        d.note(format!(
            "postconf: warning: {path}: logical line must not start with whitespace: \"{}\"",
            line.quoted_start()
        ));
    }
    for entry in &master.entries {
        let line = master.line(entry);
        for error in &entry.errors {
            let words = error.words(entry, line, &path);
            let span = match error {
                FieldError::BadFieldCount => line.span.clone(),
                FieldError::Invalid { index, .. } => line.source_span(&entry.fields[*index].range),
            };
            let what = match error {
                FieldError::BadFieldCount => format!(
                    "bad field count: {} fields, a service needs 8 (service type private unpriv chroot wakeup maxproc command)",
                    entry.fields.len()
                ),
                FieldError::Invalid { field, index } => format!(
                    "invalid {field} field \"{}\": {}",
                    String::from_utf8_lossy(&line.text[entry.fields[*index].range.clone()]),
                    match *field {
                        "type" => "one of inet, unix, unix-dgram, fifo, pass",
                        "wakeup" => "a number of seconds, optionally with `?`, or `-`",
                        "process_limit" => "a number or `-`",
                        _ => "`y`, `n` or `-`",
                    }
                ),
            };
            let d = cx.report(span, format!("{what}: master(8) refuses to start"));
            d.note(format!("postconf: fatal: {words}"));
        }
        for o in &entry.overrides {
            let Some(brace) = &o.missing_brace else {
                continue;
            };
            let text = String::from_utf8_lossy(&line.text[brace.clone()]).into_owned();
            let d = cx.report(
                line.source_span(brace),
                format!("missing '}}' in \"{text}\": the override runs to the end of the line"),
            );
            d.severity = Severity::Warning;
            d.note(format!(
                "postconf: warning: master.cf: missing '}}' in \"{text}\""
            ));
        }
    }
}
