//! PFT008: a rule without a result. Postfix uses the empty string, and a lookup that matches
//! it fails ("empty string result is not allowed").

use crate::formats::postfix_table::{Kind, Table};
use crate::rules::Reporter;

table_rule! {
    code: "PFT008",
    name: "missing-result",
    prefilter: &[],
    run: run,
}

fn run(table: &Table, cx: &mut Reporter) {
    super::report_problems(table, cx, Kind::MissingResult, |p| {
        Some(format!(
            "{}: a key this rule matches makes the lookup fail (\"empty string result is not allowed\")",
            p.text()
        ))
    });
}
