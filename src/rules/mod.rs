//! The rule catalogue. A rule's code and name live beside its check; everything else about it
//! (severity, fix, default selection, documentation) is the front matter and text of its page
//! in `lints/`, embedded in the binary.

pub mod etclint;
pub mod php;

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use crate::diagnostic::{Diagnostic, Severity};
use crate::formats::Format;

/// What a rule looks at.
pub enum Check {
    Php(php::PhpCheck),
    /// Rules about etclint's own comments (suppressions), run by the engine itself.
    Etclint,
}

pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    /// The rule's page in `lints/`.
    pub doc: &'static str,
    pub check: Check,
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.code, self.name)
    }
}

/// Rules are the same when their codes are.
impl PartialEq for Rule {
    fn eq(&self, other: &Self) -> bool {
        self.code == other.code
    }
}

impl Eq for Rule {}

impl Rule {
    pub fn format(&self) -> Option<Format> {
        match self.check {
            Check::Php(_) => Some(Format::Php),
            Check::Etclint => None,
        }
    }

    /// The format directory of its page in `lints/`.
    pub fn group(&self) -> &'static str {
        self.format().map_or("etclint", Format::id)
    }

    pub fn meta(&self) -> &'static RuleMeta {
        let index = RULES
            .iter()
            .position(|r| r.code == self.code)
            .expect("rule is in the catalogue");
        &catalogue_meta()[index]
    }
}

/// All rules, in code order.
pub static RULES: &[&Rule] = &[
    &etclint::unused_suppression::RULE,
    &php::syntax_error::RULE,
    &php::output_after_closing_tag::RULE,
    &php::output_before_opening_tag::RULE,
    &php::request_port_for_url_host::RULE,
    &php::removed_long_superglobal::RULE,
    &php::extract_request_variables::RULE,
    &php::request_port_for_request_host::RULE,
];

pub fn by_code_or_name(key: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(key) || r.name == key)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FixKind {
    None,
    Safe,
    Unsafe,
}

/// The front matter of a rule's page.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub code: String,
    pub name: String,
    pub severity: Severity,
    pub fix: FixKind,
    pub default: bool,
    pub since: String,
    #[serde(default)]
    pub tags: Vec<String>,
    /// For security rules: a CVSS-like score that code-scanning tools rank by.
    #[serde(default)]
    pub security_severity: Option<f32>,
    /// The options `[rules.CODE]` in etclint.toml may set.
    #[serde(default)]
    pub options: BTreeMap<String, OptionSpec>,
}

/// One option of a rule, declared in its page's front matter.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionSpec {
    #[serde(rename = "type")]
    pub kind: OptionKind,
    pub default: toml::Value,
    pub description: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OptionKind {
    String,
    Integer,
    Boolean,
    List,
}

#[derive(Debug, Clone)]
pub struct RuleMeta {
    pub front: FrontMatter,
    /// The first paragraph of "What it does".
    pub summary: String,
    /// The page without its front matter.
    pub body: &'static str,
}

fn catalogue_meta() -> &'static [RuleMeta] {
    static META: OnceLock<Vec<RuleMeta>> = OnceLock::new();
    META.get_or_init(|| {
        RULES
            .iter()
            .map(|rule| {
                parse_page(rule.doc)
                    .unwrap_or_else(|err| panic!("lints page of {}: {err}", rule.code))
            })
            .collect()
    })
}

/// Splits a `lints/` page into its TOML front matter (between `+++` lines) and its body.
pub fn parse_page(page: &'static str) -> Result<RuleMeta, String> {
    let rest = page
        .strip_prefix("+++\n")
        .ok_or("the page does not start with `+++`")?;
    let end = rest
        .find("\n+++\n")
        .ok_or("the front matter has no closing `+++`")?;
    let front: FrontMatter = toml::from_str(&rest[..end]).map_err(|e| e.to_string())?;
    let body = rest[end + 5..].trim_start_matches('\n');
    let summary = section(body, "What it does")
        .and_then(|s| s.split("\n\n").next())
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .ok_or("no `## What it does` section")?;
    Ok(RuleMeta {
        front,
        summary,
        body,
    })
}

/// The text of the `## NAME` section of a page.
pub fn section<'a>(body: &'a str, name: &str) -> Option<&'a str> {
    let heading = format!("## {name}\n");
    let start = body.find(&heading)? + heading.len();
    let rest = &body[start..];
    let end = rest.find("\n## ").map_or(rest.len(), |i| i + 1);
    Some(rest[..end].trim())
}

/// How a rule reports: `cx.report(span, message)`, then labels, notes and a fix on the
/// returned diagnostic.
pub struct Reporter<'a> {
    rule: &'static Rule,
    diagnostics: &'a mut Vec<Diagnostic>,
}

impl<'a> Reporter<'a> {
    pub fn new(rule: &'static Rule, diagnostics: &'a mut Vec<Diagnostic>) -> Self {
        Self { rule, diagnostics }
    }

    pub fn report(
        &mut self,
        span: std::ops::Range<usize>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let severity = self.rule.meta().front.severity;
        self.diagnostics.push(Diagnostic::new(
            self.rule.code,
            self.rule.name,
            severity,
            span,
            message,
        ));
        self.diagnostics.last_mut().expect("just pushed")
    }
}

/// Which rules run, and at what severity.
#[derive(Debug, Clone)]
pub struct Selection {
    enabled: Vec<bool>,
    severity: HashMap<&'static str, Severity>,
}

impl Selection {
    /// `select` replaces the default selection when given; `extend` adds to it; `ignore` wins
    /// over both. Each entry is a code, a name, a code prefix (`PHP`, `PHP00`) or `ALL`.
    pub fn new(
        select: Option<&[String]>,
        extend: &[String],
        ignore: &[String],
    ) -> Result<Self, String> {
        let mut enabled: Vec<bool> = match select {
            Some(list) => RULES
                .iter()
                .map(|r| matches_any(r, list))
                .collect::<Result<_, _>>()?,
            None => RULES.iter().map(|r| r.meta().front.default).collect(),
        };
        for (i, rule) in RULES.iter().enumerate() {
            if matches_any(rule, extend)? {
                enabled[i] = true;
            }
            if matches_any(rule, ignore)? {
                enabled[i] = false;
            }
        }
        Ok(Self {
            enabled,
            severity: HashMap::new(),
        })
    }

    pub fn set_severity(&mut self, code: &'static str, severity: Severity) {
        self.severity.insert(code, severity);
    }

    pub fn is_enabled(&self, rule: &Rule) -> bool {
        RULES
            .iter()
            .position(|r| r.code == rule.code)
            .is_some_and(|i| self.enabled[i])
    }

    pub fn rules(&self) -> impl Iterator<Item = &'static Rule> + '_ {
        RULES
            .iter()
            .zip(&self.enabled)
            .filter(|(_, on)| **on)
            .map(|(r, _)| *r)
    }

    pub fn rules_for(&self, format: Format) -> Vec<&'static Rule> {
        self.rules()
            .filter(|r| r.format() == Some(format))
            .collect()
    }

    /// The severity configured for `code`, if any.
    pub fn severity_override(&self, code: &str) -> Option<Severity> {
        self.severity.get(code).copied()
    }

    pub fn apply_severity(&self, diagnostic: &mut Diagnostic) {
        if let Some(severity) = self.severity_override(diagnostic.code) {
            diagnostic.severity = severity;
        }
    }
}

fn matches_any(rule: &Rule, selectors: &[String]) -> Result<bool, String> {
    let mut hit = false;
    for selector in selectors {
        if !is_known_selector(selector) {
            return Err(unknown_selector(selector));
        }
        hit |= selector_matches(rule, selector);
    }
    Ok(hit)
}

fn selector_matches(rule: &Rule, selector: &str) -> bool {
    selector == "ALL"
        || rule.name == selector
        || rule.code.len() >= selector.len()
            && rule.code[..selector.len()].eq_ignore_ascii_case(selector)
}

/// The code prefixes of every format, including those whose rules are still to come, so that
/// a configuration can name them ahead of time.
const CODE_PREFIXES: &[&str] = &[
    "PHP", "INI", "APA", "PFM", "PFC", "PFT", "GRB", "WGT", "ETC",
];

pub fn is_known_selector(selector: &str) -> bool {
    selector == "ALL"
        || RULES.iter().any(|r| selector_matches(r, selector))
        || CODE_PREFIXES
            .iter()
            .any(|p| p.eq_ignore_ascii_case(selector))
}

fn unknown_selector(selector: &str) -> String {
    let suggestion = RULES
        .iter()
        .flat_map(|r| [r.code, r.name])
        .min_by_key(|candidate| {
            edit_distance(
                &candidate.to_ascii_lowercase(),
                &selector.to_ascii_lowercase(),
            )
        })
        .filter(|candidate| {
            edit_distance(
                &candidate.to_ascii_lowercase(),
                &selector.to_ascii_lowercase(),
            ) <= 3
        });
    match suggestion {
        Some(s) => format!("unknown rule selector `{selector}` (did you mean `{s}`?)"),
        None => format!("unknown rule selector `{selector}` (see `etclint rules`)"),
    }
}

/// Levenshtein distance, for "did you mean" suggestions.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_parses_and_matches_its_rule() {
        for rule in RULES {
            let meta = rule.meta();
            assert_eq!(meta.front.code, rule.code);
            assert_eq!(meta.front.name, rule.name);
            assert!(!meta.summary.is_empty(), "{}", rule.code);
        }
    }

    #[test]
    fn codes_and_names_are_unique() {
        for (i, a) in RULES.iter().enumerate() {
            for b in &RULES[i + 1..] {
                assert_ne!(a.code, b.code);
                assert_ne!(a.name, b.name);
            }
        }
    }

    #[test]
    fn selectors() {
        let s = Selection::new(Some(&["PHP".into()]), &[], &["PHP002".into()]).unwrap();
        assert!(s.is_enabled(&php::output_after_closing_tag::RULE));
        assert!(!s.is_enabled(&php::output_before_opening_tag::RULE));
        let s = Selection::new(None, &["syntax-error".into()], &[]).unwrap();
        assert!(s.is_enabled(&php::syntax_error::RULE));
        let default = Selection::new(None, &[], &[]).unwrap();
        assert!(!default.is_enabled(&php::syntax_error::RULE));
        let err = Selection::new(Some(&["PHP01".into()]), &[], &[]).unwrap_err();
        assert!(err.contains("did you mean"), "{err}");
        assert!(Selection::new(Some(&["output-after-closing-tags".into()]), &[], &[]).is_err());
    }
}
