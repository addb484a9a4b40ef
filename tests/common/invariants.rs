//! The invariants that hold for any input, checked by the fuzz targets (`fuzz/`), the fuzz
//! regression test (`tests/fuzz_regressions.rs`) and the property tests
//! (`tests/properties.rs`). One copy: the fuzz targets include this file with `#[path]`.
//!
//! Each check panics with a message when an invariant does not hold. The formats come from the
//! handler list (file name, syntax check); each adds its parser's checker and its seeds to
//! [`PARSERS`], and its fuzz targets to [`TARGETS`].

#![allow(dead_code)]

use std::ops::Range;
use std::path::{Path, PathBuf};

use etclint::config::Config;
use etclint::diagnostic::Diagnostic;
use etclint::discover::Target;
use etclint::engine::{self, FixMode, Options, INTERNAL_ERROR};
use etclint::fix::{apply_fixes, Applicability};
use etclint::formats::php::scan::{self, RegionKind};
use etclint::formats::php::CodeFile;
use etclint::formats::Format;
use etclint::rules::Selection;
use etclint::source::SourceFile;
use etclint::suppress;

/// One format's row: how to check its parser, how to tell a syntax error, where its seeds are.
pub struct FormatChecks {
    pub format: Format,
    /// The file name the engine is given (it decides nothing else).
    pub file_name: &'static str,
    /// The parser's invariants (no panic, lossless spans, …).
    pub parse: fn(&[u8]),
    /// Whether the input has a syntax error, as far as etclint's parser can tell: fixes must
    /// not add one. `None` when the format has no such check.
    pub has_syntax_error: Option<fn(&[u8]) -> bool>,
    /// Seed inputs, relative to the crate root.
    pub seeds: &'static str,
}

/// Per format id: its parser's invariants and where its seeds are. Every format with a handler
/// needs its row (`formats()` says so).
pub const PARSERS: &[(&str, Check, &str)] = &[
    ("php", check_php_scan, "fixtures/php"),
    ("wgetrc", check_wgetrc_parse, "fixtures/wgetrc"),
    ("php-ini", check_php_ini_parse, "fixtures/php-ini"),
    ("apache", check_apache_parse, "fixtures/apache"),
    // grub, grub-default (issue 14)
    ("grub", check_grub_parse, "fixtures/grub"),
    (
        "grub-default",
        check_grub_default_parse,
        "fixtures/grub-default",
    ),
    // postfix-regexp/postfix-pcre (issue 13)
    (
        "postfix-regexp",
        check_postfix_regexp,
        "fixtures/postfix-regexp",
    ),
    (
        "postfix-pcre",
        check_postfix_pcre,
        "fixtures/postfix-regexp",
    ),
    // postfix-main/postfix-master (issue 12)
    ("postfix-main", check_postfix_main, "fixtures/postfix-main"),
    (
        "postfix-master",
        check_postfix_master,
        "fixtures/postfix-master",
    ),
];

/// A row per format handler.
pub fn formats() -> Vec<FormatChecks> {
    etclint::formats::handlers()
        .iter()
        .map(|handler| {
            let format = handler.format();
            let &(_, parse, seeds) = PARSERS
                .iter()
                .find(|(id, _, _)| *id == format.id())
                .unwrap_or_else(|| {
                    panic!("format {format} needs its row in PARSERS (tests/common/invariants.rs)")
                });
            FormatChecks {
                format,
                file_name: handler.example_name(),
                parse,
                has_syntax_error: handler.syntax_check(),
                seeds,
            }
        })
        .collect()
}

/// Panics when an invariant does not hold for the input.
pub type Check = fn(&[u8]);

/// The fuzz targets by name, each with its check. `fuzz/fuzz_targets/<name>.rs` calls the
/// check; `fixtures/fuzz/<name>/` holds the inputs it once failed on.
pub const TARGETS: &[(&str, Check)] = &[
    ("php_scan", check_php_scan),
    ("php_lint_fix", check_php_lint_fix),
    ("lint_fix", check_any_lint_fix),
    ("config", check_config),
    ("suppress", check_suppress),
    ("wgetrc_lint_fix", check_wgetrc_lint_fix),
    ("grub_lint_fix", check_grub_lint_fix),
    ("postfix_table", check_postfix_table),
    ("postfix_conf", check_postfix_conf),
    ("php_ini_lint_fix", check_php_ini_lint_fix),
    ("apache_lint_fix", check_apache_lint_fix),
];

pub fn format_checks(format: Format) -> FormatChecks {
    formats()
        .into_iter()
        .find(|row| row.format == format)
        .expect("a row per format")
}

// ----- PHP scanner ---------------------------------------------------------------------------

/// The scanner's regions are contiguous, cover the input exactly, are never empty, and the tags
/// are where they say.
pub fn check_php_scan(bytes: &[u8]) {
    let scan = scan::scan(bytes);
    let mut at = 0;
    for region in &scan.regions {
        let span = &region.span;
        assert_eq!(span.start, at, "regions must be contiguous: {region:?}");
        assert!(span.end > span.start, "empty region: {region:?}");
        assert!(span.end <= bytes.len(), "region past the end: {region:?}");
        let text = &bytes[span.clone()];
        match region.kind {
            RegionKind::OpenTag => assert!(text.starts_with(b"<?"), "open tag: {region:?}"),
            RegionKind::OpenTagWithEcho => {
                assert!(text.starts_with(b"<?="), "echo tag: {region:?}")
            }
            RegionKind::CloseTag => assert!(text.starts_with(b"?>"), "close tag: {region:?}"),
            _ => {}
        }
        at = span.end;
    }
    assert_eq!(at, bytes.len(), "regions must cover the input");
    for (i, region) in scan.regions.iter().enumerate() {
        let found = scan.region_at(region.span.start);
        assert_eq!(found, Some(&scan.regions[i]), "region_at");
    }
    assert!(scan.region_at(bytes.len()).is_none());
    if let Some(file) = CodeFile::of(&scan, bytes) {
        for gap in &file.gaps {
            assert!(
                gap.close_tag.end <= gap.output.start
                    && gap.output.end == gap.open_tag.start
                    && etclint::formats::php::is_blank(&bytes[gap.output.clone()]),
                "{gap:?}"
            );
        }
        for span in [&file.before_open, &file.open_tag, &file.after_close]
            .into_iter()
            .chain(file.close_tag.as_ref())
        {
            assert!(
                span.start <= span.end && span.end <= bytes.len(),
                "{file:?}"
            );
        }
    }
}

// ----- lint and fix --------------------------------------------------------------------------

/// Every rule of the format except PHP000, which runs `php`; unsafe fixes too.
pub fn lint_options(fix: FixMode) -> Options {
    let selection = Selection::new(Some(&["ALL".into()]), &[], &["PHP000".into()]).unwrap();
    let mut options = Options::new(selection);
    options.fix = fix;
    options.unsafe_fixes = true;
    options
}

/// The lint/fix invariants for every format with a handler: the first byte picks the format,
/// the rest is the file.
pub fn check_any_lint_fix(bytes: &[u8]) {
    let rows = formats();
    let Some((&pick, rest)) = bytes.split_first() else {
        return;
    };
    check_lint_fix(rows[usize::from(pick) % rows.len()].format, rest);
}

pub fn check_php_lint_fix(bytes: &[u8]) {
    check_lint_fix(Format::Php, bytes);
}

// ----- wgetrc --------------------------------------------------------------------------------

/// The lines are wget's: contiguous, split at `\n` only, numbered from 1; each part of a line
/// lies inside it and before a NUL; a command's name is letters, digits, `_` and `-`, and the
/// value has no whitespace at its ends; `has_error` is what the lines say.
pub fn check_wgetrc_parse(bytes: &[u8]) {
    use etclint::formats::wgetrc::{self, values::is_space, LineKind};
    let lines = wgetrc::parse(bytes);
    let mut at = 0;
    for (i, line) in lines.iter().enumerate() {
        assert_eq!(line.number, i + 1, "line numbers: {line:?}");
        assert_eq!(line.span.start, at, "lines must be contiguous: {line:?}");
        assert!(line.span.end <= bytes.len(), "line past the end: {line:?}");
        let text = &bytes[line.span.clone()];
        assert!(!text.contains(&b'\n'), "a line holds a newline: {line:?}");
        let seen_end = line.nul_at.unwrap_or(line.span.end);
        assert!(line
            .nul_at
            .is_none_or(|n| bytes[n] == 0 && line.span.contains(&n)));
        let inside =
            |r: &Range<usize>| line.span.start <= r.start && r.start <= r.end && r.end <= seen_end;
        match &line.kind {
            LineKind::Blank => assert!(bytes[line.span.start..seen_end]
                .iter()
                .all(|&b| is_space(b))),
            LineKind::Comment => {}
            LineKind::SyntaxError { name, at } => {
                assert!(
                    inside(name) && name.end <= *at && *at <= seen_end,
                    "{line:?}"
                );
            }
            LineKind::Command(command) => {
                assert!(inside(&command.name) && inside(&command.value), "{line:?}");
                assert!(command.name.end < command.value.start || command.value.is_empty());
                assert!(bytes[command.name.clone()]
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-')));
                let value = &bytes[command.value.clone()];
                assert!(value.first().is_none_or(|&b| !is_space(b)), "{line:?}");
                assert!(value.last().is_none_or(|&b| !is_space(b)), "{line:?}");
            }
        }
        at = line.span.end + 1;
    }
    assert!(at >= bytes.len(), "lines must cover the input");
    let source = SourceFile::new(".wgetrc", bytes.to_vec());
    let file = wgetrc::WgetrcFile::new(&source);
    assert_eq!(file.lines, lines);
    assert_eq!(file.has_error(), wgetrc::has_error(bytes));
}

/// php-ini: the parser's invariants, then lint and fix.
pub fn check_php_ini_lint_fix(bytes: &[u8]) {
    check_php_ini_parse(bytes);
    check_lint_fix(Format::PhpIni, bytes);
}

pub fn check_wgetrc_lint_fix(bytes: &[u8]) {
    check_wgetrc_parse(bytes);
    check_lint_fix(Format::Wgetrc, bytes);
}

// ----- grub, grub-default (issue 14) -----------------------------------------------------------

/// GRUB's lines come in order, each inside the input, their bytes from where they say, at
/// most 1500 of them; comments lie between them; entries, dropped titles and menu settings
/// name lines that are there; dump never fails.
pub fn check_grub_parse(bytes: &[u8]) {
    use etclint::formats::grub::{self, Place};
    let (lines, comments) = grub::lex(bytes);
    let mut after = 0;
    for line in &lines {
        assert!(
            line.span.start >= after && line.span.end <= bytes.len(),
            "{line:?}"
        );
        assert!(line.text.len() <= grub::MAX_LINE && line.text.len() == line.at.len());
        assert!(
            line.at.windows(2).all(|w| w[0] < w[1]),
            "offsets increase: {line:?}"
        );
        for (&c, &at) in line.text.iter().zip(&line.at) {
            assert!(line.span.contains(&at), "{line:?}");
            let original = bytes[at];
            assert!(
                c == original || (c == b' ' && matches!(original, b'\t' | b'\n')),
                "{line:?}"
            );
        }
        assert!(line.name.end <= line.args && line.args <= line.seen().len().max(line.name.end));
        after = line.span.end;
    }
    for comment in &comments {
        assert!(comment.start <= comment.end && comment.end <= bytes.len());
        assert_eq!(bytes[comment.start], b'#');
    }
    let source = SourceFile::new("menu.lst", bytes.to_vec());
    let file = grub::GrubFile::new(&source);
    let menu = file.menu();
    assert_eq!(menu.places.len(), file.lines.len());
    for entry in &menu.entries {
        assert!(file.lines[entry.title].is("title") && !entry.commands.is_empty());
        assert!(entry
            .commands
            .iter()
            .all(|&c| c > entry.title && c < file.lines.len()));
    }
    for place in &menu.places {
        if let Place::Entry { title } = place {
            assert!(file.lines[*title].is("title"));
        }
    }
    assert!(file.selected().is_none_or(|s| s < menu.entries.len()));
    let dump = Format::Grub.handler().unwrap().dump(&source);
    assert_eq!(
        dump["entries"].as_array().unwrap().len(),
        menu.entries.len()
    );
}

/// Assignments come in order, inside the input, named by a shell name.
pub fn check_grub_default_parse(bytes: &[u8]) {
    use etclint::formats::grub_default;
    let (assignments, comments) = grub_default::parse(bytes);
    let mut after = 0;
    for a in &assignments {
        assert!(a.name.start >= after && a.name.end < a.raw.start + 1 && a.raw.end <= bytes.len());
        assert!(a.append_at <= bytes.len() && a.append_at >= a.raw.start);
        assert!(bytes[a.name.clone()]
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'_'));
        after = a.raw.end;
    }
    for c in &comments {
        assert!(c.end <= bytes.len() && bytes[c.start] == b'#');
    }
}

pub fn check_grub_lint_fix(bytes: &[u8]) {
    // The first byte picks the format: grub.conf or /etc/default/grub.
    let Some((&pick, rest)) = bytes.split_first() else {
        return;
    };
    if pick & 1 == 0 {
        check_grub_parse(rest);
        check_lint_fix(Format::Grub, rest);
    } else {
        check_grub_default_parse(rest);
        check_lint_fix(Format::GrubDefault, rest);
    }
}

/// Lint, fix (unsafe fixes too) and lint again:
///
/// * no panic and no internal error (ETC999);
/// * every span of a diagnostic, a label in the same file and an edit is inside the input and
///   on char boundaries of its text view;
/// * the fix loop converges, and the fixed file has no syntax error the input did not have
///   (the engine would revert such a fix: the note says so);
/// * the fixes of the fixed file, applied again, change nothing.
///
/// A NUL byte in the first 8000 bytes makes a file binary, which is not checked; NUL bytes are
/// replaced by 0x01 so that every input reaches the rules.
pub fn check_lint_fix(format: Format, bytes: &[u8]) {
    check_lint_fix_as(format, format_checks(format).file_name, bytes);
}

/// [`check_lint_fix`] on a file of this name, for formats whose file name decides more than the
/// format (an Apache `.htaccess` is per-directory configuration).
pub fn check_lint_fix_as(format: Format, file_name: &str, bytes: &[u8]) {
    let row = format_checks(format);
    let bytes: Vec<u8> = bytes.iter().map(|&b| if b == 0 { 1 } else { b }).collect();
    let target = Target::new(PathBuf::from(file_name), Some(format));
    let options = lint_options(FixMode::Off);

    let source = SourceFile::new(file_name, bytes.clone());
    let diagnostics = engine::lint(&source, format, &target, &options).diagnostics;
    check_diagnostics(&source, &diagnostics, "the input");

    let options = lint_options(FixMode::Diff);
    let reports = engine::run_with(std::slice::from_ref(&target), &options, |_| {
        Ok(bytes.clone())
    });
    // Files the input includes join the run (read with the same bytes); the input's own report
    // is the one checked.
    let report = reports
        .iter()
        .find(|r| r.path == Path::new(file_name))
        .expect("the input has a report");
    assert!(report.error.is_none(), "error: {:?}", report.error);
    for note in &report.notes {
        assert!(
            !note.contains("did not converge"),
            "fixes do not converge: {note}"
        );
        assert!(
            !note.contains("fixes reverted"),
            "fixes add a syntax error: {note}"
        );
    }
    assert!(
        !report.has_internal_error(),
        "internal error after fixing: {:?}",
        report.diagnostics
    );
    let Some(fixed) = &report.fixed else {
        check_diagnostics(
            &source,
            &report.diagnostics,
            "the input (after the fix loop)",
        );
        return;
    };
    assert_ne!(
        fixed, &bytes,
        "a fix that changes nothing is reported as one"
    );
    if let Some(has_error) = row.has_syntax_error {
        assert!(
            !has_error(fixed) || has_error(&bytes),
            "the fixed output has a syntax error the input does not have:\n{}",
            String::from_utf8_lossy(fixed)
        );
    }
    let fixed_source = SourceFile::new(file_name, fixed.clone());
    check_diagnostics(&fixed_source, &report.diagnostics, "the fixed output");
    let again = engine::lint(&fixed_source, format, &target, &options).diagnostics;
    check_diagnostics(&fixed_source, &again, "the fixed output");
    let (refixed, applied) = apply_fixes(fixed, &again, Applicability::Unsafe);
    assert!(
        applied == 0 || &refixed == fixed,
        "fixing the fixed output changes it again ({applied} fixes):\n{}\n---\n{}",
        String::from_utf8_lossy(fixed),
        String::from_utf8_lossy(&refixed)
    );
}

/// Spans inside the file and on char boundaries of its text; no internal error.
pub fn check_diagnostics(source: &SourceFile, diagnostics: &[Diagnostic], what: &str) {
    for d in diagnostics {
        assert_ne!(
            d.code, INTERNAL_ERROR.0,
            "internal error on {what}: {}",
            d.message
        );
        check_span(source, &d.span, &format!("{} on {what}", d.code));
        for label in d.labels.iter().filter(|l| l.path.is_none()) {
            check_span(source, &label.span, &format!("{} label on {what}", d.code));
        }
        for edit in d.fix.iter().flat_map(|f| &f.edits) {
            check_span(source, &edit.span, &format!("{} edit on {what}", d.code));
        }
    }
}

pub fn check_span(source: &SourceFile, span: &Range<usize>, what: &str) {
    assert!(
        span.start <= span.end && span.end <= source.len(),
        "{what}: span {span:?} outside the file (length {})",
        source.len()
    );
    let text = source.text();
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what}: span {span:?} not on char boundaries"
    );
}

// ----- etclint.toml --------------------------------------------------------------------------

/// `Config::parse` never panics; a configuration it accepts gives a selection or a clear error,
/// and its effective TOML parses again.
pub fn check_config(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let Ok(config) = Config::parse(Path::new("etclint.toml"), &text) else {
        return;
    };
    if let Ok(selection) = Selection::new(
        config.select.as_deref(),
        &config.extend_select,
        &config.ignore,
    ) {
        let effective = config.effective_toml(&selection);
        let again = Config::parse(Path::new("etclint.toml"), &effective);
        assert!(
            again.is_ok(),
            "the effective configuration does not parse: {again:?}\n{effective}"
        );
    }
}

// ----- suppression comments ------------------------------------------------------------------

/// `suppress::directives` over the scanner's comments of the input, and over arbitrary ranges
/// (in bounds, on char boundaries) read from the input's last bytes: the last byte says how
/// many (0–7), the 4 bytes per range before it are two little-endian `u16` offsets. The input
/// stays whole, so seeds remain real PHP.
pub fn check_suppress(bytes: &[u8]) {
    let source = SourceFile::new("fuzz.php", bytes.to_vec());
    let comments: Vec<Range<usize>> = scan::scan(bytes)
        .of_kind(RegionKind::Comment)
        .map(|r| r.span.clone())
        .collect();
    check_directives(&source, &comments);
    check_directives(&source, &ranges_from_tail(&source));
}

fn ranges_from_tail(source: &SourceFile) -> Vec<Range<usize>> {
    let bytes = source.bytes();
    let Some((&last, rest)) = bytes.split_last() else {
        return Vec::new();
    };
    let count = usize::from(last % 8).min(rest.len() / 4);
    let tail = &rest[rest.len() - count * 4..];
    let len = source.len();
    tail.chunks_exact(4)
        .map(|c| {
            let a = usize::from(u16::from_le_bytes([c[0], c[1]])) % (len + 1);
            let b = usize::from(u16::from_le_bytes([c[2], c[3]])) % (len + 1);
            let (a, b) = (a.min(b), a.max(b));
            source.floor_char_boundary(a)..source.floor_char_boundary(b)
        })
        .collect()
}

fn check_directives(source: &SourceFile, comments: &[Range<usize>]) {
    let found = suppress::directives(source, comments.iter().cloned());
    let lines = source.line_starts().len();
    for directive in &found {
        let comment = &directive.comment;
        assert!(comments.contains(comment), "{directive:?}");
        assert!(directive.line < lines, "line out of range: {directive:?}");
        for code in &directive.codes {
            check_span(source, &code.span, "code in a directive");
            assert!(
                comment.start <= code.span.start && code.span.end <= comment.end,
                "code outside its comment: {directive:?}"
            );
            assert_eq!(&source.text()[code.span.clone()], code.text);
        }
        let _ = suppress::stands_alone(source, comment);
    }
}

// ----- Postfix regexp:/pcre: tables (issue 13) ---------------------------------------------

pub fn check_postfix_regexp(bytes: &[u8]) {
    check_table(bytes, etclint::formats::postfix_table::Engine::Regexp);
}

pub fn check_postfix_pcre(bytes: &[u8]) {
    check_table(bytes, etclint::formats::postfix_table::Engine::Pcre);
}

/// Both engines' readings: logical lines in order, inside the input, their statements' ranges
/// inside their text, every problem's span inside the input, and every text offset mapping
/// into the line's own span.
pub fn check_postfix_table(bytes: &[u8]) {
    check_postfix_regexp(bytes);
    check_postfix_pcre(bytes);
}

fn check_table(bytes: &[u8], engine: etclint::formats::postfix_table::Engine) {
    use etclint::formats::postfix_table::Table;
    let source = SourceFile::new("fuzz.table", bytes.to_vec());
    let table = Table::new(&source, engine);
    let mut at = 0;
    for line in &table.lines {
        assert!(
            line.span.start >= at,
            "logical lines in order: {:?}",
            line.span
        );
        assert!(line.span.start <= line.span.end && line.span.end <= bytes.len());
        for k in 0..=line.text.len() {
            let offset = line.source_offset(k);
            assert!(
                offset <= bytes.len(),
                "offset {k} of {:?} maps past the end",
                line.span
            );
        }
        at = line.span.end;
    }
    for comment in &table.comments {
        assert!(comment.end <= bytes.len() && bytes[comment.start] == b'#');
    }
    let validation = table.validation();
    assert_eq!(validation.kept.len(), table.lines.len());
    for problem in &validation.problems {
        assert!(
            problem.span.start <= problem.span.end && problem.span.end <= bytes.len(),
            "{problem:?}"
        );
    }
}

// ----- Postfix main.cf/master.cf (issue 12) -------------------------------------------------

/// main.cf's reading: logical lines in order and inside the input, every entry's name and value
/// inside its line's text, every macro reference inside its value, the dump and the facts
/// computed without a panic.
pub fn check_postfix_main(bytes: &[u8]) {
    use etclint::formats::postfix_conf::MainCf;
    let source = SourceFile::new("main.cf", bytes.to_vec());
    let main = MainCf::new(&source);
    check_logical_lines(bytes, &main.lines);
    for (i, entry) in main.entries.iter().enumerate() {
        let text = &main.line(entry).text;
        assert!(entry.name.end <= text.len() && entry.value.start <= entry.value.end);
        assert!(entry.value.end <= text.len(), "{entry:?}");
        for r in main.refs(i) {
            assert!(r.span.end <= entry.value.len() && r.name.start >= r.span.start);
        }
    }
    let _ = main.fatal();
    let _ = main.names(None);
    let _ = Format::PostfixMain.handler().unwrap().dump(&source);
}

/// master.cf's reading: logical lines, every field and override inside its line's text.
pub fn check_postfix_master(bytes: &[u8]) {
    use etclint::formats::postfix_conf::MasterCf;
    let source = SourceFile::new("master.cf", bytes.to_vec());
    let master = MasterCf::new(&source);
    check_logical_lines(bytes, &master.lines);
    for entry in &master.entries {
        let text = &master.line(entry).text;
        for f in &entry.fields {
            assert!(f.range.start < f.range.end && f.range.end <= text.len());
        }
        for o in &entry.overrides {
            assert!(
                o.name.end <= text.len() && o.value.end <= text.len() && o.span.end <= text.len()
            );
        }
    }
    let _ = master.services();
    let _ = Format::PostfixMaster.handler().unwrap().dump(&source);
}

fn check_logical_lines(bytes: &[u8], lines: &[etclint::formats::postfix_conf::Logical]) {
    let mut at = 0;
    for line in lines {
        assert!(
            line.span.start >= at,
            "logical lines in order: {:?}",
            line.span
        );
        assert!(line.span.start <= line.span.end && line.span.end <= bytes.len());
        for k in 0..=line.text.len().min(4096) {
            assert!(line.source_offset(k) <= bytes.len());
        }
        at = line.span.end;
    }
}

/// Both parsers, then the lint and fix loop of both formats.
pub fn check_postfix_conf(bytes: &[u8]) {
    check_postfix_main(bytes);
    check_postfix_master(bytes);
    check_lint_fix(Format::PostfixMain, bytes);
    check_lint_fix(Format::PostfixMaster, bytes);
}

/// php-ini: spans lie inside the input and in order, a dropped entry only after an error, and
/// the parse is the same twice (no dependence on state between runs).
pub fn check_php_ini_parse(bytes: &[u8]) {
    use etclint::formats::php_ini;
    let parsed = php_ini::parse(bytes);
    let within = |r: &Range<usize>| r.start <= r.end && r.end <= bytes.len();
    let mut last = 0;
    for entry in &parsed.entries {
        assert!(
            within(&entry.key) && within(&entry.raw) && within(&entry.statement),
            "{entry:?}"
        );
        assert!(entry.key.start >= last, "entries out of order: {entry:?}");
        assert!(
            entry.key.end <= entry.raw.start || entry.raw.is_empty(),
            "{entry:?}"
        );
        assert!(
            !entry.dropped || parsed.error.is_some(),
            "dropped without an error"
        );
        last = entry.key.start;
    }
    for section in &parsed.sections {
        assert!(
            within(&section.span) && bytes[section.span.start] == b'[',
            "{section:?}"
        );
    }
    for comment in &parsed.comments {
        assert!(
            within(comment) && bytes[comment.start] == b';',
            "{comment:?}"
        );
    }
    if let Some(error) = &parsed.error {
        assert!(within(&error.span) && error.line >= 1, "{error:?}");
        assert!(
            error.message.starts_with("syntax error, unexpected ")
                || error.message == "memory exhausted",
            "{error:?}"
        );
    }
    assert_eq!(parsed, php_ini::parse(bytes), "the parse is deterministic");
    let _ = php_ini::has_syntax_error(bytes);
}

// ----- apache (issue 11) ---------------------------------------------------------------------

/// Apache's reading, as a .htaccess and as server configuration: logical lines contiguous and
/// inside the file, every node on its line with its name and words inside that line's span,
/// section links that point both ways, and `dump` never failing.
pub fn check_apache_parse(bytes: &[u8]) {
    use etclint::formats::apache::{ApacheFile, LineKind, NodeKind};
    for (name, htaccess) in [(".htaccess", true), ("apache2.conf", false)] {
        let source = SourceFile::new(name, bytes.to_vec());
        let file = ApacheFile::with_context(&source, htaccess);
        let mut at = 0;
        for line in &file.lines {
            assert!(line.span.start >= at, "lines in order: {line:?}");
            assert!(
                line.span.end <= bytes.len() && line.first <= line.last,
                "{line:?}"
            );
            at = line.span.end;
            if let LineKind::Node(n) = line.kind {
                let node = &file.nodes[n];
                let inside = |r: &Range<usize>| {
                    line.span.start <= r.start && r.start <= r.end && r.end <= line.span.end
                };
                assert!(inside(&node.name_span), "{node:?} outside {line:?}");
                assert!(node.args.iter().all(|w| inside(&w.span)), "{node:?}");
            }
        }
        for (i, node) in file.nodes.iter().enumerate() {
            assert!(node.line < file.lines.len());
            assert_eq!(file.lines[node.line].kind, LineKind::Node(i));
            if let Some(end) = node.end {
                assert_eq!(node.kind, NodeKind::Open);
                assert!(end > i && file.nodes[end].kind == NodeKind::Close);
            }
            if let Some(parent) = node.parent {
                assert!(parent < i && file.nodes[parent].kind == NodeKind::Open);
            }
        }
        let _ = file.has_structure_error();
        let _ = Format::Apache.handler().unwrap().dump(&source);
    }
}

/// The first byte picks the context (even: a server configuration file, odd: a `.htaccess`);
/// the rest is the file: the parser's invariants, then lint and fix.
pub fn check_apache_lint_fix(bytes: &[u8]) {
    let Some((&pick, rest)) = bytes.split_first() else {
        return;
    };
    check_apache_parse(rest);
    let name = if pick & 1 == 0 {
        "apache2.conf"
    } else {
        ".htaccess"
    };
    check_lint_fix_as(Format::Apache, name, rest);
}
