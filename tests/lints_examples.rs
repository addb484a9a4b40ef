//! Every rule page in `lints/` is executable: its `bad` example gives exactly the diagnostics
//! its `lines=` claims, `good` gives none, fixing `bad` gives `fixed`, and `fixed` is clean.
//! The fixes found are those the front matter declares: none, on some or on every finding, of
//! the applicabilities it lists.
//!
//! A block may say `file=PATH`: a block without a role is then another file of the example's
//! tree (`file=etc/postfix/main.cf`), checked together with each example; a role block with it
//! is checked under that name. The tree is written to a temporary directory that is the root.

use std::path::Path;

use etclint::discover::Target;
use etclint::engine::{self, FileReport, FixMode, Options};
use etclint::formats::Format;
use etclint::rules::{FixAvailability, Rule, Selection, RULES};

mod common;
use common::{program_needed_by, require_program};

struct Example {
    language: String,
    role: String,
    lines: Vec<usize>,
    /// `file=`, if given.
    file: Option<String>,
    text: String,
}

fn examples(body: &str) -> Vec<Example> {
    let mut out = Vec::new();
    let mut lines = body.lines();
    while let Some(line) = lines.next() {
        let Some(info) = line.strip_prefix("```") else {
            continue;
        };
        let words: Vec<&str> = info.split_whitespace().collect();
        let mut text = String::new();
        for inner in lines.by_ref() {
            if inner.starts_with("```") {
                break;
            }
            text.push_str(inner);
            text.push('\n');
        }
        let file = words
            .iter()
            .find_map(|w| w.strip_prefix("file="))
            .map(String::from);
        let role = match words
            .get(1)
            .filter(|r| ["bad", "good", "fixed"].contains(r))
        {
            Some(role) => role.to_string(),
            None if file.is_some() => "context".to_string(),
            None => continue,
        };
        let claimed = words
            .iter()
            .find_map(|w| w.strip_prefix("lines="))
            .map(|l| {
                l.split(',')
                    .map(|n| n.parse().expect("lines= takes numbers"))
                    .collect()
            })
            .unwrap_or_default();
        out.push(Example {
            language: words.first().unwrap_or(&"").to_string(),
            role,
            lines: claimed,
            file,
            text,
        });
    }
    out
}

/// Checks an example with its rule alone; for etclint's own rules (suppressions), with the
/// rules of the example's format too, so that there is something to suppress. The report is the
/// example file's; the context files are checked along.
fn check(
    rule: &Rule,
    example: &Example,
    text: &str,
    context: &[&Example],
    fix: bool,
) -> FileReport {
    let format: Format = match rule.formats.first() {
        Some(&format) => format,
        None => example.language.parse().expect("a format id"),
    };
    let mut select = vec![rule.code.to_string()];
    if rule.formats.is_empty() {
        select.extend(
            RULES
                .iter()
                .filter(|r| r.runs_on(format))
                .map(|r| r.code.to_string()),
        );
    }
    let front = &rule.meta().front;
    let mut options = Options::new(Selection::new(Some(&select), &[], &[]).unwrap());
    options.fix = if fix { FixMode::Diff } else { FixMode::Off };
    options.unsafe_fixes = front.applicability.iter().any(|a| a.as_str() == "unsafe");
    let dir = tempfile::tempdir().unwrap();
    options.root = dir.path().to_path_buf();
    let handler = format
        .handler()
        .expect("a handler for the example's format");
    let name = example.file.as_deref().unwrap_or(handler.example_name());
    let mut targets = vec![Target::new(dir.path().join(name), Some(format))];
    let mut files = vec![(name, example.language.as_str(), text)];
    for other in context {
        let file = other.file.as_deref().expect("context files have file=");
        files.push((file, &other.language, &other.text));
        // A block in no format's language (`text`, `newc`) is data the rule reads, not checked.
        if let Ok(format) = other.language.parse::<Format>() {
            targets.push(Target::new(dir.path().join(file), Some(format)));
        }
    }
    for (file, language, text) in files {
        let path = dir.path().join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let bytes = match language {
            "newc" => newc_init(text),
            _ => text.as_bytes().to_vec(),
        };
        std::fs::write(&path, bytes).unwrap();
    }
    let mut report = engine::run(&targets, &options).remove(0);
    check_declared_fixes(rule, &report);
    // Name it as the page does, not by the temporary directory.
    report.path = name.into();
    report
}

/// A `newc` block: an initrd image, a newc cpio archive (as `cpio -o -H newc` writes it) whose
/// one member `init` is the block's text.
fn newc_init(script: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, data, mode) in [
        ("init", script.as_bytes(), 0o100755),
        ("TRAILER!!!", &[][..], 0),
    ] {
        let sizes = [
            1,
            mode,
            0,
            0,
            1,
            0,
            data.len(),
            0,
            0,
            0,
            0,
            name.len() + 1,
            0,
        ];
        out.extend_from_slice(b"070701");
        for size in sizes {
            out.extend_from_slice(format!("{size:08x}").as_bytes());
        }
        out.extend_from_slice(name.as_bytes());
        out.push(0);
        out.resize(out.len().next_multiple_of(4), 0);
        out.extend_from_slice(data);
        out.resize(out.len().next_multiple_of(4), 0);
    }
    out
}

/// md5-crypt strings (`$1$salt$hash`, GRUB's `password --md5`) with their random salt as one
/// placeholder, so that a fix that makes one can be compared with its page.
fn without_salts(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("$1$") {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let end = tail.find(|c: char| c.is_whitespace()).unwrap_or(tail.len());
        out.push_str("$1$SALT$HASH");
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// The rule's findings carry the fixes its front matter declares, and no others.
fn check_declared_fixes(rule: &Rule, report: &FileReport) {
    let front = &rule.meta().front;
    for d in report.diagnostics.iter().filter(|d| d.code == rule.code) {
        match (&d.fix, front.fix) {
            (Some(_), FixAvailability::None) => {
                panic!("{}: declares no fix but offers one", rule.code)
            }
            (None, FixAvailability::Always) => {
                panic!(
                    "{}: declares a fix on every finding: {}",
                    rule.code, d.message
                )
            }
            (Some(fix), _) => assert!(
                front.applicability.contains(&fix.applicability),
                "{}: a {} fix, not among those declared ({:?})",
                rule.code,
                fix.applicability.as_str(),
                front.applicability
            ),
            (None, _) => {}
        }
    }
}

fn lines_of(report: &FileReport, code: &str) -> Vec<usize> {
    let source = report.source.as_ref();
    report
        .diagnostics
        .iter()
        .filter(|d| d.code == code)
        .map(|d| {
            source
                .expect("kept with diagnostics")
                .position(d.span.start)
                .line
        })
        .collect()
}

fn needs_program(rule: &Rule) -> bool {
    program_needed_by(rule.code).is_some()
}

#[test]
fn every_rule_has_a_page_and_every_page_a_rule() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("lints");
    let mut pages = Vec::new();
    for group in std::fs::read_dir(&root).unwrap() {
        let group = group.unwrap().path();
        for page in std::fs::read_dir(&group).unwrap() {
            pages.push(page.unwrap().path());
        }
    }
    for rule in RULES.iter() {
        let path = root.join(rule.group()).join(format!("{}.md", rule.name));
        assert!(
            pages.contains(&path),
            "{} has no page at {}",
            rule.code,
            path.display()
        );
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            rule.doc,
            "{} embeds another page",
            rule.code
        );
    }
    assert_eq!(pages.len(), RULES.len(), "pages without a rule: {pages:?}");
}

#[test]
fn examples_do_what_they_claim() {
    check_examples(false);
}

/// PHP000's bad examples: it reports only what `php -l` confirms.
#[test]
#[ignore = "needs php-cli (tests/setup.sh installs it)"]
fn examples_of_rules_that_ask_php() {
    require_program("php");
    check_examples(true);
}

/// Every page's good examples, and the bad ones of the rules that need a program only when
/// `with_programs`.
fn check_examples(with_programs: bool) {
    for rule in RULES.iter() {
        let examples = examples(rule.meta().body);
        let front = &rule.meta().front;
        let fixes = front.fix != FixAvailability::None;
        assert_eq!(
            fixes,
            !front.applicability.is_empty(),
            "{}: a rule that fixes lists its fixes' applicability, and only then",
            rule.code
        );
        let context: Vec<&Example> = examples.iter().filter(|e| e.role == "context").collect();
        let bad: Vec<&Example> = examples.iter().filter(|e| e.role == "bad").collect();
        let good: Vec<&Example> = examples.iter().filter(|e| e.role == "good").collect();
        let fixed: Vec<&Example> = examples.iter().filter(|e| e.role == "fixed").collect();
        assert!(
            !bad.is_empty() && !good.is_empty(),
            "{}: needs a bad and a good example",
            rule.code
        );
        assert_eq!(
            fixed.len(),
            if fixes { bad.len() } else { 0 },
            "{}: one fixed example per bad one when it fixes",
            rule.code
        );

        for example in &good {
            assert_eq!(
                lines_of(
                    &check(rule, example, &example.text, &context, false),
                    rule.code
                ),
                Vec::<usize>::new(),
                "{}: good example",
                rule.code
            );
        }
        if needs_program(rule) != with_programs {
            continue;
        }
        for (i, example) in bad.iter().enumerate() {
            assert!(
                !example.lines.is_empty(),
                "{}: a bad example must claim lines=",
                rule.code
            );
            let report = check(rule, example, &example.text, &context, false);
            assert_eq!(
                lines_of(&report, rule.code),
                example.lines,
                "{}: bad example {i}",
                rule.code
            );
            if let Some(expected) = fixed.get(i) {
                let fixed_report = check(rule, example, &example.text, &context, true);
                let result = fixed_report
                    .fixed
                    .as_deref()
                    .map(String::from_utf8_lossy)
                    .unwrap_or_default();
                assert_eq!(
                    without_salts(&result),
                    without_salts(&expected.text),
                    "{}: fixing bad example {i}",
                    rule.code
                );
                let clean = check(rule, expected, &expected.text, &context, false);
                assert_eq!(
                    lines_of(&clean, rule.code),
                    Vec::<usize>::new(),
                    "{}: fixed example {i} is not clean",
                    rule.code
                );
            }
        }
    }
}

/// A page's other files are checked with its examples: PHP001's bad `config.php` names the
/// `download.php` beside it, which includes it.
#[test]
fn other_files_of_a_page_are_checked_with_its_examples() {
    let rule = etclint::rules::by_code_or_name("PHP001").unwrap();
    let examples = examples(rule.meta().body);
    let context: Vec<&Example> = examples.iter().filter(|e| e.role == "context").collect();
    assert_eq!(context.len(), 1);
    let bad = examples.iter().find(|e| e.role == "bad").unwrap();
    let report = check(rule, bad, &bad.text, &context, false);
    let finding = &report.diagnostics[0];
    assert!(
        finding
            .message
            .contains(": this breaks the headers and corrupts the download of `")
            && finding
                .message
                .ends_with("download.php`, which includes it"),
        "{}",
        finding.message
    );
    assert!(finding.labels.iter().any(|l| l
        .path
        .as_deref()
        .is_some_and(|p| p.ends_with("download.php"))));
}
