//! PFT003: a flag letter after the pattern that the table type does not know (Postfix skips
//! the rule), or pcre:'s obsolete `X` (ignored with a warning).

use crate::formats::postfix_table::{Kind, Table};
use crate::rules::Reporter;

table_rule! {
    code: "PFT003",
    name: "unknown-flag",
    prefilter: &[],
    run: run,
}

fn run(table: &Table, cx: &mut Reporter) {
    let known = match table.engine {
        crate::formats::postfix_table::Engine::Regexp => "i, m and x",
        crate::formats::postfix_table::Engine::Pcre => "i, m, s, x, A, E and U",
    };
    super::report_problems(table, cx, Kind::UnknownFlag, |p| {
        Some(if p.skips {
            format!(
                "{} ({}: knows {known})",
                super::with_consequence(p),
                table.engine.name()
            )
        } else {
            format!("{}: PCRE2 has no such option", p.text())
        })
    });
}
