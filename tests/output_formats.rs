//! The CI formats as the services that read them need them: SARIF (GitHub code scanning,
//! checked by Microsoft's SARIF validator when it is installed), GitHub annotations, GitLab
//! Code Quality and JUnit XML. Each runs the real binary on a small tree; snapshots of each
//! format on the same tree are in `tests/snapshots/`.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use common::{etclint, tree};
use serde_json::Value;
use tempfile::TempDir;

/// PHP004 twice on one line (identical findings), PHP005 over three lines with a label, and a
/// fix; the second file's name needs escaping everywhere and has a non-ASCII character before a
/// finding (columns count characters).
const LEGACY: &str = "<?php\n$id = $HTTP_GET_VARS['id'];\nextract(\n    $_POST\n);\n$all = $HTTP_GET_VARS + $HTTP_GET_VARS;\n";
const ODD_NAME: &str = "we,ird:50%.php";
const ODD: &str = "<?php\n$é = $HTTP_POST_VARS['q'];\n";

fn sample() -> TempDir {
    tree(&[
        ("lib/legacy.php", LEGACY),
        (ODD_NAME, ODD),
        ("ok.php", "<?php\necho 1;\n"),
    ])
}

/// Runs etclint in `dir` and returns its exit code and standard output.
fn run(dir: &Path, args: &[&str]) -> (i32, String) {
    let output = etclint().current_dir(dir).args(args).output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    (output.status.code().unwrap(), stdout)
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

/// The report with the temporary directory's path replaced, for snapshots.
fn redact(text: &str, dir: &Path) -> String {
    let mut text = text.to_string();
    let canonical = dir.canonicalize().unwrap();
    for path in [canonical.as_path(), dir] {
        let path = path.display().to_string();
        text = text.replace(&path[1..], "[TMP]");
    }
    text
}

fn results(sarif: &Value) -> &Vec<Value> {
    sarif["runs"][0]["results"].as_array().unwrap()
}

fn results_of<'a>(sarif: &'a Value, rule: &str) -> Vec<&'a Value> {
    results(sarif)
        .iter()
        .filter(|r| r["ruleId"] == rule)
        .collect()
}

fn region(line: u64, column: u64, end_line: u64, end_column: u64) -> Value {
    serde_json::json!({
        "startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column,
    })
}

#[test]
fn sarif_driver_lists_the_whole_catalogue() {
    let dir = sample();
    let (code, out) = run(dir.path(), &["--format", "sarif"]);
    assert_eq!(code, 1);
    let sarif = json(&out);
    assert_eq!(
        sarif["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    assert_eq!(sarif["version"], "2.1.0");
    let driver = &sarif["runs"][0]["tool"]["driver"];
    assert_eq!(driver["name"], "etclint");
    assert_eq!(driver["semanticVersion"], env!("CARGO_PKG_VERSION"));
    assert_eq!(driver["informationUri"], env!("CARGO_PKG_REPOSITORY"));
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), etclint::rules::RULES.len());
    for (rule, descriptor) in etclint::rules::RULES.iter().zip(rules) {
        assert_eq!(descriptor["id"], rule.code);
        assert_eq!(descriptor["name"], rule.name);
        let meta = rule.meta();
        assert_eq!(
            descriptor["shortDescription"]["text"],
            meta.summary.as_str()
        );
        assert_eq!(descriptor["help"]["markdown"], meta.body);
        assert_eq!(descriptor["help"]["text"], meta.body);
        let full = descriptor["fullDescription"]["text"].as_str().unwrap();
        assert!(full.chars().count() <= 1024, "{}", rule.code);
        assert_eq!(
            descriptor["helpUri"],
            format!(
                "{}/blob/main/lints/{}/{}.md",
                env!("CARGO_PKG_REPOSITORY"),
                rule.group(),
                rule.name
            )
        );
        let level = match meta.front.severity.as_str() {
            "info" => "note",
            other => other,
        };
        assert_eq!(descriptor["defaultConfiguration"]["level"], level);
        assert_eq!(descriptor["properties"]["precision"], "high");
        assert_eq!(
            descriptor["properties"]["tags"],
            serde_json::json!(meta.front.tags)
        );
        let score = &descriptor["properties"]["security-severity"];
        match meta.front.security_severity {
            Some(s) => assert_eq!(score, &Value::from(format!("{s:.1}"))),
            None => assert!(score.is_null(), "{}", rule.code),
        }
    }
    let php005 = rules
        .iter()
        .find(|r| r["id"] == "PHP005")
        .expect("PHP005 is listed");
    assert_eq!(php005["properties"]["security-severity"], "7.5");
}

#[test]
fn sarif_results_locations_labels_fixes_and_fingerprints() {
    let dir = sample();
    let (_, out) = run(dir.path(), &["--format", "sarif"]);
    let sarif = json(&out);
    let run0 = &sarif["runs"][0];
    assert_eq!(run0["columnKind"], "unicodeCodePoints");
    let root = run0["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        root.starts_with("file:///") && root.ends_with('/'),
        "{root}"
    );
    assert_eq!(run0["invocations"][0]["executionSuccessful"], true);
    assert_eq!(results(&sarif).len(), 5);

    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    for result in results(&sarif) {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
    }

    let long_arrays = results_of(&sarif, "PHP004");
    let first = long_arrays[0];
    assert_eq!(first["level"], "error");
    let location = &first["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"],
        serde_json::json!({"uri": "lib/legacy.php", "uriBaseId": "%SRCROOT%"})
    );
    assert_eq!(location["region"], region(2, 7, 2, 21));
    let fix = &first["fixes"][0];
    assert_eq!(fix["description"]["text"], "use $_GET");
    let change = &fix["artifactChanges"][0];
    assert_eq!(change["artifactLocation"]["uri"], "lib/legacy.php");
    let replacement = &change["replacements"][0];
    assert_eq!(replacement["deletedRegion"], region(2, 7, 2, 21));
    assert_eq!(replacement["insertedContent"]["text"], "$_GET");

    // Two identical findings on one line: one line hash, two occurrences.
    let hash = |r: &Value| {
        r["partialFingerprints"]["primaryLocationLineHash"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (a, b) = (hash(long_arrays[1]), hash(long_arrays[2]));
    assert_eq!(a.split_once(':').unwrap().0, b.split_once(':').unwrap().0);
    assert!(a.ends_with(":1") && b.ends_with(":2"), "{a} {b}");
    assert_eq!(a.split_once(':').unwrap().0.len(), 16);

    // The multi-line call, its label, no fix.
    let extract = results_of(&sarif, "PHP005")[0];
    assert_eq!(extract["level"], "warning");
    assert_eq!(
        extract["locations"][0]["physicalLocation"]["region"],
        region(3, 1, 5, 2)
    );
    let related = &extract["relatedLocations"][0];
    assert_eq!(related["id"], 1);
    assert_eq!(related["message"]["text"], "the client controls these keys");
    assert_eq!(related["physicalLocation"]["region"], region(4, 5, 4, 11));
    assert!(extract.get("fixes").is_none());

    // The odd name is percent-encoded; `é` is one column.
    let odd = results(&sarif)
        .iter()
        .find(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] != "lib/legacy.php"
        })
        .unwrap();
    let location = &odd["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "we,ird%3A50%25.php");
    assert_eq!(location["region"], region(2, 6, 2, 21));
}

#[test]
fn sarif_fingerprints_survive_lines_added_above() {
    // A blank line between the tag and the code, so that the line added above is no finding's
    // neighbour (the hash covers the neighbours' text).
    let spaced = LEGACY.replacen("<?php\n", "<?php\n\n", 1);
    let dir = tree(&[("a.php", &spaced)]);
    let fingerprints = |dir: &Path| -> Vec<Value> {
        let (_, out) = run(dir, &["--format", "sarif"]);
        results(&json(&out))
            .iter()
            .map(|r| r["partialFingerprints"].clone())
            .collect()
    };
    let before = fingerprints(dir.path());
    assert_eq!(before, fingerprints(dir.path()), "not stable across runs");
    let moved = spaced.replacen("<?php\n", "<?php\n// a new comment\n", 1);
    fs::write(dir.path().join("a.php"), moved).unwrap();
    assert_eq!(before, fingerprints(dir.path()));
}

#[test]
fn sarif_reports_unchecked_files_as_tool_notifications() {
    let dir = tree(&[("a.php", LEGACY), ("big.php", &" ".repeat(3000))]);
    // Found in a walk, a file over the limit is a note; the run still succeeds.
    let (code, out) = run(
        dir.path(),
        &["--format", "sarif", "--max-file-size", "2000"],
    );
    assert_eq!(code, 1);
    let sarif = json(&out);
    let invocation = &sarif["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], true);
    let notification = &invocation["toolExecutionNotifications"][0];
    assert_eq!(notification["level"], "note");
    assert_eq!(notification["properties"]["notChecked"], "too-large");
    assert_eq!(
        notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "big.php"
    );
    assert!(notification["message"]["text"]
        .as_str()
        .unwrap()
        .contains("size limit"));
    assert_eq!(results(&sarif).len(), 4, "the other file is still reported");
    // Named on the command line, it is an error and the run did not succeed.
    let (code, out) = run(
        dir.path(),
        &[
            "--format",
            "sarif",
            "--max-file-size",
            "2000",
            "big.php",
            "missing.php",
        ],
    );
    assert_eq!(code, 2);
    let sarif = json(&out);
    let invocation = &sarif["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notifications = invocation["toolExecutionNotifications"].as_array().unwrap();
    let reasons: Vec<(&str, &str)> = notifications
        .iter()
        .map(|n| {
            (
                n["level"].as_str().unwrap(),
                n["properties"]["notChecked"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(reasons, [("error", "missing"), ("error", "too-large")]);
}

#[test]
fn github_annotations_are_grouped_and_escaped() {
    let dir = sample();
    let (code, out) = run(dir.path(), &["--format", "github"]);
    assert_eq!(code, 1);
    let php004 = "title=PHP004 removed-long-superglobal::$HTTP_GET_VARS was removed in PHP 5.4: on PHP 8.2 it is an undefined variable, not the request's data";
    let expected = [
        "::group::lib/legacy.php".to_string(),
        format!("::error file=lib/legacy.php,line=2,endLine=2,col=7,endColumn=21,{php004}"),
        // Several lines: no columns. The note is a second line of the message.
        "::warning file=lib/legacy.php,line=3,endLine=5,title=PHP005 extract-request-variables::extract($_POST) turns every request parameter into a variable: a client can set any variable this scope reads, as register_globals did%0Anote: read the parameters you expect by name, e.g. `$id = $_POST['id'] ?? null;`".to_string(),
        format!("::error file=lib/legacy.php,line=6,endLine=6,col=8,endColumn=22,{php004}"),
        format!("::error file=lib/legacy.php,line=6,endLine=6,col=25,endColumn=39,{php004}"),
        "::endgroup::".to_string(),
        // `%` in a message; `,`, `:` and `%` in a property value.
        "::group::we,ird:50%25.php".to_string(),
        "::error file=we%2Cird%3A50%25.php,line=2,endLine=2,col=6,endColumn=21,title=PHP004 removed-long-superglobal::$HTTP_POST_VARS was removed in PHP 5.4: on PHP 8.2 it is an undefined variable, not the request's data".to_string(),
        "::endgroup::".to_string(),
    ];
    assert_eq!(out.lines().collect::<Vec<_>>(), expected);
}

#[test]
fn github_is_the_default_on_github_actions() {
    let dir = tree(&[("a.php", ODD)]);
    let output = etclint()
        .current_dir(dir.path())
        .env("GITHUB_ACTIONS", "true")
        .output()
        .unwrap();
    let out = String::from_utf8(output.stdout).unwrap();
    assert!(
        out.starts_with("::group::a.php\n::error file=a.php,line=2"),
        "{out}"
    );
}

#[test]
fn github_summarises_past_ten_annotations_of_a_type() {
    let lines = |n: usize| -> String {
        let uses = "$x = $HTTP_GET_VARS;\n".repeat(n);
        format!("<?php\n{uses}")
    };
    let dir = tree(&[("ten.php", &lines(10))]);
    let (_, out) = run(dir.path(), &["--format", "github"]);
    assert_eq!(out.matches("::error ").count(), 10);
    assert!(!out.contains("::notice::"), "{out}");

    // 11 errors and 1 warning: every one printed, then the summary, last.
    let eleven = lines(11) + "extract($_GET);\n";
    fs::write(dir.path().join("ten.php"), eleven).unwrap();
    let (_, out) = run(dir.path(), &["--format", "github"]);
    assert_eq!(out.matches("::error ").count(), 11);
    assert_eq!(out.matches("::warning ").count(), 1);
    let last = out.lines().last().unwrap();
    assert!(last.starts_with("::notice::etclint found 12 findings (11 errors, 1 warnings, 0 notices); GitHub shows only 10 annotations of each type per step."), "{last}");
    assert!(
        last.contains("--format sarif") && last.contains("upload-sarif"),
        "{last}"
    );
}

#[test]
fn gitlab_code_quality_report() {
    // The same file twice and identical findings on one line: fingerprints still unique.
    let dir = tree(&[("a.php", LEGACY), ("copy/a.php", LEGACY), (ODD_NAME, ODD)]);
    let (code, out) = run(dir.path(), &["--format", "gitlab"]);
    assert_eq!(code, 1);
    let report = json(&out);
    let issues = report.as_array().unwrap();
    assert_eq!(issues.len(), 9);
    let first = &issues[0];
    assert_eq!(first["check_name"], "PHP004");
    assert_eq!(first["severity"], "major");
    assert_eq!(
        first["description"],
        "PHP004 removed-long-superglobal: $HTTP_GET_VARS was removed in PHP 5.4: on PHP 8.2 it is an undefined variable, not the request's data"
    );
    assert_eq!(
        first["location"],
        serde_json::json!({"path": "a.php", "lines": {"begin": 2}})
    );
    let extract = issues.iter().find(|i| i["check_name"] == "PHP005").unwrap();
    assert_eq!(extract["severity"], "minor");
    assert!(issues.iter().any(|i| i["location"]["path"] == "copy/a.php"));
    assert!(issues.iter().any(|i| i["location"]["path"] == ODD_NAME));

    let fingerprints = |out: &str| -> Vec<String> {
        json(out)
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["fingerprint"].as_str().unwrap().to_string())
            .collect()
    };
    let mut unique = fingerprints(&out);
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), issues.len(), "fingerprints repeat:\n{out}");

    let (_, again) = run(dir.path(), &["--format", "gitlab"]);
    assert_eq!(fingerprints(&out), fingerprints(&again));
    // Two lines more above everything; the whitespace before `<?php` is PHP002's, left out here.
    fs::write(dir.path().join("a.php"), format!("\n\n{LEGACY}")).unwrap();
    let (_, moved) = run(dir.path(), &["--format", "gitlab", "--ignore", "PHP002"]);
    assert_eq!(json(&moved)[0]["location"]["lines"]["begin"], 4);
    assert_eq!(fingerprints(&out), fingerprints(&moved));
}

#[test]
fn junit_is_well_formed_xml_even_for_hostile_names() {
    let hostile = "a&<b>\"'\u{1}.php";
    let dir = tree(&[
        ("lib/legacy.php", LEGACY),
        (hostile, ODD),
        ("ok.php", "<?php\n"),
        ("m.php", "\0\u{1}binary"),
    ]);
    let (code, out) = run(dir.path(), &["--format", "junit"]);
    assert_eq!(code, 1);
    assert!(out.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
    let document = roxmltree::Document::parse(&out)
        .unwrap_or_else(|e| panic!("not well-formed XML ({e}):\n{out}"));
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let attr = |node: roxmltree::Node, name: &str| node.attribute(name).unwrap().to_string();
    assert_eq!(attr(root, "tests"), "7");
    assert_eq!(attr(root, "failures"), "5");
    assert_eq!(attr(root, "errors"), "0");
    assert_eq!(attr(root, "skipped"), "1");

    let suites: Vec<_> = root.children().filter(|n| n.is_element()).collect();
    let names: Vec<String> = suites.iter().map(|s| attr(*s, "name")).collect();
    // XML 1.0 cannot carry U+0001 at all: it is shown as an escape.
    let shown = "a&<b>\"'\\u{0001}.php";
    assert_eq!(names, [shown, "lib/legacy.php", "m.php", "ok.php"]);

    let case = suites[0].first_element_child().unwrap();
    assert_eq!(attr(case, "classname"), "etclint.PHP004");
    assert_eq!(
        attr(case, "name"),
        format!("{shown}:2:6 removed-long-superglobal")
    );
    let failure = case.first_element_child().unwrap();
    assert_eq!(failure.tag_name().name(), "failure");
    assert_eq!(attr(failure, "type"), "PHP004");
    assert_eq!(
        attr(failure, "message"),
        "$HTTP_POST_VARS was removed in PHP 5.4: on PHP 8.2 it is an undefined variable, not the request's data"
    );
    let body = failure.text().unwrap();
    assert!(
        body.starts_with(&format!("{shown}:2:6: PHP004 [removed-long-superglobal]")),
        "{body}"
    );
    assert!(body.ends_with("\nfix (safe): use $_POST"), "{body}");

    let extract = suites[1]
        .children()
        .find(|c| c.attribute("classname") == Some("etclint.PHP005"))
        .unwrap();
    let body = extract.first_element_child().unwrap().text().unwrap();
    assert!(
        body.contains("\n  lib/legacy.php:4:5: the client controls these keys\nnote: "),
        "{body}"
    );

    let skipped = suites[2].first_element_child().unwrap();
    assert_eq!(
        skipped.first_element_child().unwrap().tag_name().name(),
        "skipped"
    );
    let passed = suites[3].first_element_child().unwrap();
    assert_eq!(attr(passed, "name"), "ok.php");
    assert!(passed.first_element_child().is_none());
}

#[test]
fn the_xml_check_rejects_what_xml_forbids() {
    // The parser the JUnit test relies on is strict: a raw control character is an error.
    assert!(roxmltree::Document::parse("<a>\u{1}</a>").is_err());
    assert!(roxmltree::Document::parse("<a>&#1;</a>").is_err());
    assert!(roxmltree::Document::parse("<a b=\"<\"/>").is_err());
}

#[test]
fn snapshots_of_each_format() {
    let dir = sample();
    let mut settings = insta::Settings::clone_current();
    settings.set_omit_expression(true);
    settings.set_prepend_module_to_snapshot(false);
    let _guard = settings.bind_to_scope();
    for format in ["sarif", "github", "gitlab", "junit"] {
        let (_, out) = run(dir.path(), &["--format", format]);
        let mut out = redact(&out, dir.path());
        if format == "sarif" {
            out = sarif_without_catalogue(&out);
        }
        insta::assert_snapshot!(format!("format_{format}"), out);
    }
}

/// The SARIF log with the rule descriptors reduced to their ids and the version hidden: the
/// rule pages and the version change on their own, and the driver test checks them.
fn sarif_without_catalogue(text: &str) -> String {
    let mut sarif = json(text);
    let driver = &mut sarif["runs"][0]["tool"]["driver"];
    let ids: Vec<Value> = driver["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].clone())
        .collect();
    driver["rules"] = Value::from(ids);
    driver["semanticVersion"] = Value::from("[VERSION]");
    serde_json::to_string_pretty(&sarif).unwrap() + "\n"
}

/// Microsoft's SARIF Multitool, from `SARIF_MULTITOOL` or where `tests/setup.sh` installs it
/// (`target/test-cache/sarif-multitool`).
fn sarif_multitool() -> PathBuf {
    if let Some(path) = std::env::var_os("SARIF_MULTITOOL") {
        return PathBuf::from(path);
    }
    let default = common::test_cache()
        .join("sarif-multitool/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool");
    assert!(
        default.exists(),
        "this test needs Microsoft's SARIF Multitool at {}: run tests/setup.sh",
        default.display()
    );
    default
}

/// The Multitool's findings (its output is itself a SARIF log) of level error or warning,
/// with the schema and GitHub's ingestion rules on.
fn validate(tool: &Path, log: &Path) -> Vec<String> {
    let output_file = log.with_extension("validation.sarif");
    let status = StdCommand::new(tool)
        .env("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "1")
        .arg("validate")
        .arg(log)
        .arg("--output")
        .arg(&output_file)
        .args(["--log", "ForceOverwrite", "--rule-kind", "Sarif;Gh;Ghas"])
        .args(["--level", "Error;Warning"])
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", tool.display()));
    assert!(
        status.status.success(),
        "the validator failed: {}",
        String::from_utf8_lossy(&status.stdout)
    );
    let report = json(&fs::read_to_string(&output_file).unwrap());
    let run = &report["runs"][0];
    let notifications = run["invocations"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|i| {
            [
                "toolExecutionNotifications",
                "toolConfigurationNotifications",
            ]
            .iter()
            .filter_map(|key| i[*key].as_array())
            .flatten()
            .collect::<Vec<_>>()
        })
        .filter(|n| n["level"] != "note")
        .map(|n| format!("notification: {}", n["message"]["text"]));
    run["results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["level"] != "note")
        .map(|r| format!("{} {}: {}", r["ruleId"], r["level"], r["message"]))
        .chain(notifications)
        .collect()
}

#[test]
#[ignore = "needs Microsoft's SARIF Multitool from npm (tests/setup.sh installs it)"]
fn sarif_passes_microsofts_validator() {
    let tool = sarif_multitool();
    // Fixes, a label, security rules, multi-line spans, an unreadable file.
    let dir = tree(&[
        ("lib/legacy.php", LEGACY),
        (ODD_NAME, ODD),
        ("big.php", &" ".repeat(3000)),
    ]);
    let (_, out) = run(
        dir.path(),
        &["--format", "sarif", "--max-file-size", "2000"],
    );
    let sarif = json(&out);
    assert!(!results_of(&sarif, "PHP004")[0]["fixes"].is_null());
    assert!(!results_of(&sarif, "PHP005")[0]["relatedLocations"].is_null());
    let log = dir.path().join("etclint.sarif");
    fs::write(&log, &out).unwrap();
    let problems = validate(&tool, &log);
    assert!(
        problems.is_empty(),
        "the validator objects:\n{}",
        problems.join("\n")
    );

    // The check can fail: a log without its version is refused.
    let mut broken = sarif.clone();
    broken.as_object_mut().unwrap().remove("version");
    let broken_log = dir.path().join("broken.sarif");
    fs::write(&broken_log, broken.to_string()).unwrap();
    assert!(
        !validate(&tool, &broken_log).is_empty(),
        "a broken log passed"
    );
}
