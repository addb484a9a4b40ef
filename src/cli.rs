//! The command line (design.md, "Command line"): `etclint [check] [PATHS…]`, `rules`,
//! `explain`, `dump`.

use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::baseline::{self, Baseline};
use crate::config::{self, Config, Version};
use crate::discover::{self, DiscoverOptions, Target};
use crate::engine::{self, FileReport, FixMode, Options};
use crate::formats::{self, Format};
use crate::render::{self, Sources, Totals};
use crate::rules::{self, Selection, RULES};
use crate::source::SourceFile;
use crate::write;

#[derive(Parser, Debug)]
#[command(name = "etclint", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    check: CheckArgs,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check files and directories (the default command)
    Check(Box<CheckArgs>),
    /// List the rules
    Rules {
        #[arg(long, value_enum, default_value_t = RulesFormat::Table)]
        format: RulesFormat,
    },
    /// Show one rule's documentation
    Explain {
        /// A rule code (PHP001) or name (output-after-closing-tag)
        rule: String,
        /// `text` for a terminal, `markdown` for the page as written
        #[arg(long, value_enum, default_value_t = PageFormat::Text)]
        format: PageFormat,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell)
    Completions { shell: clap_complete::Shell },
    /// Print the manual page (roff) on standard output
    Man,
    /// Print the configuration in effect, as TOML
    Config(Box<CheckArgs>),
    /// Print the parsed model of one file as JSON: what etclint believes the program reads
    Dump {
        file: PathBuf,
        /// Read the file as this format
        #[arg(long = "as", value_name = "FORMAT")]
        format: Option<Format>,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum RulesFormat {
    /// Aligned columns (also `text`)
    #[value(alias = "text")]
    Table,
    Json,
    /// The README's rule index
    Markdown,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum PageFormat {
    Text,
    Markdown,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum OutputFormat {
    Text,
    Concise,
    Json,
    Sarif,
    Github,
    Gitlab,
    Junit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Args, Debug)]
struct CheckArgs {
    /// Files or directories to check; `-` reads standard input
    paths: Vec<PathBuf>,
    /// Apply safe fixes in place
    #[arg(long)]
    fix: bool,
    /// Also apply (or show) unsafe fixes
    #[arg(long)]
    unsafe_fixes: bool,
    /// Print the fixes as a unified diff and write nothing
    #[arg(long, conflicts_with = "fix")]
    diff: bool,
    /// Output format (default: text; github when GITHUB_ACTIONS=true)
    #[arg(long, value_enum)]
    format: Option<OutputFormat>,
    /// Write the report to this file instead of standard output
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Print counts per rule instead of the findings
    #[arg(long)]
    statistics: bool,
    /// List the files that would be checked, with their format, and check nothing
    #[arg(long)]
    show_files: bool,
    /// Rules to run instead of the default set: codes, names or prefixes, comma-separated
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    select: Option<Vec<String>>,
    /// Rules to run in addition to the selection
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    extend_select: Vec<String>,
    /// Rules not to run
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    ignore: Vec<String>,
    /// Directory against which absolute paths named in configurations resolve
    #[arg(long, value_name = "DIR")]
    root: Option<PathBuf>,
    /// Read every file as this format
    #[arg(long = "as", value_name = "FORMAT")]
    as_format: Option<Format>,
    /// The name to report and detect the format by when reading standard input
    #[arg(long, value_name = "NAME")]
    stdin_filename: Option<PathBuf>,
    /// Exit with 0 even when diagnostics remain
    #[arg(long)]
    exit_zero: bool,
    /// When to colour the output
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Threads to use (default: one per core)
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
    /// The version of a program the files are for: php, postfix, apache, wget (php=7.4)
    #[arg(long, value_delimiter = ',', value_name = "NAME=VERSION")]
    target: Vec<String>,
    /// The PHP version the sources run on (the same as --target php=VERSION)
    #[arg(long, value_name = "VERSION")]
    target_php: Option<Version>,
    /// Files larger than this many bytes are not checked (default: 32 MiB)
    #[arg(long, value_name = "BYTES")]
    max_file_size: Option<u64>,
    /// Rules that need a full syntax tree skip files larger than this (default: 8 MiB)
    #[arg(long, value_name = "BYTES")]
    max_tree_size: Option<u64>,
    /// Use this configuration file instead of the nearest etclint.toml
    #[arg(long, value_name = "FILE", conflicts_with = "isolated")]
    config: Option<PathBuf>,
    /// Ignore every configuration file
    #[arg(long)]
    isolated: bool,
    /// Apply `exclude` to paths named on the command line too (as pre-commit names every file)
    #[arg(long)]
    force_exclude: bool,
    /// Disregard `etclint: ignore[…]` comments
    #[arg(long)]
    no_inline_ignores: bool,
    /// Report only findings that are not in this baseline file
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Record the current findings in this baseline file
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// Glob patterns of paths not to check
    #[arg(long, value_delimiter = ',', value_name = "GLOBS")]
    exclude: Vec<String>,
}

/// The command line, its description naming the formats this version parses.
pub fn command() -> clap::Command {
    let (now, later) = Format::supported_and_later();
    let about = format!(
        "Lint and fix the configuration of a Linux server: {}",
        Format::describe_all(&now)
    );
    let mut long = about.clone();
    if !later.is_empty() {
        long.push_str(&format!(
            ".\nNot parsed by this version yet: {}.",
            Format::describe_all(&later)
        ));
    }
    <Cli as clap::CommandFactory>::command()
        .about(about)
        .long_about(long)
}

pub fn run() -> ExitCode {
    let matches = command().get_matches();
    let cli = match <Cli as clap::FromArgMatches>::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(err) => err.exit(),
    };
    let result = match cli.command {
        Some(Command::Check(args)) => check(*args),
        None => check(cli.check),
        Some(Command::Rules { format }) => list_rules(format),
        Some(Command::Explain { rule, format }) => explain(&rule, format),
        Some(Command::Dump { file, format }) => dump(&file, format),
        Some(Command::Config(args)) => show_config(&args),
        Some(Command::Completions { shell }) => {
            clap_complete::generate(shell, &mut command(), "etclint", &mut io::stdout());
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Man) => clap_mangen::Man::new(command())
            .render(&mut io::stdout())
            .map(|()| ExitCode::SUCCESS)
            .map_err(|e| e.to_string()),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("etclint: error: {message}");
            ExitCode::from(2)
        }
    }
}

/// The configuration file in effect: `--config`, else the nearest one above the current
/// directory, else none (`--isolated`).
fn load_config(args: &CheckArgs) -> Result<Config, String> {
    if args.isolated {
        return Ok(Config::default());
    }
    let path = match &args.config {
        Some(path) => Some(path.clone()),
        None => config::find(&std::env::current_dir().map_err(|e| e.to_string())?),
    };
    match path {
        Some(path) => {
            // Absolute, so that `root` and the globs resolve against the file's directory.
            let absolute = std::env::current_dir()
                .map_err(|e| e.to_string())?
                .join(&path);
            Config::load(&absolute).map_err(|e| e.to_string())
        }
        None => Ok(Config::default()),
    }
}

/// The command line over the configuration file: `--select` replaces, `--extend-select` and
/// `--ignore` add, single values override.
fn resolve(args: &CheckArgs, config: &Config) -> Result<Options, String> {
    let select = args.select.as_ref().or(config.select.as_ref());
    let extend: Vec<String> = config
        .extend_select
        .iter()
        .chain(&args.extend_select)
        .cloned()
        .collect();
    let ignore: Vec<String> = config.ignore.iter().chain(&args.ignore).cloned().collect();
    let mut selection = Selection::new(select.map(Vec::as_slice), &extend, &ignore)?;
    for (code, severity) in &config.severity {
        selection.set_severity(code, *severity);
    }
    let fix = match (args.fix, args.diff) {
        (true, _) => FixMode::Write,
        (_, true) => FixMode::Diff,
        _ => FixMode::Off,
    };
    let mut rule_config = config.rule_config.clone();
    if args.max_tree_size.is_some() {
        rule_config.max_tree_size = args.max_tree_size;
    }
    if let Some(php) = args.target_php {
        rule_config
            .targets
            .set("php", &php.to_string())
            .map_err(|e| format!("--target-php: {e}"))?;
    }
    for assignment in &args.target {
        rule_config
            .targets
            .set_assignment(assignment)
            .map_err(|e| format!("--target: {e}"))?;
    }
    let root = args
        .root
        .clone()
        .or_else(|| config.root.clone())
        .unwrap_or_else(|| match &config.path {
            Some(path) => path.parent().unwrap_or(Path::new("/")).to_path_buf(),
            None => PathBuf::from("/"),
        });
    if !root.is_dir() {
        return Err(format!("root {}: not a directory", root.display()));
    }
    let mut per_file_ignores = Vec::new();
    for (glob, selectors) in &config.per_file_ignores {
        let ignored = Selection::new(Some(selectors), &[], &[])?;
        per_file_ignores.push((glob.clone(), ignored.rules().map(|r| r.code).collect()));
    }
    let mut exclude = config.exclude.clone();
    for glob in &args.exclude {
        exclude.push(glob::Pattern::new(glob).map_err(|e| format!("--exclude `{glob}`: {e}"))?);
    }
    let discover = DiscoverOptions {
        force_format: args.as_format,
        formats: config.formats.clone(),
        exclude,
        force_exclude: args.force_exclude || config.force_exclude,
        base: config
            .path
            .as_ref()
            .and_then(|p| p.parent())
            .map(Path::to_path_buf),
        per_file_ignores,
    };
    if args.max_file_size == Some(0) {
        return Err("--max-file-size 0: give a size of 1 byte or more".into());
    }
    Ok(Options {
        selection,
        rule_config,
        fix,
        unsafe_fixes: args.unsafe_fixes,
        max_file_size: args
            .max_file_size
            .or(config.max_file_size)
            .unwrap_or(engine::DEFAULT_MAX_FILE_SIZE),
        root,
        inline_ignores: !args.no_inline_ignores,
        discover,
    })
}

fn check(args: CheckArgs) -> Result<ExitCode, String> {
    if let Some(jobs) = args.jobs {
        if jobs == 0 {
            return Err("--jobs 0: give 1 or more threads (the default is one per core)".into());
        }
        rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .build_global()
            .map_err(|e| e.to_string())?;
    }
    let config = load_config(&args)?;
    let options = resolve(&args, &config)?;
    let mut run = match collect(&args, &options)? {
        Ok(run) => run,
        Err(listed) => return Ok(listed),
    };
    if options.fix == FixMode::Write && !run.from_stdin {
        write_fixes(&mut run);
    }
    if let Some(path) = &args.baseline {
        drop_baselined(path, &mut run)?;
    }
    let mut extra = Vec::new();
    let sources = Sources::new(&run.reports, &mut extra);
    // What the user must know about the run comes first; the summary is the last line.
    for note in &run.notes {
        eprintln!("etclint: note: {note}");
    }
    for error in &run.errors {
        eprintln!("etclint: error: {error}");
    }
    if let Some(path) = &args.write_baseline {
        let count = baseline::write(path, &run.reports, &sources)?;
        eprintln!(
            "etclint: recorded {} in {}",
            plural(count, "finding"),
            path.display()
        );
        let failed = !run.errors.is_empty() || run.named_not_checked();
        return Ok(exit_after(&[], failed));
    }
    let mut totals = Totals::of(&run.reports, options.minimum_applicability());
    totals.unwritten = run.unwritten;
    render_run(&args, &options, &run, &sources, &totals)?;
    let internal = run.reports.iter().any(FileReport::has_internal_error);
    let remaining = totals.diagnostics > 0
        || (options.fix == FixMode::Diff && run.reports.iter().any(|r| r.fixed.is_some()));
    Ok(
        if !run.errors.is_empty() || internal || run.named_not_checked() {
            ExitCode::from(2)
        } else if remaining && !args.exit_zero {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        },
    )
}

/// A run's reports and what it has to say besides them.
struct Run {
    /// One per file of the run, checked or not.
    reports: Vec<FileReport>,
    errors: Vec<String>,
    notes: Vec<String>,
    from_stdin: bool,
    /// Fixed files that could not be written.
    unwritten: usize,
    /// Named directories in which nothing was found to check.
    empty: Vec<PathBuf>,
}

impl Run {
    fn named_not_checked(&self) -> bool {
        self.reports.iter().any(|r| r.explicit && !r.is_checked())
    }
}

/// Finds and checks the files; or, with `--show-files`, lists them and gives the exit code.
fn collect(args: &CheckArgs, options: &Options) -> Result<Result<Run, ExitCode>, String> {
    let mut paths = args.paths.clone();
    if paths.is_empty() && args.stdin_filename.is_some() {
        // As ruff: naming standard input is enough to read it.
        paths.push(PathBuf::from("-"));
    }
    if paths.is_empty() {
        paths.push(PathBuf::from("."));
    }
    let from_stdin = paths.iter().any(|p| p == Path::new("-"));
    if from_stdin && paths.len() > 1 {
        return Err("`-` (standard input) cannot be combined with other paths".into());
    }
    if args.stdin_filename.is_some() && !from_stdin {
        return Err(
            "--stdin-filename names standard input: name no other paths, or add `-`".into(),
        );
    }
    let mut errors = Vec::new();
    let mut notes: Vec<String> = formats::handlers()
        .iter()
        .flat_map(|h| h.notes(&options.selection))
        .collect();
    let mut empty = Vec::new();
    let reports = if from_stdin {
        vec![check_stdin(args, options)?]
    } else {
        let discovery = discover::discover(&paths, &options.discover);
        notes.extend(discovery.notes);
        note_unsupported(&discovery.targets, &mut notes);
        if args.show_files {
            let mut out = io::stdout().lock();
            for target in &discovery.targets {
                let format = target.format.map_or("unknown", Format::id);
                writeln!(out, "{}\t{format}", target.path.display()).map_err(|e| e.to_string())?;
            }
            let errors: Vec<String> = discovery
                .unreached
                .iter()
                .filter(|u| u.reason.is_failure())
                .map(|u| format!("{}: {}", u.target.path.display(), u.detail))
                .collect();
            return Ok(Err(exit_after(&errors, false)));
        }
        empty = discovery.empty;
        let mut reports: Vec<FileReport> = discovery
            .unreached
            .iter()
            .map(|u| FileReport::not_checked(&u.target, u.reason, u.detail.clone()))
            .collect();
        note_other_names(&discovery.targets, &mut notes);
        let (checked, workspace) = engine::run_keeping_workspace(&discovery.targets, options);
        // The process ends after the report: freeing every file's facts would only delay it.
        std::mem::forget(workspace);
        reports.extend(checked);
        reports
    };
    for report in &reports {
        if let Some(error) = &report.error {
            errors.push(format!("{}: {error}", report.path.display()));
        }
        notes.extend(
            report
                .notes
                .iter()
                .map(|n| format!("{}: {n}", report.path.display())),
        );
    }
    Ok(Ok(Run {
        reports,
        errors,
        notes,
        from_stdin,
        unwritten: 0,
        empty,
    }))
}

/// Writes the fixed files. A file that cannot be written keeps the findings of the file as it
/// is, and its fixes are not counted.
fn write_fixes(run: &mut Run) {
    for report in &mut run.reports {
        let (Some(fixed), Some(source)) = (&report.fixed, &report.source) else {
            continue;
        };
        if let Err(err) = write::write_fixed(&report.path, source.bytes(), fixed) {
            run.errors.push(format!("{}: {err}", report.path.display()));
            run.unwritten += 1;
            report.unfix();
        }
    }
}

/// Removes the findings the baseline records.
fn drop_baselined(path: &Path, run: &mut Run) -> Result<(), String> {
    let mut baseline = Baseline::load(path)?;
    let recorded = {
        let mut extra = Vec::new();
        baseline.recorded(&run.reports, &Sources::new(&run.reports, &mut extra))
    };
    for &(r, i) in recorded.iter().rev() {
        run.reports[r].diagnostics.remove(i);
    }
    if !recorded.is_empty() {
        run.notes.push(format!(
            "{} recorded in the baseline {} {} not shown",
            plural(recorded.len(), "finding"),
            path.display(),
            if recorded.len() == 1 { "is" } else { "are" }
        ));
    }
    Ok(())
}

/// The report in the format asked for, to standard output or `--output`, then the summary.
fn render_run(
    args: &CheckArgs,
    options: &Options,
    run: &Run,
    sources: &Sources,
    totals: &Totals,
) -> Result<(), String> {
    let fix = options.fix;
    let reports = &run.reports;
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            args.output.is_none()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && io::stdout().is_terminal()
        }
    };
    let format = args.format.unwrap_or_else(|| {
        let on_github = std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true");
        if on_github {
            OutputFormat::Github
        } else {
            OutputFormat::Text
        }
    });
    let write_err = |e: io::Error| format!("cannot write the report: {e}");
    let mut report = Vec::new();
    if fix == FixMode::Write && run.from_stdin {
        // As ruff does: the fixed text on stdout, the remaining findings on stderr.
        if let Some(file) = reports.first() {
            let bytes = file
                .fixed
                .as_deref()
                .or(file.source.as_ref().map(SourceFile::bytes));
            report.extend_from_slice(bytes.unwrap_or_default());
            render::concise::render(&mut io::stderr(), reports, sources).map_err(write_err)?;
        }
    } else if fix == FixMode::Diff {
        render::diff::render(&mut report, reports).map_err(write_err)?;
    } else if args.statistics {
        let minimum = options.minimum_applicability();
        match format {
            OutputFormat::Json => render::statistics::render_json(&mut report, reports, minimum),
            _ => render::statistics::render(&mut report, reports, minimum),
        }
        .map_err(write_err)?;
    } else {
        let out: &mut dyn Write = &mut report;
        match format {
            OutputFormat::Text => render::text::render(out, reports, sources, color),
            OutputFormat::Concise => render::concise::render(out, reports, sources),
            OutputFormat::Json => render::json::render(out, reports, sources),
            OutputFormat::Sarif => render::sarif::render(out, reports, sources),
            OutputFormat::Github => render::github::render(out, reports, sources),
            OutputFormat::Gitlab => render::gitlab::render(out, reports, sources),
            OutputFormat::Junit => render::junit::render(out, reports, sources),
        }
        .map_err(write_err)?;
    }
    let mut stdout = io::stdout().lock();
    match &args.output {
        Some(path) => std::fs::write(path, &report)
            .map_err(|e| format!("{}: {}", path.display(), discover::describe_io(&e)))?,
        None => stdout.write_all(&report).map_err(write_err)?,
    }
    stdout.flush().map_err(write_err)?;
    if fix == FixMode::Diff {
        let shown = reports.iter().filter(|r| r.fixed.is_some()).count();
        eprintln!(
            "{} would be changed; {} would remain",
            plural(shown, "file"),
            plural(totals.diagnostics, "problem")
        );
        return Ok(());
    }
    if fix == FixMode::Write && run.from_stdin {
        return Ok(());
    }
    let summary = summary(totals, fix, &run.empty);
    // The summary goes to the terminal, after the report; on standard error when standard
    // output is a machine-readable report.
    let human = matches!(format, OutputFormat::Text | OutputFormat::Concise)
        && !(args.statistics && format == OutputFormat::Json);
    if human || args.output.is_some() {
        writeln!(stdout, "{summary}").map_err(write_err)?;
    } else {
        eprintln!("etclint: {summary}");
    }
    stdout.flush().map_err(write_err)
}

/// For runs that report no findings: print the errors; exit 2 if there were any, or if the
/// run `failed` otherwise (a file named on the command line was not checked).
fn exit_after(errors: &[String], failed: bool) -> ExitCode {
    for error in errors {
        eprintln!("etclint: error: {error}");
    }
    if errors.is_empty() && !failed {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}

fn show_config(args: &CheckArgs) -> Result<ExitCode, String> {
    let config = load_config(args)?;
    let options = resolve(args, &config)?;
    let mut effective = config.clone();
    effective.root = Some(options.root.clone());
    effective.rule_config = options.rule_config.clone();
    print!("{}", effective.effective_toml(&options.selection));
    Ok(ExitCode::SUCCESS)
}

fn check_stdin(args: &CheckArgs, options: &Options) -> Result<FileReport, String> {
    let name = args
        .stdin_filename
        .clone()
        .unwrap_or_else(|| PathBuf::from("-"));
    let format = options.discover.format_of(&name).ok_or_else(|| {
        format!("cannot tell the format of standard input from `{}`: give --stdin-filename NAME or --as FORMAT", name.display())
    })?;
    let mut bytes = Vec::new();
    io::stdin()
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read standard input: {e}"))?;
    let target = Target::new(name, Some(format));
    let mut reports = engine::run_with(&[target], options, |_| Ok(bytes.clone()));
    let mut report = reports.remove(0);
    // `--fix` prints the file back: a clean one too, or one it did not check, which the
    // engine does not keep.
    if report.source.is_none() {
        report.source = Some(SourceFile::new(&report.path, bytes));
    }
    Ok(report)
}

/// One note for all the files of formats this version does not parse yet.
fn note_unsupported(targets: &[Target], notes: &mut Vec<String>) {
    let mut counts: Vec<(Format, usize)> = Vec::new();
    for format in targets
        .iter()
        .filter_map(|t| t.format)
        .filter(|f| !f.is_supported())
    {
        match counts.iter_mut().find(|(f, _)| *f == format) {
            Some((_, n)) => *n += 1,
            None => counts.push((format, 1)),
        }
    }
    if !counts.is_empty() {
        let list: Vec<String> = counts.iter().map(|(f, n)| format!("{n} {f}")).collect();
        notes.push(format!(
            "not checked: files of formats this version does not parse yet ({})",
            list.join(", ")
        ));
    }
}

/// Files found under several names are checked under one: the note says so, with the first.
fn note_other_names(targets: &[Target], notes: &mut Vec<String>) {
    let mut others = targets
        .iter()
        .flat_map(|t| t.also.iter().map(move |a| (a, &t.path)));
    let Some((name, checked_as)) = others.next() else {
        return;
    };
    let (name, checked_as) = (name.display(), checked_as.display());
    notes.push(match others.count() {
        0 => format!(
            "{name} is a link (or hard link) to {checked_as}: checked once, as {checked_as}"
        ),
        more => format!(
            "{} are links (or hard links) to files checked under another name, and are not checked again (the first: {name} → {checked_as})",
            plural(more + 1, "name")
        ),
    });
}

/// `n word` or `n words`.
fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The closing line: what was found, fixed and written, and what was not checked. It never
/// says "All checks passed" over a file that was not checked.
fn summary(totals: &Totals, fix: FixMode, empty: &[PathBuf]) -> String {
    let mut parts = Vec::new();
    if totals.checked == 0 && totals.not_checked.is_empty() {
        let under: Vec<String> = empty.iter().map(|p| p.display().to_string()).collect();
        return if under.is_empty() {
            "No files to check.".into()
        } else {
            format!("No files to check under {}.", under.join(", "))
        };
    }
    if totals.fixed > 0 {
        parts.push(format!("Fixed {}.", plural(totals.fixed, "problem")));
    }
    if totals.unwritten > 0 {
        parts.push(format!(
            "{} could not be written.",
            plural(totals.unwritten, "fixed file")
        ));
    }
    let checked = plural(totals.checked, "file");
    if totals.diagnostics > 0 {
        let mut found = format!(
            "Found {} in {}",
            plural(totals.diagnostics, "problem"),
            plural(totals.with_problems, "file")
        );
        if totals.with_problems != totals.checked {
            found.push_str(&format!(" ({} checked)", totals.checked));
        }
        found.push('.');
        if totals.fixable > 0 && fix == FixMode::Off {
            found.push_str(&format!(" {} fixable with --fix.", totals.fixable));
        }
        parts.push(found);
    } else if totals.checked == 0 {
        parts.push("Nothing checked.".into());
    } else if totals.named_not_checked {
        parts.push(format!("No problems found in {checked} checked."));
    } else if fix == FixMode::Off || totals.fixed == 0 {
        parts.push(format!("All checks passed ({checked} checked)."));
    }
    if !totals.not_checked.is_empty() {
        let count: usize = totals.not_checked.iter().map(|(_, n)| n).sum();
        let reasons: Vec<String> = totals
            .not_checked
            .iter()
            .map(|&(reason, n)| reason.count(n))
            .collect();
        parts.push(format!(
            "{count} not checked: {} — see the notes.",
            reasons.join(", ")
        ));
    }
    parts.join(" ")
}

fn list_rules(format: RulesFormat) -> Result<ExitCode, String> {
    let mut out = io::stdout().lock();
    let result = match format {
        RulesFormat::Json => {
            let rules: Vec<serde_json::Value> = RULES
                .iter()
                .map(|rule| {
                    let meta = rule.meta();
                    serde_json::json!({
                        "code": rule.code,
                        "name": rule.name,
                        "format": rule.group(),
                        "formats": rule.formats.iter().map(|f| f.id()).collect::<Vec<_>>(),
                        "severity": meta.front.severity,
                        "fix": meta.front.best_fix(),
                        "fix_availability": meta.front.fix,
                        "fix_applicability": meta.front.applicability,
                        "default": meta.front.default,
                        "since": meta.front.since,
                        "tags": meta.front.tags,
                        "summary": meta.summary,
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &rules)
                .map_err(io::Error::from)
                .and_then(|()| writeln!(out))
        }
        RulesFormat::Markdown => out.write_all(rules_markdown().as_bytes()),
        RulesFormat::Table => {
            let header = ["CODE", "NAME", "FORMAT", "SEVERITY", "FIX", "DEFAULT"];
            let mut rows = vec![header.map(String::from)];
            for rule in RULES.iter() {
                let m = &rule.meta().front;
                rows.push([
                    rule.code.to_string(),
                    rule.name.to_string(),
                    rule.group().to_string(),
                    m.severity.to_string(),
                    m.best_fix().to_string(),
                    if m.default { "yes" } else { "no" }.to_string(),
                ]);
            }
            let widths: Vec<usize> = (0..header.len())
                .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
                .collect();
            rows.iter().try_for_each(|row| {
                let cells: Vec<String> = row
                    .iter()
                    .zip(&widths)
                    .map(|(cell, &width)| format!("{cell:<width$}"))
                    .collect();
                writeln!(out, "{}", cells.join("  ").trim_end())
            })
        }
    };
    result.map_err(|e| e.to_string())?;
    Ok(ExitCode::SUCCESS)
}

/// The README's rule index: a table row per rule, by format, its page linked.
pub fn rules_markdown() -> String {
    let mut out =
        String::from("| code | name | what it finds | fix | default |\n|---|---|---|---|---|\n");
    let mut rules: Vec<_> = RULES.iter().collect();
    // etclint's own rules last, as they are about the others.
    rules.sort_by_key(|r| (r.formats.is_empty(), r.code));
    for rule in rules {
        let front = &rule.meta().front;
        let fix = match front.applicability.as_slice() {
            [] => "—".to_string(),
            list => list
                .iter()
                .map(|a| a.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        };
        out.push_str(&format!(
            "| {} | [{}](lints/{}/{}.md) | {} | {} | {} |\n",
            rule.code,
            rule.name,
            rule.group(),
            rule.name,
            front.short,
            fix,
            if front.default { "yes" } else { "no" }
        ));
    }
    out
}

fn explain(key: &str, format: PageFormat) -> Result<ExitCode, String> {
    let rule = rules::by_code_or_name(key).ok_or_else(|| match rules::did_you_mean_rule(key) {
        Some(near) => {
            format!("no rule `{key}` (did you mean `{near}`? `etclint rules` lists them all)")
        }
        None => format!("no rule `{key}` (`etclint rules` lists them all)"),
    })?;
    let front = &rule.meta().front;
    let fix = match front.fix {
        rules::FixAvailability::None => "no fix".to_string(),
        availability => format!(
            "fix {} ({})",
            availability.as_str(),
            front
                .applicability
                .iter()
                .map(|a| a.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "{} ({}) — format {}, severity {}, {fix}, {}\n",
        rule.code,
        rule.name,
        rule.group(),
        front.severity,
        if front.default {
            "on by default"
        } else {
            "off by default (--select)"
        }
    )
    .and_then(|()| {
        let body = &rule.meta().body;
        match format {
            PageFormat::Markdown => out.write_all(body.as_bytes()),
            PageFormat::Text => out.write_all(render::page::for_terminal(body).as_bytes()),
        }
    })
    .map_err(|e| e.to_string())?;
    Ok(ExitCode::SUCCESS)
}

fn dump(path: &Path, format: Option<Format>) -> Result<ExitCode, String> {
    let format = format.or_else(|| Format::detect(path)).ok_or_else(|| {
        format!(
            "{}: no format detected from the name; use --as FORMAT",
            path.display()
        )
    })?;
    let handler = format.handler().ok_or_else(|| {
        format!(
            "{}: format `{format}` is not parsed by this version yet",
            path.display()
        )
    })?;
    let bytes = std::fs::read(path)
        .map_err(|e| format!("{}: {}", path.display(), discover::describe_io(&e)))?;
    let model = handler.dump(&SourceFile::new(path, bytes));
    let mut out = io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &model).map_err(|e| e.to_string())?;
    writeln!(out).map_err(|e| e.to_string())?;
    Ok(ExitCode::SUCCESS)
}
