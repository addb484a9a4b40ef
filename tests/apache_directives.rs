//! The committed directive catalogue is what `scripts/apache-directives.sh` makes of the
//! installed Apache: regenerate it when Apache or its modules change.

use std::process::Command;

#[test]
#[ignore = "needs apache2 and libapache2-mod-php8.2 (tests/setup.sh installs them)"]
fn the_catalogue_is_generated_from_the_installed_apache() {
    let dir = tempfile::tempdir().unwrap();
    let out = |name: &str| dir.path().join(name);
    let status = Command::new("bash")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scripts/apache-directives.sh"
        ))
        .env("APACHE_DIRECTIVES_OUT", out("directives.tsv"))
        .env("APACHE_MODULES_OUT", out("modules.txt"))
        .env("APACHE_LOADS_OUT", out("modules.conf"))
        .status()
        .unwrap();
    assert!(
        status.success(),
        "scripts/apache-directives.sh failed (needs apache2: tests/setup.sh installs it)"
    );
    let committed = [
        (
            "directives.tsv",
            include_str!("../src/formats/apache/directives.tsv"),
        ),
        (
            "modules.txt",
            include_str!("../src/formats/apache/modules.txt"),
        ),
        (
            "modules.conf",
            include_str!("../scripts/apache-modules.conf"),
        ),
    ];
    for (name, committed) in committed {
        let generated = std::fs::read_to_string(out(name)).unwrap();
        assert_eq!(
            generated, committed,
            "{name} is stale: run scripts/apache-directives.sh"
        );
    }
}
