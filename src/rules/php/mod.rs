//! Rules for PHP sources.

pub mod extract_request_variables;
pub mod output_after_closing_tag;
pub mod output_before_opening_tag;
pub mod removed_long_superglobal;
mod request_port;
pub mod request_port_for_request_host;
pub mod request_port_for_url_host;
pub mod stray_output;
pub mod syntax_error;

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

use super::{Reporter, Rule};
use crate::diagnostic::Diagnostic;
use crate::formats::php::PhpFile;

pub struct PhpCheck {
    /// Literal strings (ASCII case-insensitive) one of which a file must contain for the rule
    /// to have anything to say; lets the engine skip costly views of most files.
    pub prefilter: Prefilter,
    pub run: fn(&PhpFile, &mut Reporter),
}

/// Literal strings (ASCII case-insensitive) a file must contain: one of each group.
pub struct Prefilter {
    groups: &'static [&'static [&'static str]],
    matchers: OnceLock<Vec<AhoCorasick>>,
}

impl Prefilter {
    /// Every file qualifies.
    pub const fn none() -> Self {
        Self::all(&[])
    }

    /// Files that contain one needle of every group.
    pub const fn all(groups: &'static [&'static [&'static str]]) -> Self {
        Self {
            groups,
            matchers: OnceLock::new(),
        }
    }

    pub fn matches(&self, bytes: &[u8]) -> bool {
        let matchers = self.matchers.get_or_init(|| {
            self.groups
                .iter()
                .map(|needles| {
                    AhoCorasick::builder()
                        .ascii_case_insensitive(true)
                        .build(*needles)
                        .expect("prefilter needles are plain literals")
                })
                .collect()
        });
        matchers.iter().all(|m| m.is_match(bytes))
    }
}

/// Runs the PHP `rules` on `file`.
pub fn lint(file: &PhpFile, rules: &[&'static Rule], out: &mut Vec<Diagnostic>) {
    for rule in rules {
        let super::Check::Php(check) = &rule.check else {
            continue;
        };
        if check.prefilter.matches(file.bytes()) {
            (check.run)(file, &mut Reporter::new(rule, out));
        }
    }
}
