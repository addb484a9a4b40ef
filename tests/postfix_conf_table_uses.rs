//! A main.cf (or a master.cf `-o`) that names regexp:/pcre: tables brings them into the run,
//! and PFT010 (table-memory) costs each by the processes of the daemon that searches it:
//! master.cf's maxproc of the services running that daemon, `-` being main.cf's
//! default_process_limit.

mod common;
use common::{etclint, tree};

/// The incident's shape: many one-address rules, enough to pass PFT010's limit.
fn big_table() -> String {
    (0..1400)
        .map(|i| format!("/^list{i:04}-subscribe@lists\\.example\\.com$/ mailman:\n"))
        .collect()
}

/// PFT010's notes for the files of a tree, linting only the main.cf named.
fn pft010_notes(files: &[(&str, &str)], lint: &str) -> Vec<String> {
    let dir = tree(files);
    let out = etclint()
        .args(["--select", "PFT010", "--format", "json", "--root"])
        .arg(dir.path())
        .arg(dir.path().join(lint))
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["notes"].as_array().unwrap().clone())
        .map(|n| n.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn main_cf_names_its_table_and_master_cf_gives_the_process_limit() {
    let table = big_table();
    let notes = pft010_notes(
        &[
            ("etc/postfix/main.cf", "compatibility_level = 3.6\ntransport_maps = regexp:/etc/postfix/transport.regexp\n"),
            ("etc/postfix/master.cf", "smtp inet n - y - - smtpd\nrewrite unix - - y - 30 trivial-rewrite\n"),
            ("etc/postfix/transport.regexp", &table),
        ],
        "etc/postfix/main.cf",
    );
    assert!(
        notes.iter().any(|n| n.starts_with(
            "30 processes: transport_maps searched by trivial-rewrite (30 processes)"
        )),
        "{notes:#?}"
    );
}

#[test]
fn a_dash_is_default_process_limit_and_every_service_of_the_daemon_counts() {
    let table = big_table();
    let notes = pft010_notes(
        &[
            (
                "etc/postfix/main.cf",
                "compatibility_level = 3.6\ndefault_process_limit = 150\nsmtpd_recipient_restrictions = check_recipient_access regexp:/etc/postfix/rcpt.regexp, reject_unauth_destination\n",
            ),
            (
                "etc/postfix/master.cf",
                "smtp inet n - y - - smtpd\nsubmission inet n - y - 20 smtpd\n  -o smtpd_tls_security_level=encrypt\nlocalhost:10025 inet n - y - 5 smtpd\n  -o smtpd_recipient_restrictions=permit_mynetworks,reject\n",
            ),
            ("etc/postfix/rcpt.regexp", &table),
        ],
        "etc/postfix/main.cf",
    );
    // smtp (`-` = 150) and submission (20); the third service sets the parameter itself.
    assert!(
        notes.iter().any(|n| n.starts_with(
            "170 processes: smtpd_recipient_restrictions searched by smtpd (170 processes)"
        )),
        "{notes:#?}"
    );
}

#[test]
fn a_master_cf_override_names_a_table_for_its_service() {
    let table = big_table();
    let notes = pft010_notes(
        &[
            ("etc/postfix/main.cf", "compatibility_level = 3.6\n"),
            (
                "etc/postfix/master.cf",
                "smtp inet n - y - 40 smtpd\n  -o smtpd_sender_restrictions=check_sender_access,pcre:/etc/postfix/senders.pcre\n",
            ),
            ("etc/postfix/senders.pcre", &table.replace("mailman:", "REJECT")),
        ],
        "etc/postfix/master.cf",
    );
    assert!(
        notes.iter().any(|n| n.starts_with(
            "40 processes: smtpd_sender_restrictions searched by smtpd (master.cf service smtp)"
        )),
        "{notes:#?}"
    );
}

#[test]
fn proxied_tables_cost_one_copy() {
    let table = big_table();
    let dir = tree(&[
        ("etc/postfix/main.cf", "compatibility_level = 3.6\ntransport_maps = proxy:regexp:/etc/postfix/transport.regexp\n"),
        ("etc/postfix/transport.regexp", &table),
    ]);
    let out = etclint()
        .args(["--select", "PFT010", "--format", "json", "--root"])
        .arg(dir.path())
        .arg(dir.path().join("etc/postfix/main.cf"))
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["files_checked"], 2, "{json}");
    assert!(json["diagnostics"].as_array().unwrap().is_empty(), "{json}");
}
