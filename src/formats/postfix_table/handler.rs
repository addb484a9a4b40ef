//! The handlers of `postfix-regexp` and `postfix-pcre`: one parser and one rule list for both
//! (the rules list both formats; the regexp handler hands them to the catalogue).

use std::ops::Range;

use super::{Engine, Logical, Pattern, PatternError, Statement, Table};
use crate::config::RuleConfig;
use crate::formats::{self, CommentSyntax, Format, Model};
use crate::rules::{self, postfix_regexp::TableCheck, Reporter, Rule};
use crate::source::SourceFile;
use crate::workspace::Facts;

pub struct RegexpHandler;
pub struct PcreHandler;

const COMMENTS: CommentSyntax = CommentSyntax {
    line: "#",
    own_line: true,
};

impl formats::Handler for RegexpHandler {
    fn format(&self) -> Format {
        Format::PostfixRegexp
    }

    fn rules(&self) -> &'static [&'static Rule] {
        rules::postfix_regexp::RULES
    }

    fn example_name(&self) -> &'static str {
        "transport.regexp"
    }

    fn comment_syntax(&self) -> CommentSyntax {
        COMMENTS
    }

    fn open<'a>(&self, source: &'a SourceFile) -> Box<dyn Model + 'a> {
        Box::new(Table::new(source, Engine::Regexp))
    }

    fn syntax_check(&self) -> Option<fn(&[u8]) -> bool> {
        Some(|bytes| skips_a_rule(bytes, Engine::Regexp))
    }

    fn dump(&self, source: &SourceFile) -> serde_json::Value {
        dump(&Table::new(source, Engine::Regexp))
    }
}

impl formats::Handler for PcreHandler {
    fn format(&self) -> Format {
        Format::PostfixPcre
    }

    /// The same rules as regexp:'s, which list both formats: the catalogue takes them once.
    fn rules(&self) -> &'static [&'static Rule] {
        &[]
    }

    fn example_name(&self) -> &'static str {
        "header_checks.pcre"
    }

    fn comment_syntax(&self) -> CommentSyntax {
        COMMENTS
    }

    fn open<'a>(&self, source: &'a SourceFile) -> Box<dyn Model + 'a> {
        Box::new(Table::new(source, Engine::Pcre))
    }

    fn syntax_check(&self) -> Option<fn(&[u8]) -> bool> {
        Some(|bytes| skips_a_rule(bytes, Engine::Pcre))
    }

    fn dump(&self, source: &SourceFile) -> serde_json::Value {
        dump(&Table::new(source, Engine::Pcre))
    }
}

/// Whether Postfix would skip a statement of the table: what a fix must not cause.
pub fn skips_a_rule(bytes: &[u8], engine: Engine) -> bool {
    let source = SourceFile::new("table", bytes.to_vec());
    Table::new(&source, engine)
        .validation()
        .problems
        .iter()
        .any(|p| p.skips)
}

impl Model for Table<'_> {
    fn run(&self, rule: &'static Rule, cx: &mut Reporter) {
        let check: &TableCheck = rule
            .check
            .downcast_ref()
            .unwrap_or_else(|| panic!("{} is not a Postfix table rule", rule.code));
        (check.run)(self, cx);
    }

    fn comments(&self) -> Vec<Range<usize>> {
        self.comments.clone()
    }

    fn facts(&self, _config: &RuleConfig) -> Facts {
        Facts::default()
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn pattern_json(line: &Logical, pattern: &Result<Pattern, PatternError>) -> serde_json::Value {
    match pattern {
        Ok(p) => serde_json::json!({
            "negated": p.negated,
            "delimiter": text(&[p.delimiter]),
            "pattern": text(&line.text[p.body.clone()]),
            "flags": text(&line.text[p.flags.clone()]),
        }),
        Err(e) => serde_json::json!({ "error": format!("{e:?}") }),
    }
}

/// The statements as Postfix reads them, each with its line, the if-nesting it is in, and
/// whether Postfix keeps it; then Postfix's warnings as `postmap` prints them.
fn dump(table: &Table) -> serde_json::Value {
    let validation = table.validation();
    let path = table.source.path().display().to_string();
    let mut depth: Vec<usize> = Vec::with_capacity(table.lines.len());
    let statements: Vec<serde_json::Value> = table
        .lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            // The `if` a line is in comes before it: its depth is known.
            let nesting = validation.block[i].map_or(0, |b| depth[b] + 1);
            depth.push(nesting);
            let common = serde_json::json!({
                "line": line.line,
                "nesting": nesting,
                "kept": validation.kept[i],
                "continuation_lines": line.continuations.len(),
            });
            let specific = match &line.statement {
                Statement::Rule(rule) => {
                    let first = pattern_json(line, &rule.first);
                    let negated = rule.first.as_ref().is_ok_and(|p| p.negated);
                    serde_json::json!({
                        "kind": "rule",
                        "negated": negated,
                        "first": first,
                        "second": rule.second.as_ref().map(|s| pattern_json(line, s)),
                        "result": rule.result.as_ref().map(|r| text(&line.text[r.clone()])),
                    })
                }
                Statement::If(stmt) => serde_json::json!({
                    "kind": "if",
                    "pattern": pattern_json(line, &stmt.pattern),
                    "extra": stmt.extra.as_ref().map(|r| text(&line.text[r.clone()])),
                }),
                Statement::Endif(stmt) => serde_json::json!({
                    "kind": "endif",
                    "extra": stmt.extra.as_ref().map(|r| text(&line.text[r.clone()])),
                }),
                Statement::Unrecognized => serde_json::json!({ "kind": "unrecognized" }),
                Statement::Indented => serde_json::json!({ "kind": "indented" }),
                Statement::Empty => serde_json::json!({ "kind": "empty" }),
            };
            let mut object = common;
            if let (Some(a), serde_json::Value::Object(b)) = (object.as_object_mut(), specific) {
                a.extend(b);
            }
            object
        })
        .collect();
    let warnings: Vec<serde_json::Value> = validation
        .problems
        .iter()
        .map(|p| {
            serde_json::json!({
                "line": p.line,
                "kind": p.kind,
                "postmap": p.postmap_warning(table.engine, &path),
            })
        })
        .collect();
    serde_json::json!({
        "format": format!("postfix-{}", table.engine.name()),
        "path": path,
        "rules": statements,
        "compiled_patterns": validation.patterns,
        "warnings": warnings,
    })
}
