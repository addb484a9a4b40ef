//! wgetrc's format handler: its rules, comments, the "would wget refuse it" check and dump.

use std::ops::Range;

use super::{has_error, LineKind, WgetrcFile};
use crate::config::RuleConfig;
use crate::formats::{self, CommentSyntax, Format, Model};
use crate::rules::{self, wgetrc::WgetrcCheck, Reporter, Rule};
use crate::source::SourceFile;
use crate::workspace::Facts;

pub struct Handler;

impl formats::Handler for Handler {
    fn format(&self) -> Format {
        Format::Wgetrc
    }

    fn rules(&self) -> &'static [&'static Rule] {
        rules::wgetrc::RULES
    }

    fn example_name(&self) -> &'static str {
        ".wgetrc"
    }

    /// `#` starts a comment only at the start of a line: after a value it is part of it.
    fn comment_syntax(&self) -> CommentSyntax {
        CommentSyntax {
            line: "#",
            own_line: true,
        }
    }

    fn open<'a>(&self, source: &'a SourceFile) -> Box<dyn Model + 'a> {
        Box::new(WgetrcFile::new(source))
    }

    /// Any error makes wget refuse to run, so no fix may add one.
    fn syntax_check(&self) -> Option<fn(&[u8]) -> bool> {
        Some(has_error)
    }

    fn dump(&self, source: &SourceFile) -> serde_json::Value {
        dump(&WgetrcFile::new(source))
    }
}

impl Model for WgetrcFile<'_> {
    fn run(&self, rule: &'static Rule, cx: &mut Reporter) {
        let check: &WgetrcCheck = rule
            .check
            .downcast_ref()
            .unwrap_or_else(|| panic!("{} is not a wgetrc rule", rule.code));
        (check.run)(self, cx);
    }

    fn comments(&self) -> Vec<Range<usize>> {
        self.lines
            .iter()
            .filter(|line| line.kind == LineKind::Comment)
            .map(|line| line.span.clone())
            .collect()
    }

    fn facts(&self, _: &RuleConfig) -> Facts {
        Facts::default()
    }
}

/// The commands wget knows, in file order, as wget's `--debug` names them ("Setting NAME
/// (CANONICAL) to VALUE"), with their line.
fn dump(file: &WgetrcFile) -> serde_json::Value {
    let commands: Vec<serde_json::Value> = file
        .commands()
        .filter_map(|(line, command)| {
            Some(serde_json::json!({
                "name": file.text(&command.name),
                "canonical": command.spec?.name,
                // Bytes that are not UTF-8 as U+FFFD, as a terminal shows wget's debug output.
                "value": String::from_utf8_lossy(&file.bytes()[command.value.clone()]),
                "line": line.number,
            }))
        })
        .collect();
    serde_json::json!({ "format": "wgetrc", "commands": commands })
}
