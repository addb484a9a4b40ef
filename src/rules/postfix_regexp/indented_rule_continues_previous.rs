//! PFT007: an indented line continues the logical line before it, so an indented rule is
//! glued to the previous rule's result (Postfix says nothing), an indented rule after `if`
//! is ignored text, and an indented first line is dropped.

use crate::fix::{Edit, Fix};
use crate::formats::postfix_table::{is_alnum, is_space, Engine, Kind, Statement, Table};
use crate::rules::Reporter;

table_rule! {
    code: "PFT007",
    name: "indented-rule-continues-previous",
    prefilter: &[],
    run: run,
}

fn run(table: &Table, cx: &mut Reporter) {
    super::report_problems(table, cx, Kind::IndentedRuleContinuesPrevious, |p| {
        if p.text().starts_with("do not prepend") {
            return None;
        }
        Some(if p.text().starts_with("logical line") {
            format!("{}: Postfix skips it", p.text())
        } else {
            format!(
                "{}: the indented line is part of the IF line, not a rule of its own",
                p.text()
            )
        })
    });
    let bytes = table.bytes();
    for line in &table.lines {
        let Statement::Rule(rule) = &line.statement else {
            continue;
        };
        let Ok(first) = &rule.first else { continue };
        let result = table.text(line, rule.result.as_ref().unwrap_or(&(0..0)));
        let mut shown: String =
            String::from_utf8_lossy(&result[..result.len().min(80)]).into_owned();
        if result.len() > 80 {
            shown.push('…');
        }
        for part in &line.continuations {
            let content = &bytes[part.clone()];
            let indent = content.iter().take_while(|&&b| is_space(b)).count();
            let rest = &content[indent..];
            if !looks_like_a_rule(rest, first.delimiter) {
                continue;
            }
            let d = cx.report(
                part.start + indent..part.end,
                format!(
                    "this indented line continues the rule on line {}: Postfix reads one rule whose result is \"{shown}\"",
                    line.line
                ),
            );
            d.note("only the first line of a logical line may start a rule: remove the indentation to make it a rule of its own");
            if stands_alone(rest, table.engine) {
                d.fix(Fix::unsafe_(
                    "remove the indentation",
                    vec![Edit::delete(part.start..part.start + indent)],
                ));
            }
        }
    }
}

/// Whether the line is a rule Postfix keeps when it stands on its own.
fn stands_alone(text: &[u8], engine: Engine) -> bool {
    let source = crate::source::SourceFile::new("line", text.to_vec());
    let alone = Table::new(&source, engine);
    alone.lines.len() == 1
        && matches!(alone.lines[0].statement, Statement::Rule(_))
        && alone.validation().problems.iter().all(|p| !p.skips)
}

/// Starts as a rule would: the same delimiter, `!`, or `if`/`endif`.
fn looks_like_a_rule(text: &[u8], delimiter: u8) -> bool {
    let keyword = |w: &[u8]| {
        text.len() >= w.len()
            && text[..w.len()].eq_ignore_ascii_case(w)
            && !text.get(w.len()).copied().is_some_and(is_alnum)
    };
    matches!(text.first(), Some(&b) if b == delimiter || b == b'!')
        || keyword(b"if")
        || keyword(b"endif")
}
