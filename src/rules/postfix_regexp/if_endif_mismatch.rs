//! PFT004: an `endif` without an `if`, an `if` without an `endif` (a key its pattern does not
//! match stops the lookup there: nothing after it is tried), and text after `endif`.

use crate::formats::postfix_table::{Kind, Table};
use crate::rules::Reporter;

table_rule! {
    code: "PFT004",
    name: "if-endif-mismatch",
    prefilter: &[&["if"]],
    run: run,
}

fn run(table: &Table, cx: &mut Reporter) {
    super::report_problems(table, cx, Kind::IfEndifMismatch, |p| {
        Some(match p.text() {
            "IF has no matching ENDIF" => "IF has no matching ENDIF: a key its pattern does not match ends the lookup here, so no rule after it is tried".into(),
            "ignoring ENDIF without matching IF" => "ignoring ENDIF without matching IF: Postfix skips this line".into(),
            other => format!("{other}: Postfix reads only the ENDIF"),
        })
    });
}
