//! GRB003: a `fallback` number beyond the last entry, which GRUB drops.

use crate::formats::grub::GrubFile;
use crate::rules::Reporter;

grub_rule! {
    code: "GRB003",
    name: "fallback-out-of-range",
    prefilter: &[&["fallback"]],
    uses_workspace: false,
    run: run,
}

fn run(file: &GrubFile, cx: &mut Reporter) {
    let menu = file.menu();
    let Some((index, list)) = &menu.fallback else {
        return;
    };
    let count = menu.entries.len();
    if count == 0 {
        return;
    }
    let line = &file.lines[*index];
    let seen = line.seen();
    for n in list.iter().filter(|&&n| n >= count) {
        let span = line
            .words()
            .into_iter()
            .find(|w| {
                crate::formats::grub::parse_number(&seen[w.clone()]).map(|(v, _)| v) == Some(*n)
            })
            .map_or_else(|| line.args_span(), |w| line.source_span(w));
        cx.report(
            span,
            format!("fallback entry {n} does not exist (GRUB numbers {count}, from 0): GRUB drops it, and a failing boot has no fallback there"),
        );
    }
}
