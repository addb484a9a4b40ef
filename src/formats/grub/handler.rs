//! grub's format handler: its rules, comments and dump.

use std::ops::Range;

use super::GrubFile;
use crate::config::RuleConfig;
use crate::formats::{self, CommentSyntax, Format, Model};
use crate::rules::{self, grub::GrubCheck, Reporter, Rule};
use crate::source::SourceFile;
use crate::workspace::Facts;

pub struct Handler;

impl formats::Handler for Handler {
    fn format(&self) -> Format {
        Format::Grub
    }

    fn rules(&self) -> &'static [&'static Rule] {
        rules::grub::RULES
    }

    fn example_name(&self) -> &'static str {
        "boot/grub/grub.conf"
    }

    /// `#` starts a comment only as a line's first character: after a command it is part of it.
    fn comment_syntax(&self) -> CommentSyntax {
        CommentSyntax {
            line: "#",
            own_line: true,
        }
    }

    fn open<'a>(&self, source: &'a SourceFile) -> Box<dyn Model + 'a> {
        Box::new(GrubFile::new(source))
    }

    fn dump(&self, source: &SourceFile) -> serde_json::Value {
        dump(&GrubFile::new(source))
    }
}

impl Model for GrubFile<'_> {
    fn run(&self, rule: &'static Rule, cx: &mut Reporter) {
        let check: &GrubCheck = rule
            .check
            .downcast_ref()
            .unwrap_or_else(|| panic!("{} is not a grub rule", rule.code));
        (check.run)(self, cx);
    }

    fn comments(&self) -> Vec<Range<usize>> {
        self.comments.clone()
    }

    fn facts(&self, _: &RuleConfig) -> Facts {
        Facts::default()
    }
}

/// The menu as GRUB shows it: the entries it numbers (titles without commands and unknown
/// commands dropped), the entry it selects, the fallbacks it keeps and the timeout.
fn dump(file: &GrubFile) -> serde_json::Value {
    let menu = file.menu();
    let entries: Vec<serde_json::Value> = menu
        .entries
        .iter()
        .map(|entry| {
            let commands: Vec<serde_json::Value> = entry
                .commands
                .iter()
                .map(|&i| {
                    let line = &file.lines[i];
                    serde_json::json!({
                        "name": line.name_text(),
                        "args": line.args_text(),
                        "line": line.number,
                    })
                })
                .collect();
            serde_json::json!({
                "title": file.title(entry),
                "line": file.lines[entry.title].number,
                "commands": commands,
            })
        })
        .collect();
    serde_json::json!({
        "format": "grub",
        "default": file.selected(),
        "fallback": file.fallbacks(),
        "timeout": menu.timeout.map(|(_, t)| t),
        "entries": entries,
    })
}
