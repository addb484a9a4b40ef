//! PHP001: whitespace after the closing tag of a code file, which PHP sends as output.

use tree_sitter::Node;

use super::stray_output::{self, describe, Includers};
use crate::fix::{Edit, Fix};
use crate::formats::php::scan::RegionKind;
use crate::formats::php::{CodeFile, Gap, PhpFile};
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
    let mut includers = None;
    for gap in code_file.gaps.iter().filter(|gap| !gap.output.is_empty()) {
        let what = describe(&file.bytes()[gap.output.clone()]);
        let includers = includers.get_or_insert_with(|| Includers::of(cx));
        let message = includers.message(format!(
            "{what} between two PHP blocks {} sent as output wherever this file is included or run",
            stray_output::is_or_are(&what)
        ));
        let diagnostic = cx.report(gap.output.clone(), message);
        diagnostic
            .label(
                gap.close_tag.start..gap.close_tag.start + 2,
                "`?>` swallows only the one newline right after it",
            )
            .label(gap.open_tag.clone(), "the next PHP block starts here")
            .note("this file's code prints nothing itself: its blocks can be one");
        if let Some(fix) = join_blocks(file, gap) {
            diagnostic.fix(fix);
        }
    }
    let Some(close_tag) = &code_file.close_tag else {
        return;
    };
    let stray = code_file.after_close.clone();
    if stray.is_empty() {
        return;
    }
    let what = describe(&file.bytes()[stray.clone()]);
    let includers = includers.unwrap_or_else(|| Includers::of(cx));
    let diagnostic = cx.report(
        stray,
        includers.message(format!(
            "{what} after the closing tag `?>` {} sent as output wherever this file is included or run",
            stray_output::is_or_are(&what)
        )),
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

/// Makes one block of two: the closing tag, the output after it and the next opening tag
/// become one newline, with `;` where `?>` ended a statement.
fn join_blocks(file: &PhpFile, gap: &Gap) -> Option<Fix> {
    let close = gap.close_tag.start;
    let mut edits = Vec::new();
    if let Some(last) = last_code_byte(file, close) {
        if needs_semicolon(file, last) {
            edits.push(Edit::insert(last + 1, ";"));
        }
    }
    // The spaces before `?>` go too, where they are code's (not the opening tag's).
    let bytes = file.bytes();
    let mut start = close;
    while start > 0
        && matches!(bytes[start - 1], b' ' | b'\t')
        && file
            .scan()
            .region_at(start - 1)
            .is_some_and(|r| r.kind == RegionKind::Code)
    {
        start -= 1;
    }
    edits.push(Edit::replace(start..gap.open_tag.end, "\n"));
    Some(Fix::safe("join the two PHP blocks", edits))
}

/// Removes the closing tag and everything after it, ends the last statement with `;` where
/// `?>` was its terminator, and ends the file with one newline if it had one there.
fn remove_closing_tag(file: &PhpFile, code_file: &CodeFile) -> Option<Fix> {
    let bytes = file.bytes();
    let close = code_file.close_tag.as_ref()?.start;
    let open_end = code_file.last_open_end();
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
    let regions = &file.scan().regions;
    let before = regions.partition_point(|r| r.span.start < close);
    for region in regions[..before].iter().rev() {
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
