//! discovery → read → lint → fix, one file at a time in parallel; then the cross-file pass
//! that links findings to the files that include them.

use std::collections::HashMap;
use std::fs;
use std::ops::Range;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Settings;
use crate::diagnostic::{Diagnostic, Severity};
use crate::discover::{describe_io, Target};
use crate::fix::{apply_fixes, Applicability};
use crate::formats::php::includes::{normalize, Summary};
use crate::formats::php::scan::RegionKind;
use crate::formats::php::{self, PhpFile};
use crate::formats::Format;
use crate::rules::etclint::unused_suppression;
use crate::rules::{self, php::stray_output, Rule, Selection};
use crate::source::SourceFile;
use crate::suppress;

/// Fix rounds before giving up (ruff stops at 100, phpcbf at 50; our fixes converge in one or
/// two).
pub const MAX_FIX_ROUNDS: usize = 10;

/// Files larger than this are not read (a generated 4 MB MediaWiki file is the largest PHP
/// file of the real-world corpus).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 32 * 1024 * 1024;

/// The code under which a rule's panic is reported.
pub const INTERNAL_ERROR: (&str, &str) = ("ETC999", "internal-error");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixMode {
    /// Report only.
    Off,
    /// Apply fixes and write the files.
    Write,
    /// Apply fixes in memory and show them as a diff.
    Diff,
}

pub struct Options {
    pub selection: Selection,
    pub settings: Settings,
    pub fix: FixMode,
    pub unsafe_fixes: bool,
    pub max_file_size: u64,
    /// Where absolute paths named in files resolve (`require '/var/www/lib.php'`).
    pub root: PathBuf,
    /// Honour `etclint: ignore[…]` comments (and report unused ones).
    pub inline_ignores: bool,
}

impl Options {
    /// Checking only (no fixes) with `selection`, every other setting at its default.
    pub fn new(selection: Selection) -> Self {
        Self {
            selection,
            settings: Settings::default(),
            fix: FixMode::Off,
            unsafe_fixes: false,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            root: PathBuf::from("/"),
            inline_ignores: true,
        }
    }

    pub fn minimum_applicability(&self) -> Applicability {
        if self.unsafe_fixes {
            Applicability::Unsafe
        } else {
            Applicability::Safe
        }
    }
}

/// What became of one file.
pub struct FileReport {
    pub path: PathBuf,
    pub format: Option<Format>,
    /// The file as read; kept only when something is reported or fixed.
    pub source: Option<SourceFile>,
    /// Diagnostics that remain (after fixing, if fixing).
    pub diagnostics: Vec<Diagnostic>,
    /// The fixed bytes, when fixes changed the file.
    pub fixed: Option<Vec<u8>>,
    pub fixes_applied: usize,
    /// The file could not be checked or written: exit status 2.
    pub error: Option<String>,
    /// Something the user should know (binary file skipped, fixes reverted…).
    pub notes: Vec<String>,
    summary: Option<Summary>,
}

impl FileReport {
    fn new(target: &Target) -> Self {
        Self {
            path: target.path.clone(),
            format: target.format,
            source: None,
            diagnostics: Vec::new(),
            fixed: None,
            fixes_applied: 0,
            error: None,
            notes: Vec::new(),
            summary: None,
        }
    }

    pub fn has_internal_error(&self) -> bool {
        self.diagnostics.iter().any(|d| d.code == INTERNAL_ERROR.0)
    }
}

/// Checks every target in parallel, then links findings across files.
pub fn run(targets: &[Target], options: &Options) -> Vec<FileReport> {
    // Largest files first: a big file that starts last leaves one core working alone.
    let sizes: Vec<u64> = targets
        .par_iter()
        .map(|t| fs::metadata(&t.path).map_or(0, |m| m.len()))
        .collect();
    let mut order: Vec<usize> = (0..targets.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(sizes[i]));
    check_all(targets, &order, options, |target| {
        read(&target.path, options.max_file_size)
    })
}

/// `run`, with the bytes of each target from `read` (standard input, tests).
pub fn run_with(
    targets: &[Target],
    options: &Options,
    read: impl Fn(&Target) -> Result<Vec<u8>, String> + Sync,
) -> Vec<FileReport> {
    let order: Vec<usize> = (0..targets.len()).collect();
    check_all(targets, &order, options, read)
}

/// Checks the targets in the given order; the reports come back in the targets' order.
fn check_all(
    targets: &[Target],
    order: &[usize],
    options: &Options,
    read: impl Fn(&Target) -> Result<Vec<u8>, String> + Sync,
) -> Vec<FileReport> {
    let mut checked: Vec<(usize, FileReport)> = order
        .par_iter()
        .map(|&i| {
            let target = &targets[i];
            let mut report = FileReport::new(target);
            match read(target) {
                Ok(bytes) => check_bytes(&mut report, target, bytes, options),
                Err(err) => report.error = Some(err),
            }
            (i, report)
        })
        .collect();
    checked.sort_by_key(|(i, _)| *i);
    let mut reports: Vec<FileReport> = checked.into_iter().map(|(_, report)| report).collect();
    link_includers(&mut reports);
    reports
}

/// Checks one file's bytes and fills `report`.
fn check_bytes(report: &mut FileReport, target: &Target, bytes: Vec<u8>, options: &Options) {
    let Some(format) = target.format.filter(|f| f.is_supported()) else {
        return;
    };
    if let Some(at) = memchr::memchr(0, &bytes[..bytes.len().min(8000)]) {
        report.notes.push(format!(
            "not checked: a binary file (NUL byte at offset {at})"
        ));
        return;
    }
    let source = SourceFile::new(&report.path, bytes);
    let mut output = lint(&source, format, target, options);

    if options.fix != FixMode::Off {
        fix(
            report,
            &source,
            format,
            target,
            options,
            &mut output.diagnostics,
        );
    }
    for diagnostic in &mut output.diagnostics {
        options.selection.apply_severity(diagnostic);
    }
    output
        .diagnostics
        .sort_by_key(|d| (d.span.start, d.span.end, d.code));
    report.summary = output.summary;
    report.diagnostics = output.diagnostics;
    if !report.diagnostics.is_empty() || report.fixed.is_some() {
        report.source = Some(source);
    }
}

fn read(path: &Path, max_size: u64) -> Result<Vec<u8>, String> {
    let meta = fs::metadata(path).map_err(|e| describe_io(&e))?;
    if meta.len() > max_size {
        return Err(format!(
            "not checked: {} bytes is over the size limit of {max_size} bytes (--max-file-size)",
            meta.len()
        ));
    }
    fs::read(path).map_err(|e| describe_io(&e))
}

pub struct LintOutput {
    pub diagnostics: Vec<Diagnostic>,
    /// What other files need to know of this one.
    pub summary: Option<Summary>,
}

/// Runs the selected rules of `format` on one file, then drops what `[per-file-ignores]` and
/// suppression comments silence. A rule that panics becomes an internal error diagnostic;
/// the other rules still run.
pub fn lint(source: &SourceFile, format: Format, target: &Target, options: &Options) -> LintOutput {
    let ran = |rule: &Rule| {
        rule.format() == Some(format)
            && options.selection.is_enabled(rule)
            && !target.ignore.contains(&rule.code)
    };
    let rules: Vec<&'static Rule> = options
        .selection
        .rules_for(format)
        .into_iter()
        .filter(|r| ran(r))
        .collect();
    let wants_comments =
        options.inline_ignores && memchr::memmem::find(source.bytes(), suppress::MARKER).is_some();
    let (mut output, comments) = match format {
        Format::Php => lint_php(
            &PhpFile::new(source, &options.settings),
            &rules,
            &options.root,
            wants_comments,
        ),
        // Formats whose parsers are still to come have no rules yet.
        _ => (
            LintOutput {
                diagnostics: Vec::new(),
                summary: None,
            },
            Vec::new(),
        ),
    };
    if !comments.is_empty() {
        let mut directives = suppress::directives(source, comments);
        suppress::apply(source, &mut directives, &mut output.diagnostics);
        if options.selection.is_enabled(&unused_suppression::RULE)
            && !target.ignore.contains(&unused_suppression::RULE.code)
        {
            unused_suppression::check(source, &directives, ran, &mut output.diagnostics);
        }
    }
    output
}

/// The PHP rules' findings, and the file's comments when suppressions are to be looked for.
fn lint_php(
    file: &PhpFile,
    rules: &[&'static Rule],
    root: &Path,
    wants_comments: bool,
) -> (LintOutput, Vec<Range<usize>>) {
    let mut diagnostics = Vec::new();
    let mut summary = None;
    for rule in rules {
        guard(rule.code, &mut diagnostics, |out| {
            rules::php::lint(file, &[rule], out)
        });
    }
    if rules
        .iter()
        .any(|r| stray_output::LINKED_RULES.contains(&r.code))
    {
        guard("the include summary", &mut diagnostics, |_| {
            summary = stray_output::summary(file, root)
        });
    }
    let comments = if wants_comments {
        file.scan()
            .regions
            .iter()
            .filter(|r| r.kind == RegionKind::Comment)
            .map(|r| r.span.clone())
            .collect()
    } else {
        Vec::new()
    };
    (
        LintOutput {
            diagnostics,
            summary,
        },
        comments,
    )
}

fn guard(what: &str, diagnostics: &mut Vec<Diagnostic>, run: impl FnOnce(&mut Vec<Diagnostic>)) {
    let mut found = Vec::new();
    match panic::catch_unwind(AssertUnwindSafe(|| run(&mut found))) {
        Ok(()) => diagnostics.append(&mut found),
        Err(payload) => {
            let reason = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            let mut d = Diagnostic::new(
                INTERNAL_ERROR.0,
                INTERNAL_ERROR.1,
                Severity::Error,
                0..0,
                format!("internal error in {what}: {reason}"),
            );
            d.note("this is a bug in etclint; please report it with the file that triggers it");
            diagnostics.push(d);
        }
    }
}

/// The fix loop: apply, re-lint, repeat until nothing changes. A result that adds a syntax
/// error is thrown away.
fn fix(
    report: &mut FileReport,
    source: &SourceFile,
    format: Format,
    target: &Target,
    options: &Options,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let minimum = options.minimum_applicability();
    let mut current: Option<SourceFile> = None;
    let mut applied_total = 0;
    let mut converged = false;
    for _ in 0..MAX_FIX_ROUNDS {
        let bytes = current.as_ref().unwrap_or(source).bytes();
        let (fixed, applied) = apply_fixes(bytes, diagnostics, minimum);
        if applied == 0 || fixed == bytes {
            converged = true;
            break;
        }
        applied_total += applied;
        let next = SourceFile::new(source.path(), fixed);
        *diagnostics = lint(&next, format, target, options).diagnostics;
        current = Some(next);
    }
    let Some(fixed) = current else { return };
    if !converged {
        report.notes.push(format!(
            "fixes did not converge after {MAX_FIX_ROUNDS} rounds; the last result is kept"
        ));
    }
    if introduces_syntax_error(format, source.bytes(), fixed.bytes()) {
        report
            .notes
            .push("fixes reverted: the fixed file would not parse".into());
        *diagnostics = lint(source, format, target, options).diagnostics;
        return;
    }
    report.fixes_applied = applied_total;
    report.fixed = Some(fixed.bytes().to_vec());
}

fn introduces_syntax_error(format: Format, before: &[u8], after: &[u8]) -> bool {
    match format {
        Format::Php => {
            let broken =
                |bytes: &[u8]| php::parse(bytes).is_none_or(|tree| tree.root_node().has_error());
            broken(after) && !broken(before)
        }
        _ => false,
    }
}

/// Adds to each finding about stray output the linted files that include its file and send
/// headers after it.
fn link_includers(reports: &mut [FileReport]) {
    let cwd = std::env::current_dir().unwrap_or_default();
    let absolute = |path: &Path| normalize(&cwd.join(path));
    let mut included_by: HashMap<PathBuf, Vec<(usize, usize)>> = HashMap::new();
    for (index, report) in reports.iter().enumerate() {
        let Some(summary) = &report.summary else {
            continue;
        };
        for (include_index, include) in summary.includes.iter().enumerate() {
            included_by
                .entry(absolute(&include.target))
                .or_default()
                .push((index, include_index));
        }
    }
    if included_by.is_empty() {
        return;
    }
    for i in 0..reports.len() {
        let linked = reports[i]
            .diagnostics
            .iter()
            .any(|d| stray_output::LINKED_RULES.contains(&d.code));
        let Some(includers) = included_by
            .get(&absolute(&reports[i].path))
            .filter(|_| linked)
        else {
            continue;
        };
        let includers: Vec<(PathBuf, Summary, usize)> = includers
            .iter()
            .filter_map(|&(r, inc)| {
                Some((reports[r].path.clone(), reports[r].summary.clone()?, inc))
            })
            .collect();
        let borrowed: Vec<(&Path, &Summary, usize)> = includers
            .iter()
            .map(|(p, s, i)| (p.as_path(), s, *i))
            .collect();
        for diagnostic in &mut reports[i].diagnostics {
            if stray_output::LINKED_RULES.contains(&diagnostic.code) {
                stray_output::explain_includers(diagnostic, &borrowed);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::{Edit, Fix};

    fn no_rules() -> Options {
        let mut options = Options::new(Selection::new(Some(&[]), &[], &[]).unwrap());
        options.fix = FixMode::Diff;
        options
    }

    fn with_fix(edit: Edit) -> Vec<Diagnostic> {
        let mut d = Diagnostic::new(
            "PHP001",
            "output-after-closing-tag",
            Severity::Error,
            0..0,
            "m",
        );
        d.fix(Fix::safe("t", vec![edit]));
        vec![d]
    }

    fn fix_with(bytes: &[u8], mut diagnostics: Vec<Diagnostic>) -> FileReport {
        let target = Target::new(PathBuf::from("a.php"), Some(Format::Php));
        let mut report = FileReport::new(&target);
        let source = SourceFile::new("a.php", bytes.to_vec());
        fix(
            &mut report,
            &source,
            Format::Php,
            &target,
            &no_rules(),
            &mut diagnostics,
        );
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
        let code = b"<?php\nif ($a) {\n    b();\n}\n";
        let report = fix_with(code, with_fix(Edit::delete(21..22)));
        assert_eq!(report.fixed, None);
        assert_eq!(
            report.notes,
            ["fixes reverted: the fixed file would not parse"]
        );
    }

    #[test]
    fn a_fix_that_keeps_the_syntax_is_kept() {
        let code = b"<?php\nif ($a) {\n    b();\n}\n";
        let report = fix_with(code, with_fix(Edit::replace(20..21, "c")));
        assert_eq!(
            report.fixed.as_deref(),
            Some(&b"<?php\nif ($a) {\n    c();\n}\n"[..])
        );
        assert!(report.notes.is_empty());
    }

    #[test]
    fn a_file_that_did_not_parse_before_may_still_be_fixed() {
        let code = b"<?php\nif ($a {\n$x = 1;\n";
        let report = fix_with(code, with_fix(Edit::replace(20..21, "2")));
        assert_eq!(
            report.fixed.as_deref(),
            Some(&b"<?php\nif ($a {\n$x = 2;\n"[..])
        );
        assert!(report.notes.is_empty(), "{:?}", report.notes);
    }
}
