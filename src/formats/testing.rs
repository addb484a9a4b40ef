//! A line format for the unit tests of the engine and the workspace (`*.tst`): `ref PATH`
//! names a file to check, `link PATH` relates to one, `bad` is a finding with a fix, `broken`
//! is a syntax error, `#` starts a comment line.

use std::ops::Range;

use crate::config::RuleConfig;
use crate::formats::{self, CommentSyntax, Format, Model};
use crate::rules::{Reporter, Rule};
use crate::source::SourceFile;
use crate::workspace::{Facts, Reference, Role, Workspace, WorkspaceCheck, WorkspaceReporter};

pub struct Handler;

/// What a test-format rule runs on a file.
pub struct TestCheck {
    pub run: fn(&TestFile, &mut Reporter),
}

macro_rules! test_rule {
    ($id:ident, $code:literal, $name:literal, $workspace:expr, $check:expr) => {
        pub static $id: Rule = Rule {
            code: $code,
            name: $name,
            formats: &[Format::Test],
            doc: concat!(
                "+++\ncode = \"", $code, "\"\nname = \"", $name,
                "\"\nseverity = \"warning\"\nshort = \"a test rule\"\nfix = \"sometimes\"\napplicability = [\"safe\"]\ndefault = false\nsince = \"0.1.0\"\n+++\n\n## What it does\n\nA rule of the unit tests.\n"
            ),
            prefilter: &[],
            uses_workspace: $workspace,
            check: &$check,
        };
    };
}

test_rule!(
    BAD_LINE,
    "TST001",
    "bad-line",
    false,
    TestCheck { run: bad_line }
);
test_rule!(
    NAMED_BY,
    "TST002",
    "named-by",
    true,
    TestCheck { run: named_by }
);
test_rule!(
    UNKNOWN_NAME,
    "TST003",
    "names-a-file-not-in-the-run",
    false,
    WorkspaceCheck { run: names_unknown }
);

static RULES: &[&Rule] = &[&BAD_LINE, &NAMED_BY, &UNKNOWN_NAME];

pub struct TestFile<'a> {
    source: &'a SourceFile,
}

impl TestFile<'_> {
    fn lines(&self) -> impl Iterator<Item = (Range<usize>, &str)> + '_ {
        let text = self.source.text();
        (0..self.source.line_starts().len()).map(move |i| {
            let range = self.source.line_range(i);
            let line = text[range.clone()].trim_end_matches(['\n', '\r']);
            (range.start..range.start + line.len(), line)
        })
    }
}

impl formats::Handler for Handler {
    fn format(&self) -> Format {
        Format::Test
    }

    fn rules(&self) -> &'static [&'static Rule] {
        RULES
    }

    fn example_name(&self) -> &'static str {
        "example.tst"
    }

    fn comment_syntax(&self) -> CommentSyntax {
        CommentSyntax {
            line: "#",
            own_line: true,
        }
    }

    fn open<'a>(&self, source: &'a SourceFile) -> Box<dyn Model + 'a> {
        Box::new(TestFile { source })
    }

    fn brings_in(&self) -> &'static [Format] {
        &[Format::Test]
    }

    fn syntax_check(&self) -> Option<fn(&[u8]) -> bool> {
        Some(|bytes| bytes.split(|&b| b == b'\n').any(|line| line == b"broken"))
    }

    fn dump(&self, source: &SourceFile) -> serde_json::Value {
        serde_json::json!({ "lines": source.line_starts().len() })
    }
}

impl Model for TestFile<'_> {
    fn run(&self, rule: &'static Rule, cx: &mut Reporter) {
        let check: &TestCheck = rule.check.downcast_ref().expect("a test rule");
        (check.run)(self, cx);
    }

    fn comments(&self) -> Vec<Range<usize>> {
        self.lines()
            .filter(|(_, line)| line.starts_with('#'))
            .map(|(span, _)| span)
            .collect()
    }

    fn facts(&self, _: &RuleConfig) -> Facts {
        let references = self
            .lines()
            .filter_map(|(span, line)| {
                let (role, written) = match line.split_once(' ')? {
                    ("ref", path) => (Role::Check(Format::Test), path),
                    ("link", path) => (Role::Link, path),
                    _ => return None,
                };
                Some(Reference {
                    span,
                    written: written.to_string(),
                    role,
                })
            })
            .collect();
        Facts {
            references,
            data: None,
        }
    }
}

fn bad_line(file: &TestFile, cx: &mut Reporter) {
    for (span, line) in file.lines() {
        if line == "bad" {
            cx.report(span.clone(), "a bad line")
                .fix(crate::fix::Fix::safe(
                    "make it good",
                    vec![crate::fix::Edit::replace(span, "good")],
                ));
        }
    }
}

/// On the first line: how many files of the run name this one.
fn named_by(file: &TestFile, cx: &mut Reporter) {
    if file.source.is_empty() {
        return;
    }
    let count = cx.workspace().referrers(cx.file()).count();
    cx.report(0..1, format!("named by {count} file(s)"));
}

fn names_unknown(workspace: &Workspace, cx: &mut WorkspaceReporter) {
    for entry in workspace.files() {
        for (reference, target) in entry.facts.references.iter().zip(&entry.resolved) {
            if workspace.file(&workspace.key(target)).is_none() {
                cx.report(
                    &entry.path,
                    reference.span.clone(),
                    format!("`{}` is not in the run", reference.written),
                );
            }
        }
    }
}
