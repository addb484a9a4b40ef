//! PFT013: a literal address pattern without `^` or `$`: `/user@example\.com/` also matches
//! `otheruser@example.com` and `user@example.com.attacker.test`.

use crate::formats::postfix_table::literal::{self, Atom};
use crate::formats::postfix_table::Table;
use crate::rules::Reporter;

table_rule! {
    code: "PFT013",
    name: "unanchored-address",
    prefilter: &[&["@"]],
    run: run,
}

fn run(table: &Table, cx: &mut Reporter) {
    for (_, line, rule) in table.kept_rules() {
        let Ok(first) = &rule.first else { continue };
        let body = &line.text[first.body.clone()];
        let Some(atoms) = literal::atoms(body) else {
            continue;
        };
        let text: Vec<u8> = atoms.iter().filter_map(|a| a.literal()).collect();
        if !super::table_memory::is_address(&text) {
            continue;
        }
        let start = atoms.first() == Some(&Atom::Start);
        let end = atoms.last() == Some(&Atom::End);
        if start && end {
            continue;
        }
        let shown = String::from_utf8_lossy(&text).into_owned();
        let mut also = Vec::new();
        if !start {
            also.push(format!("`other{shown}`"));
        }
        if !end {
            also.push(format!("`{shown}.attacker.test`"));
        }
        let missing = match (start, end) {
            (false, false) => "`^` and `$`",
            (false, true) => "`^`",
            _ => "`$`",
        };
        let span = table.char_span(&line.source_span(&first.body));
        cx.report(
            span,
            format!(
                "this address pattern has no {missing}: it also matches {}",
                also.join(" and ")
            ),
        )
        .note("anchor it: `/^user@example\\.com$/`");
    }
}
