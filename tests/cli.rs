//! The command line as users and scripts rely on it: exit codes, output formats, fixing,
//! diffs that `git apply` accepts, standard input, and bad input.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command as StdCommand;

use common::{etclint, tree};
use predicates::prelude::*;
use serde_json::Value;

const CONFIG_WITH_BLANK_LINE: &str = "<?php\n$db_host = 'localhost';\n?>\n\n";
const LONG_ARRAY: &str = "<?php\n$id = $HTTP_GET_VARS['id'];\n";

fn json_of(output: &[u8]) -> Value {
    serde_json::from_slice(output)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(output)))
}

#[test]
fn clean_tree_exits_zero() {
    let dir = tree(&[("ok.php", "<?php\necho 1;\n")]);
    etclint()
        .current_dir(dir.path())
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "All checks passed (1 file checked)",
        ));
}

#[test]
fn findings_exit_one_and_exit_zero_overrides() {
    let dir = tree(&[("config.php", CONFIG_WITH_BLANK_LINE)]);
    etclint()
        .current_dir(dir.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains("PHP001"));
    etclint()
        .current_dir(dir.path())
        .arg("--exit-zero")
        .assert()
        .code(0);
}

#[test]
fn usage_and_io_errors_exit_two_but_other_files_are_checked() {
    let dir = tree(&[("config.php", CONFIG_WITH_BLANK_LINE)]);
    etclint()
        .current_dir(dir.path())
        .args(["--format", "concise", "config.php", "missing.php"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains(
            "config.php:4:1: PHP001 [output-after-closing-tag]",
        ))
        .stderr(predicate::str::contains(
            "missing.php: No such file or directory",
        ));
    etclint()
        .args(["--select", "PHP01"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean"));
    etclint().args(["--format", "yaml"]).assert().code(2);
}

#[test]
fn concise_format() {
    let dir = tree(&[("a.php", LONG_ARRAY)]);
    etclint()
        .current_dir(dir.path())
        .args(["--format", "concise", "a.php"])
        .assert()
        .code(1)
        .stdout(
            "a.php:2:7: PHP004 [removed-long-superglobal] $HTTP_GET_VARS was removed in PHP 5.4: on PHP 8.2 it is an undefined variable, not the request's data\n\
             Found 1 problem in 1 file. 1 fixable with --fix.\n",
        );
}

#[test]
fn json_follows_the_contract() {
    let dir = tree(&[("a.php", LONG_ARRAY), ("b.php", "<?php\n")]);
    let output = etclint()
        .current_dir(dir.path())
        .args(["--format", "json", "a.php", "b.php"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report = json_of(&output.stdout);
    assert_eq!(report["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(report["files_checked"], 2);
    let d = &report["diagnostics"][0];
    assert_eq!(d["code"], "PHP004");
    assert_eq!(d["name"], "removed-long-superglobal");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["path"], "a.php");
    assert_eq!(
        d["start"],
        serde_json::json!({"line": 2, "column": 7, "offset": 12})
    );
    assert_eq!(
        d["end"],
        serde_json::json!({"line": 2, "column": 21, "offset": 26})
    );
    assert!(d["labels"].is_array() && d["notes"].is_array());
    assert_eq!(d["fix"]["applicability"], "safe");
    assert_eq!(d["fix"]["edits"][0]["replacement"], "$_GET");
    assert_eq!(d["fix"]["edits"][0]["start"]["offset"], 12);
}

#[test]
fn text_format_shows_a_code_frame_and_colours_on_request() {
    let dir = tree(&[("a.php", LONG_ARRAY)]);
    etclint()
        .current_dir(dir.path())
        .arg("a.php")
        .assert()
        .stdout(predicate::str::contains(
            "error[PHP004/removed-long-superglobal]",
        ))
        .stdout(predicate::str::contains("┌─ a.php:2:7"))
        .stdout(predicate::str::contains("\u{1b}[").not());
    etclint()
        .current_dir(dir.path())
        .args(["--color", "always", "a.php"])
        .assert()
        .stdout(predicate::str::contains("\u{1b}["));
}

#[test]
fn fix_writes_and_then_the_tree_is_clean() {
    let dir = tree(&[
        ("config.php", CONFIG_WITH_BLANK_LINE),
        ("a.php", LONG_ARRAY),
    ]);
    etclint()
        .current_dir(dir.path())
        .arg("--fix")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Fixed 2 problems."));
    assert_eq!(
        fs::read_to_string(dir.path().join("config.php")).unwrap(),
        "<?php\n$db_host = 'localhost';\n"
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("a.php")).unwrap(),
        "<?php\n$id = $_GET['id'];\n"
    );
    etclint().current_dir(dir.path()).assert().code(0);
}

#[test]
fn unsafe_fixes_need_the_flag() {
    // Writing an element of the long array: the fix makes it write the real superglobal.
    let shim = "<?php\n$HTTP_POST_VARS['seen'] = 1;\n";
    let dir = tree(&[("shim.php", shim)]);
    etclint()
        .current_dir(dir.path())
        .arg("--fix")
        .assert()
        .code(1);
    assert_eq!(
        fs::read_to_string(dir.path().join("shim.php")).unwrap(),
        shim
    );
    etclint()
        .current_dir(dir.path())
        .args(["--fix", "--unsafe-fixes"])
        .assert()
        .code(0);
    assert_eq!(
        fs::read_to_string(dir.path().join("shim.php")).unwrap(),
        "<?php\n$_POST['seen'] = 1;\n"
    );
}

#[test]
fn diff_writes_nothing_and_git_applies_it() {
    let dir = tree(&[
        ("site/config.php", CONFIG_WITH_BLANK_LINE),
        ("site/crlf.php", "<?php\r\n$a = 1;\r\n?>\r\n\r\n"),
    ]);
    let output = etclint()
        .current_dir(dir.path())
        .arg("--diff")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let diff = String::from_utf8(output.stdout).unwrap();
    assert!(
        diff.contains("--- a/site/config.php\n+++ b/site/config.php\n"),
        "{diff}"
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("site/config.php")).unwrap(),
        CONFIG_WITH_BLANK_LINE
    );

    let git = |args: &[&str]| {
        let status = StdCommand::new("git")
            .args(args)
            .current_dir(dir.path())
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    };
    git(&["init", "-q"]);
    fs::write(dir.path().join("fixes.patch"), &diff).unwrap();
    git(&["apply", "--check", "fixes.patch"]);
    git(&["apply", "fixes.patch"]);
    assert_eq!(
        fs::read_to_string(dir.path().join("site/config.php")).unwrap(),
        "<?php\n$db_host = 'localhost';\n"
    );
    assert_eq!(
        fs::read(dir.path().join("site/crlf.php")).unwrap(),
        b"<?php\r\n$a = 1;\r\n"
    );
}

#[test]
fn stdin_with_a_file_name() {
    etclint()
        .args([
            "--format",
            "concise",
            "--stdin-filename",
            "lib/config.php",
            "-",
        ])
        .write_stdin(CONFIG_WITH_BLANK_LINE)
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with("lib/config.php:4:1: PHP001"));
    etclint()
        .args(["--fix", "--stdin-filename", "config.php", "-"])
        .write_stdin(CONFIG_WITH_BLANK_LINE)
        .assert()
        .code(0)
        .stdout("<?php\n$db_host = 'localhost';\n");
    // A file with nothing to fix comes back unchanged, not empty (an editor's format-on-save
    // replaces the buffer with what it gets).
    for (name, clean) in [
        ("apache2.conf", "Listen 80\n"),
        ("site/.htaccess", "Options -Indexes\n"),
    ] {
        etclint()
            .args(["--fix", "--stdin-filename", name, "-"])
            .write_stdin(clean)
            .assert()
            .code(0)
            .stdout(clean);
    }
    etclint()
        .arg("-")
        .write_stdin("x")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--stdin-filename"));
    etclint()
        .args(["--as", "php", "-"])
        .write_stdin(LONG_ARRAY)
        .assert()
        .code(1);
}

#[test]
fn select_and_ignore_by_code_name_and_prefix() {
    let dir = tree(&[
        ("a.php", LONG_ARRAY),
        ("config.php", CONFIG_WITH_BLANK_LINE),
    ]);
    let codes = |args: &[&str]| -> Vec<String> {
        let output = etclint()
            .current_dir(dir.path())
            .args(["--format", "json"])
            .args(args)
            .output()
            .unwrap();
        let report = json_of(&output.stdout);
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(codes(&[]), ["PHP004", "PHP001"]);
    assert_eq!(codes(&["--select", "PHP001"]), ["PHP001"]);
    assert_eq!(codes(&["--select", "removed-long-superglobal"]), ["PHP004"]);
    assert_eq!(codes(&["--ignore", "PHP00"]), Vec::<String>::new());
    assert_eq!(
        codes(&["--select", "PHP", "--ignore", "PHP004"]),
        ["PHP001"]
    );
}

#[test]
fn bad_input_never_stops_the_run() {
    let dir = tree(&[("config.php", CONFIG_WITH_BLANK_LINE), ("empty.php", "")]);
    // A NUL before the opening tag: a PHP string may hold one, an image may not.
    fs::write(dir.path().join("binary.php"), b"GIF89a\0\x01<?php").unwrap();
    fs::write(
        dir.path().join("latin1.php"),
        b"<?php\n$s = 'caf\xe9';\n?>\n\n",
    )
    .unwrap();
    let output = etclint()
        .current_dir(dir.path())
        .args(["--format", "concise"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stdout.contains("config.php:4:1: PHP001"), "{stdout}");
    assert!(stdout.contains("latin1.php:4:1: PHP001"), "{stdout}");
    assert!(
        stderr.contains("binary.php: not checked: a binary file (NUL byte at offset 6)"),
        "{stderr}"
    );
}

#[test]
fn fixing_keeps_bytes_that_are_not_utf8() {
    let dir = tree(&[]);
    let latin1: &[u8] = b"<?php\n$s = 'caf\xe9';\n?>\n\n";
    fs::write(dir.path().join("latin1.php"), latin1).unwrap();
    etclint()
        .current_dir(dir.path())
        .arg("--fix")
        .assert()
        .code(0);
    assert_eq!(
        fs::read(dir.path().join("latin1.php")).unwrap(),
        b"<?php\n$s = 'caf\xe9';\n"
    );
}

#[test]
fn rules_explain_and_dump() {
    etclint()
        .arg("rules")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("PHP001  output-after-closing-tag"));
    let output = etclint()
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    let rules = json_of(&output.stdout);
    assert!(rules
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["code"] == "PHP003" && r["fix"] == "safe"));
    etclint()
        .args(["explain", "output-after-closing-tag"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "Why is this bad?\n----------------\n",
        ))
        .stdout(predicate::str::contains("+++").not());
    etclint()
        .args(["explain", "PHP01"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean"));

    let dir = tree(&[("config.php", CONFIG_WITH_BLANK_LINE)]);
    let output = etclint()
        .current_dir(dir.path())
        .args(["dump", "config.php"])
        .output()
        .unwrap();
    let model = json_of(&output.stdout);
    let kinds: Vec<&str> = model["regions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["open_tag", "close_tag", "inline_html"]);
    assert_eq!(model["regions"][2]["start"]["offset"], 33);
    assert!(Path::new(env!("CARGO_MANIFEST_DIR")).join("lints").is_dir());
}

#[test]
fn every_format_of_the_design_is_parsed() {
    // Every format has its handler now: a main.cf and a menu.lst are checked, not set aside as
    // "not parsed yet".
    let dir = tree(&[
        ("etc/postfix/main.cf", "myhostname = x\n"),
        ("boot/grub/menu.lst", "default 0\ntitle A\nroot (hd0,0)\n"),
    ]);
    etclint()
        .current_dir(dir.path())
        .assert()
        .code(0)
        .stderr(predicate::str::contains("not parse yet").not())
        .stdout("All checks passed (2 files checked).\n");
}

#[test]
fn fixes_keep_the_bom_a_missing_final_newline_and_mixed_line_endings() {
    let dir = tree(&[]);
    let cases: &[(&str, &[u8], &[u8])] = &[
        (
            "bom.php",
            b"\xef\xbb\xbf<?php\n$a = 1;\n?>\n\n",
            b"\xef\xbb\xbf<?php\n$a = 1;\n",
        ),
        (
            "no-final-newline.php",
            b"<?php\n$a = $HTTP_GET_VARS;",
            b"<?php\n$a = $_GET;",
        ),
        (
            "mixed.php",
            b"<?php\r\n$a = $HTTP_GET_VARS;\n$b = 1;\r\n",
            b"<?php\r\n$a = $_GET;\n$b = 1;\r\n",
        ),
        (
            "crlf-trailing.php",
            b"<?php\r\n$a = 1;\r\n?>\r\n \r\n",
            b"<?php\r\n$a = 1;\r\n",
        ),
    ];
    for (name, before, _) in cases {
        fs::write(dir.path().join(name), before).unwrap();
    }
    // PHP002 would remove the BOM: this is about the fixes of the other rules.
    etclint()
        .current_dir(dir.path())
        .args(["--fix", "--ignore", "PHP002"])
        .assert()
        .code(0);
    for (name, _, after) in cases {
        assert_eq!(fs::read(dir.path().join(name)).unwrap(), *after, "{name}");
    }
}

/// PHP's include facts go through the workspace: an absolute include resolves under `--root`,
/// and the finding in the included file names the includer, with labels there.
#[test]
fn absolute_includes_resolve_under_the_root() {
    let dir = tree(&[
        (
            "srv/var/www/index.php",
            "<?php\nrequire '/var/www/lib/config.php';\nheader('Location: /login');\n",
        ),
        ("srv/var/www/lib/config.php", CONFIG_WITH_BLANK_LINE),
    ]);
    let run = |root: &str| {
        let output = etclint()
            .current_dir(dir.path())
            .args(["--format", "json", "--root", root, "srv"])
            .output()
            .unwrap();
        json_of(&output.stdout)
    };
    let json = run("srv");
    let finding = &json["diagnostics"][0];
    assert_eq!(finding["path"], "srv/var/www/lib/config.php");
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .ends_with("this breaks the headers of `srv/var/www/index.php`, which includes it"),
        "{finding}"
    );
    let labels: Vec<&str> = finding["labels"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["path"] == "srv/var/www/index.php")
        .map(|l| l["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        labels,
        ["included here", "header() fails: headers already sent"]
    );
    // Another root: the include names a file that is not in the run.
    let json = run(".");
    assert!(!json["diagnostics"][0]["message"]
        .as_str()
        .unwrap()
        .contains("includes it"));
}

#[test]
fn target_versions_from_the_command_line() {
    let dir = tree(&[("a.php", LONG_ARRAY)]);
    let severity = |args: &[&str]| {
        let output = etclint()
            .current_dir(dir.path())
            .args(["--format", "json"])
            .args(args)
            .arg("a.php")
            .output()
            .unwrap();
        json_of(&output.stdout)["diagnostics"][0]["severity"].clone()
    };
    assert_eq!(severity(&[]), "error");
    assert_eq!(severity(&["--target", "php=5.3"]), "warning");
    assert_eq!(severity(&["--target-php", "5.3"]), "warning");
    etclint()
        .args(["--target", "phpp=5.3", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `php`"));
    etclint()
        .args(["--target", "php", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not NAME=VERSION"));
    let output = etclint()
        .current_dir(dir.path())
        .args(["config", "--target", "postfix=3.5"])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains(
            "[target]\nphp = \"8.2\"\npostfix = \"3.5\"\napache = \"2.4\"\nwget = \"1.21\"\n"
        ),
        "{text}"
    );
}

/// After `--fix`, what remains is shown where it is in the fixed file.
#[test]
fn remaining_findings_point_into_the_fixed_file() {
    let dir = tree(&[("a.php", "  \n\n<?php\nextract($_GET);\n")]);
    etclint()
        .current_dir(dir.path())
        .args(["--fix", "--format", "concise", "a.php"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("a.php:2:1: PHP005"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.php")).unwrap(),
        "<?php\nextract($_GET);\n"
    );
}
