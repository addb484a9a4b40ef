//! grub-default's format handler.

use std::ops::Range;

use super::GrubDefaultFile;
use crate::config::RuleConfig;
use crate::formats::{self, CommentSyntax, Format, Model};
use crate::rules::{self, grub_default::GrubDefaultCheck, Reporter, Rule};
use crate::source::SourceFile;
use crate::workspace::Facts;

pub struct Handler;

impl formats::Handler for Handler {
    fn format(&self) -> Format {
        Format::GrubDefault
    }

    fn rules(&self) -> &'static [&'static Rule] {
        rules::grub_default::RULES
    }

    fn example_name(&self) -> &'static str {
        "etc/default/grub"
    }

    fn comment_syntax(&self) -> CommentSyntax {
        CommentSyntax {
            line: "#",
            own_line: false,
        }
    }

    fn open<'a>(&self, source: &'a SourceFile) -> Box<dyn Model + 'a> {
        Box::new(GrubDefaultFile::new(source))
    }

    fn dump(&self, source: &SourceFile) -> serde_json::Value {
        let file = GrubDefaultFile::new(source);
        let bytes = source.bytes();
        let settings: Vec<serde_json::Value> = file
            .assignments
            .iter()
            .map(|a| {
                serde_json::json!({
                    "name": String::from_utf8_lossy(&bytes[a.name.clone()]),
                    "value": a.value,
                    "line": a.line,
                })
            })
            .collect();
        serde_json::json!({"format": "grub-default", "settings": settings})
    }
}

impl Model for GrubDefaultFile<'_> {
    fn run(&self, rule: &'static Rule, cx: &mut Reporter) {
        let check: &GrubDefaultCheck = rule
            .check
            .downcast_ref()
            .unwrap_or_else(|| panic!("{} is not a grub-default rule", rule.code));
        (check.run)(self, cx);
    }

    fn comments(&self) -> Vec<Range<usize>> {
        self.comments.clone()
    }

    fn facts(&self, _: &RuleConfig) -> Facts {
        Facts::default()
    }
}
