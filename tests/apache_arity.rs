//! The committed argument counts (`src/formats/apache/arity.tsv`) are what
//! `scripts/apache-arity.sh` probes out of the installed Apache: regenerate them when Apache or
//! its modules change.

use std::process::Command;

mod common;

#[test]
#[ignore = "needs apache2 and libapache2-mod-php8.2 (tests/setup.sh installs them)"]
fn the_argument_counts_are_probed_from_the_installed_apache() {
    common::require_program("apache2");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("arity.tsv");
    let status = Command::new("bash")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scripts/apache-arity.sh"
        ))
        .env("APACHE_ARITY_OUT", &out)
        .status()
        .unwrap();
    assert!(
        status.success(),
        "scripts/apache-arity.sh failed (needs apache2: tests/setup.sh installs it)"
    );
    let generated = std::fs::read_to_string(&out).unwrap();
    let committed = include_str!("../src/formats/apache/arity.tsv");
    assert!(
        generated == committed,
        "arity.tsv is stale: run scripts/apache-arity.sh\n{}",
        similar::TextDiff::from_lines(committed, &generated)
            .unified_diff()
            .header("committed", "generated")
    );
}
