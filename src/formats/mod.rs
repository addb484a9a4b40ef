//! The formats etclint knows, how a file's name tells its format, and the registry of format
//! handlers: one module per format with a lossless parser, reached by the engine, the command
//! line and the tests only through its [`Handler`]. `README.md` beside this file says how to add
//! a format.

pub mod apache;
// GRUB legacy grub.conf/menu.lst and GRUB 2's /etc/default/grub (issue 14)
pub mod grub;
pub mod grub_default;
pub mod php;
pub mod php_ini;
// postfix-main and postfix-master (issue 12)
pub mod postfix_conf;
// postfix-regexp and postfix-pcre (issue 13)
pub mod postfix_table;
#[cfg(test)]
pub mod testing;
pub mod wgetrc;

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use crate::config::{RuleConfig, Version};
use crate::rules::{Reporter, Rule, Selection};
use crate::source::SourceFile;
use crate::workspace::Facts;

/// Every format that has a handler: the one list that decides what etclint checks.
static HANDLERS: &[&dyn Handler] = &[
    &php::Handler,
    &apache::Handler,
    &grub::Handler,
    &grub_default::Handler,
    &wgetrc::Handler,
    &php_ini::Handler,
    &postfix_table::RegexpHandler,
    &postfix_table::PcreHandler,
    &postfix_conf::MainHandler,
    &postfix_conf::MasterHandler,
    #[cfg(test)]
    &testing::Handler,
];

pub fn handlers() -> &'static [&'static dyn Handler] {
    HANDLERS
}

/// What the engine, the command line and the tests know of a format.
pub trait Handler: Sync {
    fn format(&self) -> Format;
    /// The rules whose home is this format (`rules/<format>/mod.rs`).
    fn rules(&self) -> &'static [&'static Rule];
    /// The file name lints examples and generated inputs are checked under.
    fn example_name(&self) -> &'static str;
    /// How a suppression comment is written in this format.
    fn comment_syntax(&self) -> CommentSyntax;
    /// One file, its views computed when a rule first asks for them.
    fn open<'a>(&self, source: &'a SourceFile) -> Box<dyn Model + 'a>;
    /// Whether etclint's parser sees a syntax error in `bytes`, for the fix loop, which keeps
    /// no fix that adds one. `None` for formats in which every file parses.
    fn syntax_check(&self) -> Option<fn(&[u8]) -> bool> {
        None
    }
    /// The parsed model as `etclint dump` prints it: what the real program reads.
    fn dump(&self, source: &SourceFile) -> serde_json::Value;
    /// Whether the file at `path` is linted after every other file's facts are in, so once
    /// rather than twice: its rules read those facts, and no rule reads its own. A file with
    /// references is still linted again at the end.
    fn lints_after_the_others(&self, _path: &Path) -> bool {
        false
    }
    /// What decides the meaning of the file at `path` (absolute), when that is not the name
    /// itself: names of one file (a link, a hard link) with the same context are checked once,
    /// under one name. `None`, the default, checks it under each name, for formats whose
    /// rules read where the file is.
    fn shared_context(&self, _path: &Path) -> Option<PathBuf> {
        None
    }
    /// The formats of the files its references bring into the run (`Role::Check`): its facts
    /// are gathered when a selected rule checks one of them.
    fn brings_in(&self) -> &'static [Format] {
        &[]
    }
    /// Literal strings (ASCII case ignored) a file must contain for its facts to say anything;
    /// the engine looks for them in its one scan of the file. Empty: facts of every file.
    fn fact_needles(&self, config: &RuleConfig) -> Vec<String> {
        let _ = config;
        Vec::new()
    }
    /// What the user should know before the selected rules run here (a program they need is
    /// missing…).
    fn notes(&self, selection: &Selection) -> Vec<String> {
        let _ = selection;
        Vec::new()
    }
    /// Where a NUL byte shows that `bytes` is a binary file, not one of this format, which is
    /// then not checked. By default a NUL in the first 8000 bytes; a format whose files may
    /// hold NUL bytes (PHP strings, the data after `__halt_compiler`) says where they may.
    fn binary_at(&self, bytes: &[u8]) -> Option<usize> {
        memchr::memchr(0, &bytes[..bytes.len().min(8000)])
    }
}

/// One opened file.
pub trait Model {
    /// Runs one of this format's rules (the handler knows the rule's check type).
    fn run(&self, rule: &'static Rule, cx: &mut Reporter);
    /// The spans of its comments, where suppressions are looked for.
    fn comments(&self) -> Vec<Range<usize>>;
    /// What other files need to know of this one, and the files it names.
    fn facts(&self, config: &RuleConfig) -> Facts;
}

/// How a format's comments are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommentSyntax {
    /// What starts a line comment (`#`, `//`, `;`).
    pub line: &'static str,
    /// Comments must stand on their own line (Apache, Postfix): a suppression goes on the line
    /// before, and removing one removes its line.
    pub own_line: bool,
}

/// A program whose version `[target]` and `--target NAME=VERSION` set.
pub struct TargetProgram {
    pub name: &'static str,
    /// The version assumed when none is given.
    pub default: Version,
    /// The versions a target may name: the oldest the rules know of, the newest released.
    pub oldest: Version,
    pub newest: Version,
}

pub const TARGET_PROGRAMS: &[TargetProgram] = &[
    TargetProgram {
        name: "php",
        default: Version::new(8, 2),
        oldest: Version::new(4, 0),
        newest: Version::new(8, 5),
    },
    TargetProgram {
        name: "postfix",
        default: Version::new(3, 7),
        oldest: Version::new(2, 0),
        newest: Version::new(3, 10),
    },
    TargetProgram {
        name: "apache",
        default: Version::new(2, 4),
        oldest: Version::new(2, 0),
        newest: Version::new(2, 4),
    },
    TargetProgram {
        name: "wget",
        default: Version::new(1, 21),
        oldest: Version::new(1, 10),
        newest: Version::new(1, 25),
    },
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum Format {
    Grub,
    GrubDefault,
    PostfixMain,
    PostfixMaster,
    PostfixRegexp,
    PostfixPcre,
    Apache,
    Wgetrc,
    PhpIni,
    Php,
    /// A line format of the unit tests: `ref PATH` names another such file.
    #[cfg(test)]
    Test,
}

impl Format {
    pub const ALL: &[Format] = &[
        Self::Grub,
        Self::GrubDefault,
        Self::PostfixMain,
        Self::PostfixMaster,
        Self::PostfixRegexp,
        Self::PostfixPcre,
        Self::Apache,
        Self::Wgetrc,
        Self::PhpIni,
        Self::Php,
        #[cfg(test)]
        Self::Test,
    ];

    /// The id used on the command line (`--as`), in configuration and in `lints/`.
    pub fn id(self) -> &'static str {
        match self {
            Self::Grub => "grub",
            Self::GrubDefault => "grub-default",
            Self::PostfixMain => "postfix-main",
            Self::PostfixMaster => "postfix-master",
            Self::PostfixRegexp => "postfix-regexp",
            Self::PostfixPcre => "postfix-pcre",
            Self::Apache => "apache",
            Self::Wgetrc => "wgetrc",
            Self::PhpIni => "php-ini",
            Self::Php => "php",
            #[cfg(test)]
            Self::Test => "test",
        }
    }

    /// What it is, for `--help` and the README: `Postfix main.cf`.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Grub => "GRUB legacy grub.conf/menu.lst",
            Self::GrubDefault => "GRUB 2 /etc/default/grub",
            Self::PostfixMain => "Postfix main.cf",
            Self::PostfixMaster => "Postfix master.cf",
            Self::PostfixRegexp => "Postfix regexp: tables",
            Self::PostfixPcre => "Postfix pcre: tables",
            Self::Apache => "Apache httpd.conf/.htaccess",
            Self::Wgetrc => "wget .wgetrc",
            Self::PhpIni => "php.ini",
            Self::Php => "PHP sources",
            #[cfg(test)]
            Self::Test => "the unit tests' line format",
        }
    }

    /// `formats` for a reader: "wget .wgetrc, PHP sources".
    pub fn describe_all(formats: &[Format]) -> String {
        let names: Vec<&str> = formats.iter().map(|f| f.describe()).collect();
        names.join(", ")
    }

    /// The formats this version parses, and those it does not yet, as two lists for a reader.
    pub fn supported_and_later() -> (Vec<Format>, Vec<Format>) {
        let public = Self::ALL.iter().copied().filter(|f| f.id() != "test");
        public.partition(|f| f.is_supported())
    }

    /// The prefix of its rules' codes (design.md, "Rules").
    pub fn code_prefix(self) -> &'static str {
        match self {
            Self::Grub | Self::GrubDefault => "GRB",
            Self::PostfixMain => "PFM",
            Self::PostfixMaster => "PFC",
            Self::PostfixRegexp | Self::PostfixPcre => "PFT",
            Self::Apache => "APA",
            Self::Wgetrc => "WGT",
            Self::PhpIni => "INI",
            Self::Php => "PHP",
            #[cfg(test)]
            Self::Test => "TST",
        }
    }

    pub fn handler(self) -> Option<&'static dyn Handler> {
        HANDLERS.iter().copied().find(|h| h.format() == self)
    }

    /// Whether this version of etclint parses and lints the format.
    pub fn is_supported(self) -> bool {
        self.handler().is_some()
    }

    /// The format a file's path says it is, if any (design.md, "Formats").
    pub fn detect(path: &Path) -> Option<Format> {
        let name = path.file_name()?.to_str()?;
        // Packages ship templates as `main.cf.dist`, `httpd.conf.dist`: the same format.
        let name = name
            .strip_suffix(".dist")
            .filter(|n| !n.is_empty())
            .unwrap_or(name);
        let parent = path
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str());
        let under = |dir: &str| {
            path.ancestors()
                .skip(1)
                .any(|a| a.file_name().and_then(|n| n.to_str()) == Some(dir))
        };
        let extension = Path::new(name)
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);

        let format = match (name, extension.as_deref()) {
            ("grub.conf" | "menu.lst", _) => Self::Grub,
            ("grub", _) if parent == Some("default") => Self::GrubDefault,
            ("main.cf", _) => Self::PostfixMain,
            ("master.cf", _) => Self::PostfixMaster,
            (_, Some("regexp")) => Self::PostfixRegexp,
            (_, Some("pcre")) => Self::PostfixPcre,
            ("httpd.conf" | "apache2.conf" | ".htaccess", _) => Self::Apache,
            (_, Some("conf")) if under("apache2") || under("httpd") => Self::Apache,
            (".wgetrc" | "wgetrc", _) => Self::Wgetrc,
            ("php.ini" | ".user.ini", _) => Self::PhpIni,
            _ if name.starts_with("php.ini-") => Self::PhpIni,
            (_, Some("ini")) if under("php") => Self::PhpIni,
            (_, Some("php" | "phtml" | "php3" | "php4" | "php5" | "inc")) => Self::Php,
            #[cfg(test)]
            (_, Some("tst")) => Self::Test,
            _ => return None,
        };
        Some(format)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .iter()
            .copied()
            .find(|f| f.id() == s)
            .ok_or_else(|| {
                let ids: Vec<&str> = Self::ALL.iter().map(|f| f.id()).collect();
                format!("unknown format `{s}` (known: {})", ids.join(", "))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detect(path: &str) -> Option<Format> {
        Format::detect(Path::new(path))
    }

    #[test]
    fn detects_by_name_and_place() {
        assert_eq!(detect("/boot/grub/menu.lst"), Some(Format::Grub));
        assert_eq!(detect("/etc/default/grub"), Some(Format::GrubDefault));
        assert_eq!(detect("grub"), None);
        assert_eq!(detect("/etc/postfix/main.cf"), Some(Format::PostfixMain));
        assert_eq!(
            detect("/etc/postfix/header_checks.pcre"),
            Some(Format::PostfixPcre)
        );
        assert_eq!(
            detect("/etc/apache2/sites-available/default.conf"),
            Some(Format::Apache)
        );
        assert_eq!(detect("/etc/nginx/sites/default.conf"), None);
        assert_eq!(detect("site/.htaccess"), Some(Format::Apache));
        assert_eq!(detect("/home/u/.wgetrc"), Some(Format::Wgetrc));
        assert_eq!(detect("php.ini-production"), Some(Format::PhpIni));
        assert_eq!(
            detect("/etc/php/8.2/mods-available/opcache.ini"),
            Some(Format::PhpIni)
        );
        assert_eq!(detect("desktop.ini"), None);
        assert_eq!(detect("lib/Foo.PHP"), Some(Format::Php));
        assert_eq!(detect("inc/db.inc"), Some(Format::Php));
        // Debian's templates.
        assert_eq!(
            detect("/usr/share/postfix/main.cf.dist"),
            Some(Format::PostfixMain)
        );
        assert_eq!(detect("master.cf.dist"), Some(Format::PostfixMaster));
        assert_eq!(detect("httpd.conf.dist"), Some(Format::Apache));
        assert_eq!(detect("php.ini-development.dist"), Some(Format::PhpIni));
        assert_eq!(detect(".dist"), None);
    }
}
