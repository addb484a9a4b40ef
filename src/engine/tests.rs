//! The engine on the unit tests' line format (`formats::testing`): the fix loop's guard, the
//! workspace's references, workspace rules and a panicking rule.

use std::path::{Path, PathBuf};

use super::*;
use crate::fix::{Edit, Fix};

fn options(select: &[&str], fix: FixMode) -> Options {
    let select: Vec<String> = select.iter().map(|s| s.to_string()).collect();
    let mut options = Options::new(Selection::new(Some(&select), &[], &[]).unwrap());
    options.fix = fix;
    options
}

fn with_fix(edit: Edit) -> Vec<Diagnostic> {
    let mut d = Diagnostic::new("TST001", "bad-line", Severity::Error, 0..0, "m");
    d.fix(Fix::safe("t", vec![edit]));
    vec![d]
}

fn fix_with(bytes: &[u8], diagnostics: Vec<Diagnostic>) -> FileReport {
    let target = Target::new(PathBuf::from("a.tst"), Some(Format::Test));
    let mut report = FileReport::new(&target);
    report.source = Some(SourceFile::new("a.tst", bytes.to_vec()));
    report.diagnostics = diagnostics;
    let options = options(&[], FixMode::Diff);
    let plan = Plan::new(&options);
    fix(&mut report, &plan, &Workspace::new(Path::new("/"), 100));
    report
}

#[test]
fn a_panicking_rule_becomes_an_internal_error_and_the_others_still_run() {
    let mut diagnostics = Vec::new();
    guard("PHP999", &mut diagnostics, |_| panic!("boom"));
    guard("PHP998", &mut diagnostics, |out| {
        out.push(Diagnostic::new(
            "PHP998",
            "fine",
            Severity::Warning,
            0..1,
            "ok",
        ))
    });
    assert_eq!(diagnostics.len(), 2);
    assert_eq!(diagnostics[0].code, INTERNAL_ERROR.0);
    assert_eq!(diagnostics[0].message, "internal error in PHP999: boom");
    assert_eq!(diagnostics[1].code, "PHP998");
}

#[test]
fn a_fix_that_breaks_the_syntax_is_reverted() {
    let report = fix_with(b"one\nbrokex\n", with_fix(Edit::replace(9..10, "n")));
    assert_eq!(report.fixed, None);
    assert_eq!(
        report.notes,
        ["fixes reverted: the fixed file would not parse"]
    );
}

#[test]
fn a_fix_that_keeps_the_syntax_is_kept() {
    let report = fix_with(b"one\ntwo\n", with_fix(Edit::replace(4..7, "six")));
    assert_eq!(report.fixed.as_deref(), Some(&b"one\nsix\n"[..]));
    assert!(report.notes.is_empty());
}

#[test]
fn a_file_that_did_not_parse_before_may_still_be_fixed() {
    let report = fix_with(b"broken\ntwo\n", with_fix(Edit::replace(7..10, "six")));
    assert_eq!(report.fixed.as_deref(), Some(&b"broken\nsix\n"[..]));
    assert!(report.notes.is_empty(), "{:?}", report.notes);
}

/// A tree of test-format files in a temporary directory.
fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn checked(dir: &Path, names: &[&str], select: &[&str]) -> Vec<FileReport> {
    let targets: Vec<Target> = names
        .iter()
        .map(|n| Target::new(dir.join(n), Some(Format::Test)))
        .collect();
    let mut options = options(select, FixMode::Off);
    options.root = dir.to_path_buf();
    run(&targets, &options)
}

fn names(reports: &[FileReport], dir: &Path) -> Vec<String> {
    reports
        .iter()
        .map(|r| r.path.strip_prefix(dir).unwrap().display().to_string())
        .collect()
}

#[test]
fn referenced_files_join_the_run_once_even_in_a_cycle() {
    let dir = tree(&[
        ("a.tst", "ref b.tst\nref sub/c.tst\nref missing.tst\n"),
        ("b.tst", "ref a.tst\nref sub/c.tst\nbad\n"),
        ("sub/c.tst", "ref /b.tst\nref ../a.tst\n"),
    ]);
    let reports = checked(dir.path(), &["a.tst"], &["TST001"]);
    assert_eq!(names(&reports, dir.path()), ["a.tst", "b.tst", "sub/c.tst"]);
    assert_eq!(reports[1].diagnostics.len(), 1, "joined files are checked");
    assert_eq!(
        reports[0].notes,
        [format!(
            "line 3: `missing.tst` is {}, which does not exist: not checked",
            dir.path().join("missing.tst").display()
        )]
    );
    assert!(reports[1].notes.is_empty() && reports[2].notes.is_empty());
    // Named on the command line too: still once.
    let reports = checked(dir.path(), &["b.tst", "a.tst"], &["TST001"]);
    assert_eq!(names(&reports, dir.path()), ["b.tst", "a.tst", "sub/c.tst"]);
}

#[test]
fn facts_are_gathered_only_when_a_rule_needs_them() {
    let dir = tree(&[("a.tst", "ref b.tst\n"), ("b.tst", "bad\n")]);
    let options = options(&["ETC001"], FixMode::Off);
    let plan = Plan::new(&options);
    assert!(!plan.formats[&Format::Test].facts);
    let mut options = options;
    options.root = dir.path().to_path_buf();
    let targets = [Target::new(dir.path().join("a.tst"), Some(Format::Test))];
    assert_eq!(run(&targets, &options).len(), 1, "no references followed");
}

#[test]
fn links_relate_files_of_the_run_and_bring_in_none() {
    let dir = tree(&[
        ("a.tst", "link b.tst\nlink c.tst\n"),
        ("b.tst", "x\n"),
        ("c.tst", "x\n"),
    ]);
    let reports = checked(dir.path(), &["a.tst", "b.tst"], &["TST002"]);
    assert_eq!(names(&reports, dir.path()), ["a.tst", "b.tst"]);
    let messages: Vec<&str> = reports
        .iter()
        .map(|r| r.diagnostics[0].message.as_str())
        .collect();
    // b.tst was linted before a.tst's facts were in: it is linted again once they are.
    assert_eq!(messages, ["named by 0 file(s)", "named by 1 file(s)"]);
}

#[test]
fn workspace_rules_report_in_the_file_of_the_reference() {
    let dir = tree(&[("a.tst", "x\nlink gone.tst\n"), ("b.tst", "link a.tst\n")]);
    let reports = checked(dir.path(), &["a.tst", "b.tst"], &["TST003"]);
    assert_eq!(reports[0].diagnostics.len(), 1);
    assert_eq!(
        reports[0].diagnostics[0].message,
        "`gone.tst` is not in the run"
    );
    assert_eq!(reports[0].diagnostics[0].span, 2..15);
    assert!(
        reports[0].source.is_some(),
        "read again to show the finding"
    );
    assert!(reports[1].diagnostics.is_empty());
}

#[test]
fn workspace_rules_see_the_facts_of_fixed_files() {
    let dir = tree(&[("a.tst", "bad\nlink gone.tst\n")]);
    let targets = [Target::new(dir.path().join("a.tst"), Some(Format::Test))];
    let mut options = options(&["TST001", "TST003"], FixMode::Diff);
    options.root = dir.path().to_path_buf();
    let reports = run(&targets, &options);
    assert_eq!(
        reports[0].fixed.as_deref(),
        Some(&b"good\nlink gone.tst\n"[..])
    );
    let spans: Vec<(usize, usize)> = reports[0]
        .diagnostics
        .iter()
        .map(|d| (d.span.start, d.span.end))
        .collect();
    assert_eq!(spans, [(5, 18)]);
}
