//! PFM002: a parameter set again further down: Postfix keeps the later value.

use crate::fix::{Edit, Fix};
use crate::formats::postfix_conf::{FastMap, MainCf};
use crate::rules::Reporter;

main_rule! {
    code: "PFM002",
    name: "duplicate-parameter",
    prefilter: &[],
    run: run,
}

fn run(main: &MainCf, cx: &mut Reporter) {
    // Every name once: nothing overrides anything (the names were hashed once already).
    if main.effective().len() == main.entries.len() {
        return;
    }
    let path = super::shown(main);
    let mut earlier: FastMap<&[u8], usize> = FastMap::default();
    for (i, entry) in main.entries.iter().enumerate() {
        let Some(before) = earlier.insert(main.name_bytes(entry), i) else {
            continue;
        };
        let name = main.name(entry);
        let first = &main.entries[before];
        let old = main.value(first);
        let line = main.line(entry).line;
        let first_line = main.line(first).line;
        let d = cx.report(
            super::name_span(main, entry),
            format!(
                "overriding earlier entry: {name}={old}: the value on line {first_line} is ignored"
            ),
        );
        d.label(super::name_span(main, first), "ignored: overridden below");
        d.note(format!(
            "postconf: warning: {path}, line {line}: overriding earlier entry: {name}={old}"
        ));
        d.fix(Fix::unsafe_(
            format!("remove the ignored line {first_line}"),
            vec![Edit::delete(super::whole_line(main, first))],
        ));
    }
}
