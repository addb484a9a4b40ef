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
    for (i, (line, command, settings)) in lines.iter().enumerate() {
        // The first later line that sets each of its settings.
        let later: Vec<&(&Line, &Command, Vec<&str>)> = settings
            .iter()
            .filter_map(|s| lines[i + 1..].iter().find(|(_, _, l)| l.contains(s)))
            .collect();
        if later.len() < settings.len() {
            continue;
        }
        let Some((last_line, last, _)) = later.iter().max_by_key(|(l, _, _)| l.number) else {
            continue;
        };
        let name = file.text(&command.name);
        let again = file.text(&last.name);
        let same = if name == again {
            String::new()
        } else {
            format!(" (as `{again}`)")
        };
        cx.report(
            command.name.clone(),
            format!(
                "`{name}` is set again on line {}{same}: wget keeps the later value, so this line does nothing",
                last_line.number
            ),
        )
        .label(last.name.clone(), "this line wins")
        .fix(Fix::safe(
            "remove the line that has no effect",
            vec![Edit::delete(super::whole_line(file, &line.span))],
        ));
    }
}
