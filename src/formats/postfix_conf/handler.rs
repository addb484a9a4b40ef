//! The handlers of `postfix-main` and `postfix-master`: rules, comments, the "would postconf
//! stop" check for the fix loop, `etclint dump`, and the facts that bring in the regexp:
//! and pcre: tables they name and say who searches them.

use std::ops::Range;

use super::main_cf::Syntax;
use super::master_cf::MasterCf;
use super::uses::{MainFacts, MasterFacts, NamedTable};
use super::{fold_space, tables, MainCf};
use crate::config::RuleConfig;
use crate::formats::{self, CommentSyntax, Format, Model};
use crate::rules::postfix_main::PostfixMainCheck;
use crate::rules::postfix_master::PostfixMasterCheck;
use crate::rules::{self, Reporter, Rule};
use crate::source::SourceFile;
use crate::workspace::{Facts, Reference, Role};

pub struct MainHandler;
pub struct MasterHandler;

/// `#` starts a comment only as the first non-blank character of a line.
const COMMENTS: CommentSyntax = CommentSyntax {
    line: "#",
    own_line: true,
};

const TABLE_FORMATS: &[Format] = &[Format::PostfixRegexp, Format::PostfixPcre];

impl formats::Handler for MainHandler {
    fn format(&self) -> Format {
        Format::PostfixMain
    }

    fn rules(&self) -> &'static [&'static Rule] {
        rules::postfix_main::RULES
    }

    fn example_name(&self) -> &'static str {
        "main.cf"
    }

    fn comment_syntax(&self) -> CommentSyntax {
        COMMENTS
    }

    fn open<'a>(&self, source: &'a SourceFile) -> Box<dyn Model + 'a> {
        Box::new(MainCf::new(source))
    }

    /// What makes postconf stop, or drop a line.
    fn syntax_check(&self) -> Option<fn(&[u8]) -> bool> {
        Some(|bytes| {
            let source = SourceFile::new("main.cf", bytes.to_vec());
            let main = MainCf::new(&source);
            main.fatal().is_some() || main.syntax.iter().any(|(_, s)| *s == Syntax::Indented)
        })
    }

    fn dump(&self, source: &SourceFile) -> serde_json::Value {
        dump_main(&MainCf::new(source))
    }

    fn brings_in(&self) -> &'static [Format] {
        TABLE_FORMATS
    }
}

impl formats::Handler for MasterHandler {
    fn format(&self) -> Format {
        Format::PostfixMaster
    }

    fn rules(&self) -> &'static [&'static Rule] {
        rules::postfix_master::RULES
    }

    fn example_name(&self) -> &'static str {
        "master.cf"
    }

    fn comment_syntax(&self) -> CommentSyntax {
        COMMENTS
    }

    fn open<'a>(&self, source: &'a SourceFile) -> Box<dyn Model + 'a> {
        Box::new(MasterCf::new(source))
    }

    fn syntax_check(&self) -> Option<fn(&[u8]) -> bool> {
        Some(|bytes| {
            let source = SourceFile::new("master.cf", bytes.to_vec());
            let master = MasterCf::new(&source);
            master.entries.iter().any(|e| !e.errors.is_empty())
                || master.lines.iter().any(|l| l.indented)
        })
    }

    fn dump(&self, source: &SourceFile) -> serde_json::Value {
        dump_master(&MasterCf::new(source))
    }

    fn brings_in(&self) -> &'static [Format] {
        TABLE_FORMATS
    }
}

/// The format a referenced table file is checked as.
fn table_format(kind: &str) -> Option<Format> {
    match kind {
        "regexp" => Some(Format::PostfixRegexp),
        "pcre" => Some(Format::PostfixPcre),
        _ => None,
    }
}

/// The regexp:/pcre: files a value names, as references and named tables.
fn table_facts(
    value: &[u8],
    to_file: impl Fn(&Range<usize>) -> Range<usize>,
    parameter: &str,
    service: Option<usize>,
    facts: &mut Facts,
    named: &mut Vec<NamedTable>,
) {
    for t in tables::references(value) {
        let (Some(format), Some(file)) = (table_format(t.kind(value)), t.file(value)) else {
            continue;
        };
        let span = to_file(&t.span);
        facts.references.push(Reference {
            span: span.clone(),
            written: file.to_string(),
            role: Role::Check(format),
        });
        named.push(NamedTable {
            reference: span,
            parameter: parameter.to_string(),
            proxied: t.proxied,
            service,
        });
    }
}

impl Model for MainCf<'_> {
    fn run(&self, rule: &'static Rule, cx: &mut Reporter) {
        let check: &PostfixMainCheck = rule
            .check
            .downcast_ref()
            .unwrap_or_else(|| panic!("{} is not a main.cf rule", rule.code));
        (check.run)(self, cx);
    }

    fn comments(&self) -> Vec<Range<usize>> {
        self.comments.clone()
    }

    fn facts(&self, _config: &RuleConfig) -> Facts {
        let mut facts = Facts::default();
        let mut data = MainFacts::default();
        for &i in self.effective() {
            let entry = &self.entries[i];
            let value = self.value_bytes(entry);
            let offset = entry.value.start;
            let line = self.line(entry);
            let to_file = |r: &Range<usize>| line.source_span(&(r.start + offset..r.end + offset));
            table_facts(
                value,
                to_file,
                self.name(entry),
                None,
                &mut facts,
                &mut data.tables,
            );
        }
        data.default_process_limit = self
            .get("default_process_limit")
            .and_then(|e| self.value(e).trim().parse().ok());
        data.classes = self.classes();
        facts.data = Some(Box::new(data));
        facts
    }
}

impl Model for MasterCf<'_> {
    fn run(&self, rule: &'static Rule, cx: &mut Reporter) {
        let check: &PostfixMasterCheck = rule
            .check
            .downcast_ref()
            .unwrap_or_else(|| panic!("{} is not a master.cf rule", rule.code));
        (check.run)(self, cx);
    }

    fn comments(&self) -> Vec<Range<usize>> {
        self.comments.clone()
    }

    fn facts(&self, _config: &RuleConfig) -> Facts {
        let mut facts = Facts::default();
        let mut data = MasterFacts {
            services: self.services(),
            tables: Vec::new(),
        };
        let valid: Vec<&super::master_cf::Entry> = self
            .entries
            .iter()
            .filter(|e| e.errors.is_empty())
            .collect();
        for (index, entry) in valid.iter().enumerate() {
            let line = self.line(entry);
            for o in &entry.overrides {
                let value = &line.text[o.value.clone()];
                let offset = o.value.start;
                let to_file =
                    |r: &Range<usize>| line.source_span(&(r.start + offset..r.end + offset));
                let name = String::from_utf8_lossy(&line.text[o.name.clone()]).into_owned();
                table_facts(
                    value,
                    to_file,
                    &name,
                    Some(index),
                    &mut facts,
                    &mut data.tables,
                );
            }
        }
        facts.data = Some(Box::new(data));
        facts
    }
}

/// `{"format": "postfix-main", "parameters": [{"name", "value", "line"}]}`: the entries Postfix
/// keeps, values as `postconf -n` prints them (white space folded), read-only ones dropped as
/// postconf drops them; then the lookup tables each names.
fn dump_main(main: &MainCf) -> serde_json::Value {
    let mut parameters = Vec::new();
    let mut lookup_tables = Vec::new();
    for &i in main.effective() {
        let entry = &main.entries[i];
        let name = main.name(entry);
        if super::catalogue::param(name).is_some_and(|p| p.readonly) {
            continue;
        }
        let line = main.line(entry).line;
        parameters.push(serde_json::json!({
            "name": name,
            "value": fold_space(main.value_bytes(entry)),
            "line": line,
        }));
        let value = main.value_bytes(entry);
        for t in tables::references(value) {
            lookup_tables.push(serde_json::json!({
                "parameter": name,
                "type": t.kind(value),
                "name": t.name(value),
                "proxied": t.proxied,
                "line": line,
            }));
        }
    }
    serde_json::json!({
        "format": "postfix-main",
        "parameters": parameters,
        "lookup_tables": lookup_tables,
    })
}

/// The services with their fields and `-o` overrides, as `postconf -M` reads them.
fn dump_master(master: &MasterCf) -> serde_json::Value {
    let services: Vec<serde_json::Value> = master
        .entries
        .iter()
        .map(|e| {
            let line = master.line(e);
            let field = |i: usize| {
                e.field(line, i)
                    .map(|f| String::from_utf8_lossy(f).into_owned())
            };
            let args: Vec<String> = (8..e.fields.len()).filter_map(field).collect();
            let overrides: Vec<serde_json::Value> = e
                .overrides
                .iter()
                .map(|o| {
                    serde_json::json!({
                        "name": String::from_utf8_lossy(&line.text[o.name.clone()]),
                        "value": String::from_utf8_lossy(&line.text[o.value.clone()]),
                    })
                })
                .collect();
            serde_json::json!({
                "service": field(0),
                "type": field(1),
                "private": field(2),
                "unpriv": field(3),
                "chroot": field(4),
                "wakeup": field(5),
                "maxproc": field(6),
                "command": field(7),
                "args": args,
                "overrides": overrides,
                "line": line.line,
                "valid": e.errors.is_empty(),
            })
        })
        .collect();
    serde_json::json!({ "format": "postfix-master", "services": services })
}
