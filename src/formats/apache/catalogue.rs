//! The directives Apache knows, generated from the installed httpd by
//! `scripts/apache-directives.sh` into `directives.tsv` (`apache2 -L` with every Debian module
//! loaded, plus the third-party directives of `scripts/apache-third-party.tsv`), and the module
//! names `<IfModule>` accepts (`modules.txt`, from `apache2 -M` and `-L`).

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// Where `apache2 -L` says a directive may be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// "only outside <Directory>, <Files>, <Location>, or <If>": server config and
    /// `<VirtualHost>`.
    Server,
    /// "anywhere" (with or without "[no per-dir config]").
    Anywhere,
    /// "only inside <Directory>, <Files>, <Location>, or <If>".
    Directory,
}

/// The `AllowOverride` classes of the directives allowed in `.htaccess`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Override {
    /// Never in `.htaccess`.
    Never,
    /// "when AllowOverride isn't None".
    Any,
    /// "when AllowOverride includes X" (or one of two: `AuthConfig or Limit`).
    Classes(&'static [&'static str]),
}

#[derive(Debug, Clone)]
pub struct DirectiveSpec {
    /// As `apache2 -L` spells it (`<Files` for a section).
    pub name: &'static str,
    pub module: &'static str,
    pub context: Context,
    pub htaccess: Override,
    /// Not one of Apache's or Debian's modules: the module that provides it, e.g.
    /// "mod_auth_mysql 3.0.0 (third-party)".
    pub third_party: Option<&'static str>,
}

impl DirectiveSpec {
    pub fn is_section(&self) -> bool {
        self.name.starts_with('<')
    }
}

struct Catalogue {
    specs: Vec<DirectiveSpec>,
    by_name: HashMap<String, usize>,
    modules: HashSet<String>,
}

static TSV: &str = include_str!("directives.tsv");
static MODULES: &str = include_str!("modules.txt");

static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(|| {
    let mut specs = Vec::new();
    for line in TSV.lines().filter(|l| !l.starts_with('#') && !l.is_empty()) {
        let f: Vec<&'static str> = line.split('\t').collect();
        let [name, module, context, htaccess, source] = f[..] else {
            panic!("directives.tsv: bad line {line:?}")
        };
        let context = match context {
            "server" => Context::Server,
            "directory" => Context::Directory,
            "anywhere" | "anywhere-no-perdir" => Context::Anywhere,
            other => panic!("directives.tsv: unknown context {other:?}"),
        };
        let htaccess = match htaccess {
            "-" => Override::Never,
            "Any" => Override::Any,
            classes => {
                let list: Vec<&'static str> = classes.split('|').collect();
                Override::Classes(Box::leak(list.into_boxed_slice()))
            }
        };
        specs.push(DirectiveSpec {
            name,
            module,
            context,
            htaccess,
            third_party: (source != "apache").then_some(source),
        });
    }
    let by_name = specs
        .iter()
        .enumerate()
        .map(|(i, s)| (s.name.to_ascii_lowercase(), i))
        .collect();
    let modules = MODULES
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    Catalogue {
        specs,
        by_name,
        modules,
    }
});

/// A directive by name (any case; sections as `<Files`).
pub fn lookup(name: &str) -> Option<&'static DirectiveSpec> {
    let catalogue = &*CATALOGUE;
    let key = name.to_ascii_lowercase();
    catalogue.by_name.get(&key).map(|&i| &catalogue.specs[i])
}

pub fn all() -> &'static [DirectiveSpec] {
    &CATALOGUE.specs
}

/// Whether `<IfModule name>` names a module of the catalogue (`ssl_module`, `mod_ssl.c`).
pub fn module_known(name: &str) -> bool {
    CATALOGUE.modules.contains(&name.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_apache_debian_and_third_party_directives() {
        let listen = lookup("LISTEN").unwrap();
        assert_eq!(listen.context, Context::Server);
        assert_eq!(listen.htaccess, Override::Never);
        let force = lookup("forcetype").unwrap();
        assert_eq!(force.htaccess, Override::Classes(&["FileInfo"]));
        assert_eq!(lookup("php_admin_flag").unwrap().htaccess, Override::Never);
        assert!(lookup("php_flag").unwrap().third_party.is_none());
        let mysql = lookup("AuthMySQLPassword").unwrap();
        assert!(mysql.third_party.unwrap().contains("mod_auth_mysql"));
        assert_eq!(lookup("<Files").unwrap().htaccess, Override::Any);
        assert!(lookup("FooBar").is_none());
        assert!(module_known("mod_ssl.c") && module_known("ssl_module"));
        assert!(!module_known("mod_nonesuch.c"));
        assert!(all().len() > 700);
    }
}
