//! PFT009: a result that `mac_parse()` rejects: `$` before something that is not a group
//! number (`$x`, a lone `$`), or an unclosed `${`/`$(`. Postfix skips the rule; `$$` is a
//! literal `$`.

use crate::formats::postfix_table::{Kind, Table};
use crate::rules::Reporter;

table_rule! {
    code: "PFT009",
    name: "bad-replacement-syntax",
    prefilter: &[&["$"]],
    run: run,
}

fn run(table: &Table, cx: &mut Reporter) {
    let problems = &table.validation().problems;
    super::report_problems(table, cx, Kind::BadReplacementSyntax, |p| {
        if !p.skips {
            return None;
        }
        // `$0` is PFT005's; the specific warning comes just before this one.
        let same_line = problems.iter().filter(|q| q.logical == p.logical);
        if same_line
            .clone()
            .any(|q| q.kind == Kind::ReplacementIndexOutOfRange)
        {
            return None;
        }
        let why: Vec<&str> = same_line
            .filter(|q| q.kind == Kind::BadReplacementSyntax && !q.skips)
            .map(|q| q.text())
            .collect();
        Some(if why.is_empty() {
            p.text().to_string()
        } else {
            format!(
                "bad replacement syntax ({}): skipping this rule; write `$$` for a literal `$`",
                why.join("; ")
            )
        })
    });
}
