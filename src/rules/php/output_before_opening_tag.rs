//! PHP002: a BOM or whitespace before the opening tag of a code file, which PHP sends as
//! output before anything the file does.

use super::stray_output::{self, describe, Includers};
use crate::fix::{Edit, Fix};
use crate::formats::php::PhpFile;
use crate::rules::Reporter;

php_rule! {
    code: "PHP002",
    name: "output-before-opening-tag",
    prefilter: &[],
    uses_workspace: true,
    run: run,
}

fn run(file: &PhpFile, cx: &mut Reporter) {
    // Cheap test first: almost every file starts with its opening tag.
    if file.bytes().starts_with(b"<?") {
        return;
    }
    let Some(code_file) = file.code_file() else {
        return;
    };
    let stray = code_file.before_open.clone();
    if stray.is_empty() {
        return;
    }
    let what = describe(&file.bytes()[stray.clone()]);
    let includers = Includers::of(cx);
    let message = match must_come_first(file) {
        Some(first) => {
            format!("{what} before the opening tag makes PHP refuse to compile this file: {first}")
        }
        None => includers.message(format!(
            "{what} before the opening tag {} sent as output wherever this file is included or run",
            stray_output::is_or_are(&what)
        )),
    };
    let diagnostic = cx.report(stray.clone(), message);
    diagnostic
        .label(code_file.open_tag.clone(), "PHP code starts here")
        .note(if file.bytes()[stray.clone()].starts_with(crate::source::UTF8_BOM) {
            "the file starts with a UTF-8 byte order mark (bytes EF BB BF), which editors do not show; save it as UTF-8 without BOM"
        } else {
            "whitespace outside `<?php` is output like any HTML"
        });
    includers.label(diagnostic);
    diagnostic.fix(Fix::safe(
        format!("remove {what}"),
        vec![Edit::delete(stray)],
    ));
}

/// What PHP says when output comes before a statement that must be the file's first: a
/// namespace declaration (after any `declare`), or `declare(strict_types=…)`.
fn must_come_first(file: &PhpFile) -> Option<&'static str> {
    let tree = file.tree()?;
    let root = tree.root_node();
    let mut cursor = root.walk();
    for statement in root.named_children(&mut cursor) {
        match statement.kind() {
            "text" | "php_tag" | "comment" => {}
            "declare_statement" => {
                if file
                    .text(statement)
                    .to_ascii_lowercase()
                    .contains("strict_types")
                {
                    return Some("\"strict_types declaration must be the very first statement in the script\"");
                }
            }
            "namespace_definition" => {
                return Some("\"Namespace declaration statement has to be the very first statement or after any declare call in the script\"");
            }
            _ => return None,
        }
    }
    None
}
