//! PFM003: `$name` that nothing defines: Postfix expands it to nothing.

use crate::formats::postfix_conf::MainCf;
use crate::rules::Reporter;

main_rule! {
    code: "PFM003",
    name: "undefined-parameter",
    prefilter: &[&["$"]],
    uses_workspace: true,
    run: run,
}

fn run(main: &MainCf, cx: &mut Reporter) {
    let names = super::names(main, cx);
    let path = super::shown(main);
    for &i in main.effective() {
        let entry = &main.entries[i];
        let value = main.value_bytes(entry);
        for r in &main.scans()[i].refs {
            let name = String::from_utf8_lossy(&value[r.name.clone()]);
            if names.is_defined(&name) {
                continue;
            }
            let at = entry.value.start;
            let span = main.span(entry, &(r.span.start + at..r.span.end + at));
            let d = cx.report(
                span,
                format!("undefined parameter: `${name}` expands to nothing: no parameter `{name}` is set"),
            );
            d.note(format!(
                "postconf: warning: {path}: undefined parameter: {name}"
            ));
        }
    }
}
