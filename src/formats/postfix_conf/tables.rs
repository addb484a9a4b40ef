//! Lookup table references in a parameter value: `type:name` items of a list split at commas
//! and white space, `{ … }` kept whole (`inline:{ a=b }`, `regexp:{ {/a/ R} }`), `proxy:`
//! in front of another table, and the tables inside `pipemap:{…}` and `unionmap:{…}`.

use std::ops::Range;

use super::is_space;

/// The table types of Postfix 3.7 on Debian 12 (`postconf -m` with postfix-pcre, -ldap,
/// -mysql, -pgsql, -sqlite, -lmdb, -cdb installed) and of DATABASE_README.
pub const TYPES: &[&str] = &[
    "btree",
    "cdb",
    "cidr",
    "dbm",
    "environ",
    "fail",
    "hash",
    "inline",
    "internal",
    "ldap",
    "lmdb",
    "memcache",
    "mongodb",
    "mysql",
    "nis",
    "nisplus",
    "pcre",
    "pgsql",
    "pipemap",
    "proxy",
    "randmap",
    "regexp",
    "sdbm",
    "socketmap",
    "sqlite",
    "static",
    "tcp",
    "texthash",
    "unionmap",
    "unix",
];

/// One `type:name`; ranges in the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRef {
    /// The whole item, `proxy:` included.
    pub span: Range<usize>,
    pub kind: Range<usize>,
    /// What follows `type:`; braces included for an inline table.
    pub name: Range<usize>,
    pub proxied: bool,
}

impl TableRef {
    pub fn kind<'v>(&self, value: &'v [u8]) -> &'v str {
        std::str::from_utf8(&value[self.kind.clone()]).unwrap_or("")
    }

    pub fn name<'v>(&self, value: &'v [u8]) -> &'v str {
        std::str::from_utf8(&value[self.name.clone()]).unwrap_or("")
    }

    /// `regexp:{ … }`: rules in the value, no file.
    pub fn is_inline(&self, value: &[u8]) -> bool {
        value.get(self.name.start) == Some(&b'{')
    }

    /// The file Postfix opens for it, when it names one by absolute path.
    pub fn file<'v>(&self, value: &'v [u8]) -> Option<&'v str> {
        let name = self.name(value);
        (name.starts_with('/') && !self.is_inline(value)).then_some(name)
    }

    /// The files that must exist for the table to open: for indexed types the built
    /// database (`.db`, `.lmdb`, `.cdb`) besides the source.
    pub fn needed_files(&self, value: &[u8]) -> Vec<String> {
        let Some(file) = self.file(value) else {
            return Vec::new();
        };
        match self.kind(value) {
            "hash" | "btree" | "dbm" | "sdbm" => vec![file.to_string(), format!("{file}.db")],
            "lmdb" => vec![file.to_string(), format!("{file}.lmdb")],
            "cdb" => vec![file.to_string(), format!("{file}.cdb")],
            "regexp" | "pcre" | "cidr" | "texthash" | "ldap" | "mysql" | "pgsql" | "sqlite"
            | "memcache" | "mongodb" => vec![file.to_string()],
            _ => Vec::new(),
        }
    }
}

/// Items of a list: split at commas and white space outside braces.
fn items(value: &[u8], range: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut at = range.start;
    while at < range.end {
        while at < range.end && (is_space(value[at]) || value[at] == b',') {
            at += 1;
        }
        if at >= range.end {
            break;
        }
        let start = at;
        let mut level = 0usize;
        while at < range.end && !(level == 0 && (is_space(value[at]) || value[at] == b',')) {
            match value[at] {
                b'{' => level += 1,
                b'}' => level = level.saturating_sub(1),
                _ => {}
            }
            at += 1;
        }
        out.push(start..at);
    }
    out
}

/// The table references of a value, in order.
pub fn references(value: &[u8]) -> Vec<TableRef> {
    let mut out = Vec::new();
    if memchr::memchr(b':', value).is_none() {
        return out;
    }
    // Lists still to split: the value, then the insides of pipemap:{…} and unionmap:{…}.
    let mut pending: Vec<Range<usize>> = Vec::new();
    pending.push(0..value.len());
    while let Some(list) = pending.pop() {
        for item in items(value, list) {
            let Some(t) = table_at(value, item.clone()) else {
                continue;
            };
            let kind = t.kind(value);
            if (kind == "pipemap" || kind == "unionmap") && t.is_inline(value) {
                let end = t.name.end - usize::from(value[t.name.end - 1] == b'}');
                pending.push(t.name.start + 1..end.max(t.name.start + 1));
            }
            out.push(t);
        }
    }
    out.sort_by_key(|t| t.span.start);
    out
}

fn table_at(value: &[u8], item: Range<usize>) -> Option<TableRef> {
    let colon = memchr::memchr(b':', &value[item.clone()])? + item.start;
    let kind = item.start..colon;
    let kind_text = std::str::from_utf8(&value[kind.clone()]).ok()?;
    if !TYPES.contains(&kind_text) {
        return None;
    }
    if kind_text == "proxy" {
        let inner = table_at(value, colon + 1..item.end)?;
        return Some(TableRef {
            span: item,
            proxied: true,
            ..inner
        });
    }
    Some(TableRef {
        span: item.clone(),
        kind,
        name: colon + 1..item.end,
        proxied: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_tables() {
        let v = b"permit_mynetworks, check_client_access hash:/etc/postfix/access,proxy:regexp:/etc/postfix/x.regexp regexp:{ {/a/ R}, {/b/ S} } unionmap:{cidr:/c, pcre:/d} inet:127.0.0.1:10023";
        let r = references(v);
        let shown: Vec<(&str, &str, bool)> = r
            .iter()
            .map(|t| (t.kind(v), t.name(v), t.proxied))
            .collect();
        assert_eq!(
            shown,
            [
                ("hash", "/etc/postfix/access", false),
                ("regexp", "/etc/postfix/x.regexp", true),
                ("regexp", "{ {/a/ R}, {/b/ S} }", false),
                ("unionmap", "{cidr:/c, pcre:/d}", false),
                ("cidr", "/c", false),
                ("pcre", "/d", false),
            ]
        );
        assert!(r[2].is_inline(v));
        assert_eq!(
            r[0].needed_files(v),
            ["/etc/postfix/access", "/etc/postfix/access.db"]
        );
    }
}
