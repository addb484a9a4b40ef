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
    for (_, span, why) in &table.validation().unchecked {
        let d = cx.report(
            table.char_span(span),
            format!("{why}: its syntax is not checked"),
        );
        d.severity = crate::diagnostic::Severity::Warning;
        d.note("glibc's regcomp needs hundreds of MB for a long alternation (4,000 alternatives: 260 MB) and memory exponential in stacked repetitions, in every process that opens the table; postmap crashes on the largest: split or simplify the rule");
    }
    super::report_problems(table, cx, Kind::InvalidRegex, |p| {
        Some(format!(
            "{engine}: does not compile this pattern: {}: skipping this rule",
            super::lowered(p.text())
        ))
    });
}
