//! Every rule page in `lints/` is executable: its `bad` example gives exactly the diagnostics
//! its `lines=` claims, `good` gives none, fixing `bad` gives `fixed`, and `fixed` is clean.

use std::path::{Path, PathBuf};

use etclint::config::Settings;
use etclint::discover::Target;
use etclint::engine::{self, FileReport, FixMode, Options};
use etclint::formats::Format;
use etclint::rules::{FixKind, Rule, Selection, RULES};

struct Example {
    language: String,
    role: String,
    lines: Vec<usize>,
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
        let Some(role) = words
            .get(1)
            .filter(|r| ["bad", "good", "fixed"].contains(r))
        else {
            continue;
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
            role: role.to_string(),
            lines: claimed,
            text,
        });
    }
    out
}

/// Checks an example with its rule alone; for etclint's own rules (suppressions), with the
/// rules of the example's format too, so that there is something to suppress.
fn check(rule: &Rule, example: &Example, text: &str, fix: bool) -> FileReport {
    let format: Format = rule
        .format()
        .unwrap_or_else(|| example.language.parse().expect("a format id"));
    let mut select = vec![rule.code.to_string()];
    if rule.format().is_none() {
        select.extend(
            RULES
                .iter()
                .filter(|r| r.format() == Some(format))
                .map(|r| r.code.to_string()),
        );
    }
    let unsafe_fixes = rule.meta().front.fix == FixKind::Unsafe;
    let options = Options {
        selection: Selection::new(Some(&select), &[], &[]).unwrap(),
        settings: Settings::default(),
        fix: if fix { FixMode::Diff } else { FixMode::Off },
        unsafe_fixes,
        max_file_size: engine::DEFAULT_MAX_FILE_SIZE,
        root: "/".into(),
        inline_ignores: true,
    };
    let target = Target::new(example_path(format), Some(format));
    let bytes = text.as_bytes().to_vec();
    engine::run_with(&[target], &options, |_| Ok(bytes.clone())).remove(0)
}

fn example_path(format: Format) -> PathBuf {
    match format {
        Format::Php => PathBuf::from("example.php"),
        other => panic!("no example file name for {other} yet"),
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

fn needs_php(rule: &Rule) -> bool {
    rule.code == "PHP000"
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
    for rule in RULES {
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
    let php_available = etclint::rules::php::syntax_error::php_binary().is_some();
    for rule in RULES.iter() {
        let examples = examples(rule.meta().body);
        let fixes = rule.meta().front.fix != FixKind::None;
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
                lines_of(&check(rule, example, &example.text, false), rule.code),
                Vec::<usize>::new(),
                "{}: good example",
                rule.code
            );
        }
        if needs_php(rule) && !php_available {
            eprintln!(
                "skipped: the bad example of {} needs `php` to confirm (apt-get install php-cli)",
                rule.code
            );
            continue;
        }
        for (i, example) in bad.iter().enumerate() {
            assert!(
                !example.lines.is_empty(),
                "{}: a bad example must claim lines=",
                rule.code
            );
            let report = check(rule, example, &example.text, false);
            assert_eq!(
                lines_of(&report, rule.code),
                example.lines,
                "{}: bad example {i}",
                rule.code
            );
            if let Some(expected) = fixed.get(i) {
                let fixed_report = check(rule, example, &example.text, true);
                let result = fixed_report
                    .fixed
                    .as_deref()
                    .map(String::from_utf8_lossy)
                    .unwrap_or_default();
                assert_eq!(
                    result, expected.text,
                    "{}: fixing bad example {i}",
                    rule.code
                );
                let clean = check(rule, expected, &expected.text, false);
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
