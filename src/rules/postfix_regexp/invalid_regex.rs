//! PFT001: a pattern the table's engine refuses to compile (glibc `regcomp` for regexp:,
//! PCRE2 for pcre:), with the engine's own message.

use crate::formats::postfix_table::{Kind, Table};
use crate::rules::Reporter;

table_rule! {
    code: "PFT001",
    name: "invalid-regex",
    prefilter: &[],
    run: run,
}

fn run(table: &Table, cx: &mut Reporter) {
    let engine = table.engine.name();
    super::report_problems(table, cx, Kind::InvalidRegex, |p| {
        Some(format!(
            "{engine}: does not compile this pattern: {}: skipping this rule",
            super::lowered(p.text())
        ))
    });
}
