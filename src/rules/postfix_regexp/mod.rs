//! Rules for Postfix `regexp:` and `pcre:` tables (one parser, both formats; pages under
//! `lints/postfix-regexp/`).

/// `table_rule! { code: "PFT001", name: "invalid-regex", prefilter: &[], run }`.
macro_rules! table_rule {
    (code: $code:literal, name: $name:literal, prefilter: $prefilter:expr, $(uses_workspace: $ws:expr,)? run: $run:expr $(,)?) => {
        $crate::rule! {
            code: $code,
            name: $name,
            folder: "postfix-regexp",
            formats: &[
                $crate::formats::Format::PostfixRegexp,
                $crate::formats::Format::PostfixPcre,
            ],
            prefilter: $prefilter,
            uses_workspace: false $(|| $ws)?,
            check: $crate::rules::postfix_regexp::TableCheck { run: $run },
        }
    };
}

pub mod bad_replacement_syntax;
pub mod comment_in_result;
pub mod duplicate_rule;
pub mod group_reference_in_negated_rule;
pub mod if_endif_mismatch;
pub mod indented_rule_continues_previous;
pub mod invalid_regex;
pub mod literal_table;
pub mod merge;
pub mod missing_delimiter;
pub mod missing_result;
pub mod replacement_index_out_of_range;
pub mod table_memory;
pub mod unanchored_address;
pub mod unescaped_dot;
pub mod unknown_flag;

use super::{Reporter, Rule};
use crate::diagnostic::Severity;
use crate::formats::postfix_table::{Kind, Problem, Table};

/// What a table rule runs on a file.
pub struct TableCheck {
    pub run: fn(&Table, &mut Reporter),
}

/// The rules of this folder, in code order.
pub static RULES: &[&Rule] = &[
    &invalid_regex::RULE,
    &missing_delimiter::RULE,
    &unknown_flag::RULE,
    &if_endif_mismatch::RULE,
    &replacement_index_out_of_range::RULE,
    &group_reference_in_negated_rule::RULE,
    &indented_rule_continues_previous::RULE,
    &missing_result::RULE,
    &bad_replacement_syntax::RULE,
    &table_memory::RULE,
    &literal_table::RULE,
    &unescaped_dot::RULE,
    &unanchored_address::RULE,
    &duplicate_rule::RULE,
    &comment_in_result::RULE,
];

/// Reports each of Postfix's warnings of `kind`: the message is Postfix's words (first letter
/// lowered) with the consequence, the note the line `postmap` prints.
pub(crate) fn report_problems(
    table: &Table,
    cx: &mut Reporter,
    kind: Kind,
    consequence: impl Fn(&Problem) -> Option<String>,
) {
    let path = table.source.path().display().to_string();
    for problem in table
        .validation()
        .problems
        .iter()
        .filter(|p| p.kind == kind)
    {
        let Some(message) = consequence(problem) else {
            continue;
        };
        let d = cx.report(table.char_span(&problem.span), message);
        if !problem.skips
            && (kind_is_error_only_when_skipping(kind)
                || problem.text() == "ignoring extra text after ENDIF")
        {
            d.severity = Severity::Warning;
        }
        d.note(format!(
            "postmap: warning: {}",
            problem.postmap_warning(table.engine, &path)
        ));
    }
}

fn kind_is_error_only_when_skipping(kind: Kind) -> bool {
    matches!(kind, Kind::UnknownFlag | Kind::BadReplacementSyntax)
}

/// Postfix's words with a lowercase first letter (regcomp's messages are capitalised).
pub(crate) fn lowered(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c)
            if c.is_ascii_uppercase() && !text.starts_with("IF ") && !text.starts_with("ENDIF") =>
        {
            c.to_ascii_lowercase().to_string() + chars.as_str()
        }
        _ => text.to_string(),
    }
}

/// Postfix's words, and "skipping this rule" when it skips the rule and does not say so.
pub(crate) fn with_consequence(problem: &Problem) -> String {
    let text = lowered(problem.text());
    if problem.skips
        && !text.contains(": skipping this rule")
        && !text.contains(": ignoring this rule")
    {
        format!("{text}: skipping this rule")
    } else {
        text
    }
}
