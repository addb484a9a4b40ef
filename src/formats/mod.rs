//! The formats etclint knows, how a file's name tells its format, and one module per format
//! with a lossless parser.

pub mod php;

use std::fmt;
use std::path::Path;
use std::str::FromStr;

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
}

impl Format {
    pub const ALL: [Format; 10] = [
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
        }
    }

    /// Whether this version of etclint parses and lints the format.
    pub fn is_supported(self) -> bool {
        matches!(self, Self::Php)
    }

    /// The format a file's path says it is, if any (design.md, "Formats").
    pub fn detect(path: &Path) -> Option<Format> {
        let name = path.file_name()?.to_str()?;
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
        Self::ALL.into_iter().find(|f| f.id() == s).ok_or_else(|| {
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
    }
}
