//! GRB007: a command GRUB does not know (wrong case, or left out of Debian's build), which it
//! drops without a word.

use crate::formats::grub::commands::near_miss;
use crate::formats::grub::GrubFile;
use crate::rules::Reporter;

grub_rule! {
    code: "GRB007",
    name: "dropped-command",
    prefilter: &[],
    uses_workspace: false,
    run: run,
}

fn run(file: &GrubFile, cx: &mut Reporter) {
    for line in file.lines.iter().filter(|l| l.spec.is_none()) {
        let name = line.name_text();
        let span = line.source_span(line.name.clone());
        let span = if span.is_empty() {
            line.span.clone()
        } else {
            span
        };
        let d = cx.report(
            span,
            format!("`{name}` is not a command of this GRUB: it drops the line without a word"),
        );
        match near_miss(&name) {
            Some(spec) if spec.known => {
                d.note(format!("commands are case-sensitive: `{}`", spec.name));
            }
            Some(spec) => {
                d.note(format!(
                    "Debian's grub-legacy is built without `{}` (network and graphics commands)",
                    spec.name
                ));
            }
            None => {}
        }
    }
}
