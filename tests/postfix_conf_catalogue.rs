//! The committed parameter catalogue is what `scripts/postfix-parameters.sh` makes of the
//! installed Postfix (`postconf -d` and postconf's own verdicts): regenerate it when Postfix
//! changes.

use std::process::Command;

#[test]
#[ignore = "needs postconf from postfix (tests/setup.sh installs it)"]
fn the_parameter_catalogue_is_generated_from_the_installed_postfix() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("parameters.tsv");
    let status = Command::new("bash")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scripts/postfix-parameters.sh"
        ))
        .env("POSTFIX_PARAMETERS_OUT", &out)
        .status()
        .unwrap();
    assert!(
        status.success(),
        "scripts/postfix-parameters.sh failed (needs postconf: tests/setup.sh installs postfix)"
    );
    let generated = std::fs::read_to_string(&out).unwrap();
    let committed = include_str!("../src/formats/postfix_conf/parameters.tsv");
    assert_eq!(
        generated, committed,
        "src/formats/postfix_conf/parameters.tsv is stale: run scripts/postfix-parameters.sh"
    );
}
