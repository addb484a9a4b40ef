//! GRB002: `default N` beyond the last entry GRUB numbers.

use crate::formats::grub::{DefaultEntry, GrubFile};
use crate::rules::Reporter;

grub_rule! {
    code: "GRB002",
    name: "default-out-of-range",
    prefilter: &[&["default"]],
    uses_workspace: false,
    run: run,
}

fn run(file: &GrubFile, cx: &mut Reporter) {
    let menu = file.menu();
    let Some((line, DefaultEntry::Number(n))) = menu.default else {
        return;
    };
    let count = menu.entries.len();
    if count == 0 || n < count {
        return;
    }
    let selected = file.selected().unwrap_or(0);
    let instead = if file.fallbacks().first() == Some(&selected) {
        format!("the first fallback, entry {selected}")
    } else {
        "entry 0".to_string()
    };
    let line = &file.lines[line];
    let d = cx.report(
        line.args_span(),
        format!(
            "`default {n}` names no entry (GRUB numbers {count}, from 0): it silently boots {instead}, `{}`",
            file.title(&menu.entries[selected])
        ),
    );
    if !menu.dropped.is_empty() {
        d.note("titles without commands are dropped and take no number (GRB008)");
    }
}
