//! discovery → read → lint → fix, one file at a time in parallel, in two phases: each file's
//! rules and facts (phase 1), then what needs every file's facts (phase 2): the files that
//! joined the run by reference, the rules that read other files, and the workspace rules.

use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::fs;
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::config::RuleConfig;
use crate::diagnostic::{Diagnostic, Severity};
pub use crate::discover::NotChecked;
use crate::discover::{DiscoverOptions, Target};
use crate::fix::{apply_fixes, Applicability};
use crate::formats::{Format, Handler};
use crate::rules::etclint::unused_suppression;
use crate::rules::{Env, Prefilter, Reporter, Rule, Selection};
use crate::source::SourceFile;
use crate::suppress;
use crate::workspace::{
    read_bounded, read_sized, Facts, KeyMap, Placed, Role, Unread, Workspace, WorkspaceCheck,
    WorkspaceReporter,
};

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
    pub rule_config: RuleConfig,
    pub fix: FixMode,
    pub unsafe_fixes: bool,
    pub max_file_size: u64,
    /// Where absolute paths named in files resolve (`require '/var/www/lib.php'`).
    pub root: PathBuf,
    /// Honour `etclint: ignore[…]` comments (and report unused ones).
    pub inline_ignores: bool,
    /// Sets up the files that join the run by reference (`[per-file-ignores]`).
    pub discover: DiscoverOptions,
}

impl Options {
    /// Checking only (no fixes) with `selection`, every other setting at its default.
    pub fn new(selection: Selection) -> Self {
        Self {
            selection,
            rule_config: RuleConfig::default(),
            fix: FixMode::Off,
            unsafe_fixes: false,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            root: PathBuf::from("/"),
            inline_ignores: true,
            discover: DiscoverOptions::default(),
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
    /// Set when the file was not checked: its rules did not run.
    pub not_checked: Option<NotChecked>,
    /// Named on the command line (or standard input), not found in a walk or by reference.
    pub explicit: bool,
    /// The findings before fixing, kept while the fixed file is not written yet: they are
    /// the report again if the write fails.
    pub before_fix: Option<Vec<Diagnostic>>,
    /// Its lint asked about other files: it is linted again once all facts are in.
    read_workspace: bool,
    /// Then, what its rules that read no other file found (before suppressions): linting it
    /// again runs only the others.
    local: Option<Vec<Diagnostic>>,
    /// The rule codes `[per-file-ignores]` turns off for it, as its target had them.
    ignore: Vec<&'static str>,
    /// Its other names in the run, not checked again (links to it, hard links).
    pub also: Vec<PathBuf>,
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
            not_checked: None,
            explicit: target.explicit,
            before_fix: None,
            read_workspace: false,
            local: None,
            ignore: target.ignore.clone(),
            also: target.also.clone(),
        }
    }

    /// A path the run could not check at all (a named file that does not exist…).
    pub fn not_checked(target: &Target, reason: NotChecked, detail: String) -> Self {
        let mut report = Self::new(target);
        report.not_checked = Some(reason);
        if reason.is_failure() {
            report.error = Some(detail);
        } else {
            report.notes.push(detail);
        }
        report
    }

    pub fn is_checked(&self) -> bool {
        self.not_checked.is_none()
    }

    /// The fixed file could not be written: the findings are those of the file as it is.
    pub fn unfix(&mut self) {
        if let Some(before) = self.before_fix.take() {
            self.diagnostics = before;
        }
        self.fixed = None;
        self.fixes_applied = 0;
    }

    /// Not to be linted again: what was kept for that goes, and its source too when it has
    /// nothing to show or fix.
    fn linted_for_good(&mut self) {
        self.read_workspace = false;
        self.local = None;
        if self.diagnostics.is_empty() {
            self.source = None;
        }
    }

    pub fn has_internal_error(&self) -> bool {
        self.diagnostics.iter().any(|d| d.code == INTERNAL_ERROR.0)
    }
}

/// What runs on the files of one format.
struct FormatPlan {
    handler: &'static dyn Handler,
    /// The selected per-file rules, in code order.
    rules: Vec<&'static Rule>,
    prefilter: Prefilter,
    /// Whether its files' facts are wanted.
    facts: bool,
    /// The handler names no needles for its facts: every file has some.
    all_facts: bool,
}

/// The selection turned into what runs, once per run.
struct Plan<'o> {
    options: &'o Options,
    formats: HashMap<Format, FormatPlan>,
    workspace_rules: Vec<&'static Rule>,
}

impl<'o> Plan<'o> {
    fn new(options: &'o Options) -> Self {
        let selected: Vec<&'static Rule> = options.selection.rules().collect();
        let is_workspace_rule = |r: &Rule| r.check.is::<WorkspaceCheck>();
        let workspace_rules: Vec<&'static Rule> = selected
            .iter()
            .copied()
            .filter(|r| is_workspace_rule(r))
            .collect();
        let any_reads_others =
            !workspace_rules.is_empty() || selected.iter().any(|r| r.uses_workspace);
        let formats = crate::formats::handlers()
            .iter()
            .map(|&handler| {
                let format = handler.format();
                let rules: Vec<&'static Rule> = selected
                    .iter()
                    .copied()
                    .filter(|r| r.runs_on(format) && !is_workspace_rule(r))
                    .collect();
                let brings_in_checked = handler
                    .brings_in()
                    .iter()
                    .any(|&f| selected.iter().any(|r| r.runs_on(f)));
                let facts = any_reads_others || brings_in_checked;
                let fact_needles = if facts {
                    handler.fact_needles(&options.rule_config)
                } else {
                    Vec::new()
                };
                let all_facts = fact_needles.is_empty();
                let prefilter = Prefilter::new(&rules, &[fact_needles]);
                let plan = FormatPlan {
                    handler,
                    rules,
                    prefilter,
                    facts,
                    all_facts,
                };
                (format, plan)
            })
            .collect();
        Self {
            options,
            formats,
            workspace_rules,
        }
    }
}

/// The prefilter's extra group: the needles of the facts.
const FACT_NEEDLES: usize = 0;

/// Checks every target in parallel, then links findings across files.
pub fn run(targets: &[Target], options: &Options) -> Vec<FileReport> {
    run_keeping_workspace(targets, options).0
}

/// [`run`], and the workspace it built: a caller about to exit can leave it unfreed (freeing
/// the facts of thousands of files takes longer than some whole runs' rendering).
pub fn run_keeping_workspace(
    targets: &[Target],
    options: &Options,
) -> (Vec<FileReport>, Workspace) {
    check_all(targets, options, &|target| {
        read(target, options.max_file_size)
    })
}

/// `run`, with the bytes of each target from `read` (standard input, tests). Files that join
/// the run by reference are read from disk.
pub fn run_with(
    targets: &[Target],
    options: &Options,
    read: impl Fn(&Target) -> Result<Vec<u8>, Unread> + Sync,
) -> Vec<FileReport> {
    check_all(targets, options, &read).0
}

type Read<'a> = &'a (dyn Fn(&Target) -> Result<Vec<u8>, Unread> + Sync);

fn check_all(targets: &[Target], options: &Options, read: Read) -> (Vec<FileReport>, Workspace) {
    let plan = Plan::new(options);
    let mut workspace = Workspace::new(&options.root, options.max_file_size);
    for target in targets {
        for name in &target.also {
            workspace.alias(name, &target.path);
        }
    }
    let mut reports = phase_one(&plan, targets, &mut workspace, read);
    relint_readers(&plan, &workspace, &mut reports);
    if options.fix != FixMode::Off {
        reports
            .par_iter_mut()
            .for_each(|report| fix(report, &plan, &workspace));
    }
    run_workspace_rules(&plan, &mut workspace, &mut reports);
    for report in &mut reports {
        let lists = std::iter::once(&mut report.diagnostics).chain(report.before_fix.as_mut());
        for diagnostics in lists {
            for diagnostic in diagnostics.iter_mut() {
                options.selection.apply_severity(diagnostic);
            }
            diagnostics.sort_by_key(|d| (d.span.start, d.span.end, d.code));
        }
    }
    (reports, workspace)
}

/// Files to lint together, each with its place among the reports.
type Wave = Vec<(usize, Target)>;

/// Lints the targets in parallel, largest first, with a workspace that knows no other file yet;
/// then adds their facts to `workspace`, and lints the files their references bring in, until
/// none is new. Targets whose handler lints them after the others come last, with every other
/// file's facts in. The reports come back in the targets' order, the joined files after them.
fn phase_one(
    plan: &Plan,
    targets: &[Target],
    workspace: &mut Workspace,
    read: Read,
) -> Vec<FileReport> {
    let options = plan.options;
    let nothing_yet = workspace.empty_like();
    // The files of the run, by key: only asked once a reference names a file to check.
    let mut seen: Option<HashSet<OsString, foldhash::fast::RandomState>> = None;
    // Each report with its place: its target's, or after them in the order files joined.
    let mut reports: Vec<(usize, FileReport)> = Vec::new();
    let after = |target: &Target| {
        let handler = target.format.and_then(|f| plan.formats.get(&f));
        handler.is_some_and(|p| p.handler.lints_after_the_others(&target.path))
    };
    let (mut last, mut wave): (Wave, Wave) = targets
        .iter()
        .cloned()
        .enumerate()
        .partition(|(_, t)| after(t));
    let mut joined = targets.len();
    let from_disk = |target: &Target| self::read(target, options.max_file_size);
    let mut wave_read: Read = read;
    // Set for the wave of files linted after the others: what they read is in.
    let mut others_in = false;
    // Of those, the places in `reports` of the ones named nothing: linted once, unless the
    // wave brings in files after all.
    let mut once: Vec<usize> = Vec::new();
    let mut brought_in = false;
    loop {
        if wave.is_empty() {
            if last.is_empty() {
                break;
            }
            wave = std::mem::take(&mut last);
            wave_read = read;
            others_in = true;
        }
        let wave_workspace: &Workspace = if others_in { workspace } else { &nothing_yet };
        let sizes: Vec<u64> = wave
            .par_iter()
            .map(|(_, t)| {
                t.size
                    .unwrap_or_else(|| fs::metadata(&t.path).map_or(0, |m| m.len()))
            })
            .collect();
        // Largest files first: a big file that starts last leaves one core working alone.
        let mut order: Vec<usize> = (0..wave.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(sizes[i]));
        let mut checked: Vec<(usize, FileReport, Option<Checked>)> = order
            .par_iter()
            .map(|&i| {
                let target = &wave[i].1;
                let mut report = FileReport::new(target);
                let checked = match wave_read(target) {
                    Ok(bytes) => check_bytes(&mut report, target, bytes, plan, wave_workspace),
                    Err(err) => {
                        let too_large = matches!(err, Unread::TooLarge { .. });
                        let (reason, detail) = if too_large {
                            (NotChecked::TooLarge, format!("not checked: {err}"))
                        } else {
                            (NotChecked::Unreadable, err.to_string())
                        };
                        report = FileReport::not_checked(target, reason, detail);
                        None
                    }
                };
                (i, report, checked)
            })
            .collect();
        checked.sort_by_key(|(i, _, _)| *i);
        let mut next = Vec::new();
        let wave_others_in = others_in;
        for (i, mut report, checked) in checked {
            let names_none = checked
                .as_ref()
                .is_none_or(|c| (c.facts.as_ref()).is_none_or(|facts| facts.references.is_empty()));
            if wave_others_in && names_none {
                once.push(reports.len());
            }
            if let Some(Checked {
                format,
                facts: Some(facts),
                reference_lines,
                placed: Some(placed),
            }) = checked
            {
                // The keys of the files it names to check, before `add` takes them.
                let check_keys: Vec<Option<PathBuf>> = (facts.references.iter().enumerate())
                    .map(|(n, r)| {
                        matches!(r.role, Role::Check(_)).then(|| placed.target_key(n).into())
                    })
                    .collect();
                let index = workspace.add_placed(&wave[i].1.path, format, facts, placed);
                let entry = &workspace.files()[index];
                let references = entry.facts.references.iter().zip(&entry.resolved);
                let references = references.zip(reference_lines).zip(check_keys);
                for (((reference, target), line), key) in references {
                    let (Role::Check(format), Some(key)) = (reference.role, key) else {
                        continue;
                    };
                    // Built in the first wave, when the run is still the targets.
                    let seen = seen.get_or_insert_with(|| {
                        targets
                            .par_iter()
                            .map(|t| workspace.key(&t.path).into_os_string())
                            .collect()
                    });
                    if !seen.insert(key.into_os_string()) {
                        continue;
                    }
                    if target.is_file() {
                        let target = options.discover.target_for(target.clone(), Some(format));
                        next.push((joined, target));
                        joined += 1;
                    } else {
                        report.notes.push(format!(
                            "line {line}: `{}` is {}, which does not exist: not checked",
                            reference.written,
                            target.display()
                        ));
                    }
                }
            }
            reports.push((wave[i].0, report));
        }
        if wave_others_in {
            brought_in = !next.is_empty();
        }
        wave = next;
        wave_read = &from_disk;
        others_in = false;
    }
    if !brought_in {
        for &place in &once {
            reports[place].1.linted_for_good();
        }
    }
    reports.sort_by_key(|(place, _)| *place);
    reports.into_iter().map(|(_, report)| report).collect()
}

/// What phase 1 learnt of a file besides its diagnostics.
struct Checked {
    format: Format,
    facts: Option<Facts>,
    /// The 1-based line of each reference to a file to check (0 for the others), for notes.
    reference_lines: Vec<usize>,
    /// Where it and the files it names are, for the workspace.
    placed: Option<Placed>,
}

/// Checks one file's bytes and fills `report`.
fn check_bytes(
    report: &mut FileReport,
    target: &Target,
    bytes: Vec<u8>,
    plan: &Plan,
    workspace: &Workspace,
) -> Option<Checked> {
    let Some(format) = target.format else {
        report.not_checked = Some(NotChecked::UnknownFormat);
        return None;
    };
    let Some(format_plan) = plan.formats.get(&format) else {
        report.not_checked = Some(NotChecked::Unsupported);
        return None;
    };
    if let Some(at) = format_plan.handler.binary_at(&bytes) {
        report.notes.push(format!(
            "not checked: a binary file (NUL byte at offset {at})"
        ));
        report.not_checked = Some(NotChecked::Binary);
        return None;
    }
    let source = SourceFile::new(&report.path, bytes);
    let linted = lint_file(&source, format, target, plan, workspace, Pass::First);
    report.diagnostics = linted.diagnostics;
    report.read_workspace = linted.read_workspace;
    report.local = linted.local;
    report.notes.extend(linted.notes);
    // Lines only where a note may name them: references to files to check.
    let reference_lines = linted.facts.as_ref().map_or_else(Vec::new, |facts| {
        facts
            .references
            .iter()
            .map(|r| match r.role {
                Role::Check(_) => source.line_index(r.span.start) + 1,
                _ => 0,
            })
            .collect()
    });
    if !report.diagnostics.is_empty() || report.read_workspace {
        report.source = Some(source);
    }
    // Here, in parallel: `workspace` (no file yet) has the root and directory of the one
    // that will take the facts.
    let placed = (linted.facts.as_ref()).map(|facts| workspace.place(&target.path, facts));
    Some(Checked {
        format,
        facts: linted.facts,
        reference_lines,
        placed,
    })
}

fn read(target: &Target, max_size: u64) -> Result<Vec<u8>, Unread> {
    read_sized(&target.path, max_size, target.size)
}

pub struct LintOutput {
    pub diagnostics: Vec<Diagnostic>,
}

/// Runs the selected rules of `format` on one file, as phase 1 does (no other file is known),
/// then drops what `[per-file-ignores]` and suppression comments silence.
pub fn lint(source: &SourceFile, format: Format, target: &Target, options: &Options) -> LintOutput {
    let plan = Plan::new(options);
    let workspace = Workspace::new(&options.root, options.max_file_size);
    LintOutput {
        diagnostics: lint_file(source, format, target, &plan, &workspace, Pass::Whole).diagnostics,
    }
}

/// Which of a file's rules run.
enum Pass {
    /// Every selected rule, and the file's facts.
    Whole,
    /// The same, keeping what the rules that read no other file found if the file turns out to
    /// read the workspace (phase 1: it is linted again).
    First,
    /// Only the rules that read other files, beside what the others found in the first pass.
    Again { local: Vec<Diagnostic> },
}

struct Linted {
    diagnostics: Vec<Diagnostic>,
    facts: Option<Facts>,
    read_workspace: bool,
    /// When it read the workspace in a first pass: what the rules that do not found.
    local: Option<Vec<Diagnostic>>,
    /// Rules that did not look at the whole file, and why.
    notes: Vec<String>,
}

/// One file's rules, its facts when wanted, and its suppressions. A rule that panics becomes an
/// internal error diagnostic; the other rules still run.
fn lint_file(
    source: &SourceFile,
    format: Format,
    target: &Target,
    plan: &Plan,
    workspace: &Workspace,
    pass: Pass,
) -> Linted {
    let options = plan.options;
    let Some(format_plan) = plan.formats.get(&format) else {
        return Linted {
            diagnostics: Vec::new(),
            facts: None,
            read_workspace: false,
            local: None,
            notes: Vec::new(),
        };
    };
    // What the rules that read no other file found, and those that may.
    let first = matches!(pass, Pass::First);
    let (again, mut local) = match pass {
        Pass::Whole | Pass::First => (false, Vec::new()),
        Pass::Again { local } => (true, local),
    };
    let mut asking = Vec::new();
    let hits = format_plan.prefilter.scan(source.bytes());
    let model = format_plan.handler.open(source);
    let key = workspace.key(source.path());
    let env = Env::new(&options.rule_config, workspace, &key);
    for (i, &rule) in format_plan.rules.iter().enumerate() {
        if (again && !rule.uses_workspace)
            || target.ignore.contains(&rule.code)
            || !format_plan.prefilter.passes(&hits, i, source.bytes())
        {
            continue;
        }
        let out = if rule.uses_workspace {
            &mut asking
        } else {
            &mut local
        };
        guard(rule.code, out, |out| {
            model.run(rule, &mut Reporter::new(rule, &env, out))
        });
    }
    let read_workspace = env.read_workspace();
    let kept_local = (read_workspace && first).then(|| local.clone());
    let mut diagnostics = local;
    diagnostics.append(&mut asking);
    let mut facts = None;
    if format_plan.facts && !again {
        // A file whose facts cannot say anything is still in the workspace.
        facts = Some(Facts::default());
        if format_plan.all_facts || format_plan.prefilter.has_extra(&hits, FACT_NEEDLES) {
            guard("the file's facts", &mut diagnostics, |_| {
                facts = Some(model.facts(&options.rule_config))
            });
        }
    }
    // The marker is case-sensitive: memmem, without the prefilter's lowered copy.
    if options.inline_ignores && memchr::memmem::find(source.bytes(), suppress::MARKER).is_some() {
        let mut directives = suppress::directives(source, model.comments());
        suppress::apply(source, &mut directives, &mut diagnostics);
        if options.selection.is_enabled(&unused_suppression::RULE)
            && !target.ignore.contains(&unused_suppression::RULE.code)
        {
            let ran = |rule: &Rule| {
                rule.runs_on(format)
                    && options.selection.is_enabled(rule)
                    && !target.ignore.contains(&rule.code)
            };
            let syntax = format_plan.handler.comment_syntax();
            unused_suppression::check(source, syntax, &directives, ran, &env, &mut diagnostics);
        }
    }
    Linted {
        diagnostics,
        facts,
        read_workspace,
        local: kept_local,
        notes: env.not_run_notes(),
    }
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

/// Lints again, now that every file's facts are in, the files whose rules asked about others.
fn relint_readers(plan: &Plan, workspace: &Workspace, reports: &mut [FileReport]) {
    if workspace.is_empty() {
        return;
    }
    reports
        .par_iter_mut()
        .filter(|r| r.read_workspace)
        .for_each(|report| {
            let (Some(source), Some(format)) = (&report.source, report.format) else {
                return;
            };
            let target = target_of(report);
            let pass = Pass::Again {
                local: report.local.take().unwrap_or_default(),
            };
            report.diagnostics =
                lint_file(source, format, &target, plan, workspace, pass).diagnostics;
            report.linted_for_good();
        });
}

/// The target a report came from, for linting it again.
fn target_of(report: &FileReport) -> Target {
    let mut target = Target::new(report.path.clone(), report.format);
    target.ignore = report.ignore.clone();
    target
}

/// The fix loop: apply, re-lint against the same facts, repeat until nothing changes. A result
/// that adds a syntax error is thrown away.
fn fix(report: &mut FileReport, plan: &Plan, workspace: &Workspace) {
    let (Some(source), Some(format)) = (&report.source, report.format) else {
        return;
    };
    let minimum = plan.options.minimum_applicability();
    if !report
        .diagnostics
        .iter()
        .any(|d| d.fix.as_ref().is_some_and(|f| f.applicability >= minimum))
    {
        return;
    }
    let handler = plan.formats[&format].handler;
    let limit = plan.options.rule_config.max_tree_size();
    if handler.syntax_check().is_some() && source.len() as u64 > limit {
        // The check that a fix breaks nothing parses the whole file: unaffordable here.
        report.notes.push(format!(
            "not fixed: a fixed file over {limit} bytes (max-tree-size) cannot be checked"
        ));
        return;
    }
    let target = target_of(report);
    let mut diagnostics = std::mem::take(&mut report.diagnostics);
    let before_fix = (plan.options.fix == FixMode::Write).then(|| diagnostics.clone());
    let mut current: Option<SourceFile> = None;
    let mut applied_total = 0;
    let mut converged = false;
    for _ in 0..MAX_FIX_ROUNDS {
        let bytes = current.as_ref().unwrap_or(source).bytes();
        let (fixed, applied) = apply_fixes(bytes, &diagnostics, minimum);
        if applied == 0 || fixed == bytes {
            converged = true;
            break;
        }
        applied_total += applied;
        let next = SourceFile::new(source.path(), fixed);
        diagnostics = lint_file(&next, format, &target, plan, workspace, Pass::Whole).diagnostics;
        current = Some(next);
    }
    let Some(fixed) = current else {
        report.diagnostics = diagnostics;
        return;
    };
    if !converged {
        report.notes.push(format!(
            "fixes did not converge after {MAX_FIX_ROUNDS} rounds; the last result is kept"
        ));
    }
    if handler
        .syntax_check()
        .is_some_and(|broken| broken(fixed.bytes()) && !broken(source.bytes()))
    {
        report
            .notes
            .push("fixes reverted: the fixed file would not parse".into());
        report.diagnostics =
            lint_file(source, format, &target, plan, workspace, Pass::Whole).diagnostics;
        return;
    }
    report.diagnostics = diagnostics;
    report.fixes_applied = applied_total;
    report.fixed = Some(fixed.bytes().to_vec());
    report.before_fix = before_fix;
}

/// Phase 2's rules over every file's facts. Files that fixes changed have their facts taken
/// again first, so that findings point into the fixed text.
fn run_workspace_rules(plan: &Plan, workspace: &mut Workspace, reports: &mut [FileReport]) {
    if plan.workspace_rules.is_empty() {
        return;
    }
    for report in reports.iter().filter(|r| r.fixed.is_some()) {
        let (Some(fixed), Some(format)) = (&report.fixed, report.format) else {
            continue;
        };
        let source = SourceFile::new(&report.path, fixed.clone());
        let target = target_of(report);
        if let Some(facts) = lint_file(&source, format, &target, plan, workspace, Pass::Whole).facts
        {
            workspace.replace(&report.path, format, facts);
        }
    }
    let mut found = Vec::new();
    let mut internal = Vec::new();
    for &rule in &plan.workspace_rules {
        let Some(check) = rule.check.downcast_ref::<WorkspaceCheck>() else {
            continue;
        };
        guard(rule.code, &mut internal, |_| {
            (check.run)(workspace, &mut WorkspaceReporter::new(rule, &mut found))
        });
    }
    let index: KeyMap<usize> = reports
        .iter()
        .enumerate()
        .map(|(i, r)| (workspace.key(&r.path).into_os_string(), i))
        .collect();
    for (path, diagnostic) in found {
        let Some(&i) = index.get(workspace.key(&path).as_os_str()) else {
            continue;
        };
        let report = &mut reports[i];
        // Files with no finding of their own were dropped after phase 1 (fixed ones are kept).
        if report.source.is_none() {
            match read_bounded(&report.path, plan.options.max_file_size) {
                Ok(bytes) => report.source = Some(SourceFile::new(&report.path, bytes)),
                Err(err) => {
                    report.error = Some(err.to_string());
                    continue;
                }
            }
        }
        if !report.ignore.contains(&diagnostic.code) {
            report.diagnostics.push(diagnostic);
        }
    }
    // A workspace rule's panic is the run's, not a file's: it goes to the first report.
    if let Some(first) = reports.first_mut() {
        first.diagnostics.extend(internal);
    }
}

#[cfg(test)]
mod tests;
