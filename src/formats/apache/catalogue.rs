//! The directives Apache knows, generated from the installed httpd by
//! `scripts/apache-directives.sh` into `directives.tsv` (`apache2 -L` with every Debian module
//! loaded, plus the third-party directives of `scripts/apache-third-party.tsv`), and the module
//! names `<IfModule>` accepts (`modules.txt`, from `apache2 -M` and `-L`), and how many
//! arguments each takes as httpd checks it (`arity.tsv`, from `scripts/apache-arity.sh`).

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
    /// How httpd checks its argument count, when it does before the directive's own code.
    pub arity: Option<&'static Arity>,
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
            arity: arity(name),
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
    with_key(name, false, by_key)
}

/// A node's directive: `name`, or the section `<name` when `section`.
pub fn lookup_named(name: &str, section: bool) -> Option<&'static DirectiveSpec> {
    with_key(name, section, by_key)
}

fn by_key(key: &str) -> Option<&'static DirectiveSpec> {
    let catalogue = &*CATALOGUE;
    catalogue.by_name.get(key).map(|&i| &catalogue.specs[i])
}

/// Calls `f` with the look-up key of `name`: lower-cased, after a `<` for a section; on the
/// stack, since every node of every file is looked up.
fn with_key<R>(name: &str, section: bool, f: impl FnOnce(&str) -> R) -> R {
    let mut buffer = [0u8; 64];
    let len = name.len() + usize::from(section);
    if len > buffer.len() {
        let lowered = name.to_ascii_lowercase();
        return f(&if section {
            format!("<{lowered}")
        } else {
            lowered
        });
    }
    let start = usize::from(section);
    buffer[0] = b'<';
    for (slot, b) in buffer[start..len].iter_mut().zip(name.bytes()) {
        *slot = b.to_ascii_lowercase();
    }
    f(std::str::from_utf8(&buffer[..len]).expect("ASCII lower-casing keeps UTF-8"))
}

pub fn all() -> &'static [DirectiveSpec] {
    &CATALOGUE.specs
}

/// Whether `<IfModule name>` names a module of the catalogue (`ssl_module`, `mod_ssl.c`).
pub fn module_known(name: &str) -> bool {
    CATALOGUE.modules.contains(&name.to_ascii_lowercase())
}

/// How httpd checks a directive's argument count before the directive's own code runs
/// (`server/config.c`, `invoke_cmd`), probed by `scripts/apache-arity.sh`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgKind {
    NoArgs,
    Take1,
    Take2,
    Take3,
    Take12,
    Take23,
    Take123,
    Take13,
    /// One or more.
    Iterate,
    /// Two or more.
    Iterate2,
    /// `On` or `Off` (any case); words after the first are ignored.
    Flag,
    /// The directive's own code checks; httpd refuses it with no argument at all.
    Handler,
}

impl ArgKind {
    /// Whether httpd refuses these argument words (as read: `""` is an empty word).
    pub fn refuses<S: AsRef<str>>(self, words: &[S]) -> bool {
        let n = words.len();
        let empty = |i: usize| words.get(i).is_none_or(|w| w.as_ref().is_empty());
        match self {
            Self::NoArgs => n > 0,
            Self::Take1 => n != 1 || empty(0),
            Self::Take2 => n != 2 || empty(0) || empty(1),
            Self::Take3 => n != 3 || empty(0) || empty(1) || empty(2),
            Self::Take12 => n == 0 || n > 2 || empty(0),
            Self::Take23 => !(2..=3).contains(&n) || empty(0) || empty(1),
            Self::Take123 => n == 0 || n > 3 || empty(0),
            // A second word needs a third (an empty second word does not).
            Self::Take13 => n == 0 || n > 3 || empty(0) || (n == 2 && !empty(1)),
            Self::Iterate => n == 0 || empty(0),
            Self::Iterate2 => n < 2 || empty(0),
            Self::Flag => {
                n == 0
                    || !(words[0].as_ref().eq_ignore_ascii_case("on")
                        || words[0].as_ref().eq_ignore_ascii_case("off"))
            }
            Self::Handler => n == 0,
        }
    }
}

/// A directive's argument count check and httpd's exact refusal.
#[derive(Debug, Clone)]
pub struct Arity {
    pub kind: ArgKind,
    /// `ServerName takes one argument, The hostname and port of the server`.
    pub message: String,
}

static ARITY_TSV: &str = include_str!("arity.tsv");

static ARITY: LazyLock<HashMap<String, Arity>> = LazyLock::new(|| {
    let mut out = HashMap::new();
    for line in ARITY_TSV
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let [name, kind, message] = line.split('\t').collect::<Vec<_>>()[..] else {
            panic!("arity.tsv: bad line {line:?}")
        };
        let kind = match kind {
            "no_args" => ArgKind::NoArgs,
            "take1" => ArgKind::Take1,
            "take2" => ArgKind::Take2,
            "take3" => ArgKind::Take3,
            "take12" => ArgKind::Take12,
            "take23" => ArgKind::Take23,
            "take123" => ArgKind::Take123,
            "take13" => ArgKind::Take13,
            "iterate" => ArgKind::Iterate,
            "iterate2" => ArgKind::Iterate2,
            "flag" => ArgKind::Flag,
            "handler" => ArgKind::Handler,
            "unchecked" => continue,
            other => panic!("arity.tsv: unknown kind {other:?}"),
        };
        let message = message.replace("\\n", "\n");
        out.insert(name.to_ascii_lowercase(), Arity { kind, message });
    }
    out
});

/// How httpd checks the argument count of a directive (any case; sections as `<Files`), when
/// it checks it before the directive's own code, or refuses it with no argument.
pub fn arity(name: &str) -> Option<&'static Arity> {
    with_key(name, false, |key| ARITY.get(key))
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

    #[test]
    fn knows_how_many_arguments_httpd_takes() {
        let server_name = arity("servername").unwrap();
        assert_eq!(server_name.kind, ArgKind::Take1);
        assert_eq!(
            server_name.message,
            "ServerName takes one argument, The hostname and port of the server"
        );
        assert!(ArgKind::Take1.refuses::<&str>(&[]) && ArgKind::Take1.refuses(&["a", "b"]));
        assert!(ArgKind::Take1.refuses(&[""]) && !ArgKind::Take1.refuses(&["a"]));
        assert_eq!(arity("ExpiresActive").unwrap().kind, ArgKind::Flag);
        assert!(!ArgKind::Flag.refuses(&["ON", "ignored"]) && ArgKind::Flag.refuses(&["yes"]));
        assert!(!ArgKind::Iterate2.refuses(&["text/plain", ""]));
        assert!(ArgKind::Take13.refuses(&["a", "b"]) && !ArgKind::Take13.refuses(&["a", ""]));
        assert_eq!(arity("<Files").unwrap().kind, ArgKind::Handler);
    }
}
