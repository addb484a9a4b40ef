//! PFT014: a rule whose pattern and flags repeat an earlier rule of the same `if` block: the
//! first one always matches first, so the second never does.

use std::collections::HashMap;

use crate::fix::{Edit, Fix};
use crate::formats::postfix_table::{Pattern, Table};
use crate::rules::Reporter;

table_rule! {
    code: "PFT014",
    name: "duplicate-rule",
    prefilter: &[],
    run: run,
}

type Key<'t> = (
    Option<usize>,
    (bool, &'t [u8], u32),
    Option<(bool, &'t [u8], u32)>,
);

fn key<'t>(text: &'t [u8], p: &Pattern) -> (bool, &'t [u8], u32) {
    (p.negated, &text[p.body.clone()], p.options.0)
}

fn run(table: &Table, cx: &mut Reporter) {
    let validation = table.validation();
    let mut seen: HashMap<Key, usize> = HashMap::new();
    let bytes = table.bytes();
    for (i, line, rule) in table.kept_rules() {
        let Ok(first) = &rule.first else { continue };
        let second = rule.second.as_ref().and_then(|s| s.as_ref().ok());
        let k = (
            validation.block[i],
            key(&line.text, first),
            second.map(|s| key(&line.text, s)),
        );
        let Some(&earlier) = seen.get(&k) else {
            seen.insert(k, i);
            continue;
        };
        let before = &table.lines[earlier];
        let d = cx.report(
            line.span.clone(),
            format!(
                "this rule repeats the pattern and flags of line {}: that rule always matches first, so this one never matches",
                before.line
            ),
        );
        d.label(before.span.clone(), "this rule matches first");
        if line.is_single_line() {
            let end = memchr::memchr(b'\n', &bytes[line.span.end..])
                .map_or(bytes.len(), |n| line.span.end + n + 1);
            d.fix(Fix::safe(
                "remove the rule that never matches",
                vec![Edit::delete(line.span.start..end)],
            ));
        }
    }
}
