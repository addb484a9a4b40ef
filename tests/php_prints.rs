//! PHP itself as the judge of the stray-output rules (PHP001, PHP002, PHP007): over the
//! fixtures that are safe to run, `php -n FILE` prints what `fixtures/php/prints.tsv` records,
//! and etclint reports a file exactly when that output is not empty. `--fix` on every fixture
//! of those rules and of PHP000 and PHP004 writes a file that `php -l` accepts, and a fixed
//! runnable fixture prints nothing.
//!
//! Safe to run means: the file defines nothing and calls nothing (see `safe_to_run`); only
//! assignments, `__halt_compiler()` and inline text. `ETCLINT_RECORD_PRINTS=1` rewrites
//! `prints.tsv` from what PHP prints now (review the diff).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use assert_cmd::Command;

const STRAY_RULES: &[(&str, &str)] = &[
    ("output-after-closing-tag", "PHP001"),
    ("output-before-opening-tag", "PHP002"),
    ("non-utf8-source", "PHP007"),
];
const FIXED_RULES: &[(&str, &str)] = &[
    ("output-after-closing-tag", "PHP001"),
    ("output-before-opening-tag", "PHP002"),
    ("non-utf8-source", "PHP007"),
    ("removed-long-superglobal", "PHP004"),
    ("syntax-error", "PHP000"),
];
const NEEDS_PHP: &str = "needs php (tests/setup.sh installs it)";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/php")
}

/// Fails with a clear message when php is missing: these tests run only when asked for.
fn require_php() {
    let works = StdCommand::new("php")
        .args(["-n", "-r", "echo 1;"])
        .output()
        .is_ok_and(|o| o.status.success() && o.stdout == b"1");
    assert!(works, "php is not installed: {NEEDS_PHP}");
}

/// The input files of a rule's fixture directory (not the snapshots, not directories).
fn inputs(rule_dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(fixtures().join(rule_dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "php"))
        .collect();
    files.sort();
    files
}

/// Whether running the file can do nothing but print: no calls (a `(` outside
/// `__halt_compiler()` and the data after it), no backticks, no definitions or includes.
fn safe_to_run(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes).to_ascii_lowercase();
    let code = match text.find("__halt_compiler()") {
        Some(at) => &text[..at],
        None => &text[..],
    };
    let words = [
        "function", "class", "include", "require", "new ", "eval", "exit", "die", "echo", "print",
        "goto", "declare", "use ", "<?=",
    ];
    !code.contains('(') && !code.contains('`') && !words.iter().any(|w| code.contains(w))
}

/// What `php -n FILE` prints (standard output), run in the file's directory.
fn php_prints(file: &Path) -> Vec<u8> {
    let output = StdCommand::new("php")
        .arg("-n")
        .arg(file.file_name().unwrap())
        .current_dir(file.parent().unwrap())
        .output()
        .unwrap();
    output.stdout
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The runnable fixtures of the stray-output rules: (path under fixtures/php, rule code).
/// Those of PHP001 and PHP002 only where PHP prints nothing or only whitespace and invisible
/// characters: a template that prints text (`<?php // x ?>Text`) is no code file.
fn runnable() -> Vec<(String, PathBuf, &'static str)> {
    let mut out = Vec::new();
    for (dir, code) in STRAY_RULES {
        for file in inputs(dir) {
            let prints_text =
                || *code != "PHP007" && !etclint::formats::php::is_blank(&php_prints(&file));
            if safe_to_run(&fs::read(&file).unwrap()) && !prints_text() {
                let name = format!("{dir}/{}", file.file_name().unwrap().to_string_lossy());
                out.push((name, file, *code));
            }
        }
    }
    out
}

fn reported(file: &Path, codes: &str, fix: bool) -> usize {
    let mut cmd = Command::cargo_bin("etclint").unwrap();
    cmd.env("NO_COLOR", "1").args([
        "--isolated",
        "--format",
        "json",
        "--exit-zero",
        "--select",
        codes,
    ]);
    if fix {
        cmd.args(["--fix", "--unsafe-fixes"]);
    }
    let output = cmd.arg(file).output().unwrap();
    assert!(
        output.status.success(),
        "{}: {}",
        file.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    report["diagnostics"].as_array().unwrap().len()
}

#[test]
#[ignore = "needs php (tests/setup.sh installs it)"]
fn php_prints_what_the_fixtures_record() {
    require_php();
    let table = fixtures().join("prints.tsv");
    let rows: Vec<String> = runnable()
        .iter()
        .map(|(name, file, _)| format!("{name}\t{}", hex(&php_prints(file))))
        .collect();
    assert!(rows.len() >= 20, "only {} runnable fixtures", rows.len());
    let now = rows.join("\n") + "\n";
    if std::env::var_os("ETCLINT_RECORD_PRINTS").is_some() {
        fs::write(&table, &now).unwrap();
    }
    let recorded = fs::read_to_string(&table).unwrap_or_default();
    assert_eq!(
        recorded, now,
        "php -n prints something else than fixtures/php/prints.tsv records (ETCLINT_RECORD_PRINTS=1 rewrites it)"
    );
}

#[test]
#[ignore = "needs php (tests/setup.sh installs it)"]
fn reported_exactly_where_php_prints() {
    require_php();
    let mut wrong = Vec::new();
    for (name, file, _) in runnable() {
        let prints = !php_prints(&file).is_empty();
        let found = reported(&file, "PHP001,PHP002,PHP007", false) > 0;
        if prints != found {
            wrong.push(format!(
                "{name}: php prints {}, etclint reports {}",
                if prints { "something" } else { "nothing" },
                if found { "it" } else { "nothing" }
            ));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
#[ignore = "needs php (tests/setup.sh installs it)"]
fn fixed_files_compile_and_print_nothing() {
    require_php();
    let dir = tempfile::tempdir().unwrap();
    let mut wrong = Vec::new();
    let mut fixed_count = 0;
    for (rule_dir, code) in FIXED_RULES {
        for file in inputs(rule_dir) {
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            let original = fs::read(&file).unwrap();
            let copy = dir.path().join(format!("{code}-{name}"));
            fs::write(&copy, &original).unwrap();
            let stray = STRAY_RULES.iter().any(|(_, c)| c == code);
            // Each stray-output rule fixes its own part: fix them together.
            reported(
                &copy,
                if stray { "PHP001,PHP002,PHP007" } else { code },
                true,
            );
            let fixed = fs::read(&copy).unwrap();
            if fixed == original {
                continue;
            }
            fixed_count += 1;
            let lint = StdCommand::new("php")
                .args(["-n", "-l"])
                .arg(&copy)
                .output()
                .unwrap();
            if !lint.status.success() {
                wrong.push(format!(
                    "{rule_dir}/{name}: php -l rejects the fixed file: {}",
                    String::from_utf8_lossy(&lint.stdout).trim()
                ));
            }
            if stray && safe_to_run(&fixed) {
                let printed = php_prints(&copy);
                if !printed.is_empty() {
                    wrong.push(format!(
                        "{rule_dir}/{name}: the fixed file still prints {}",
                        hex(&printed)
                    ));
                }
            }
        }
    }
    assert!(fixed_count >= 20, "only {fixed_count} fixtures were fixed");
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn safe_to_run_refuses_calls_and_definitions() {
    assert!(safe_to_run(b"<?php\n$a = 1;\n?>\n\n"));
    assert!(safe_to_run(b" <?php\n__halt_compiler();(\x00"));
    assert!(!safe_to_run(b"<?php\nunlink('x');\n"));
    assert!(!safe_to_run(b"<?php\nfunction f() {}\n"));
    assert!(!safe_to_run(b"<?php\n$a = `ls`;\n"));
    assert!(!safe_to_run(b"<?php echo $a;"));
    assert!(!safe_to_run(b"<?= $a ?>"));
}

/// The fix loop's check for PHP is PHP's own: it rejects what tree-sitter accepts.
#[test]
#[ignore = "needs php (tests/setup.sh installs it)"]
fn the_fix_loop_asks_php() {
    require_php();
    let handler = etclint::formats::handlers()
        .iter()
        .find(|h| h.format() == etclint::formats::Format::Php)
        .unwrap();
    let fails = handler.syntax_check().unwrap();
    let reassigned = b"<?php\nfunction f($_GET)\n{\n}\n";
    assert!(!etclint::formats::php::has_syntax_error(reassigned));
    assert!(fails(reassigned), "php -l rejects a parameter named $_GET");
    assert!(fails(b"<?php\n$f = function () use ($_GET) {};\n"));
    assert!(!fails(b"<?php\n$a = $_GET;\n"));
}
