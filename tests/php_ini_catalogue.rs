//! The committed tables of the php-ini format are what `scripts/php-ini-catalogue.sh` makes of
//! the installed PHP; the production rules' built-in defaults are PHP's; Debian's
//! php.ini-production and -development lint clean of errors.

use std::process::Command;

use etclint::diagnostic::Severity;
use etclint::discover::Target;
use etclint::engine::{self, Options};
use etclint::formats::Format;
use etclint::rules::php_ini::production;
use etclint::rules::Selection;

mod common;

#[test]
#[ignore = "needs php-cli (tests/setup.sh installs it)"]
fn the_tables_are_generated_from_the_installed_php() {
    common::require_program("php");
    let dir = tempfile::tempdir().unwrap();
    let status = Command::new("bash")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scripts/php-ini-catalogue.sh"
        ))
        .env("PHP_INI_CATALOGUE_OUT", dir.path())
        .status()
        .unwrap();
    assert!(
        status.success(),
        "scripts/php-ini-catalogue.sh failed (needs php-cli)"
    );
    for (name, committed) in [
        (
            "directives.txt",
            include_str!("../src/formats/php_ini/directives.txt"),
        ),
        (
            "constants.tsv",
            include_str!("../src/formats/php_ini/constants.tsv"),
        ),
    ] {
        let generated = std::fs::read_to_string(dir.path().join(name)).unwrap();
        assert_eq!(
            generated, committed,
            "src/formats/php_ini/{name} is stale: run scripts/php-ini-catalogue.sh"
        );
    }
}

#[test]
#[ignore = "needs php-cli (tests/setup.sh installs it)"]
fn the_built_in_defaults_are_php_s() {
    common::require_program("php");
    for spec in production::ALL {
        let output = Command::new("php")
            .args(["-n", "-r"])
            .arg(format!("echo ini_get('{}');", spec.key))
            .output()
            .unwrap();
        let value = String::from_utf8_lossy(&output.stdout);
        let on = etclint::formats::php_ini::settings::parse_bool(&value);
        assert_eq!(on, spec.default_on, "{}: php -n says {value:?}", spec.key);
    }
}

#[test]
#[ignore = "needs the corpus (tests/setup.sh fetches it)"]
fn debian_s_templates_lint_clean_of_errors() {
    let root = common::require_corpus();
    for name in ["php.ini-production", "php.ini-development"] {
        let path = root.join("php8.2-common/usr/lib/php/8.2").join(name);
        assert!(
            path.is_file(),
            "{} is missing from the corpus",
            path.display()
        );
        let selection = Selection::new(Some(&["INI".into()]), &[], &[]).unwrap();
        let report = engine::run(
            &[Target::new(path.clone(), Some(Format::PhpIni))],
            &Options::new(selection),
        )
        .remove(0);
        let errors: Vec<String> = report
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| format!("{} {}", d.code, d.message))
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:?}");
        assert!(report.error.is_none());
    }
}
