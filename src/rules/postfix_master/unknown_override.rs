//! PFC002: `-o name=value` of a parameter Postfix does not know ("unused parameter").

use std::collections::HashSet;

use crate::formats::postfix_conf::main_cf::Names;
use crate::formats::postfix_conf::{catalogue, expand, uses, MainCf, MasterCf};
use crate::rules::Reporter;
use crate::source::SourceFile;

master_rule! {
    code: "PFC002",
    name: "unknown-override",
    prefilter: &[&["-o"]],
    uses_workspace: true,
    run: run,
}

fn run(master: &MasterCf, cx: &mut Reporter) {
    // Only built-in names asked about (the usual master.cf): main.cf need not be read.
    let built_in = |text: &[u8]| std::str::from_utf8(text).is_ok_and(Names::built_in);
    if master
        .entries
        .iter()
        .filter(|e| e.errors.is_empty())
        .all(|e| {
            let text = &master.line(e).text;
            e.overrides.iter().all(|o| built_in(&text[o.name.clone()]))
        })
    {
        return;
    }
    let services = master.services();
    // main.cf beside it: its user-defined parameters count as known.
    let main_path = uses::sibling(cx.file(), "main.cf");
    let bytes = cx.workspace().artifact(&main_path);
    let source = SourceFile::new(
        &main_path,
        bytes.as_ref().as_ref().cloned().unwrap_or_default(),
    );
    let main = MainCf::new(&source);
    let asked: Vec<&[u8]> = master
        .entries
        .iter()
        .flat_map(|e| {
            let text = &master.line(e).text;
            e.overrides.iter().map(move |o| &text[o.name.clone()])
        })
        .collect();
    let names = main.names_of(Some(&services), &asked);
    let path = master.source.path().display().to_string();
    for entry in master.entries.iter().filter(|e| e.errors.is_empty()) {
        let line = master.line(entry);
        let text = |r: &std::ops::Range<usize>| {
            String::from_utf8_lossy(&line.text[r.clone()]).into_owned()
        };
        // $name in this service's overrides validates name=value in them.
        let local: HashSet<String> = entry
            .overrides
            .iter()
            .flat_map(|o| {
                let value = &line.text[o.value.clone()];
                expand::scan(value)
                    .refs
                    .into_iter()
                    .map(|r| String::from_utf8_lossy(&value[r.name]).into_owned())
                    .collect::<Vec<_>>()
            })
            .collect();
        // A service's overrides are a dictionary: the last of each name counts, as postconf
        // reports it once.
        let mut last: std::collections::HashMap<&[u8], usize> = std::collections::HashMap::new();
        for (k, o) in entry.overrides.iter().enumerate() {
            last.insert(&line.text[o.name.clone()], k);
        }
        for (k, o) in entry.overrides.iter().enumerate() {
            let name = text(&o.name);
            if last[&line.text[o.name.clone()]] != k
                || names.is_known(&name)
                || local.contains(&name)
                || names.classes.contains(&name)
            {
                continue;
            }
            let value = text(&o.value);
            let d = cx.report(
                line.source_span(&o.name),
                format!(
                    "unused parameter: Postfix does not know `{name}` and ignores this override"
                ),
            );
            if let Some(like) = catalogue::suggestion(&name) {
                d.note(format!("did you mean `{like}`?"));
            }
            d.note(format!(
                "postconf: warning: {path}: unused parameter: {name}={value}"
            ));
        }
    }
}
