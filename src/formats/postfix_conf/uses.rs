//! Which daemon searches the tables a parameter names, and how many of its processes may
//! run: the facts PFT010 (table-memory) multiplies a table's cost by. main.cf and master.cf
//! publish what each knows ([`MainFacts`], [`MasterFacts`]); [`table_uses`] joins a file's
//! facts with those of its sibling (from the run, else read through the workspace).

use std::ops::Range;
use std::path::{Path, PathBuf};

use super::master_cf::{MasterCf, Service};
use super::MainCf;
use crate::formats::postfix_table::TableUse;
use crate::source::SourceFile;
use crate::workspace::{Entry, Workspace};

/// Postfix's `default_process_limit`.
pub const DEFAULT_PROCESS_LIMIT: u32 = 100;

/// The daemon that holds the tables of a parameter (postconf(5), each parameter's page):
/// smtpd(8) its access restrictions and recipient validation, cleanup(8) rewriting and
/// content checks, trivial-rewrite(8) routing, local(8) aliases, the SMTP/LMTP clients
/// theirs. `None` when etclint does not know.
pub fn daemon_of(parameter: &str) -> Option<&'static str> {
    const CLEANUP: &[&str] = &[
        "canonical_maps",
        "sender_canonical_maps",
        "recipient_canonical_maps",
        "virtual_alias_maps",
        "header_checks",
        "body_checks",
        "mime_header_checks",
        "nested_header_checks",
        "milter_header_checks",
        "sender_bcc_maps",
        "recipient_bcc_maps",
    ];
    const REWRITE: &[&str] = &[
        "transport_maps",
        "relocated_maps",
        "sender_dependent_relayhost_maps",
        "sender_dependent_default_transport_maps",
        "virtual_alias_domains",
        "virtual_mailbox_domains",
        "relay_domains",
    ];
    const SMTPD: &[&str] = &[
        "relay_recipient_maps",
        "local_recipient_maps",
        "virtual_mailbox_maps",
        "mynetworks",
        "rbl_reply_maps",
    ];
    if CLEANUP.contains(&parameter) {
        return Some("cleanup");
    }
    if REWRITE.contains(&parameter) {
        return Some("trivial-rewrite");
    }
    if SMTPD.contains(&parameter) || parameter.starts_with("smtpd_") {
        return Some("smtpd");
    }
    if parameter == "alias_maps"
        || parameter.starts_with("local_")
        || parameter.starts_with("mailbox_")
    {
        return Some("local");
    }
    if parameter.starts_with("virtual_") {
        return Some("virtual");
    }
    ["smtp", "lmtp", "postscreen", "tlsproxy"]
        .into_iter()
        .find(|prefix| {
            parameter.starts_with(prefix) && parameter.as_bytes().get(prefix.len()) == Some(&b'_')
        })
}

/// A table a file names, before the process limits are known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedTable {
    /// The span of the reference in the file.
    pub reference: Range<usize>,
    pub parameter: String,
    pub proxied: bool,
    /// The master.cf service whose `-o` names it.
    pub service: Option<usize>,
}

/// What main.cf tells other files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MainFacts {
    pub default_process_limit: Option<u32>,
    pub tables: Vec<NamedTable>,
    /// Restriction classes: a table in one is searched by smtpd.
    pub classes: Vec<String>,
}

/// What master.cf tells other files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MasterFacts {
    pub services: Vec<Service>,
    pub tables: Vec<NamedTable>,
}

/// The sibling file beside `path` (`master.cf` beside main.cf), as the workspace names it.
pub fn sibling(path: &Path, name: &str) -> PathBuf {
    path.parent().unwrap_or(Path::new("")).join(name)
}

/// master.cf's services beside a main.cf: from the run, else read from disk; `None` if there
/// is none.
pub fn services_beside(workspace: &Workspace, main: &Path) -> Option<Vec<Service>> {
    let path = sibling(main, "master.cf");
    if let Some(facts) = workspace
        .file(&workspace.key(&path))
        .and_then(|e| e.facts.data::<MasterFacts>())
    {
        return Some(facts.services.clone());
    }
    let bytes = workspace.artifact(&path);
    let bytes = bytes.as_ref().as_ref().ok()?;
    let source = SourceFile::new(&path, bytes.clone());
    Some(MasterCf::new(&source).services())
}

/// main.cf's default_process_limit beside a master.cf.
fn default_limit_beside(workspace: &Workspace, master: &Path) -> Option<u32> {
    let path = sibling(master, "main.cf");
    if let Some(facts) = workspace
        .file(&workspace.key(&path))
        .and_then(|e| e.facts.data::<MainFacts>())
    {
        return facts.default_process_limit;
    }
    let bytes = workspace.artifact(&path);
    let bytes = bytes.as_ref().as_ref().ok()?;
    let source = SourceFile::new(&path, bytes.clone());
    let main = MainCf::new(&source);
    let limit = main.get("default_process_limit")?;
    main.value(limit).trim().parse().ok()
}

/// A service's process limit: maxproc, `-` the default; 0 (no limit) counted as the default.
fn limit_of(service: &Service, default: u32) -> u32 {
    match service.process_limit {
        Some(0) | None => default,
        Some(n) => n,
    }
}

/// The table uses a main.cf or master.cf entry of the run carries, process limits joined.
pub fn table_uses(workspace: &Workspace, entry: &Entry) -> Vec<TableUse> {
    if let Some(main) = entry.facts.data::<MainFacts>() {
        let default = main.default_process_limit.unwrap_or(DEFAULT_PROCESS_LIMIT);
        let services = services_beside(workspace, &entry.path);
        return main
            .tables
            .iter()
            .filter_map(|t| {
                let daemon = daemon_of(&t.parameter)
                    .or_else(|| main.classes.contains(&t.parameter).then_some("smtpd"))?;
                let limit = match &services {
                    // Every service running the daemon that does not set the parameter itself.
                    Some(services) => services
                        .iter()
                        .filter(|s| s.program == daemon)
                        .filter(|s| s.overrides.iter().all(|(n, _)| *n != t.parameter))
                        .map(|s| limit_of(s, default))
                        .sum(),
                    None => default,
                };
                (limit > 0).then(|| TableUse {
                    reference: t.reference.clone(),
                    parameter: t.parameter.clone(),
                    daemon: daemon.to_string(),
                    process_limit: limit,
                    proxied: t.proxied,
                })
            })
            .collect();
    }
    if let Some(master) = entry.facts.data::<MasterFacts>() {
        let default = default_limit_beside(workspace, &entry.path).unwrap_or(DEFAULT_PROCESS_LIMIT);
        return master
            .tables
            .iter()
            .filter_map(|t| {
                let service = master.services.get(t.service?)?;
                Some(TableUse {
                    reference: t.reference.clone(),
                    parameter: t.parameter.clone(),
                    daemon: format!("{} (master.cf service {})", service.program, service.name),
                    process_limit: limit_of(service, default),
                    proxied: t.proxied,
                })
            })
            .collect();
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn daemons() {
        assert_eq!(daemon_of("transport_maps"), Some("trivial-rewrite"));
        assert_eq!(daemon_of("smtpd_recipient_restrictions"), Some("smtpd"));
        assert_eq!(daemon_of("header_checks"), Some("cleanup"));
        assert_eq!(daemon_of("smtp_tls_policy_maps"), Some("smtp"));
        assert_eq!(daemon_of("myhostname"), None);
    }
}
