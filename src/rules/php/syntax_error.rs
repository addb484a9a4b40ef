//! PHP000: a syntax error, where tree-sitter's parse agrees with PHP's. Opt-in: it needs a
//! full parse of every file.

use super::{PhpCheck, Prefilter};
use crate::formats::php::{walk, PhpFile};
use crate::rules::{Check, Reporter, Rule};

pub static RULE: Rule = Rule {
    code: "PHP000",
    name: "syntax-error",
    doc: include_str!("../../../lints/php/syntax-error.md"),
    check: Check::Php(PhpCheck {
        prefilter: Prefilter::none(),
        run,
    }),
};

fn run(file: &PhpFile, cx: &mut Reporter) {
    let Some(tree) = file.tree() else { return };
    if !tree.root_node().has_error() {
        return;
    }
    let mut first = None;
    walk(tree, |node| {
        if first.is_none() && (node.is_error() || node.is_missing()) {
            first = Some(node);
        }
    });
    let Some(node) = first else { return };
    let message = if node.is_missing() {
        format!(
            "syntax error: missing `{}`: PHP refuses to run this file",
            node.kind()
        )
    } else {
        let text = file.text(node);
        let token = text.split_whitespace().next().unwrap_or(text);
        format!("syntax error near `{token}`: PHP refuses to run this file")
    };
    cx.report(node.byte_range(), message)
        .note("`php -l FILE` shows PHP's own message");
}
