//! PHP001: whitespace after the closing tag of a code file, which PHP sends as output.

use tree_sitter::Node;

use super::stray_output::{describe, Includers};
use crate::fix::{Edit, Fix};
use crate::formats::php::scan::RegionKind;
use crate::formats::php::{CodeFile, PhpFile};
use crate::rules::Reporter;

php_rule! {
    code: "PHP001",
    name: "output-after-closing-tag",
    prefilter: &[&["?>"]],
    uses_workspace: true,
    run: run,
}

fn run(file: &PhpFile, cx: &mut Reporter) {
    let Some(code_file) = file.code_file() else {
        return;
    };
    let Some(close_tag) = &code_file.close_tag else {
        return;
    };
    let stray = code_file.after_close.clone();
    if stray.is_empty() {
        return;
    }
    let what = describe(&file.bytes()[stray.clone()]);
    let includers = Includers::of(cx);
    let diagnostic = cx.report(
        stray,
        includers.message(format!("{what} after the closing tag `?>` is sent as output wherever this file is included or run")),
    );
    diagnostic
        .label(
            close_tag.start..close_tag.start + 2,
            "`?>` swallows only the one newline right after it",
        )
        .note("a file that is only PHP code needs no closing tag; PSR-12 says to leave it out");
    includers.label(diagnostic);
    if let Some(fix) = remove_closing_tag(file, &code_file) {
        diagnostic.fix(fix);
    }
}

/// Removes the closing tag and everything after it, ends the last statement with `;` where
/// `?>` was its terminator, and ends the file with one newline if it had one there.
fn remove_closing_tag(file: &PhpFile, code_file: &CodeFile) -> Option<Fix> {
    let bytes = file.bytes();
    let close = code_file.close_tag.as_ref()?.start;
    let open_end = code_file.open_tag.end;
    let mut content_end = close;
    while content_end > open_end && bytes[content_end - 1].is_ascii_whitespace() {
        content_end -= 1;
    }
    let mut edits = Vec::new();
    if let Some(last) = last_code_byte(file, close) {
        if needs_semicolon(file, last) {
            edits.push(Edit::insert(last + 1, ";"));
        }
    }
    let tail = &bytes[content_end..];
    let ending = if tail.iter().any(|b| matches!(b, b'\n' | b'\r')) {
        "\n"
    } else {
        ""
    };
    edits.push(Edit::replace(content_end..bytes.len(), ending));
    Some(Fix::safe(
        "remove the closing tag and the output after it",
        edits,
    ))
}

/// The offset of the last byte of code (not comment, not whitespace) before `close`, or
/// `None` when only the opening tag is before it.
fn last_code_byte(file: &PhpFile, close: usize) -> Option<usize> {
    let bytes = file.bytes();
    let regions = file
        .scan()
        .regions
        .iter()
        .rev()
        .filter(|r| r.span.start < close);
    for region in regions {
        match region.kind {
            RegionKind::Comment => continue,
            RegionKind::Code => {
                let end = region.span.end.min(close);
                if let Some(i) = bytes[region.span.start..end]
                    .iter()
                    .rposition(|b| !b.is_ascii_whitespace())
                {
                    return Some(region.span.start + i);
                }
            }
            RegionKind::String => return Some(region.span.end - 1),
            _ => return None,
        }
    }
    None
}

/// Whether the statement ending at `last` had `?>` as its terminator.
fn needs_semicolon(file: &PhpFile, last: usize) -> bool {
    match file.bytes()[last] {
        b';' | b'{' | b':' => false,
        // A block ends its statement, unless it is the body of a closure, `match` or anonymous
        // class inside an expression: ask the syntax tree. Without one (a file over
        // max-tree-size), add it: after a block, `;` is an empty statement.
        b'}' => file
            .tree()
            .is_none_or(|tree| brace_ends_expression(tree.root_node(), last)),
        _ => true,
    }
}

fn brace_ends_expression(root: Node, brace: usize) -> bool {
    let mut node = root.descendant_for_byte_range(brace, brace + 1);
    while let Some(current) = node {
        let Some(parent) = current.parent() else {
            break;
        };
        // The statement holding the brace: the first named node that sits in a statement list
        // (the brace itself sits in its block, which is no statement).
        if current.is_named()
            && matches!(
                parent.kind(),
                "program" | "compound_statement" | "declaration_list"
            )
        {
            return matches!(
                current.kind(),
                "expression_statement" | "echo_statement" | "return_statement" | "unset_statement"
            );
        }
        node = Some(parent);
    }
    false
}
