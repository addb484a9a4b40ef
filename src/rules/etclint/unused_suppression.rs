//! ETC001: a suppression comment that suppresses nothing, or names no rule.

use crate::diagnostic::Diagnostic;
use crate::fix::{Edit, Fix};
use crate::formats::CommentSyntax;
use crate::rules::{Env, Reporter, Rule};
use crate::source::SourceFile;
use crate::suppress::{stands_alone, Directive};

// The engine runs it after the file's other rules, on the directives it found.
crate::rule! {
    code: "ETC001",
    name: "unused-suppression",
    folder: "etclint",
    formats: &[],
    prefilter: &[],
    uses_workspace: false,
    check: (),
}

/// Reports the codes of `directives` that suppressed nothing although their rule ran
/// (`ran`), and codes that name no rule.
pub fn check(
    source: &SourceFile,
    syntax: CommentSyntax,
    directives: &[Directive],
    ran: impl Fn(&Rule) -> bool,
    env: &Env,
    out: &mut Vec<Diagnostic>,
) {
    let mut cx = Reporter::new(&RULE, env, out);
    for directive in directives {
        let unused: Vec<usize> = (0..directive.codes.len())
            .filter(|&i| {
                let code = &directive.codes[i];
                code.rule.is_none_or(|rule| !code.used && ran(rule))
            })
            .collect();
        if unused.is_empty() {
            continue;
        }
        let fix = if unused.len() == directive.codes.len() {
            Fix::safe(
                "remove the suppression comment",
                vec![remove_comment(source, syntax, directive)],
            )
        } else {
            Fix::safe(
                "remove the unused codes",
                vec![keep_codes(directive, &unused)],
            )
        };
        for &i in &unused {
            let code = &directive.codes[i];
            let message = match code.rule {
                None => format!(
                    "`{}` is not a rule: this suppression suppresses nothing",
                    code.text
                ),
                Some(rule) => format!(
                    "no {} finding here to suppress: the suppression is stale",
                    rule.code
                ),
            };
            let diagnostic = cx.report(code.span.clone(), message);
            diagnostic.fix(fix.clone());
            if code.rule.is_none() {
                let hint = match crate::rules::did_you_mean_rule(&code.text) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => "`etclint rules` lists them".to_string(),
                };
                diagnostic.note(format!(
                    "a suppression names rules by code or name, as in `{} etclint: ignore[CODE] reason`; {hint}",
                    syntax.line
                ));
            }
        }
    }
}

fn remove_comment(source: &SourceFile, syntax: CommentSyntax, directive: &Directive) -> Edit {
    let comment = &directive.comment;
    if syntax.own_line || stands_alone(source, comment) {
        let first = source.line_range(source.line_index(comment.start));
        let last =
            source.line_range(source.line_index(comment.end.saturating_sub(1).max(comment.start)));
        return Edit::delete(first.start..last.end);
    }
    // After code on the same line: take the blanks before it too, keep the line ending.
    let text = source.text();
    let body_end = comment.start + text[comment.clone()].trim_end_matches(['\r', '\n']).len();
    let start = comment.start
        - (text[..comment.start].len() - text[..comment.start].trim_end_matches([' ', '\t']).len());
    Edit::delete(start..body_end)
}

/// Rewrites the list of codes without those at `unused`, in one edit: edits per code would
/// touch each other where two neighbours go.
fn keep_codes(directive: &Directive, unused: &[usize]) -> Edit {
    let codes = &directive.codes;
    let kept: Vec<&str> = (0..codes.len())
        .filter(|i| !unused.contains(i))
        .map(|i| codes[i].text.as_str())
        .collect();
    let list = codes[0].span.start..codes[codes.len() - 1].span.end;
    Edit::replace(list, kept.join(", "))
}
