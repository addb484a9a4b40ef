//! etclint.toml, inline suppressions, ETC001 and baselines, through the command line.

mod common;

use std::fs;

use assert_cmd::Command;
use common::tree;
use predicates::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

const LONG_ARRAY: &str = "<?php\n$id = $HTTP_GET_VARS['id'];\n";
const EXTRACT: &str = "<?php\nextract($_POST);\n";

fn etclint(dir: &TempDir) -> Command {
    let mut cmd = Command::cargo_bin("etclint").unwrap();
    cmd.current_dir(dir.path())
        .env_remove("GITHUB_ACTIONS")
        .env("NO_COLOR", "1");
    cmd
}

/// (path, line, code) of each finding, from the JSON report.
fn findings(cmd: &mut Command) -> Vec<(String, u64, String)> {
    let output = cmd.args(["--format", "json"]).output().unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["start"]["line"].as_u64().unwrap(),
                d["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn codes(cmd: &mut Command) -> Vec<String> {
    findings(cmd).into_iter().map(|(_, _, code)| code).collect()
}

#[test]
fn config_is_found_upwards_and_selects() {
    let dir = tree(&[
        ("etclint.toml", "select = [\"PHP004\"]\n"),
        ("site/a.php", LONG_ARRAY),
        ("site/b.php", EXTRACT),
    ]);
    let mut cmd = etclint(&dir);
    cmd.current_dir(dir.path().join("site"));
    assert_eq!(codes(&mut cmd), ["PHP004"]);
    assert_eq!(codes(etclint(&dir).arg("--isolated")), ["PHP004", "PHP005"]);
    assert_eq!(
        codes(etclint(&dir).args(["--select", "PHP005"])),
        ["PHP005"],
        "--select replaces the file's selection"
    );
}

#[test]
fn hidden_config_and_explicit_config() {
    let dir = tree(&[
        (".etclint.toml", "select = [\"PHP005\"]\n"),
        ("other.toml", "select = [\"PHP004\"]\n"),
        ("a.php", LONG_ARRAY),
        ("b.php", EXTRACT),
    ]);
    assert_eq!(codes(&mut etclint(&dir)), ["PHP005"]);
    assert_eq!(
        codes(etclint(&dir).args(["--config", "other.toml"])),
        ["PHP004"]
    );
}

#[test]
fn bad_configuration_is_an_error_with_line_and_suggestion() {
    let dir = tree(&[
        (
            "etclint.toml",
            "select = [\"PHP004\"]\nexlude = [\"vendor\"]\n",
        ),
        ("a.php", LONG_ARRAY),
    ]);
    etclint(&dir)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "etclint.toml:2: unknown key `exlude` (did you mean `exclude`?)",
        ));
    fs::write(
        dir.path().join("etclint.toml"),
        "[severity]\nPHP0044 = \"error\"\n",
    )
    .unwrap();
    etclint(&dir)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "etclint.toml:2: unknown rule `PHP0044` (did you mean `PHP004`?)",
        ));
}

#[test]
fn exclude_per_file_ignores_formats_and_severity() {
    let config = r#"
exclude = ["vendor"]
[per-file-ignores]
"legacy/*.php" = ["PHP004"]
[formats]
"*.tpl" = "php"
[severity]
PHP005 = "error"
"#;
    let dir = tree(&[
        ("etclint.toml", config),
        ("vendor/lib.php", LONG_ARRAY),
        ("legacy/old.php", LONG_ARRAY),
        ("legacy/form.php", EXTRACT),
        ("views/page.tpl", LONG_ARRAY),
    ]);
    let found = findings(&mut etclint(&dir));
    let paths: Vec<&str> = found.iter().map(|(p, _, _)| p.as_str()).collect();
    assert_eq!(paths, ["legacy/form.php", "views/page.tpl"]);
    let output = etclint(&dir).args(["--format", "json"]).output().unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["diagnostics"][0]["severity"], "error");

    // pre-commit names files explicitly: exclusions apply to them only with --force-exclude.
    assert_eq!(codes(etclint(&dir).arg("vendor/lib.php")), ["PHP004"]);
    assert_eq!(
        codes(etclint(&dir).args(["--force-exclude", "vendor/lib.php"])),
        Vec::<String>::new()
    );
}

#[test]
fn config_command_prints_the_effective_configuration() {
    let dir = tree(&[(
        "etclint.toml",
        "extend-select = [\"PHP000\"]\n[target]\nphp = \"7.4\"\n",
    )]);
    etclint(&dir)
        .arg("config")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("\"PHP000\""))
        .stdout(predicate::str::contains("php = \"7.4\""))
        .stdout(predicate::str::contains(
            "[rules.PHP001]\noutput-functions = []",
        ));
}

#[test]
fn target_php_before_5_4_makes_long_arrays_a_warning() {
    let dir = tree(&[
        ("etclint.toml", "[target]\nphp = \"5.3\"\n"),
        ("a.php", LONG_ARRAY),
    ]);
    let output = etclint(&dir).args(["--format", "json"]).output().unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["diagnostics"][0]["severity"], "warning");
}

#[test]
fn inline_suppressions_in_every_php_comment_style() {
    let code = "<?php\n// etclint: ignore[PHP004] read by the old installer\n$a = $HTTP_GET_VARS['a'];\n# etclint: ignore[removed-long-superglobal]\n$b = $HTTP_GET_VARS['b'];\n/* etclint: ignore[PHP004] */\n$c = $HTTP_GET_VARS['c'];\n$d = $HTTP_GET_VARS['d'];\n";
    let dir = tree(&[("a.php", code)]);
    assert_eq!(
        findings(&mut etclint(&dir)),
        [("a.php".to_string(), 8, "PHP004".to_string())]
    );
    assert_eq!(codes(etclint(&dir).arg("--no-inline-ignores")).len(), 4);

    let file_wide = "<?php\n$a = $HTTP_GET_VARS['a'];\n// etclint: ignore-file[PHP004] legacy code, rewritten in 2027\n$b = $HTTP_POST_VARS['b'];\n";
    fs::write(dir.path().join("a.php"), file_wide).unwrap();
    assert_eq!(codes(&mut etclint(&dir)), Vec::<String>::new());
}

#[test]
fn unused_suppressions_are_reported_and_fixed() {
    let code = "<?php\n// etclint: ignore[PHP004] was needed once\n$a = $_GET['a'];\n$b = 1; // etclint: ignore[PHP004, PHP005]\nextract($_POST);\n// etclint: ignore[PHP999]\n";
    let dir = tree(&[("a.php", code)]);
    let found = findings(&mut etclint(&dir));
    assert_eq!(
        found
            .iter()
            .map(|(_, l, c)| (*l, c.as_str()))
            .collect::<Vec<_>>(),
        [(2, "ETC001"), (4, "ETC001"), (6, "ETC001")],
        "the PHP005 code on line 4 is used"
    );
    // Not reported when the rule did not run.
    assert_eq!(
        codes(etclint(&dir).args(["--ignore", "PHP004"])),
        ["ETC001"],
        "only the unknown code is left"
    );
    etclint(&dir).arg("--fix").assert().code(0);
    assert_eq!(
        fs::read_to_string(dir.path().join("a.php")).unwrap(),
        "<?php\n$a = $_GET['a'];\n$b = 1; // etclint: ignore[PHP005]\nextract($_POST);\n"
    );
}

#[test]
fn baseline_hides_recorded_findings_and_survives_edits_elsewhere() {
    let original = "<?php\nfunction a() {\n    return $HTTP_GET_VARS['a'];\n}\nfunction b() {\n    return $HTTP_POST_VARS['b'];\n}\n";
    let dir = tree(&[("src/a.php", original)]);
    etclint(&dir)
        .args(["--write-baseline", "baseline.json"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("recorded 2 findings"));
    etclint(&dir)
        .args(["--baseline", "baseline.json"])
        .assert()
        .code(0);

    // Lines added above move the findings: still recorded.
    let moved = format!(
        "<?php\n// a header comment\n// and another\n{}",
        &original[6..]
    );
    fs::write(dir.path().join("src/a.php"), &moved).unwrap();
    etclint(&dir)
        .args(["--baseline", "baseline.json"])
        .assert()
        .code(0);

    // A new finding below is reported; the old ones stay hidden.
    let added = format!("{moved}function c() {{\n    return $HTTP_COOKIE_VARS['c'];\n}}\n");
    fs::write(dir.path().join("src/a.php"), &added).unwrap();
    let mut cmd = etclint(&dir);
    cmd.args(["--baseline", "baseline.json"]);
    assert_eq!(
        findings(&mut cmd),
        [("src/a.php".to_string(), 11, "PHP004".to_string())]
    );

    // An edit on the finding's line makes it a new finding.
    let edited = added.replace(
        "return $HTTP_GET_VARS['a'];",
        "return trim($HTTP_GET_VARS['a']);",
    );
    fs::write(dir.path().join("src/a.php"), &edited).unwrap();
    let mut cmd = etclint(&dir);
    cmd.args(["--baseline", "baseline.json"]);
    let lines: Vec<u64> = findings(&mut cmd).into_iter().map(|(_, l, _)| l).collect();
    assert_eq!(lines, [5, 11]);

    // From another directory, with the baseline named relative to it.
    let mut cmd = etclint(&dir);
    cmd.current_dir(dir.path().join("src"))
        .args(["--baseline", "../baseline.json", "a.php"]);
    assert_eq!(findings(&mut cmd).len(), 2);
}

#[test]
fn statistics_and_output_file() {
    let dir = tree(&[
        ("a.php", LONG_ARRAY),
        ("b.php", LONG_ARRAY),
        ("c.php", EXTRACT),
    ]);
    etclint(&dir)
        .arg("--statistics")
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "     2  PHP004  removed-long-superglobal         [2 fixable]",
        ))
        .stdout(predicate::str::contains(
            "     1  PHP005  extract-request-variables",
        ));
    etclint(&dir)
        .args(["--format", "json", "--output", "report.json"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("Found 3 problems in 3 files."));
    let report: Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("report.json")).unwrap()).unwrap();
    assert_eq!(report["diagnostics"].as_array().unwrap().len(), 3);
}

#[test]
fn completions_and_man_page() {
    let dir = tree(&[]);
    etclint(&dir)
        .args(["completions", "bash"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("--unsafe-fixes"));
    etclint(&dir)
        .arg("man")
        .assert()
        .code(0)
        .stdout(predicate::str::contains(".TH etclint 1"));
}
