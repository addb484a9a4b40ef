//! The commands the installed wget knows, generated from it by `scripts/wgetrc-commands.sh`
//! into `commands.tsv`: each name (as wget stores it: no `_` or `-`, lower case), the type of
//! its value, and for one-of-a-list commands the words this build accepts.

use std::sync::LazyLock;

/// How wget reads a command's value (`cmd_*` in wget's `src/init.c`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Boolean,
    /// `strtol` with no end check; 0 to INT_MAX.
    Number,
    /// A number, or `inf` (any case) for 0.
    NumberInf,
    /// Seconds, or with a suffix s/m/h/d/w.
    Time,
    /// Bytes, or with a suffix k/m/g/t, or `inf`.
    Bytes,
    /// Bytes, and at most 2^63 in all.
    BytesSum,
    /// A comma-separated list appended to the earlier ones; empty clears it.
    Vector,
    DirectoryVector,
    String,
    File,
    /// A file that may be named only once (`crlf_file`).
    FileOnce,
    Directory,
    /// A boolean or `quiet`.
    CheckCertificate,
    /// One of the words of `CommandSpec::words`, any case.
    Choice,
    /// `dot` or `bar`, or a prefix of either, optionally followed by `:` and parameters.
    Progress,
    /// Comma-separated `unix|vms|windows`, `lowercase|uppercase`, `nocontrol`, `ascii`.
    RestrictFileNames,
    /// `Name: value`, appended; empty clears the list.
    Header,
    WarcHeader,
    /// A program; empty means `$WGET_ASKPASS` or `$SSH_ASKPASS`.
    Askpass,
}

impl Kind {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "boolean" => Self::Boolean,
            "number" => Self::Number,
            "number_inf" => Self::NumberInf,
            "time" => Self::Time,
            "bytes" => Self::Bytes,
            "bytes_sum" => Self::BytesSum,
            "vector" => Self::Vector,
            "directory_vector" => Self::DirectoryVector,
            "string" => Self::String,
            "file" => Self::File,
            "file_once" => Self::FileOnce,
            "directory" => Self::Directory,
            "check_certificate" => Self::CheckCertificate,
            "choice" => Self::Choice,
            "progress" => Self::Progress,
            "restrict_file_names" => Self::RestrictFileNames,
            "header" => Self::Header,
            "warc_header" => Self::WarcHeader,
            "askpass" => Self::Askpass,
            _ => return None,
        })
    }

    /// Each line adds to what earlier lines gave instead of replacing it.
    pub fn accumulates(self) -> bool {
        matches!(
            self,
            Self::Vector | Self::DirectoryVector | Self::Header | Self::WarcHeader
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Boolean => "boolean",
            Self::Number => "number",
            Self::NumberInf => "number_inf",
            Self::Time => "time",
            Self::Bytes => "bytes",
            Self::BytesSum => "bytes_sum",
            Self::Vector => "vector",
            Self::DirectoryVector => "directory_vector",
            Self::String => "string",
            Self::File => "file",
            Self::FileOnce => "file_once",
            Self::Directory => "directory",
            Self::CheckCertificate => "check_certificate",
            Self::Choice => "choice",
            Self::Progress => "progress",
            Self::RestrictFileNames => "restrict_file_names",
            Self::Header => "header",
            Self::WarcHeader => "warc_header",
            Self::Askpass => "askpass",
        }
    }
}

#[derive(Debug, PartialEq)]
pub struct CommandSpec {
    /// wget's name: lower case, no `_` or `-`.
    pub name: &'static str,
    pub kind: Kind,
    /// For [`Kind::Choice`]: the words this build accepts.
    pub words: Vec<&'static str>,
}

static TABLE: &str = include_str!("commands.tsv");

static COMMANDS: LazyLock<Vec<CommandSpec>> = LazyLock::new(|| {
    let mut commands: Vec<CommandSpec> = TABLE
        .lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .map(|line| {
            let mut fields = line.split('\t');
            let name = fields.next().unwrap_or_default();
            let kind = fields.next().and_then(Kind::parse);
            let kind = kind.unwrap_or_else(|| panic!("commands.tsv: bad type on `{line}`"));
            let words = fields
                .next()
                .filter(|w| !w.is_empty())
                .map(|w| w.split(',').collect())
                .unwrap_or_default();
            CommandSpec { name, kind, words }
        })
        .collect();
    commands.sort_by_key(|c| c.name);
    commands
});

/// Every command, sorted by name.
pub fn all() -> &'static [CommandSpec] {
    &COMMANDS
}

/// The command a name written in a wgetrc means: `-` and `_` dropped, case ignored.
pub fn lookup(written: &[u8]) -> Option<&'static CommandSpec> {
    let key: Vec<u8> = canonical(written);
    let commands = all();
    commands
        .binary_search_by(|c| c.name.as_bytes().cmp(&key))
        .ok()
        .map(|i| &commands[i])
}

/// wget's `dehyphen` and its case-insensitive comparison.
pub fn canonical(written: &[u8]) -> Vec<u8> {
    written
        .iter()
        .filter(|&&b| b != b'-' && b != b'_')
        .map(u8::to_ascii_lowercase)
        .collect()
}

/// The settings a command changes, for telling whether a later line replaces an earlier one:
/// aliases share theirs (wget's `init.c` gives them the same `opt` field), `timeout` sets the
/// three timeouts.
pub fn settings(name: &'static str) -> Vec<&'static str> {
    let shared: &[&'static str] = match name {
        "alwaysrest" | "continue" => &["continue"],
        "htmlextension" | "adjustextension" => &["adjustextension"],
        "ftppasswd" | "ftppassword" | "passwd" => &["ftppassword"],
        "login" | "ftpuser" => &["ftpuser"],
        "numtries" | "tries" => &["tries"],
        "httppasswd" | "httppassword" => &["httppassword"],
        "proxypasswd" | "proxypassword" => &["proxypassword"],
        "timeout" => &["readtimeout", "connecttimeout", "dnstimeout"],
        _ => return vec![name],
    };
    shared.to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_ignore_case_dashes_and_underscores() {
        assert_eq!(lookup(b"u-s-e_p_r-o-x-y").unwrap().name, "useproxy");
        assert_eq!(lookup(b"HTTP_PROXY").unwrap().name, "httpproxy");
        assert!(lookup(b"progres").is_none());
        assert!(lookup(b"").is_none());
    }

    #[test]
    fn debian_build_has_no_metalink_or_cares_commands() {
        for name in [
            "metalinkoverhttp",
            "inputmetalink",
            "dnsservers",
            "binddnsaddress",
        ] {
            assert!(lookup(name.as_bytes()).is_none(), "{name}");
        }
        assert_eq!(lookup(b"regex_type").unwrap().words, ["posix", "pcre"]);
    }
}
