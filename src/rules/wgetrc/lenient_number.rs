//! WGT004: a number wget reads with `strtol` and no end check: `tries = 3x` is 3, and
//! `tries = abc` or `tries == 3` is 0, which means "retry forever".

use crate::fix::{Edit, Fix};
use crate::formats::wgetrc::values::{is_space, Verdict};
use crate::formats::wgetrc::WgetrcFile;
use crate::rules::Reporter;

wgetrc_rule! {
    code: "WGT004",
    name: "lenient-number",
    prefilter: &[],
    run: run,
}

fn run(file: &WgetrcFile, cx: &mut Reporter) {
    for (line, command, spec, verdict) in file.known() {
        let &Verdict::Lenient { read_as, digits } = verdict else {
            continue;
        };
        let name = file.text(&command.name);
        let value = file.text(&command.value);
        let zero = match spec.name {
            "tries" | "numtries" | "reclevel" => ", which means no limit",
            "maxredirect" => ", which means no redirection is followed",
            "backups" => ", which means no backups",
            _ => "",
        };
        let read = if read_as == 0 {
            format!("0{zero}")
        } else {
            read_as.to_string()
        };
        let (span, message) = if command.value.is_empty() {
            (
                command.name.clone(),
                format!("`{name}` has no value: wget reads it as {read}"),
            )
        } else {
            (
                command.value.clone(),
                format!(
                    "`{name} = {value}` is read as {read}: wget takes the number at the start of the value and ignores the rest"
                ),
            )
        };
        let diagnostic = cx.report(span, message);
        diagnostic.note("wget accepts it silently; write the number alone");
        // The number wget reads, as written (sign and leading zeros kept).
        let bytes = &file.bytes()[command.value.clone()];
        let sign = usize::from(matches!(bytes.first(), Some(b'+' | b'-')));
        let number_len = sign
            + bytes[sign..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
        let number = if digits {
            file.text(&(command.value.start..command.value.start + number_len))
                .to_string()
        } else {
            "0".to_string()
        };
        let rest = value[number_len.min(value.len())..]
            .trim_start_matches(|c: char| c.is_ascii() && is_space(c as u8));
        let mut edits = vec![Edit::replace(command.value.clone(), number.clone())];
        if digits && rest.starts_with('#') && super::can_add_line(file, line.span.start) {
            // `3 # retries`: keep the comment, on its own line before.
            let indent = &file.text(&(line.span.start..command.name.start));
            // `\n` in a fix is written as the file's own line ending.
            edits.insert(
                0,
                Edit::insert(line.span.start, format!("{indent}{rest}\n")),
            );
        }
        let title = format!("write `{number}`, the number wget reads");
        // A lone `\r` does not end a line for wget, but whoever wrote one meant a new line.
        diagnostic.fix(if digits && !rest.contains('\r') {
            Fix::safe(title, edits)
        } else {
            Fix::unsafe_(title, edits)
        });
    }
}
