//! What Postfix 3.7 knows of main.cf parameters, generated from `postconf -d` by
//! `scripts/postfix-parameters.sh` into `parameters.tsv`: each built-in parameter with its
//! default, the parameters a master.cf service of a delivery program defines
//! (`SERVICE_destination_recipient_limit`…), and those of legacy database tables
//! (`ldap:name` defines `name_server_host`…).

use std::sync::LazyLock;

use crate::suggest::did_you_mean;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param {
    pub name: &'static str,
    /// As `postconf -d` prints it (empty for the defaults computed from the host).
    pub default: &'static str,
    /// postconf drops an assignment of it with a warning (`process_name`…).
    pub readonly: bool,
    /// Its value is never `$`-expanded (`smtpd_reject_footer`…).
    pub raw: bool,
}

pub struct Catalogue {
    pub params: super::FastMap<&'static str, Param>,
    /// (program, suffix): a service running the program defines `SERVICE` + suffix.
    pub service_suffixes: Vec<(&'static str, &'static str)>,
    /// (table type, suffix): `type:name` defines `name` + suffix.
    pub dbms_suffixes: Vec<(&'static str, &'static str)>,
}

pub static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(|| {
    let mut params = super::FastMap::default();
    let mut service_suffixes = Vec::new();
    let mut dbms_suffixes = Vec::new();
    for line in include_str!("parameters.tsv").lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        match fields.as_slice() {
            ["param", name, default, flags] => {
                let flags: Vec<&str> = flags.split(',').collect();
                params.insert(
                    *name,
                    Param {
                        name,
                        default,
                        readonly: flags.contains(&"readonly"),
                        raw: flags.contains(&"raw"),
                    },
                );
            }
            ["service", program, suffix] => service_suffixes.push((*program, *suffix)),
            ["dbms", kind, suffix] => dbms_suffixes.push((*kind, *suffix)),
            _ => {}
        }
    }
    Catalogue {
        params,
        service_suffixes,
        dbms_suffixes,
    }
});

/// The built-in parameter `name`, if Postfix has one.
pub fn param(name: &str) -> Option<&'static Param> {
    CATALOGUE.params.get(name)
}

/// The built-in names, sorted (the candidates of "did you mean", in an order that does not
/// change from run to run), each with its letter counts.
static SORTED_NAMES: LazyLock<Vec<(&'static str, Letters)>> = LazyLock::new(|| {
    let mut names: Vec<&'static str> = CATALOGUE.params.keys().copied().collect();
    names.sort_unstable();
    names.into_iter().map(|n| (n, Letters::of(n))).collect()
});

/// How often each character occurs, ASCII case ignored, characters folded into 64 classes.
#[derive(Clone, Copy)]
struct Letters([u32; 64]);

impl Letters {
    fn of(text: &str) -> Self {
        let mut counts = [0; 64];
        for c in text.chars() {
            let class = if c.is_ascii() {
                (c.to_ascii_lowercase() as usize) % 64
            } else {
                63
            };
            counts[class] += 1;
        }
        Self(counts)
    }

    /// The bag distance: no sequence of fewer edits turns one text into the other (an edit
    /// changes one count on each side at most).
    fn distance(&self, other: &Self) -> usize {
        let (mut more, mut fewer) = (0, 0);
        for (a, b) in self.0.iter().zip(&other.0) {
            more += a.saturating_sub(*b) as usize;
            fewer += b.saturating_sub(*a) as usize;
        }
        more.max(fewer)
    }
}

/// The built-in parameter `name` is likely a typo of: [`did_you_mean`] over the catalogue,
/// given only the names it could pick (those `name` begins, and those that a bound on the
/// edit distance, by length and by letter counts, does not rule out), so that an unknown
/// name costs a few edit distances, not one per built-in, and a long one none.
pub fn suggestion(name: &str) -> Option<&'static str> {
    let key = name.as_bytes();
    let chars = name.chars().count();
    let letters = std::cell::OnceCell::new();
    let candidates = SORTED_NAMES.iter().filter_map(|(c, counts)| {
        let begins = key.len() >= 3
            && c.len() > key.len()
            && c.as_bytes()[..key.len()].eq_ignore_ascii_case(key);
        let most = 2.max(c.len() / 4);
        let near = || {
            c.len().abs_diff(chars) <= most
                && letters.get_or_init(|| Letters::of(name)).distance(counts) <= most
        };
        (begins || near()).then_some(*c)
    });
    did_you_mean(name, candidates)
}

/// The suffixes a service running `program` defines parameters with.
pub fn service_suffixes(program: &str) -> impl Iterator<Item = &'static str> + '_ {
    CATALOGUE
        .service_suffixes
        .iter()
        .filter(move |(p, _)| *p == program)
        .map(|(_, s)| *s)
}

/// Whether `name` is `SERVICE` + a suffix a service of `program` defines.
pub fn is_service_param(name: &str, service: &str, program: &str) -> bool {
    name.strip_prefix(service)
        .is_some_and(|suffix| service_suffixes(program).any(|s| s == suffix))
}

/// Whether `name` is `TABLE` + a suffix of a database table of type `kind`.
pub fn is_dbms_param(name: &str, table: &str, kind: &str) -> bool {
    name.strip_prefix(table).is_some_and(|suffix| {
        CATALOGUE
            .dbms_suffixes
            .iter()
            .any(|(k, s)| *k == kind && *s == suffix)
    })
}

/// The table types that have legacy database parameters.
pub fn is_dbms_type(kind: &str) -> bool {
    CATALOGUE.dbms_suffixes.iter().any(|(k, _)| *k == kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_postfix_3_7() {
        assert!(CATALOGUE.params.len() > 800);
        assert_eq!(param("default_process_limit").unwrap().default, "100");
        assert!(param("service_name").unwrap().readonly);
        assert!(param("smtpd_reject_footer").unwrap().raw);
        assert!(param("MyHostname").is_none());
        assert!(is_service_param(
            "listapp_destination_recipient_limit",
            "listapp",
            "pipe"
        ));
        assert!(is_dbms_param("foo_server_host", "foo", "ldap"));
        assert_eq!(suggestion("myhostnam"), Some("myhostname"));
        assert_eq!(suggestion("MYHOSTNAM"), Some("myhostname"));
        assert_eq!(
            suggestion("smtpd_tls_securty_level"),
            Some("smtpd_tls_security_level")
        );
        assert_eq!(suggestion(&"x".repeat(100_000)), None);
        assert!(!is_dbms_param("foo_bogus", "foo", "ldap"));
    }
}
