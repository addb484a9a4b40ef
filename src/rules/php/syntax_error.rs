//! PHP000: a file PHP refuses to compile. tree-sitter finds the candidates at parse speed;
//! PHP itself (`php -l`) confirms each one, because tree-sitter's grammar disagrees with PHP's
//! on about half of the files it rejects (keywords used as names, `exit -1`…).

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use crate::formats::php::PhpFile;
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
    if !tree.root_node().has_error() {
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

struct Rejection {
    message: String,
    line: usize,
}

/// PHP's verdict on `bytes`, read from standard input: `None` when it compiles.
fn php_lint(php: &str, bytes: &[u8]) -> Option<Rejection> {
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
    if output.status.success() {
        return None;
    }
    parse_rejection(&String::from_utf8_lossy(&output.stdout))
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
