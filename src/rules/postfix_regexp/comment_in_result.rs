//! PFT015: `/a/ R # note`: Postfix has no trailing comments, so the result is `R # note`.

use crate::fix::{Edit, Fix};
use crate::formats::postfix_table::{is_space, Table};
use crate::rules::Reporter;

table_rule! {
    code: "PFT015",
    name: "comment-in-result",
    prefilter: &[&["#"]],
    run: run,
}

fn run(table: &Table, cx: &mut Reporter) {
    for (_, line, rule) in table.kept_rules() {
        let Some(result) = &rule.result else { continue };
        let text = &line.text[result.clone()];
        let Some(hash) = (1..text.len()).find(|&k| text[k] == b'#' && is_space(text[k - 1])) else {
            continue;
        };
        let value_end = text[..hash]
            .iter()
            .rposition(|&b| !is_space(b))
            .map_or(0, |k| k + 1);
        let shown = String::from_utf8_lossy(text).into_owned();
        let kept = String::from_utf8_lossy(&text[..value_end]).into_owned();
        let comment_span = line.source_span(&(result.start + hash..result.end));
        let d = cx.report(
            comment_span,
            format!("the result is `{shown}`: Postfix has no trailing comments, so the comment is part of what the lookup returns"),
        );
        d.note(format!(
            "put the comment on a line of its own above the rule; the result is then `{kept}`"
        ));
        if line.is_single_line() && value_end > 0 {
            let comment = String::from_utf8_lossy(&text[hash..]).into_owned();
            let cut = line.source_span(&(result.start + value_end..result.end));
            d.fix(Fix::unsafe_(
                "move the comment to its own line above the rule",
                vec![
                    Edit::insert(line.span.start, format!("{comment}\n")),
                    Edit::delete(cut),
                ],
            ));
        }
    }
}
