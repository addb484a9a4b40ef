//! The committed command table is what `scripts/wgetrc-commands.sh` makes of the installed
//! wget: regenerate it when wget changes (the oracle tests would disagree first).

use std::process::Command;

#[test]
#[ignore = "needs wget (tests/setup.sh installs it)"]
fn the_command_table_is_generated_from_the_installed_wget() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("commands.tsv");
    let status = Command::new("bash")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scripts/wgetrc-commands.sh"
        ))
        .env("WGETRC_COMMANDS_OUT", &out)
        .status()
        .unwrap();
    assert!(
        status.success(),
        "scripts/wgetrc-commands.sh failed (needs wget: tests/setup.sh installs it)"
    );
    let generated = std::fs::read_to_string(&out).unwrap();
    let committed = include_str!("../src/formats/wgetrc/commands.tsv");
    assert_eq!(
        generated, committed,
        "src/formats/wgetrc/commands.tsv is stale: run scripts/wgetrc-commands.sh"
    );
}
