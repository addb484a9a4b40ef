//! The rule catalogue. A rule's code and name live beside its check; everything else about it
//! (severity, fix, default selection, documentation) is the front matter and text of its page
//! in `lints/`, embedded in the binary. Each `rules/<format>/mod.rs` lists its rules, its format
//! handler hands them to the catalogue, and the catalogue is indexed once.

pub mod apache;
pub mod etclint;
pub mod grub;
pub mod grub_default;
pub mod php;
pub mod php_ini;
pub mod postfix_main;
pub mod postfix_master;
pub mod postfix_regexp;
mod prefilter;
pub mod wgetrc;

use std::any::Any;
use std::cell::Cell;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::LazyLock;

use crate::config::{RuleConfig, Version};
use crate::diagnostic::{Diagnostic, Severity};
use crate::fix::Applicability;
use crate::formats::{self, Format};
use crate::suggest::did_you_mean;
use crate::workspace::Workspace;
pub use prefilter::Prefilter;

/// Literal strings (ASCII case-insensitive) a file must contain for a rule to have anything to
/// say: one of each group. No group: every file qualifies.
pub type Needles = &'static [&'static [&'static str]];

pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    /// The formats it runs on; its page is under the first one's folder. None: etclint's own.
    pub formats: &'static [Format],
    /// The rule's page in `lints/`.
    pub doc: &'static str,
    pub prefilter: Needles,
    /// It reads other files' facts (`cx.workspace()`): the engine then gathers facts.
    pub uses_workspace: bool,
    /// What the format's model runs: the handler knows its own check type (`PhpCheck`…);
    /// a `workspace::WorkspaceCheck` runs once over all files' facts.
    pub check: &'static (dyn Any + Send + Sync),
}

/// Declares `pub static RULE`, its page found at `lints/<folder>/<name>.md`:
///
/// ```text
/// rule! { code: "PHP002", name: "output-before-opening-tag", folder: "php",
///         formats: &[Format::Php], prefilter: &[], uses_workspace: false, check: PhpCheck { run } }
/// ```
///
/// Each format wraps it in its own shorter macro (`php_rule!`).
#[macro_export]
macro_rules! rule {
    (code: $code:literal, name: $name:literal, folder: $folder:literal, formats: $formats:expr,
     prefilter: $prefilter:expr, uses_workspace: $workspace:expr, check: $check:expr $(,)?) => {
        pub static RULE: $crate::rules::Rule = $crate::rules::Rule {
            code: $code,
            name: $name,
            formats: $formats,
            doc: include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/lints/",
                $folder,
                "/",
                $name,
                ".md"
            )),
            prefilter: $prefilter,
            uses_workspace: $workspace,
            check: &$check,
        };
    };
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
    /// Whether it runs on files of `format`.
    pub fn runs_on(&self, format: Format) -> bool {
        self.formats.contains(&format)
    }

    /// The format directory of its page in `lints/`.
    pub fn group(&self) -> &'static str {
        self.formats.first().map_or("etclint", |f| f.id())
    }

    /// Its place in [`RULES`].
    pub fn index(&self) -> usize {
        CATALOGUE.index[self.code]
    }

    pub fn meta(&self) -> &'static RuleMeta {
        &CATALOGUE.meta[self.index()]
    }
}

struct Catalogue {
    rules: Vec<&'static Rule>,
    index: HashMap<&'static str, usize>,
    meta: Vec<RuleMeta>,
}

static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(|| {
    let mut rules: Vec<&'static Rule> = etclint::RULES.to_vec();
    for handler in formats::handlers() {
        rules.extend(handler.rules());
    }
    rules.sort_by_key(|r| r.code);
    let index: HashMap<&'static str, usize> =
        rules.iter().enumerate().map(|(i, r)| (r.code, i)).collect();
    assert_eq!(index.len(), rules.len(), "rule codes are unique");
    let meta = rules
        .iter()
        .map(|rule| {
            parse_page(rule.doc).unwrap_or_else(|err| panic!("lints page of {}: {err}", rule.code))
        })
        .collect();
    Catalogue { rules, index, meta }
});

/// All rules, in code order.
pub static RULES: LazyLock<&'static [&'static Rule]> = LazyLock::new(|| &CATALOGUE.rules);

pub fn by_code_or_name(key: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(key) || r.name == key)
}

/// "no rule `X` (did you mean `Y`?)" for a key that names no rule.
pub fn did_you_mean_rule(key: &str) -> Option<&'static str> {
    did_you_mean(key, RULES.iter().flat_map(|r| [r.code, r.name]))
}

/// Whether a rule's findings come with a fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FixAvailability {
    None,
    Sometimes,
    Always,
}

impl FixAvailability {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Sometimes => "sometimes",
            Self::Always => "always",
        }
    }
}

/// The front matter of a rule's page.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub code: String,
    pub name: String,
    pub severity: Severity,
    /// Whether its findings come with a fix…
    pub fix: FixAvailability,
    /// …and how safe each such fix may be (empty when it never fixes).
    #[serde(default)]
    pub applicability: Vec<Applicability>,
    pub default: bool,
    pub since: String,
    /// What it finds, in a few words: the README's rule index.
    pub short: String,
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

impl FrontMatter {
    /// The safest applicability its fixes may have, or "none": what `etclint rules` shows.
    pub fn best_fix(&self) -> &'static str {
        self.applicability
            .iter()
            .max()
            .map_or("none", |a| a.as_str())
    }
}

/// What a rule may consult besides its file: its options, the target versions, and the other
/// files' facts.
pub struct Env<'a> {
    pub config: &'a RuleConfig,
    pub workspace: &'a Workspace,
    /// The file being linted, as the workspace keys files.
    pub file: &'a Path,
    read_workspace: Cell<bool>,
    /// Rules that could not look at the whole file, with why.
    not_run: std::cell::RefCell<Vec<(&'static str, String)>>,
}

impl<'a> Env<'a> {
    pub fn new(config: &'a RuleConfig, workspace: &'a Workspace, file: &'a Path) -> Self {
        Self {
            config,
            workspace,
            file,
            read_workspace: Cell::new(false),
            not_run: Default::default(),
        }
    }

    /// One note per reason: `PHP000, PHP004 skipped this file: …`.
    pub fn not_run_notes(&self) -> Vec<String> {
        let mut by_reason: Vec<(String, Vec<&str>)> = Vec::new();
        for (code, reason) in self.not_run.borrow().iter() {
            match by_reason.iter_mut().find(|(r, _)| r == reason) {
                Some((_, codes)) if !codes.contains(code) => codes.push(code),
                Some(_) => {}
                None => by_reason.push((reason.clone(), vec![code])),
            }
        }
        by_reason
            .into_iter()
            .map(|(reason, codes)| format!("{} skipped this file: {reason}", codes.join(", ")))
            .collect()
    }

    /// Whether a rule looked at other files: its findings may change once all facts are in.
    pub fn read_workspace(&self) -> bool {
        self.read_workspace.get()
    }
}

/// How a rule reports: `cx.report(span, message)`, then labels, notes and a fix on the
/// returned diagnostic.
pub struct Reporter<'a> {
    rule: &'static Rule,
    env: &'a Env<'a>,
    diagnostics: &'a mut Vec<Diagnostic>,
}

impl<'a> Reporter<'a> {
    pub fn new(
        rule: &'static Rule,
        env: &'a Env<'a>,
        diagnostics: &'a mut Vec<Diagnostic>,
    ) -> Self {
        Self {
            rule,
            env,
            diagnostics,
        }
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

    /// The value of one of the rule's options (`[rules.CODE]`), else its documented default.
    pub fn option(&self, name: &str) -> toml::Value {
        self.env.config.rule_option(self.rule.code, name)
    }

    /// A list option as strings.
    pub fn option_strings(&self, name: &str) -> Vec<String> {
        self.env.config.rule_option_strings(self.rule.code, name)
    }

    /// The version of `program` the files are for (`[target]`).
    pub fn target(&self, program: &str) -> Version {
        self.env.config.targets.get(program)
    }

    /// The largest file for which a rule may build a full syntax tree (`max-tree-size`).
    pub fn max_tree_size(&self) -> u64 {
        self.env.config.max_tree_size()
    }

    /// Says that this rule did not look at the file, and why: a note on the file, so that
    /// no finding is taken for a clean result.
    pub fn not_run(&mut self, reason: impl Into<String>) {
        self.env
            .not_run
            .borrow_mut()
            .push((self.rule.code, reason.into()));
    }

    /// The other files of the run and their facts.
    pub fn workspace(&self) -> &'a Workspace {
        // The engine lints such a file again with only the rules that say they ask.
        debug_assert!(
            self.rule.uses_workspace,
            "{} reads the workspace without `uses_workspace: true`",
            self.rule.code
        );
        self.env.read_workspace.set(true);
        self.env.workspace
    }

    /// This file, as the workspace keys it.
    pub fn file(&self) -> &'a Path {
        self.env.file
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
        CATALOGUE
            .index
            .get(rule.code)
            .is_some_and(|&i| self.enabled[i])
    }

    pub fn rules(&self) -> impl Iterator<Item = &'static Rule> + '_ {
        RULES
            .iter()
            .zip(&self.enabled)
            .filter(|(_, on)| **on)
            .map(|(r, _)| *r)
    }

    pub fn rules_for(&self, format: Format) -> Vec<&'static Rule> {
        self.rules().filter(|r| r.runs_on(format)).collect()
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

/// A code prefix of any format (including those whose rules are still to come, so that a
/// configuration can name them ahead of time), or etclint's own.
pub fn is_known_selector(selector: &str) -> bool {
    selector == "ALL"
        || RULES.iter().any(|r| selector_matches(r, selector))
        || "ETC".eq_ignore_ascii_case(selector)
        || Format::ALL
            .iter()
            .any(|f| f.code_prefix().eq_ignore_ascii_case(selector))
}

fn unknown_selector(selector: &str) -> String {
    match did_you_mean_rule(selector) {
        Some(s) => format!("unknown rule selector `{selector}` (did you mean `{s}`?)"),
        None => format!("unknown rule selector `{selector}` (see `etclint rules`)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_parses_and_matches_its_rule() {
        for rule in RULES.iter() {
            let meta = rule.meta();
            assert_eq!(meta.front.code, rule.code);
            assert_eq!(meta.front.name, rule.name);
            assert!(!meta.summary.is_empty(), "{}", rule.code);
        }
    }

    #[test]
    fn codes_and_names_are_unique() {
        for (i, a) in RULES.iter().enumerate() {
            assert_eq!(a.index(), i);
            for b in &RULES[i + 1..] {
                assert_ne!(a.code, b.code);
                assert_ne!(a.name, b.name);
            }
        }
    }

    #[test]
    fn selectors() {
        let s = Selection::new(Some(&["PHP".into()]), &[], &["PHP002".into()]).unwrap();
        assert!(is_known_selector("grb") && is_known_selector("PFT"));
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
