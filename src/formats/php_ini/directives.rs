//! The directive names PHP knows (INI003), generated from the installed PHP by
//! `scripts/php-ini-catalogue.sh` into `directives.txt`: `ini_get_all()` with Debian's
//! extensions loaded, the keys of php.ini-production/-development, and the removed directives.

use std::collections::HashSet;
use std::sync::LazyLock;

static NAMES: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| include_str!("directives.txt").lines().collect());

static SET: LazyLock<HashSet<&'static str>> = LazyLock::new(|| NAMES.iter().copied().collect());

pub fn all() -> &'static [&'static str] {
    &NAMES
}

pub fn is_known(name: &str) -> bool {
    SET.contains(name)
}

static NAMESPACES: LazyLock<HashSet<String>> = LazyLock::new(|| {
    NAMES
        .iter()
        .filter_map(|n| n.split_once('.'))
        .map(|(ns, _)| ns.to_ascii_lowercase())
        .collect()
});

/// Whether some directive's name starts with `namespace.` (lowercase, case ignored).
pub fn has_namespace(namespace: &str) -> bool {
    NAMESPACES.contains(namespace)
}
