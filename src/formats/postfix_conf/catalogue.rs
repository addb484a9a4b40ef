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

/// The built-in names, sorted: the candidates of "did you mean", in an order that does not
/// change from run to run.
static SORTED_NAMES: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut names: Vec<&'static str> = CATALOGUE.params.keys().copied().collect();
    names.sort_unstable();
    names
});

/// The built-in parameter `name` is likely a typo of: [`did_you_mean`] over the catalogue,
/// given only the names it could pick (those `name` begins, and those within its edit
/// distance of `name` by length alone), so that an unknown name costs a few distances, not
/// one per built-in, and a long one nothing.
pub fn suggestion(name: &str) -> Option<&'static str> {
    let key = name.as_bytes();
    let chars = name.chars().count();
    let candidates = SORTED_NAMES.iter().copied().filter(|c| {
        let begins = key.len() >= 3
            && c.len() > key.len()
            && c.as_bytes()[..key.len()].eq_ignore_ascii_case(key);
        begins || c.len().abs_diff(chars) <= 2.max(c.len() / 4)
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
        assert_eq!(suggestion(&"x".repeat(100_000)), None);
        assert!(!is_dbms_param("foo_bogus", "foo", "ldap"));
    }
}
