//! `etclint.toml`: found by walking up from the current directory, or named with `--config`.
//! Every key is checked: an unknown key, a bad value or an unknown rule is an error that names
//! the file, the line and, where it can, what was meant.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use glob::Pattern;
use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::Severity;
use crate::formats::Format;
use crate::formats::TARGET_PROGRAMS;
use crate::rules::{self, OptionKind, RULES};
use crate::suggest::did_you_mean;

/// The names a configuration file may have, in the order they are looked for in a directory.
pub const FILE_NAMES: [&str; 2] = ["etclint.toml", ".etclint.toml"];

/// A `major.minor` version of a program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    pub major: u32,
    pub minor: u32,
}

impl Version {
    pub const fn new(major: u32, minor: u32) -> Self {
        Self { major, minor }
    }
}

impl FromStr for Version {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("`{s}` is not a version like `8.2`");
        let (major, minor) = s.split_once('.').unwrap_or((s, "0"));
        Ok(Self {
            major: major.parse().map_err(|_| bad())?,
            minor: minor.parse().map_err(|_| bad())?,
        })
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// The versions of the programs the files are for (`[target]`, `--target NAME=VERSION`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Targets {
    /// Only those set; the others are at their default.
    set: BTreeMap<&'static str, Version>,
}

impl Targets {
    /// The version of `program` (one of [`TARGET_PROGRAMS`]).
    pub fn get(&self, program: &str) -> Version {
        self.set.get(program).copied().unwrap_or_else(|| {
            TARGET_PROGRAMS
                .iter()
                .find(|p| p.name == program)
                .map(|p| p.default)
                .unwrap_or_else(|| panic!("no target program `{program}`"))
        })
    }

    /// Sets `program`'s version from text such as `8.2`.
    pub fn set(&mut self, program: &str, version: &str) -> Result<(), String> {
        let Some(known) = TARGET_PROGRAMS.iter().find(|p| p.name == program) else {
            let names: Vec<&str> = TARGET_PROGRAMS.iter().map(|p| p.name).collect();
            return Err(match did_you_mean(program, names.iter().copied()) {
                Some(near) => {
                    format!("unknown target program `{program}` (did you mean `{near}`?)")
                }
                None => format!(
                    "unknown target program `{program}` (known: {})",
                    names.join(", ")
                ),
            });
        };
        let version: Version = version.parse()?;
        if version < known.oldest || version > known.newest {
            return Err(format!(
                "{program} {version} is not a version etclint knows: give {} to {}",
                known.oldest, known.newest
            ));
        }
        self.set.insert(known.name, version);
        Ok(())
    }

    /// `NAME=VERSION`, as `--target` takes it.
    pub fn set_assignment(&mut self, assignment: &str) -> Result<(), String> {
        let (program, version) = assignment
            .split_once('=')
            .ok_or_else(|| format!("`{assignment}` is not NAME=VERSION (such as php=8.2)"))?;
        self.set(program.trim(), version.trim())
    }

    /// Every program with the version in effect.
    pub fn all(&self) -> impl Iterator<Item = (&'static str, Version)> + '_ {
        TARGET_PROGRAMS.iter().map(|p| (p.name, self.get(p.name)))
    }
}

/// What the rules consult besides the files: target versions and their options.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RuleConfig {
    pub targets: Targets,
    /// Rule options set in `[rules.CODE]`, by rule code and option name.
    pub rule_options: HashMap<(&'static str, String), toml::Value>,
    /// `max-tree-size`, when set.
    pub max_tree_size: Option<u64>,
}

/// Files larger than this get no full syntax tree (tree-sitter's costs about 100 times the
/// file): the rules that need one do not run on them, and a note says so.
pub const DEFAULT_MAX_TREE_SIZE: u64 = 8 * 1024 * 1024;

impl RuleConfig {
    /// The largest file for which rules may build a full syntax tree.
    pub fn max_tree_size(&self) -> u64 {
        self.max_tree_size.unwrap_or(DEFAULT_MAX_TREE_SIZE)
    }

    /// The value of a rule's option: as configured, else its documented default.
    pub fn rule_option(&self, code: &'static str, name: &str) -> toml::Value {
        if let Some(value) = self.rule_options.get(&(code, name.to_string())) {
            return value.clone();
        }
        rules::by_code_or_name(code)
            .and_then(|rule| rule.meta().front.options.get(name))
            .map(|spec| spec.default.clone())
            .unwrap_or_else(|| panic!("{code} has no option `{name}`"))
    }

    /// A list option as strings.
    pub fn rule_option_strings(&self, code: &'static str, name: &str) -> Vec<String> {
        match self.rule_option(code, name) {
            toml::Value::Array(items) => items
                .into_iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// The file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    root: Option<Spanned<String>>,
    select: Option<Vec<Spanned<String>>>,
    extend_select: Option<Vec<Spanned<String>>>,
    ignore: Option<Vec<Spanned<String>>>,
    exclude: Option<Vec<Spanned<String>>>,
    force_exclude: Option<bool>,
    max_file_size: Option<u64>,
    max_tree_size: Option<u64>,
    per_file_ignores: Option<BTreeMap<Spanned<String>, Vec<Spanned<String>>>>,
    formats: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    severity: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    target: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    rules: Option<BTreeMap<Spanned<String>, RawRuleOptions>>,
}

/// `[rules.CODE]`: option name → value.
type RawRuleOptions = BTreeMap<Spanned<String>, Spanned<toml::Value>>;

/// The configuration, checked and resolved.
#[derive(Debug, Default, Clone)]
pub struct Config {
    /// The file it came from, if any.
    pub path: Option<PathBuf>,
    pub root: Option<PathBuf>,
    pub select: Option<Vec<String>>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
    pub exclude: Vec<Pattern>,
    pub force_exclude: bool,
    pub max_file_size: Option<u64>,
    pub per_file_ignores: Vec<(Pattern, Vec<String>)>,
    pub formats: Vec<(Pattern, Format)>,
    pub severity: Vec<(&'static str, Severity)>,
    pub rule_config: RuleConfig,
}

/// An error in a configuration file: where, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.path.display(), self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

/// The nearest configuration file at or above `start`.
pub fn find(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .flat_map(|dir| FILE_NAMES.iter().map(move |name| dir.join(name)))
        .find(|p| p.is_file())
}

impl Config {
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            path: path.to_path_buf(),
            line: None,
            message: crate::discover::describe_io(&e),
        })?;
        Self::parse(path, &text)
    }

    pub fn parse(path: &Path, text: &str) -> Result<Self, ConfigError> {
        let error = |span: Option<std::ops::Range<usize>>, message: String| ConfigError {
            path: path.to_path_buf(),
            line: span.map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1),
            message,
        };
        let raw: RawConfig =
            toml::from_str(text).map_err(|e| error(e.span(), explain_toml_error(e.message())))?;
        let base = path.parent().unwrap_or(Path::new("")).to_path_buf();
        let mut config = Config {
            path: Some(path.to_path_buf()),
            ..Config::default()
        };

        config.root = raw.root.map(|r| base.join(r.into_inner()));
        let selectors = |list: Option<Vec<Spanned<String>>>| -> Result<Vec<String>, ConfigError> {
            list.unwrap_or_default()
                .into_iter()
                .map(|s| {
                    check_selector(s.get_ref())
                        .map_err(|m| error(Some(s.span()), m))
                        .map(|()| s.into_inner())
                })
                .collect()
        };
        config.select = raw
            .select
            .is_some()
            .then(|| selectors(raw.select))
            .transpose()?;
        config.extend_select = selectors(raw.extend_select)?;
        config.ignore = selectors(raw.ignore)?;
        for glob in raw.exclude.unwrap_or_default() {
            config
                .exclude
                .push(pattern(&glob).map_err(|m| error(Some(glob.span()), m))?);
        }
        config.force_exclude = raw.force_exclude.unwrap_or(false);
        config.max_file_size = raw.max_file_size;
        config.rule_config.max_tree_size = raw.max_tree_size;
        for (glob, codes) in raw.per_file_ignores.unwrap_or_default() {
            let pattern = pattern(&glob).map_err(|m| error(Some(glob.span()), m))?;
            config
                .per_file_ignores
                .push((pattern, selectors(Some(codes))?));
        }
        for (glob, format) in raw.formats.unwrap_or_default() {
            let pattern = pattern(&glob).map_err(|m| error(Some(glob.span()), m))?;
            let format = format
                .get_ref()
                .parse::<Format>()
                .map_err(|m| error(Some(format.span()), m))?;
            config.formats.push((pattern, format));
        }
        for (code, level) in raw.severity.unwrap_or_default() {
            let rule = rules::by_code_or_name(code.get_ref())
                .ok_or_else(|| error(Some(code.span()), unknown_rule(code.get_ref())))?;
            let severity = level
                .get_ref()
                .parse::<Severity>()
                .map_err(|m| error(Some(level.span()), m))?;
            config.severity.push((rule.code, severity));
        }
        for (program, version) in raw.target.unwrap_or_default() {
            config
                .rule_config
                .targets
                .set(program.get_ref(), version.get_ref())
                .map_err(|m| {
                    let span = if m.starts_with("unknown target") {
                        program.span()
                    } else {
                        version.span()
                    };
                    error(Some(span), m)
                })?;
        }
        for (code, options) in raw.rules.unwrap_or_default() {
            let rule = rules::by_code_or_name(code.get_ref())
                .ok_or_else(|| error(Some(code.span()), unknown_rule(code.get_ref())))?;
            let specs = &rule.meta().front.options;
            for (name, value) in options {
                let spec = specs.get(name.get_ref()).ok_or_else(|| {
                    let known: Vec<&str> = specs.keys().map(String::as_str).collect();
                    let message = match did_you_mean(name.get_ref(), known.iter().copied()) {
                        Some(near) => format!(
                            "{} has no option `{}` (did you mean `{near}`?)",
                            rule.code,
                            name.get_ref()
                        ),
                        None if known.is_empty() => format!("{} has no options", rule.code),
                        None => format!(
                            "{} has no option `{}` (it has: {})",
                            rule.code,
                            name.get_ref(),
                            known.join(", ")
                        ),
                    };
                    error(Some(name.span()), message)
                })?;
                if !spec.kind.accepts(value.get_ref()) {
                    let message = format!(
                        "{}.{} takes {}",
                        rule.code,
                        name.get_ref(),
                        spec.kind.describe()
                    );
                    return Err(error(Some(value.span()), message));
                }
                config
                    .rule_config
                    .rule_options
                    .insert((rule.code, name.into_inner()), value.into_inner());
            }
        }
        Ok(config)
    }

    /// The configuration as TOML, with every value it takes effect with (`etclint config`).
    pub fn effective_toml(&self, selection: &rules::Selection) -> String {
        let quote = |s: &str| toml::Value::String(s.to_string()).to_string();
        let list = |items: &[String]| {
            items
                .iter()
                .map(|s| quote(s))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut out = String::new();
        match &self.path {
            Some(path) => out.push_str(&format!("# from {}\n", path.display())),
            None => out.push_str("# no configuration file: defaults\n"),
        }
        let root = self.root.as_deref().unwrap_or(Path::new("/"));
        out.push_str(&format!("root = {}\n", quote(&root.display().to_string())));
        let enabled: Vec<String> = selection.rules().map(|r| r.code.to_string()).collect();
        out.push_str(&format!(
            "# the rules that run\nselect = [{}]\n",
            list(&enabled)
        ));
        let patterns = |globs: &[Pattern]| {
            globs
                .iter()
                .map(|g| g.as_str().to_string())
                .collect::<Vec<_>>()
        };
        out.push_str(&format!("exclude = [{}]\n", list(&patterns(&self.exclude))));
        out.push_str(&format!("force-exclude = {}\n", self.force_exclude));
        if let Some(size) = self.max_file_size {
            out.push_str(&format!("max-file-size = {size}\n"));
        }
        out.push_str(&format!(
            "max-tree-size = {}\n",
            self.rule_config.max_tree_size()
        ));
        out.push_str("\n[target]\n");
        for (program, version) in self.rule_config.targets.all() {
            out.push_str(&format!("{program} = {}\n", quote(&version.to_string())));
        }
        out.push_str("\n[per-file-ignores]\n");
        for (glob, codes) in &self.per_file_ignores {
            out.push_str(&format!("{} = [{}]\n", quote(glob.as_str()), list(codes)));
        }
        out.push_str("\n[formats]\n");
        for (glob, format) in &self.formats {
            out.push_str(&format!(
                "{} = {}\n",
                quote(glob.as_str()),
                quote(format.id())
            ));
        }
        out.push_str("\n[severity]\n");
        for rule in selection.rules() {
            let severity = selection
                .severity_override(rule.code)
                .unwrap_or(rule.meta().front.severity);
            out.push_str(&format!("{} = {}\n", rule.code, quote(severity.as_str())));
        }
        for rule in RULES.iter().filter(|r| !r.meta().front.options.is_empty()) {
            out.push_str(&format!("\n[rules.{}]\n", rule.code));
            for name in rule.meta().front.options.keys() {
                out.push_str(&format!(
                    "{name} = {}\n",
                    self.rule_config.rule_option(rule.code, name)
                ));
            }
        }
        out
    }
}

fn pattern(glob: &Spanned<String>) -> Result<Pattern, String> {
    Pattern::new(glob.get_ref())
        .map_err(|e| format!("`{}` is not a valid glob: {e}", glob.get_ref()))
}

fn check_selector(selector: &str) -> Result<(), String> {
    if rules::is_known_selector(selector) {
        Ok(())
    } else {
        Err(unknown_rule(selector))
    }
}

fn unknown_rule(key: &str) -> String {
    match rules::did_you_mean_rule(key) {
        Some(near) => format!("unknown rule `{key}` (did you mean `{near}`?)"),
        None => format!("unknown rule `{key}` (see `etclint rules`)"),
    }
}

const TOP_LEVEL_KEYS: &[&str] = &[
    "root",
    "select",
    "extend-select",
    "ignore",
    "exclude",
    "force-exclude",
    "max-file-size",
    "max-tree-size",
    "per-file-ignores",
    "formats",
    "severity",
    "target",
    "rules",
];

/// toml's message for an unknown key, with a suggestion added.
fn explain_toml_error(message: &str) -> String {
    let message = message.trim();
    let Some(rest) = message.strip_prefix("unknown field `") else {
        return message.to_string();
    };
    let key = rest.split('`').next().unwrap_or_default();
    match did_you_mean(key, TOP_LEVEL_KEYS.iter().copied()) {
        Some(near) => format!("unknown key `{key}` (did you mean `{near}`?)"),
        None => format!(
            "unknown key `{key}` (known keys: {})",
            TOP_LEVEL_KEYS.join(", ")
        ),
    }
}

impl OptionKind {
    fn accepts(self, value: &toml::Value) -> bool {
        match self {
            Self::String => value.is_str(),
            Self::Integer => value.is_integer(),
            Self::Boolean => value.is_bool(),
            Self::List => value
                .as_array()
                .is_some_and(|items| items.iter().all(toml::Value::is_str)),
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Self::String => "a string",
            Self::Integer => "an integer",
            Self::Boolean => "true or false",
            Self::List => "a list of strings",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, String> {
        Config::parse(Path::new("/repo/etclint.toml"), text).map_err(|e| e.to_string())
    }

    #[test]
    fn versions_parse_and_order() {
        assert_eq!("5.4".parse::<Version>(), Ok(Version::new(5, 4)));
        assert_eq!("8".parse::<Version>(), Ok(Version::new(8, 0)));
        assert!("8.x".parse::<Version>().is_err());
        assert!(Version::new(5, 3) < Version::new(5, 4));
    }

    #[test]
    fn a_full_configuration() {
        let config = parse(
            r#"
root = "srv"
select = ["PHP", "extract-request-variables"]
ignore = ["PHP005"]
exclude = ["vendor"]
[per-file-ignores]
"legacy/*.php" = ["PHP004"]
[formats]
"*.tpl" = "php"
[severity]
PHP005 = "error"
[target]
php = "7.4"
"#,
        )
        .unwrap();
        assert_eq!(config.root, Some(PathBuf::from("/repo/srv")));
        assert_eq!(
            config.select.as_deref(),
            Some(&["PHP".to_string(), "extract-request-variables".to_string()][..])
        );
        assert_eq!(config.formats[0].1.id(), "php");
        assert_eq!(config.severity, [("PHP005", Severity::Error)]);
        assert_eq!(config.rule_config.targets.get("php"), Version::new(7, 4));
        assert_eq!(
            config.rule_config.targets.get("postfix"),
            Version::new(3, 7)
        );
    }

    #[test]
    fn errors_name_the_line_and_suggest() {
        assert_eq!(
            parse("selct = []").unwrap_err(),
            "/repo/etclint.toml:1: unknown key `selct` (did you mean `select`?)"
        );
        assert_eq!(
            parse("select = [\"PHP001\"]\nignore = [\"PHP01\"]").unwrap_err(),
            "/repo/etclint.toml:2: unknown rule `PHP01` (did you mean `PHP001`?)"
        );
        assert_eq!(
            parse("[severity]\nPHP001 = \"fatal\"").unwrap_err(),
            "/repo/etclint.toml:2: unknown severity `fatal` (expected error, warning or info)"
        );
        assert_eq!(
            parse("[target]\nphp = \"eight\"").unwrap_err(),
            "/repo/etclint.toml:2: `eight` is not a version like `8.2`"
        );
        assert!(parse("[target]\nphpp = \"8.1\"")
            .unwrap_err()
            .contains("did you mean `php`"));
        assert!(parse("[formats]\n\"*.tpl\" = \"smarty\"")
            .unwrap_err()
            .contains("unknown format `smarty`"));
        assert!(parse("exclude = [\"[\"]")
            .unwrap_err()
            .contains("not a valid glob"));
    }

    #[test]
    fn rule_options_are_checked() {
        let config = parse("[rules.PHP001]\noutput-functions = [\"send_file\"]").unwrap();
        assert_eq!(
            config
                .rule_config
                .rule_option_strings("PHP001", "output-functions"),
            ["send_file"]
        );
        assert!(parse("[rules.PHP001]\noutput-function = []")
            .unwrap_err()
            .contains("did you mean `output-functions`"));
        assert!(parse("[rules.PHP001]\noutput-functions = 3")
            .unwrap_err()
            .contains("takes a list of strings"));
        assert!(parse("[rules.PHP005]\nx = 1")
            .unwrap_err()
            .contains("PHP005 has no options"));
    }
}
