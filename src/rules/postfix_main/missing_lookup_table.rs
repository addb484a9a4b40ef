//! PFM007: a lookup table file that does not exist under `--root`: every daemon that opens
//! it fails the lookups ("table lookup problem") and defers the mail.

use std::path::Path;

use crate::formats::postfix_conf::{tables, MainCf};
use crate::rules::Reporter;

main_rule! {
    code: "PFM007",
    name: "missing-lookup-table",
    prefilter: &[&[":/"]],
    uses_workspace: true,
    run: run,
}

fn run(main: &MainCf, cx: &mut Reporter) {
    let workspace = cx.workspace();
    let file = cx.file();
    for &i in main.effective() {
        let entry = &main.entries[i];
        let value = main.value_bytes(entry);
        let name = main.name(entry);
        for t in tables::references(value) {
            let needed = t.needed_files(value);
            let Some(source) = needed.first() else {
                continue;
            };
            let exists = |p: &str| workspace.resolve(file, p).exists();
            let built = needed.get(1);
            let at = entry.value.start;
            let span = main.span(entry, &(t.span.start + at..t.span.end + at));
            let kind = t.kind(value);
            match built {
                Some(db) if !exists(db) => {
                    let message = if exists(source) {
                        format!("{kind}:{source} is not built: {db} does not exist, so every lookup in {name} fails")
                    } else {
                        format!("{kind}:{source} does not exist (nor {db}): every lookup in {name} fails")
                    };
                    let d = cx.report(span, message);
                    d.note(format!("build it with `postmap {kind}:{source}`"));
                    note_root(d, workspace.resolve(file, db).as_path());
                }
                None if !exists(source) => {
                    let d = cx.report(
                        span,
                        format!("{kind}:{source} does not exist: every lookup in {name} fails"),
                    );
                    note_root(d, workspace.resolve(file, source).as_path());
                }
                _ => {}
            }
        }
    }
}

fn note_root(d: &mut crate::diagnostic::Diagnostic, resolved: &Path) {
    d.note(format!(
        "looked for {} (absolute paths are resolved against --root)",
        resolved.display()
    ));
}
