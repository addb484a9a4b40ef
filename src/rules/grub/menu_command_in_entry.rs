//! GRB009: a menu command inside an entry (Error 27 when it boots), or an entry command before
//! the first `title` (ignored).

use crate::diagnostic::Severity;
use crate::formats::grub::{GrubFile, Place};
use crate::rules::Reporter;

grub_rule! {
    code: "GRB009",
    name: "menu-command-in-entry",
    prefilter: &[],
    uses_workspace: false,
    run: run,
}

fn run(file: &GrubFile, cx: &mut Reporter) {
    let menu = file.menu();
    for (line, place) in file.lines.iter().zip(&menu.places) {
        let Some(spec) = line.spec else {
            continue;
        };
        let span = line.source_span(line.name.clone());
        match place {
            Place::Entry { title } if !spec.cmdline && spec.name != "title" => {
                cx.report(
                    span,
                    format!(
                        "`{}` is a menu command: inside `title {}` it fails with `Error 27: Unrecognized command` when the entry boots",
                        spec.name,
                        file.lines[*title].args_text()
                    ),
                )
                .note("move it above the first `title`");
            }
            Place::Menu if !spec.menu => {
                let d = cx.report(
                    span,
                    format!(
                        "`{}` before the first `title` is ignored: GRUB runs only menu commands there",
                        spec.name
                    ),
                );
                d.severity = Severity::Warning;
                d.note("put it inside the entry that needs it");
            }
            _ => {}
        }
    }
}
