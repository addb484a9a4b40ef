//! The committed command table is what `scripts/grub-commands.sh` makes of the installed grub
//! shell: regenerate it when grub-legacy changes (the oracle test would disagree first).

use std::process::Command;

#[test]
#[ignore = "needs grub-legacy and e2fsprogs (tests/setup.sh installs them)"]
fn the_command_table_is_generated_from_the_installed_grub() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("commands.tsv");
    let status = Command::new("bash")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scripts/grub-commands.sh"
        ))
        .env("GRUB_COMMANDS_OUT", &out)
        .status()
        .unwrap();
    assert!(
        status.success(),
        "scripts/grub-commands.sh failed (needs grub-legacy: tests/setup.sh installs it)"
    );
    let generated = std::fs::read_to_string(&out).unwrap();
    let committed = include_str!("../src/formats/grub/commands.tsv");
    assert_eq!(
        generated, committed,
        "src/formats/grub/commands.tsv is stale: run scripts/grub-commands.sh"
    );
}
