//! GRB008: a `title` with no commands, which GRUB drops, shifting every later number.

use crate::formats::grub::GrubFile;
use crate::rules::Reporter;

grub_rule! {
    code: "GRB008",
    name: "empty-entry",
    prefilter: &[&["title"]],
    uses_workspace: false,
    run: run,
}

fn run(file: &GrubFile, cx: &mut Reporter) {
    let menu = file.menu();
    for &(title, next) in &menu.dropped {
        let line = &file.lines[title];
        let later = menu.entries.len() - next;
        let message = if later == 0 {
            format!(
                "`title {}` has no commands: GRUB drops it from the menu",
                line.args_text()
            )
        } else if later == 1 {
            format!(
                "`title {}` has no commands: GRUB drops it, and the entry after it is number {next}, not {}, in what `default` and `fallback` count",
                line.args_text(),
                next + 1
            )
        } else {
            format!(
                "`title {}` has no commands: GRUB drops it, and the {later} entries after it are numbered from {next}, not {}, in what `default` and `fallback` count",
                line.args_text(),
                next + 1
            )
        };
        cx.report(line.span.clone(), message);
    }
}
