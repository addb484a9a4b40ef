//! What a run tells the user: only files that were checked count as checked, "Fixed" only for
//! what was written, a file named twice is one file, notes first and the summary last, and
//! values out of range are errors.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::process::Command as StdCommand;

use common::{etclint, tree};
use predicates::prelude::*;
use serde_json::Value;

const CLEAN: &str = "<?php\necho 1;\n";
const LONG_ARRAY: &str = "<?php\n$id = $HTTP_GET_VARS['id'];\n";

/// A tree with one file of each kind that is not checked, beside a clean PHP file.
fn mixed_tree() -> tempfile::TempDir {
    let dir = tree(&[
        ("ok.php", CLEAN),
        ("big.php", &format!("<?php\n{}\n", "$a = 1;\n".repeat(100))),
        ("bin.php", "\0\u{1}binary"),
    ]);
    std::os::unix::fs::symlink("nowhere.php", dir.path().join("dangling.php")).unwrap();
    dir
}

fn json_of(output: &[u8]) -> Value {
    serde_json::from_slice(output)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(output)))
}

#[test]
fn a_missing_file_is_not_all_checks_passed() {
    let dir = tree(&[]);
    etclint()
        .current_dir(dir.path())
        .arg("nosuch.php")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "nosuch.php: No such file or directory",
        ))
        .stdout("Nothing checked. 1 not checked: 1 missing — see the notes.\n");
}

#[test]
fn files_not_checked_are_counted_by_reason() {
    let dir = mixed_tree();
    etclint()
        .current_dir(dir.path())
        .args(["--max-file-size", "500"])
        .assert()
        .code(0)
        .stdout(
            "All checks passed (1 file checked). 3 not checked: 1 too large, 1 binary, \
             1 broken symlink — see the notes.\n",
        );
    // Named on the command line, a file not checked fails the run and passes nothing.
    etclint()
        .current_dir(dir.path())
        .args(["ok.php", "bin.php"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("All checks passed").not())
        .stdout("No problems found in 1 file checked. 1 not checked: 1 binary — see the notes.\n");
}

#[test]
fn machine_formats_list_the_files_not_checked() {
    let dir = mixed_tree();
    let output = etclint()
        .current_dir(dir.path())
        .args(["--max-file-size", "500", "--format", "json"])
        .output()
        .unwrap();
    let report = json_of(&output.stdout);
    assert_eq!(report["files_checked"], 1);
    let mut reasons: Vec<(String, String)> = report["files_not_checked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    reasons.sort();
    assert_eq!(
        reasons,
        [
            ("big.php".into(), "too-large".into()),
            ("bin.php".into(), "binary".into()),
            ("dangling.php".into(), "broken-symlink".into()),
        ]
    );
    // The summary goes to standard error, beside the machine-readable report.
    assert!(String::from_utf8_lossy(&output.stderr).contains("3 not checked"));

    let junit = etclint()
        .current_dir(dir.path())
        .args(["--max-file-size", "500", "--format", "junit"])
        .output()
        .unwrap();
    let xml = String::from_utf8(junit.stdout).unwrap();
    assert!(
        xml.contains("skipped=\"3\""),
        "binary and large files are not passed:\n{xml}"
    );
    assert!(xml.contains("<skipped message=\"not checked: a binary file"));

    let github = etclint()
        .current_dir(dir.path())
        .args(["--max-file-size", "500", "--format", "github"])
        .output()
        .unwrap();
    let log = String::from_utf8(github.stdout).unwrap();
    assert!(
        log.contains("::warning title=etclint%3A files not checked::etclint did not check 3"),
        "{log}"
    );
}

#[test]
fn fixed_is_said_only_of_files_written() {
    let dir = tree(&[("a.php", LONG_ARRAY)]);
    let path = dir.path().join("a.php");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
    etclint()
        .current_dir(dir.path())
        .args(["--fix", "a.php"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not fixed: the file is read-only"))
        .stdout(predicate::str::contains("Fixed").not())
        .stdout(predicate::str::contains(
            "1 fixed file could not be written. Found 1 problem in 1 file.",
        ));
    assert_eq!(fs::read_to_string(&path).unwrap(), LONG_ARRAY);
}

#[test]
fn a_file_named_twice_is_checked_and_fixed_once() {
    let dir = tree(&[("a.php", LONG_ARRAY), ("sub/x", "")]);
    let absolute = dir.path().join("a.php");
    let absolute = absolute.to_str().unwrap();
    etclint()
        .current_dir(dir.path())
        .args(["--fix", "a.php", absolute, "sub/../a.php", "./a.php"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("changed on disk").not())
        .stdout("Fixed 1 problem.\n");
    fs::write(dir.path().join("a.php"), LONG_ARRAY).unwrap();
    let diff = etclint()
        .current_dir(dir.path())
        .args(["--diff", "a.php", absolute])
        .output()
        .unwrap();
    let patch = String::from_utf8(diff.stdout).unwrap();
    assert_eq!(patch.matches("+++ ").count(), 1, "{patch}");
}

#[test]
fn notes_come_first_and_the_summary_last() {
    let dir = tree(&[("a.php", LONG_ARRAY), ("bin.php", "\0")]);
    let output = StdCommand::new("sh")
        .current_dir(dir.path())
        .arg("-c")
        .arg(format!(
            "{} --color never . 2>&1",
            env!("CARGO_BIN_EXE_etclint")
        ))
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let note = lines.iter().position(|l| l.contains("binary")).unwrap();
    let finding = lines.iter().position(|l| l.contains("PHP004")).unwrap();
    assert!(note < finding, "{text}");
    assert_eq!(
        lines.last().copied(),
        Some(
            "Found 1 problem in 1 file. 1 fixable with --fix. 1 not checked: 1 binary — see the notes."
        ),
        "{text}"
    );
    let concise = etclint()
        .current_dir(dir.path())
        .args(["--format", "concise", "a.php"])
        .output()
        .unwrap();
    let text = String::from_utf8(concise.stdout).unwrap();
    assert_eq!(
        text.lines().last(),
        Some("Found 1 problem in 1 file. 1 fixable with --fix.")
    );
}

#[test]
fn an_empty_selection_says_so() {
    let dir = tree(&[("docs/readme.txt", "hello\n")]);
    etclint()
        .current_dir(dir.path())
        .arg("docs")
        .assert()
        .code(0)
        .stdout("No files to check under docs.\n");
}

#[test]
fn statistics_follow_the_format_and_end_with_the_summary() {
    let dir = tree(&[("a.php", LONG_ARRAY), ("ok.php", CLEAN)]);
    let output = etclint()
        .current_dir(dir.path())
        .args(["--statistics", "--format", "json", "a.php"])
        .output()
        .unwrap();
    assert_eq!(
        json_of(&output.stdout),
        serde_json::json!([{"code": "PHP004", "name": "removed-long-superglobal", "count": 1, "fixable": 1}])
    );
    etclint()
        .current_dir(dir.path())
        .args(["--statistics", "ok.php"])
        .assert()
        .code(0)
        .stdout("All checks passed (1 file checked).\n");
}

#[test]
fn stdin_filename_alone_reads_standard_input() {
    let dir = tree(&[("other.php", LONG_ARRAY)]);
    etclint()
        .current_dir(dir.path())
        .args(["--stdin-filename", "config.php", "--format", "concise"])
        .write_stdin(LONG_ARRAY)
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with("config.php:2:7: PHP004"));
    etclint()
        .current_dir(dir.path())
        .args(["--stdin-filename", "config.php", "other.php"])
        .write_stdin(LONG_ARRAY)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("add `-`"));
}

#[test]
fn values_out_of_range_are_errors() {
    for (args, expected) in [
        (&["--target-php", "99"][..], "give 4.0 to 8.5"),
        (&["--target", "wget=0.1"][..], "give 1.10 to 1.25"),
        (&["--jobs", "0"][..], "--jobs 0: give 1 or more"),
        (&["--max-file-size", "0"][..], "1 byte or more"),
    ] {
        etclint()
            .args(args)
            .arg("nosuch.php")
            .assert()
            .code(2)
            .stderr(predicate::str::contains(expected));
    }
}

#[test]
fn diffs_name_paths_from_the_current_directory() {
    let dir = tree(&[("site/a.php", LONG_ARRAY), ("elsewhere/.keep", "")]);
    let absolute = dir.path().join("site/a.php");
    let diff = etclint()
        .current_dir(dir.path())
        .args(["--diff", absolute.to_str().unwrap()])
        .output()
        .unwrap();
    let patch = String::from_utf8(diff.stdout).unwrap();
    assert!(
        patch.starts_with("--- a/site/a.php\n+++ b/site/a.php\n"),
        "{patch}"
    );
    // Outside the current directory the path stays absolute, without its leading `/`.
    let outside = etclint()
        .current_dir(dir.path().join("elsewhere"))
        .args(["--diff", "../site/a.php"])
        .output()
        .unwrap();
    let patch = String::from_utf8(outside.stdout).unwrap();
    let name = absolute.to_str().unwrap().trim_start_matches('/');
    assert!(patch.starts_with(&format!("--- a/{name}\n")), "{patch}");
    // As the README says to apply it.
    fs::write(dir.path().join("fixes.patch"), &patch).unwrap();
    let applied = StdCommand::new("patch")
        .args(["-p1", "-d", "/", "-i"])
        .arg(dir.path().join("fixes.patch"))
        .output()
        .expect("needs `patch` (tests/setup.sh installs it)");
    assert!(applied.status.success(), "{applied:?}");
    assert!(!fs::read_to_string(&absolute)
        .unwrap()
        .contains("HTTP_GET_VARS"));
}

#[test]
fn help_and_man_name_only_the_formats_parsed() {
    let (now, later) = etclint::formats::Format::supported_and_later();
    let help = etclint().arg("--help").output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    let first = help.lines().next().unwrap();
    for format in &now {
        assert!(first.contains(format.describe()), "{first}");
    }
    for format in &later {
        assert!(!first.contains(format.describe()), "{first}");
        assert!(
            help.contains(format.describe()),
            "the later ones get their own line"
        );
    }
    let man = etclint().arg("man").output().unwrap();
    let man = String::from_utf8(man.stdout).unwrap();
    assert_eq!(
        man.contains("Not parsed by this version yet"),
        !later.is_empty()
    );
}

#[test]
fn rules_align_and_explain_renders_for_a_terminal() {
    let rules = etclint()
        .args(["rules", "--format", "text"])
        .output()
        .unwrap();
    let table = String::from_utf8(rules.stdout).unwrap();
    let header = table.lines().next().unwrap();
    let column = header.find("FIX").unwrap();
    for line in table.lines().skip(1) {
        let before = &line[..column];
        assert!(
            before.ends_with("  ") && !line[column..].starts_with(' '),
            "FIX column not aligned:\n{table}"
        );
    }
    let page = etclint().args(["explain", "PHP004"]).output().unwrap();
    let page = String::from_utf8(page.stdout).unwrap();
    assert!(!page.contains("```"), "{page}");
    assert!(page.contains("What it does\n------------\n"), "{page}");
    assert!(page.contains("Bad:\n    <?php\n"), "{page}");
    let raw = etclint()
        .args(["explain", "PHP004", "--format", "markdown"])
        .output()
        .unwrap();
    assert!(String::from_utf8(raw.stdout)
        .unwrap()
        .contains("```php bad"));
    etclint()
        .args(["explain", "output-after"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "did you mean `output-after-closing-tag`",
        ));
}

/// Enables `sites-available/a.conf` of the tree as Debian's a2ensite does: a link in
/// `sites-enabled/`. Returns the `etc/apache2` directory.
fn enable_site_a(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let conf = dir.path().join("etc/apache2");
    fs::create_dir(conf.join("sites-enabled")).unwrap();
    std::os::unix::fs::symlink(
        "../sites-available/a.conf",
        conf.join("sites-enabled/a.conf"),
    )
    .unwrap();
    conf
}

/// A virtual host in `sites-available`, enabled by a link in `sites-enabled`, and one enabled
/// by a hard link; the first has a finding and a fix (its last section is never closed).
fn linked_sites() -> tempfile::TempDir {
    let dir = tree(&[
        (
            "etc/apache2/apache2.conf",
            "IncludeOptional sites-enabled/*.conf\n",
        ),
        (
            "etc/apache2/sites-available/a.conf",
            "<VirtualHost *:80>\n\tServerName a.example\n</VirtualHost>\n<Files x>\n",
        ),
        (
            "etc/apache2/sites-available/b.conf",
            "<VirtualHost *:80>\n\tServerName b.example\n</VirtualHost>\n",
        ),
    ]);
    let conf = enable_site_a(&dir);
    fs::hard_link(
        conf.join("sites-available/b.conf"),
        conf.join("sites-enabled/b.conf"),
    )
    .unwrap();
    dir
}

#[test]
fn a_linked_virtual_host_is_checked_and_fixed_once() {
    let dir = linked_sites();
    let output = etclint()
        .current_dir(dir.path())
        .args(["--root", ".", "--format", "json", "etc"])
        .output()
        .unwrap();
    let report = json_of(&output.stdout);
    assert_eq!(report["files_checked"], 3, "{report}");
    let paths: Vec<&str> = (report["diagnostics"].as_array().unwrap().iter())
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["etc/apache2/sites-available/a.conf"], "{report}");
    assert_eq!(
        report["same_files"],
        serde_json::json!([
            {"path": "etc/apache2/sites-enabled/a.conf", "checked_as": "etc/apache2/sites-available/a.conf"},
            {"path": "etc/apache2/sites-enabled/b.conf", "checked_as": "etc/apache2/sites-available/b.conf"},
        ])
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "2 names are links (or hard links) to files checked under another name, and are not \
             checked again (the first: etc/apache2/sites-enabled/a.conf → \
             etc/apache2/sites-available/a.conf)"
        ),
        "{stderr}"
    );
    // Fixed once, through neither name twice; the link stays a link.
    etclint()
        .current_dir(dir.path())
        .args(["--root", ".", "--fix", "etc"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("changed on disk").not())
        .stdout("Fixed 1 problem.\n");
    let link = dir.path().join("etc/apache2/sites-enabled/a.conf");
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    let fixed = fs::read_to_string(&link).unwrap();
    assert_eq!(fixed.matches("</Files>").count(), 1, "{fixed}");
}

/// A `.htaccess` means what its directory allows: linked into another, it is checked there too.
#[test]
fn a_linked_htaccess_is_checked_in_each_directory() {
    let dir = tree(&[("srv/a/.htaccess", "<Files x>\n")]);
    fs::create_dir(dir.path().join("srv/b")).unwrap();
    std::os::unix::fs::symlink("../a/.htaccess", dir.path().join("srv/b/.htaccess")).unwrap();
    let output = etclint()
        .current_dir(dir.path())
        .args(["--format", "json", "srv"])
        .output()
        .unwrap();
    let report = json_of(&output.stdout);
    let paths: Vec<&str> = (report["diagnostics"].as_array().unwrap().iter())
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["srv/a/.htaccess", "srv/b/.htaccess"], "{report}");
    assert_eq!(report["same_files"], serde_json::json!([]));
}

/// An include that comes back through a link to the file is still a cycle (APA013).
#[test]
fn an_include_cycle_through_a_link_is_found() {
    let dir = tree(&[
        ("etc/apache2/apache2.conf", "Include sites-enabled/*.conf\n"),
        (
            "etc/apache2/sites-available/a.conf",
            "Include apache2.conf\n",
        ),
    ]);
    enable_site_a(&dir);
    etclint()
        .current_dir(dir.path())
        .args(["--root", ".", "--format", "concise", "etc"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "etc/apache2/apache2.conf:1:9: APA013 [include-cycle] this include leads back to \
             this file (etc/apache2/apache2.conf → etc/apache2/sites-available/a.conf → \
             etc/apache2/apache2.conf)",
        ));
}
