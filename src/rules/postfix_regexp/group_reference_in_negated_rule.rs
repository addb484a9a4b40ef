//! PFT006: `$n` in the result of a negated rule (`!/pattern/`): a pattern that did not match
//! has no groups, so Postfix skips the rule.

use crate::formats::postfix_table::{Kind, Table};
use crate::rules::Reporter;

table_rule! {
    code: "PFT006",
    name: "group-reference-in-negated-rule",
    prefilter: &[&["!"], &["$"]],
    run: run,
}

fn run(table: &Table, cx: &mut Reporter) {
    super::report_problems(table, cx, Kind::GroupReferenceInNegatedRule, |p| {
        Some(p.text().to_string())
    });
}
