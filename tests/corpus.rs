//! etclint over the whole real-world corpus (`../shared/corpus/fetch-corpus.sh`), every file
//! whatever its format: no crash, no internal error, and every error-severity finding either
//! confirmed by PHP itself here or listed, with a reviewed reason, in
//! `tests/corpus/expectations.toml`.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;
use std::process::{Command as StdCommand, Stdio};

use assert_cmd::Command;

mod common;
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
struct Expectations {
    finding: Vec<Expected>,
}

#[derive(Deserialize)]
struct Expected {
    path: String,
    line: u64,
    code: String,
    reason: String,
}

/// The unpacked packages: every directory of the cache but its own lists and scratch space.
fn packages(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('_') && !n.starts_with('.'))
        .collect();
    names.sort();
    names
}

/// PHP's tokenizer's view of a file's stray output: (whitespace-only inline HTML before the
/// first open tag, after the last close tag), for code files (one `<?php`, no `<?=`).
const STRAY_OUTPUT_ORACLE: &str = r#"
foreach (array_filter(explode("\0", stream_get_contents(STDIN))) as $f) {
    $t = token_get_all(file_get_contents($f));
    $open = 0; $echo = 0; $before = ''; $after = ''; $last = null;
    foreach ($t as $i => $tok) {
        if (!is_array($tok)) { $last = null; continue; }
        if ($tok[0] === T_OPEN_TAG) $open++;
        if ($tok[0] === T_OPEN_TAG_WITH_ECHO) $echo++;
        if ($tok[0] === T_INLINE_HTML && $i === 0) $before = $tok[1];
        if ($tok[0] === T_INLINE_HTML && $last === T_CLOSE_TAG) $after = $tok[1];
        $last = $tok[0];
    }
    $before = preg_replace('/^(\xEF\xBB\xBF)/', '', $before, 1, $bom);
    $code = $open === 1 && $echo === 0;
    printf("%s\t%d\t%d\n", $f, $code && ($bom || ($before !== '' && trim($before) === '')),
        $code && $after !== '' && trim($after) === '');
}
"#;

#[test]
#[ignore = "needs the corpus and php-cli (tests/setup.sh brings them)"]
fn the_whole_corpus() {
    let root = common::require_corpus();
    common::require_program("php");
    let output = Command::cargo_bin("etclint")
        .unwrap()
        .current_dir(&root)
        .env("NO_COLOR", "1")
        .args(["--isolated", "--format", "json", "--exit-zero"])
        // PHP000 too: php confirms its findings.
        .args(["--extend-select", "PHP000"])
        .args(packages(&root))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        matches!(output.status.code(), Some(0 | 2)),
        "crashed: {:?}\n{stderr}",
        output.status
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    // Exit 2 may only come from files that are not there (links into /etc in the packages).
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("etclint: error"))
        .collect();
    assert!(errors.is_empty(), "unexpected errors: {errors:#?}");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let diagnostics = report["diagnostics"].as_array().unwrap();
    let files = report["files_checked"].as_u64().unwrap();
    assert!(
        diagnostics.iter().all(|d| d["code"] != "ETC999"),
        "internal errors: {diagnostics:?}"
    );

    let error_findings: Vec<(String, u64, String)> = diagnostics
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            (
                d["path"].as_str().unwrap().into(),
                d["start"]["line"].as_u64().unwrap(),
                d["code"].as_str().unwrap().into(),
            )
        })
        .collect();
    let (stray, others): (Vec<_>, Vec<_>) = error_findings
        .iter()
        .partition(|(_, _, code)| code == "PHP001" || code == "PHP002");
    let confirmed_by_php = others
        .iter()
        .filter(|(_, _, code)| code == "PHP000")
        .count();

    // PHP001/PHP002: the tokenizer must see the same stray whitespace.
    if !stray.is_empty() {
        match tokenizer_verdicts(&root, &stray) {
            None => eprintln!(
                "skipped the tokenizer check of {} findings: php not installed",
                stray.len()
            ),
            Some(verdicts) => {
                for (path, _, code) in &stray {
                    let (before, after) = verdicts
                        .iter()
                        .find(|(p, _, _)| p == path)
                        .map(|(_, b, a)| (*b, *a))
                        .unwrap();
                    let agrees = if code == "PHP002" { before } else { after };
                    assert!(
                        agrees,
                        "{path}: {code} but PHP's tokenizer sees no such stray output"
                    );
                }
            }
        }
    }

    let expectations: Expectations =
        toml::from_str(include_str!("corpus/expectations.toml")).unwrap();
    for e in &expectations.finding {
        assert!(
            e.reason.len() > 20,
            "{}:{}: give a real reason",
            e.path,
            e.line
        );
    }
    let expected: BTreeSet<(String, u64, String)> = expectations
        .finding
        .iter()
        .map(|e| (e.path.clone(), e.line, e.code.clone()))
        .collect();
    let found: BTreeSet<(String, u64, String)> = others
        .iter()
        .filter(|(_, _, code)| code != "PHP000")
        .map(|f| (*f).clone())
        .collect();
    let unexpected: Vec<_> = found.difference(&expected).collect();
    let stale: Vec<_> = expected.difference(&found).collect();
    println!(
        "corpus: {files} files checked, {} findings, {} errors: {} stray output confirmed by PHP's tokenizer, {confirmed_by_php} confirmed by php -l, {} reviewed",
        diagnostics.len(),
        error_findings.len(),
        stray.len(),
        found.len()
    );
    assert!(
        unexpected.is_empty(),
        "error findings not reviewed in tests/corpus/expectations.toml: {unexpected:#?}"
    );
    assert!(stale.is_empty(), "expectations no longer found: {stale:#?}");
}

/// (path, stray output before, stray output after) per file, from `token_get_all`.
fn tokenizer_verdicts(
    root: &Path,
    findings: &[&(String, u64, String)],
) -> Option<Vec<(String, bool, bool)>> {
    let mut child = StdCommand::new("php")
        .current_dir(root)
        .args(["-n", "-d", "extension=tokenizer", "-r", STRAY_OUTPUT_ORACLE])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .ok()?;
    let list: Vec<u8> = findings
        .iter()
        .flat_map(|(p, _, _)| p.bytes().chain([0]))
        .collect();
    child.stdin.take()?.write_all(&list).ok()?;
    let output = child.wait_with_output().ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    Some(
        text.lines()
            .filter_map(|line| {
                let mut fields = line.split('\t');
                Some((
                    fields.next()?.to_string(),
                    fields.next()? == "1",
                    fields.next()? == "1",
                ))
            })
            .collect(),
    )
}
