//! INI004: a directive set again further down the same file: PHP keeps the later value, so the
//! earlier line does nothing.

use std::collections::HashMap;

use crate::fix::{Edit, Fix};
use crate::formats::php_ini::scanner::Entry;
use crate::formats::php_ini::PhpIniFile;
use crate::rules::Reporter;

php_ini_rule! {
    code: "INI004",
    name: "duplicate-directive",
    prefilter: &[],
    run: run,
}

fn run(file: &PhpIniFile, cx: &mut Reporter) {
    // `${key}` between two settings reads the earlier value: then removing it is not safe.
    let has_references = memchr::memmem::find(file.bytes(), b"${").is_some();
    let entries: Vec<&Entry> = file
        .applied()
        .filter(|e| e.offset.is_none() && !e.hidden)
        .filter(|e| {
            !e.key_text.eq_ignore_ascii_case(b"extension")
                && !e.key_text.eq_ignore_ascii_case(b"zend_extension")
        })
        .collect();
    let mut last: HashMap<&[u8], &Entry> = HashMap::new();
    for entry in &entries {
        last.insert(&entry.key_text, entry);
    }
    let settings: HashMap<usize, &crate::formats::php_ini::settings::Setting> = file
        .settings
        .settings
        .iter()
        .map(|s| (s.key_span.start, s))
        .collect();
    for entry in &entries {
        let winner = last[entry.key_text.as_slice()];
        if std::ptr::eq(*entry, winner) {
            continue;
        }
        let key = String::from_utf8_lossy(&entry.key_text);
        let diagnostic = cx.report(
            entry.key.clone(),
            format!(
                "`{key}` is set again on line {}: PHP keeps the later value, so this line does nothing",
                file.line(winner.key.start)
            ),
        );
        diagnostic.label(winner.key.clone(), "this line wins");
        if !has_references {
            if let Some(setting) = settings.get(&entry.key.start) {
                diagnostic.fix(Fix::safe(
                    "remove the line that has no effect",
                    vec![Edit::delete(setting.statement_span.clone())],
                ));
            }
        }
    }
}
