//! The php-ini format handler: its rules, comments, the "does PHP still parse it" check, and
//! `etclint dump`.

use std::ops::Range;

use super::{has_syntax_error, PhpIniFile};
use crate::config::RuleConfig;
use crate::formats::{self, CommentSyntax, Format, Model};
use crate::rules::{self, php_ini::PhpIniCheck, Reporter, Rule};
use crate::source::SourceFile;
use crate::workspace::Facts;

use super::settings::PhpSettingsCheck;

pub struct Handler;

impl formats::Handler for Handler {
    fn format(&self) -> Format {
        Format::PhpIni
    }

    fn rules(&self) -> &'static [&'static Rule] {
        rules::php_ini::RULES
    }

    fn example_name(&self) -> &'static str {
        "php.ini"
    }

    /// `;` starts a comment anywhere outside quotes, also after a value.
    fn comment_syntax(&self) -> CommentSyntax {
        CommentSyntax {
            line: ";",
            own_line: false,
        }
    }

    fn open<'a>(&self, source: &'a SourceFile) -> Box<dyn Model + 'a> {
        Box::new(PhpIniFile::new(source))
    }

    fn syntax_check(&self) -> Option<fn(&[u8]) -> bool> {
        Some(has_syntax_error)
    }

    fn dump(&self, source: &SourceFile) -> serde_json::Value {
        dump(&PhpIniFile::new(source))
    }
}

impl Model for PhpIniFile<'_> {
    fn run(&self, rule: &'static Rule, cx: &mut Reporter) {
        if let Some(check) = rule.check.downcast_ref::<PhpIniCheck>() {
            (check.run)(self, cx);
        } else if let Some(check) = rule.check.downcast_ref::<PhpSettingsCheck>() {
            (check.run)(&self.settings, cx);
            rules::php_ini::production::absent(rule.code, self, cx);
        } else {
            panic!("{} is not a php-ini rule", rule.code);
        }
    }

    fn comments(&self) -> Vec<Range<usize>> {
        self.parsed.comments.clone()
    }

    fn facts(&self, _: &RuleConfig) -> Facts {
        Facts::default()
    }
}

/// The settings PHP stores, in file order: `value` is what `get_cfg_var()` returns (booleans
/// as `"1"`/`""`). `offset` marks `key[offset] = value` (an array), `visible: false` a setting
/// `get_cfg_var` does not see (under a `[PATH…]`/`[HOST…]` section, or `extension=` lines,
/// which load instead of storing). Nothing after PHP's first syntax error is listed; the
/// error is.
fn dump(file: &PhpIniFile) -> serde_json::Value {
    let sections = &file.parsed.sections;
    let settings: Vec<serde_json::Value> = file
        .applied()
        .map(|e| {
            let key = String::from_utf8_lossy(&e.key_text).into_owned();
            let loads = e.section.is_none_or(|s| !sections[s].hides && !is_special(&sections[s].name))
                && (key.eq_ignore_ascii_case("extension") || key.eq_ignore_ascii_case("zend_extension"));
            let mut row = serde_json::json!({
                "key": key,
                "raw": file.text(&e.raw),
                "value": String::from_utf8_lossy(&e.value),
                "line": file.line(e.key.start),
                "section": e.section.map(|s| String::from_utf8_lossy(&sections[s].name).into_owned()),
            });
            if let Some(offset) = &e.offset {
                row["offset"] = String::from_utf8_lossy(offset).into_owned().into();
            }
            if e.hidden || loads {
                row["visible"] = false.into();
            }
            row
        })
        .collect();
    let mut out = serde_json::json!({ "format": "php-ini", "settings": settings });
    if let Some(error) = &file.parsed.error {
        out["error"] = serde_json::json!({ "message": error.message, "line": error.line });
    }
    out
}

fn is_special(name: &[u8]) -> bool {
    name.len() >= 4
        && (name[..4].eq_ignore_ascii_case(b"PATH") || name[..4].eq_ignore_ascii_case(b"HOST"))
}
