//! PHP000: a file PHP refuses to compile. tree-sitter finds the candidates at parse speed;
//! PHP itself (`php -l`) confirms each one, because tree-sitter's grammar disagrees with PHP's
//! on about half of the files it rejects (keywords used as names, `exit -1`…).

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use tree_sitter::{Node, Tree};

use crate::formats::php::{is_blank, walk, PhpFile};
use crate::rules::Reporter;

php_rule! {
    code: "PHP000",
    name: "syntax-error",
    prefilter: &[],
    run: run,
}

/// The PHP binary that confirms syntax errors: `$ETCLINT_PHP`, else `php` on the PATH.
pub fn php_binary() -> Option<&'static str> {
    static PHP: OnceLock<Option<String>> = OnceLock::new();
    PHP.get_or_init(|| {
        let candidate = std::env::var("ETCLINT_PHP").unwrap_or_else(|_| "php".into());
        let works = Command::new(&candidate)
            .args(["-n", "-r", "echo 1;"])
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output()
            .is_ok_and(|out| out.status.success() && out.stdout == b"1");
        works.then_some(candidate)
    })
    .as_deref()
}

fn run(file: &PhpFile, cx: &mut Reporter) {
    let Some(tree) = file.tree() else { return };
    if !tree.root_node().has_error() && !compile_error_candidate(file, tree) {
        return;
    }
    let Some(php) = php_binary() else { return };
    let Some(rejection) = php_lint(php, file.bytes()) else {
        return;
    };
    let source = file.source;
    let line = rejection
        .line
        .saturating_sub(1)
        .min(source.line_starts().len() - 1);
    let range = source.line_range(line);
    let text = &source.text()[range.clone()];
    let indent = text.len() - text.trim_start().len();
    let end = range.start + text.trim_end().len();
    cx.report(
        range.start + indent..end.max(range.start + indent),
        format!("PHP refuses to compile this file: {}", rejection.message),
    )
    .note(format!("confirmed with `{php} -n -l`"));
}

/// Whether the syntax tree shows one of the compile errors that tree-sitter's grammar accepts:
/// an unparenthesized nested ternary (`a ? b : c ? d : e`), a namespace declaration after
/// other statements, a declared `__autoload()` function. PHP confirms each.
fn compile_error_candidate(file: &PhpFile, tree: &Tree) -> bool {
    let mut found = namespace_not_first(file, tree);
    walk(tree, |node| {
        found = found
            || match node.kind() {
                "conditional_expression" => nested_ternary(node),
                "function_definition" => node
                    .child_by_field_name("name")
                    .is_some_and(|name| file.text(name).eq_ignore_ascii_case("__autoload")),
                _ => false,
            };
    });
    found
}

/// `a ? b : c ? d : e` and `a ?: b ? c : d`: a ternary whose condition is another one without
/// parentheses; only a chain of short ternaries (`a ?: b ?: c`) compiles.
fn nested_ternary(node: Node) -> bool {
    let Some(condition) = node.child_by_field_name("condition") else {
        return false;
    };
    let short = |n: Node| n.child_by_field_name("body").is_none();
    condition.kind() == "conditional_expression" && !(short(node) && short(condition))
}

/// The first namespace declaration comes after a statement other than `declare`. Inline
/// output before the first opening tag counts too, but whitespace there is PHP002's finding.
fn namespace_not_first(file: &PhpFile, tree: &Tree) -> bool {
    let root = tree.root_node();
    let mut cursor = root.walk();
    let mut first = true;
    for statement in root.named_children(&mut cursor) {
        match statement.kind() {
            "text" if first && is_blank(file.text(statement).as_bytes()) => {}
            "php_tag" | "comment" | "declare_statement" => {}
            "namespace_definition" => return false,
            _ => return tree_has_namespace(root),
        }
        first = false;
    }
    false
}

/// Whether any statement of the file is a namespace declaration.
fn tree_has_namespace(root: Node) -> bool {
    let mut cursor = root.walk();
    let found = root
        .named_children(&mut cursor)
        .any(|statement| statement.kind() == "namespace_definition");
    found
}

struct Rejection {
    message: String,
    line: usize,
}

/// PHP's verdict on `bytes`, read from standard input: `None` when it compiles.
fn php_lint(php: &str, bytes: &[u8]) -> Option<Rejection> {
    let (compiles, output) = run_php_lint(php, bytes)?;
    if compiles {
        return None;
    }
    parse_rejection(&output)
}

/// Whether `php -n -l` rejects `bytes`; `false` when it cannot be run.
pub fn php_rejects(php: &str, bytes: &[u8]) -> bool {
    run_php_lint(php, bytes).is_some_and(|(compiles, _)| !compiles)
}

/// Runs `php -n -l` on `bytes` (standard input): whether it compiles, and what it printed.
fn run_php_lint(php: &str, bytes: &[u8]) -> Option<(bool, String)> {
    let mut child = Command::new(php)
        .args([
            "-n",
            "-l",
            "-d",
            "display_errors=stdout",
            "-d",
            "error_reporting=E_ALL",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut stdin = child.stdin.take()?;
    // A writer thread, so that a large file cannot dead-lock against PHP's output.
    let input = bytes.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().ok()?;
    let _ = writer.join();
    Some((
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    ))
}

/// `PHP Parse error:  syntax error, unexpected token "}" in Standard input code on line 3`.
fn parse_rejection(output: &str) -> Option<Rejection> {
    let line = output
        .lines()
        .map(str::trim)
        .find(|l| l.contains(" error: ") && l.contains(" on line "))?;
    let (head, number) = line.rsplit_once(" on line ")?;
    let message = head.split_once(" error: ").map_or(head, |(_, m)| m);
    let message = message
        .rsplit_once(" in Standard input code")
        .map_or(message, |(m, _)| m)
        .trim();
    Some(Rejection {
        message: message.to_string(),
        line: number.trim().parse().ok()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_phps_message() {
        let out = "PHP Parse error:  syntax error, unexpected token \"{\" in Standard input code on line 2\nErrors parsing Standard input code\n";
        let r = parse_rejection(out).unwrap();
        assert_eq!(r.message, "syntax error, unexpected token \"{\"");
        assert_eq!(r.line, 2);
        let fatal = "\nFatal error: Cannot use 'String' as class name as it is reserved in Standard input code on line 26\n";
        assert_eq!(parse_rejection(fatal).unwrap().line, 26);
    }
}
