//! PFT002: a rule whose pattern has no closing delimiter, no pattern at all, or a line that
//! starts with a letter or digit and is not `if`/`endif` (Postfix: "ignoring unrecognized
//! request"). Postfix skips each of them.

use crate::formats::postfix_table::{Kind, Table};
use crate::rules::Reporter;

table_rule! {
    code: "PFT002",
    name: "missing-delimiter",
    prefilter: &[],
    run: run,
}

fn run(table: &Table, cx: &mut Reporter) {
    super::report_problems(table, cx, Kind::MissingDelimiter, |p| {
        Some(if p.text() == "ignoring unrecognized request" {
            "ignoring unrecognized request: a rule starts with a delimiter such as `/`, so Postfix skips this line".into()
        } else {
            super::with_consequence(p)
        })
    });
}
