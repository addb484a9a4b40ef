//! WGT008: a command set again further down, so that the earlier line does nothing.

use crate::fix::{Edit, Fix};
use crate::formats::wgetrc::commands::{self, CommandSpec, Kind};
use crate::formats::wgetrc::values::Verdict;
use crate::formats::wgetrc::{Command, Line, WgetrcFile};
use crate::rules::Reporter;

wgetrc_rule! {
    code: "WGT008",
    name: "duplicate-command",
    prefilter: &[],
    run: run,
}

/// Whether a later line of this command replaces what an earlier one set. Lists add up;
/// `mirror`, `recursive` and `htmlify` set other settings only one way; `restrict_file_names`
/// starts from the earlier value; a second `crl_file` is an error of its own.
fn replaces(spec: &CommandSpec) -> bool {
    !spec.kind.accumulates()
        && spec.kind != Kind::FileOnce
        && spec.kind != Kind::RestrictFileNames
        && !matches!(spec.name, "mirror" | "recursive" | "htmlify")
}

fn run(file: &WgetrcFile, cx: &mut Reporter) {
    let lines: Vec<(&Line, &Command, Vec<&'static str>)> = file
        .known()
        .filter(|(_, _, spec, verdict)| {
            !matches!(verdict, Verdict::Invalid { .. }) && replaces(spec)
        })
        .map(|(line, command, spec, _)| (line, command, commands::settings(spec.name)))
        .collect();
    // Each overridden line with the last of the lines that override it.
    let mut overridden: Vec<(&Line, &Command, &Line, &Command)> = Vec::new();
    for (i, (line, command, settings)) in lines.iter().enumerate() {
        // The first later line that sets each of its settings.
        let later: Vec<&(&Line, &Command, Vec<&str>)> = settings
            .iter()
            .filter_map(|s| lines[i + 1..].iter().find(|(_, _, l)| l.contains(s)))
            .collect();
        if later.len() < settings.len() {
            continue;
        }
        if let Some((last_line, last, _)) = later.iter().max_by_key(|(l, _, _)| l.number) {
            overridden.push((line, command, last_line, last));
        }
    }
    // Lines next to each other go in one fix, on the first of them: separate fixes would touch
    // and take a round of the fix loop each.
    let mut i = 0;
    while i < overridden.len() {
        let mut end = i + 1;
        while end < overridden.len() && overridden[end].0.number == overridden[end - 1].0.number + 1
        {
            end += 1;
        }
        for (k, &(line, command, last_line, last)) in overridden[i..end].iter().enumerate() {
            let name = file.text(&command.name);
            let again = file.text(&last.name);
            let same = if name == again {
                String::new()
            } else {
                format!(" (as `{again}`)")
            };
            let diagnostic = cx.report(
                command.name.clone(),
                format!(
                    "`{name}` is set again on line {}{same}: wget keeps the later value, so this line does nothing",
                    last_line.number
                ),
            );
            diagnostic.label(last.name.clone(), "this line wins");
            if k == 0 {
                let block =
                    line.span.start..super::whole_line(file, &overridden[end - 1].0.span).end;
                let title = if end - i == 1 {
                    "remove the line that has no effect".to_string()
                } else {
                    format!("remove the {} lines that have no effect", end - i)
                };
                diagnostic.fix(Fix::safe(title, vec![Edit::delete(block)]));
            }
        }
        i = end;
    }
}
