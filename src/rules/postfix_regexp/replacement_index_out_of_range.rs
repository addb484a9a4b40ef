//! PFT005: a result's `$n` names a group the pattern does not have, or `$0` (Postfix counts
//! from 1). Postfix skips the rule.

use crate::formats::postfix_table::{Kind, Table};
use crate::rules::Reporter;

table_rule! {
    code: "PFT005",
    name: "replacement-index-out-of-range",
    prefilter: &[&["$"]],
    run: run,
}

fn run(table: &Table, cx: &mut Reporter) {
    super::report_problems(table, cx, Kind::ReplacementIndexOutOfRange, |p| {
        Some(if p.skips {
            format!("{} (the pattern has fewer groups)", p.text())
        } else {
            format!(
                "{}: groups count from 1, so Postfix skips this rule",
                p.text()
            )
        })
    });
}
