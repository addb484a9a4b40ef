//! The README's rule index is the catalogue's: `etclint rules --format markdown`.

mod common;

use common::etclint;

#[test]
fn the_rule_index_is_the_catalogue() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme
        .find("<!-- rules:")
        .and_then(|i| readme[i..].find('\n').map(|j| i + j + 1))
        .expect("README.md has the rule index markers");
    let end = readme[start..]
        .find("<!-- /rules -->")
        .map(|j| start + j)
        .expect("the rule index ends");
    let output = etclint()
        .args(["rules", "--format", "markdown"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let generated = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        &readme[start..end],
        generated,
        "README.md's rule index is stale: paste `etclint rules --format markdown` between the markers"
    );
    for rule in etclint::rules::RULES.iter() {
        assert!(generated.contains(rule.code), "{} is missing", rule.code);
    }
}
