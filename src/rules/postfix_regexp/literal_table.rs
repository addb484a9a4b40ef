//! PFT011: a table whose every rule is an exact, anchored address: a `hash:` or `texthash:`
//! table answers the same keys with a hash lookup instead of trying every pattern in turn.

use crate::formats::postfix_table::{literal, Table};
use crate::rules::Reporter;

table_rule! {
    code: "PFT011",
    name: "literal-table",
    prefilter: &[&["^"], &["$"]],
    run: run,
}

fn run(table: &Table, cx: &mut Reporter) {
    if !super::table_memory::every_rule_is_an_address(table) {
        return;
    }
    let mut converted = Vec::new();
    let mut first_span = None;
    let mut rules = 0;
    for (_, line, rule) in table.kept_rules() {
        let (Ok(first), Some(result)) = (&rule.first, &rule.result) else {
            continue;
        };
        rules += 1;
        first_span.get_or_insert(line.span.clone());
        if converted.len() < 3 {
            let key = literal::atoms(&line.text[first.body.clone()])
                .and_then(|a| literal::anchored_text(&a))
                .unwrap_or_default();
            converted.push(format!(
                "{} {}",
                String::from_utf8_lossy(&key).to_lowercase(),
                String::from_utf8_lossy(&line.text[result.clone()])
            ));
        }
    }
    let Some(span) = first_span else { return };
    let engine = table.engine.name();
    let d = cx.report(
        span,
        format!("every rule of this table is an exact address ({rules} rules): a `texthash:` or `hash:` table answers the same keys with one lookup and a fraction of the memory"),
    );
    let more = if rules > converted.len() { "\n…" } else { "" };
    d.note(format!(
        "as a texthash: table (one `address result` line each, keys in lower case):\n{}{more}",
        converted.join("\n")
    ));
    d.note(format!(
        "then replace `{engine}:FILE` by `texthash:FILE` in main.cf, or use `hash:FILE` after `postmap hash:FILE`"
    ));
}
