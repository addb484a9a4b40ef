//! Fixture snapshots: each input under `fixtures/<format>/<rule-name>/` (a file, or a directory
//! checked as one tree for cross-file cases) is checked with that rule alone. The rendered
//! diagnostics and the diff of the fixes are snapshotted beside the input. Inputs named `ok-*`
//! must give no diagnostic of the rule, the others at least one; fixes must converge and keep
//! the file parseable. A directory is its own `--root`.

use std::path::{Path, PathBuf};

use etclint::discover::{self, DiscoverOptions};
use etclint::engine::{self, FileReport, FixMode, Options};
use etclint::render::{self, Sources};
use etclint::rules::{self, FixAvailability, Rule, Selection};

mod common;
use common::{program_needed_by, require_program};

/// Checks with the rule alone; for etclint's own rules (suppressions), with every rule, so that
/// there is something to suppress.
fn check(rule_code: &str, input: &Path, fix: FixMode) -> Vec<FileReport> {
    let select = if rule_code.starts_with("ETC") {
        "ALL"
    } else {
        rule_code
    };
    let mut options = Options::new(Selection::new(Some(&[select.to_string()]), &[], &[]).unwrap());
    options.fix = fix;
    options.unsafe_fixes = true;
    if input.is_dir() {
        options.root = input.to_path_buf();
    }
    let discovery = discover::discover(&[input.to_path_buf()], &DiscoverOptions::default());
    assert!(discovery.unreached.is_empty(), "{:?}", discovery.unreached);
    engine::run(&discovery.targets, &options)
}

/// The diagnostics as the text format shows them, then the fixes as a diff.
fn render(reports: &[FileReport], fixed: &[FileReport]) -> String {
    let mut extra = Vec::new();
    let sources = Sources::new(reports, &mut extra);
    let mut out = Vec::new();
    render::text::render(&mut out, reports, &sources, false).unwrap();
    if fixed.iter().any(|r| r.fixed.is_some()) {
        out.extend_from_slice(b"-- fixes --\n");
        render::diff::render(&mut out, fixed).unwrap();
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn cases(directory: &Path) -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(directory)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() || p.extension().is_some_and(|e| e != "snap" && e != "fixed"))
        .collect();
    cases.sort();
    cases
}

#[test]
fn fixtures() {
    check_fixtures(|rule| program_needed_by(rule.code).is_none());
}

/// PHP000's fixtures: it reports only what `php -l` confirms.
#[test]
#[ignore = "needs php-cli (tests/setup.sh installs it)"]
fn fixtures_of_rules_that_ask_php() {
    require_program("php");
    check_fixtures(|rule| program_needed_by(rule.code).is_some());
}

fn check_fixtures(which: impl Fn(&Rule) -> bool) {
    let root = Path::new("fixtures");
    let mut checked = 0;
    for rule in rules::RULES.iter().filter(|r| which(r)) {
        let directory = root.join(rule.group()).join(rule.name);
        if !directory.is_dir() {
            continue;
        }
        for input in cases(&directory) {
            let name = input.file_name().unwrap().to_string_lossy().into_owned();
            let before = check(rule.code, &input, FixMode::Off);
            let found = before
                .iter()
                .flat_map(|r| &r.diagnostics)
                .filter(|d| d.code == rule.code)
                .count();
            if name.starts_with("ok-") {
                assert_eq!(
                    found,
                    0,
                    "{}: expected no {} diagnostic",
                    input.display(),
                    rule.code
                );
            } else {
                assert!(
                    found > 0,
                    "{}: expected a {} diagnostic",
                    input.display(),
                    rule.code
                );
            }
            let front = &rule.meta().front;
            for d in before
                .iter()
                .flat_map(|r| &r.diagnostics)
                .filter(|d| d.code == rule.code)
            {
                match &d.fix {
                    Some(fix) => assert!(
                        front.applicability.contains(&fix.applicability),
                        "{}: a {} fix that {}'s front matter does not declare",
                        input.display(),
                        fix.applicability.as_str(),
                        rule.code
                    ),
                    None => assert_ne!(
                        front.fix,
                        FixAvailability::Always,
                        "{}: {} declares a fix on every finding",
                        input.display(),
                        rule.code
                    ),
                }
            }
            let fixed = check(rule.code, &input, FixMode::Diff);
            for report in &fixed {
                assert!(
                    report.notes.is_empty(),
                    "{}: {:?}",
                    report.path.display(),
                    report.notes
                );
                assert!(
                    report.error.is_none() && !report.has_internal_error(),
                    "{}",
                    report.path.display()
                );
            }
            let mut settings = insta::Settings::clone_current();
            settings.set_snapshot_path(Path::new(env!("CARGO_MANIFEST_DIR")).join(&directory));
            settings.set_prepend_module_to_snapshot(false);
            settings.set_omit_expression(true);
            settings.bind(|| insta::assert_snapshot!(name.clone(), render(&before, &fixed)));
            checked += 1;
        }
    }
    assert!(checked > 0, "no fixtures found");
}
