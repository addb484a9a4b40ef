//! PFM003: `$name` that nothing defines: Postfix expands it to nothing. One finding per name
//! and parameter, at its first reference (postconf warns at every one).

use crate::formats::postfix_conf::{FastMap, MainCf};
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
        // Each undefined name with its first reference and how many there are (the map only
        // allocates once a name is undefined).
        let mut found: Vec<(&[u8], std::ops::Range<usize>, usize)> = Vec::new();
        let mut seen: FastMap<&[u8], usize> = FastMap::default();
        for (r, set_here) in main.refs(i).iter().zip(main.refs_set_here(i)) {
            // A name main.cf sets is defined: no look-up by name.
            if set_here {
                continue;
            }
            let name = &value[r.name.clone()];
            if let Some(&k) = seen.get(name) {
                found[k].2 += 1;
                continue;
            }
            if names.is_defined(&String::from_utf8_lossy(name)) {
                continue;
            }
            seen.insert(name, found.len());
            found.push((name, r.span.clone(), 1));
        }
        for (name, span, count) in found {
            let name = String::from_utf8_lossy(name);
            let at = entry.value.start;
            let span = main.span(entry, &(span.start + at..span.end + at));
            let more = if count > 1 {
                format!(" ({count} references in {})", main.name(entry))
            } else {
                String::new()
            };
            let d = cx.report(
                span,
                format!("undefined parameter: `${name}` expands to nothing: no parameter `{name}` is set{more}"),
            );
            d.note(format!(
                "postconf: warning: {path}: undefined parameter: {name}"
            ));
        }
    }
}
