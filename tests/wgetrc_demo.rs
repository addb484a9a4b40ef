//! The README's demo command shows every wgetrc rule on the demo tree's wgetrc files, and
//! `etclint dump` prints the shape issue 15 gives.

use assert_cmd::Command;

#[test]
fn the_demo_tree_shows_every_wgetrc_rule() {
    let output = Command::cargo_bin("etclint")
        .unwrap()
        .args([
            "--format",
            "concise",
            "--root",
            "fixtures/demo",
            "fixtures/demo",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    for rule in etclint::rules::RULES
        .iter()
        .filter(|r| r.code.starts_with("WGT"))
    {
        assert!(
            stdout.contains(&format!(" {} [", rule.code)),
            "the demo shows no {}:\n{stdout}",
            rule.code
        );
    }
}

#[test]
fn dump_lists_the_commands_by_canonical_name() {
    let output = Command::cargo_bin("etclint")
        .unwrap()
        .args(["dump", "fixtures/demo/var/www/.wgetrc"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let dump: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(dump["format"], "wgetrc");
    assert_eq!(
        dump["commands"][0],
        serde_json::json!({"name": "http_proxy", "canonical": "httpproxy", "value": "http://127.0.0.1:9/", "line": 3})
    );
    assert_eq!(dump["commands"][3]["value"], "2 # give up quickly");
}
