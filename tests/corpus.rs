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

/// PHP's tokenizer's view of each file's stray output (see the script's header).
const STRAY_OUTPUT_ORACLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/oracle/php_stray_output.php"
);

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

    // PHP001/PHP002: the tokenizer must see the same stray output, file by file, on every PHP
    // file of the corpus.
    match tokenizer_verdicts(&root) {
        None => panic!(
            "php could not run the tokenizer oracle on the corpus ({} findings to compare)",
            stray.len()
        ),
        Some(verdicts) => {
            let count = |path: &str, code: &str| {
                stray
                    .iter()
                    .filter(|(p, _, c)| p == path && c == code)
                    .count()
            };
            let mut disagree = Vec::new();
            for (path, before, after) in &verdicts {
                let found = (count(path, "PHP002") > 0, count(path, "PHP001"));
                if found != (*before, *after) {
                    disagree.push(format!(
                        "{path}: token_get_all sees stray output before {before}, after {after}; etclint reports PHP002 {}, PHP001 {} times",
                        found.0, found.1
                    ));
                }
            }
            for (path, _, _) in &stray {
                if !verdicts.iter().any(|(p, _, _)| p == path) {
                    disagree.push(format!("{path}: reported, but in no corpus list"));
                }
            }
            println!(
                "stray output: {} files compared with token_get_all, {} disagree",
                verdicts.len(),
                disagree.len()
            );
            assert!(disagree.is_empty(), "{disagree:#?}");
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

/// (path, stray output before the opening tag, stray stretches after closing tags) for every
/// PHP file of the corpus lists, from `token_get_all`.
fn tokenizer_verdicts(root: &Path) -> Option<Vec<(String, bool, usize)>> {
    let mut list = Vec::new();
    for name in ["_lists/php.nul", "_lists/php-inc-phtml.nul"] {
        list.extend(std::fs::read(root.join(name)).ok()?);
        if list.last().is_some_and(|b| *b != 0) {
            list.push(0);
        }
    }
    let mut child = StdCommand::new("php")
        .current_dir(root)
        .args(["-n", "-d", "extension=tokenizer", "-d", "memory_limit=-1"])
        .arg(STRAY_OUTPUT_ORACLE)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .ok()?;
    let mut stdin = child.stdin.take()?;
    let writer = std::thread::spawn(move || stdin.write_all(&list));
    let output = child.wait_with_output().ok()?;
    writer.join().ok()?.ok()?;
    assert!(output.status.success(), "the stray-output oracle failed");
    let text = String::from_utf8_lossy(&output.stdout);
    Some(
        text.lines()
            .filter_map(|line| {
                let mut fields = line.rsplitn(3, '\t');
                let after = fields.next()?.parse().ok()?;
                let before = fields.next()? == "1";
                Some((fields.next()?.to_string(), before, after))
            })
            .collect(),
    )
}
