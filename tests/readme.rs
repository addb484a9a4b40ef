//! The README's rule index is the catalogue's (`etclint rules --format markdown`), and its
//! first lines name the formats this version parses.

mod common;

use common::etclint;
use etclint::formats::Format;

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

/// The text between `<!-- NAME…-->` and `<!-- /NAME -->`.
fn marked(readme: &str, name: &str) -> String {
    let start = readme
        .find(&format!("<!-- {name}"))
        .and_then(|i| readme[i..].find('\n').map(|j| i + j + 1))
        .unwrap_or_else(|| panic!("README.md has the `{name}` markers"));
    let end = readme[start..]
        .find(&format!("<!-- /{name} -->"))
        .map(|j| start + j)
        .unwrap_or_else(|| panic!("the `{name}` block ends"));
    readme[start..end].to_string()
}

#[test]
fn the_first_lines_name_the_formats_parsed() {
    let (now, later) = Format::supported_and_later();
    let mut expected = format!("This version checks {}.\n", Format::describe_all(&now));
    if !later.is_empty() {
        expected.push_str(&format!(
            "Not parsed yet, as their parsers come later: {}.\n",
            Format::describe_all(&later)
        ));
    }
    assert_eq!(
        marked(&readme(), "formats"),
        expected,
        "README.md's first lines do not name the formats this version parses"
    );
}

#[test]
fn the_rule_index_is_the_catalogue() {
    let index = marked(&readme(), "rules");
    let output = etclint()
        .args(["rules", "--format", "markdown"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let generated = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        index, generated,
        "README.md's rule index is stale: paste `etclint rules --format markdown` between the markers"
    );
    for rule in etclint::rules::RULES.iter() {
        assert!(generated.contains(rule.code), "{} is missing", rule.code);
    }
}

#[test]
fn the_demo_ends_as_the_readme_says() {
    let expected = marked(&readme(), "demo");
    let output = etclint()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "--format",
            "concise",
            "--root",
            "fixtures/demo",
            "fixtures/demo",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let last = stdout.lines().last().unwrap_or_default();
    assert_eq!(
        expected,
        format!("```\n{last}\n```\n"),
        "README.md's demo summary is stale"
    );
}

#[test]
fn every_demo_file_has_a_finding_or_says_why_not() {
    let demo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo");
    let output = etclint()
        .current_dir(&demo)
        .args(["--format", "json", "--isolated", "--root", ".", "."])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let found: std::collections::BTreeSet<String> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap().to_string())
        .collect();
    let not_checked: Vec<String> = report["files_not_checked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap().to_string())
        .collect();
    let listed = etclint()
        .current_dir(&demo)
        .args(["--show-files", "--isolated", "--root", ".", "."])
        .output()
        .unwrap();
    for line in String::from_utf8(listed.stdout).unwrap().lines() {
        let path = line.split('\t').next().unwrap();
        let text = String::from_utf8_lossy(&std::fs::read(demo.join(path)).unwrap()).into_owned();
        assert!(
            found.contains(path)
                || not_checked.contains(&path.to_string())
                || text.contains("No finding"),
            "fixtures/demo/{path} has no finding and no comment saying why it is there"
        );
    }
}
