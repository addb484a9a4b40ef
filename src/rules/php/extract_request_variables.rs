//! PHP005: `extract()` of request data, which re-creates register_globals by hand.

use super::{PhpCheck, Prefilter};
use crate::formats::php::{call_arguments, called_function, walk, PhpFile};
use crate::rules::{Check, Reporter, Rule};

pub static RULE: Rule = Rule {
    code: "PHP005",
    name: "extract-request-variables",
    doc: include_str!("../../../lints/php/extract-request-variables.md"),
    check: Check::Php(PhpCheck {
        prefilter: Prefilter::all(&[
            &["extract"],
            &[
                "$_GET",
                "$_POST",
                "$_REQUEST",
                "$_COOKIE",
                "$_SERVER",
                "$_FILES",
            ],
        ]),
        run,
    }),
};

const REQUEST_ARRAYS: &[&str] = &[
    "$_GET",
    "$_POST",
    "$_REQUEST",
    "$_COOKIE",
    "$_SERVER",
    "$_FILES",
];

fn run(file: &PhpFile, cx: &mut Reporter) {
    let Some(tree) = file.tree() else { return };
    walk(tree, |node| {
        if node.kind() != "function_call_expression"
            || !called_function(file, node).is_some_and(|f| f.eq_ignore_ascii_case("extract"))
        {
            return;
        }
        let Some(argument) = call_arguments(node).first().and_then(|a| a.named_child(0)) else {
            return;
        };
        let array = file.text(argument);
        if argument.kind() != "variable_name" || !REQUEST_ARRAYS.contains(&array) {
            return;
        }
        cx.report(
            node.byte_range(),
            format!("extract({array}) turns every request parameter into a variable: a client can set any variable this scope reads, as register_globals did"),
        )
        .label(argument.byte_range(), "the client controls these keys")
        .note(format!("read the parameters you expect by name, e.g. `$id = {array}['id'] ?? null;`"));
    });
}
