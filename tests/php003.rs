//! PHP003 request-port-for-url-host and PHP006 request-port-for-request-host, which share one
//! analysis: every fixture gives the diagnostics listed here, PHP003's fix gives the
//! `.php.fixed` file beside it, the fixed code is valid PHP (with `php -l`) and, for WordPress
//! 2.2's spawn_cron(), connects where WordPress 2.3 does (run with `php`). Both rules together
//! report what each reports alone.
//!
//! After a deliberate change of the fixes, `ETCLINT_BLESS=1 cargo test --test php003` rewrites
//! the `.php.fixed` files; review them before committing.

use std::path::{Path, PathBuf};
use std::process::Command;

use etclint::diagnostic::{Diagnostic, Severity};
use etclint::discover::Target;
use etclint::engine::{self, Options};
use etclint::fix::{apply_fixes, Applicability};
use etclint::formats::Format;
use etclint::rules::{by_code_or_name, section, Selection};
use etclint::source::SourceFile;

const SAFE: Option<Applicability> = Some(Applicability::Safe);
const UNSAFE: Option<Applicability> = Some(Applicability::Unsafe);
const NO_FIX: Option<Applicability> = None;
const ERROR: Severity = Severity::Error;
const WARNING: Severity = Severity::Warning;

/// Each fixture and its diagnostics: (line, severity, fix applicability).
type Expected = &'static [(usize, Severity, Option<Applicability>)];

/// Fixture files and what they give.
type Fixtures = &'static [(&'static str, Expected)];

/// PHP003's fixtures.
const PHP003_FIXTURES: Fixtures = &[
    (
        "wordpress-2.2-spawn-cron.php",
        &[(21, ERROR, SAFE), (26, ERROR, SAFE)],
    ),
    ("wordpress-2.0-spawn-pinger.php", &[(9, ERROR, SAFE)]),
    (
        "http-server-vars.php",
        &[(9, ERROR, SAFE), (11, ERROR, SAFE)],
    ),
    ("getenv.php", &[(8, ERROR, SAFE), (10, ERROR, SAFE)]),
    ("double-quoted-key.php", &[(8, ERROR, SAFE)]),
    ("pfsockopen.php", &[(9, ERROR, SAFE), (11, ERROR, SAFE)]),
    (
        "stream-socket-client-interpolated.php",
        &[(7, ERROR, SAFE), (15, ERROR, SAFE)],
    ),
    (
        "stream-socket-client-concatenation.php",
        &[(6, ERROR, SAFE)],
    ),
    // The second function's $port has another assignment: reported, not fixed.
    (
        "port-variable.php",
        &[(8, ERROR, SAFE), (19, ERROR, NO_FIX)],
    ),
    // The calls after the first run only sometimes (an `if` body without braces, a `?:`
    // branch, the right side of `&&`): a line before their statement would run more often.
    (
        "unknown-branch.php",
        &[
            (7, ERROR, SAFE),
            (16, ERROR, NO_FIX),
            (22, ERROR, NO_FIX),
            (23, ERROR, NO_FIX),
        ],
    ),
    (
        "scheme-tests.php",
        &[
            (10, ERROR, SAFE),
            (20, ERROR, SAFE),
            (28, ERROR, SAFE),
            (38, ERROR, SAFE),
            (49, ERROR, SAFE),
            (57, ERROR, SAFE),
        ],
    ),
    (
        "named-arguments.php",
        &[(7, ERROR, SAFE), (13, ERROR, SAFE)],
    ),
    (
        "php-url-host.php",
        &[(8, ERROR, NO_FIX), (9, ERROR, NO_FIX)],
    ),
    ("top-level.php", &[(6, ERROR, UNSAFE)]),
    ("ok-negatives.php", &[]),
    ("ok-other-functions.php", &[]),
];

/// PHP006's fixtures, which it never fixes.
const PHP006_FIXTURES: Fixtures = &[
    (
        "request-host.php",
        &[(6, WARNING, NO_FIX), (13, WARNING, NO_FIX)],
    ),
    (
        "request-host-variants.php",
        &[
            (7, WARNING, NO_FIX),
            (12, WARNING, NO_FIX),
            (18, WARNING, NO_FIX),
        ],
    ),
    ("ok-url-hosts.php", &[]),
];

/// Each rule, the directory of its fixtures and what they give.
const RULES: &[(&str, &str, Fixtures)] = &[
    ("PHP003", "request-port-for-url-host", PHP003_FIXTURES),
    ("PHP006", "request-port-for-request-host", PHP006_FIXTURES),
];

fn fixture_dir() -> PathBuf {
    rule_dir("request-port-for-url-host")
}

fn rule_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/php")
        .join(name)
}

/// PHP003's diagnostics.
fn lint(path: &Path, bytes: &[u8]) -> (SourceFile, Vec<Diagnostic>) {
    lint_with(&["PHP003"], path, bytes)
}

fn lint_with(codes: &[&str], path: &Path, bytes: &[u8]) -> (SourceFile, Vec<Diagnostic>) {
    let select: Vec<String> = codes.iter().map(|c| c.to_string()).collect();
    let options = Options::new(Selection::new(Some(&select), &[], &[]).unwrap());
    let source = SourceFile::new(path, bytes.to_vec());
    let target = Target::new(path.to_path_buf(), Some(Format::Php));
    let mut diagnostics = engine::lint(&source, Format::Php, &target, &options).diagnostics;
    diagnostics.sort_by_key(|d| d.span.start);
    (source, diagnostics)
}

/// PHP003's diagnostics, each as (line, severity, fix applicability).
fn summary(
    source: &SourceFile,
    diagnostics: &[Diagnostic],
) -> Vec<(usize, Severity, Option<Applicability>)> {
    summary_of("PHP003", source, diagnostics)
}

fn summary_of(
    code: &str,
    source: &SourceFile,
    diagnostics: &[Diagnostic],
) -> Vec<(usize, Severity, Option<Applicability>)> {
    diagnostics
        .iter()
        .map(|d| {
            assert_eq!(d.code, code);
            (
                source.position(d.span.start).line,
                d.severity,
                d.fix.as_ref().map(|f| f.applicability),
            )
        })
        .collect()
}

/// The fixture with every fix applied, unsafe ones too.
fn fixed(name: &str) -> String {
    let path = fixture_dir().join(name);
    let bytes = std::fs::read(&path).unwrap();
    let (_, diagnostics) = lint(&path, &bytes);
    let (out, _) = apply_fixes(&bytes, &diagnostics, Applicability::Unsafe);
    String::from_utf8(out).unwrap()
}

/// `php` on the PATH; fails the test without it.
fn php() -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join("php"))
        .find(|candidate| candidate.is_file())
        .expect("this test needs `php`: run tests/setup.sh, which installs what the tests need")
}

#[test]
fn every_fixture_is_listed() {
    for (_, rule, fixtures) in RULES {
        let mut on_disk: Vec<String> = std::fs::read_dir(rule_dir(rule))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|name| name.ends_with(".php"))
            .collect();
        on_disk.sort();
        let mut listed: Vec<String> = fixtures.iter().map(|(n, _)| n.to_string()).collect();
        listed.sort();
        assert_eq!(on_disk, listed, "{rule}");
    }
}

#[test]
fn fixtures_give_the_listed_diagnostics() {
    for (code, rule, fixtures) in RULES {
        for (name, expected) in *fixtures {
            let path = rule_dir(rule).join(name);
            let (source, diagnostics) = lint_with(&[code], &path, &std::fs::read(&path).unwrap());
            assert_eq!(
                summary_of(code, &source, &diagnostics),
                *expected,
                "{rule}/{name}"
            );
        }
    }
}

/// The rules share one analysis per file (see `request_port/connections.rs`): run together,
/// each still reports exactly what it reports alone, whichever file came before.
#[test]
fn both_rules_together_report_what_each_reports_alone() {
    let mut files: Vec<PathBuf> = RULES
        .iter()
        .flat_map(|(_, rule, fixtures)| fixtures.iter().map(|(name, _)| rule_dir(rule).join(name)))
        .collect();
    let key = |d: &Diagnostic| (d.span.start, d.code);
    for round in 0..2 {
        for path in &files {
            let bytes = std::fs::read(path).unwrap();
            let mut alone: Vec<Diagnostic> = ["PHP006", "PHP003"]
                .iter()
                .flat_map(|code| lint_with(&[code], path, &bytes).1)
                .collect();
            alone.sort_by_key(key);
            let (_, mut together) = lint_with(&["PHP003", "PHP006"], path, &bytes);
            together.sort_by_key(key);
            assert_eq!(together, alone, "{} (round {round})", path.display());
        }
        files.reverse();
    }
}

/// What PHP003 analysed alone is not taken for another file of as many bytes.
#[test]
fn one_file_s_analysis_is_not_reused_for_another() {
    let url = "<?php\n$p = parse_url($u);\nfsockopen($p['host'], $_SERVER['SERVER_PORT']);\n";
    let request = "<?php\nfsockopen($_SERVER['HTTP_HOST'], $_SERVER['SERVER_PORT']);\n";
    let padding = "x".repeat(url.len() - request.len() - "//\n".len());
    let request = format!("{request}//{padding}\n");
    assert_eq!(url.len(), request.len());
    let (_, found) = lint_with(&["PHP003"], Path::new("a.php"), url.as_bytes());
    assert_eq!(found.len(), 1);
    let (_, found) = lint_with(&["PHP006"], Path::new("b.php"), request.as_bytes());
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].code, "PHP006");
    let (_, found) = lint_with(&["PHP003"], Path::new("b.php"), request.as_bytes());
    assert!(found.is_empty());
}

#[test]
fn fixes_give_the_fixed_files_and_converge() {
    let bless = std::env::var_os("ETCLINT_BLESS").is_some();
    for (name, expected) in PHP003_FIXTURES {
        let expected_file = fixture_dir().join(format!("{name}.fixed"));
        if expected.iter().all(|(_, _, fix)| fix.is_none()) {
            assert!(
                !expected_file.exists(),
                "{name} has no fix but a .fixed file"
            );
            continue;
        }
        let result = fixed(name);
        if bless {
            std::fs::write(&expected_file, &result).unwrap();
        }
        let wanted = std::fs::read_to_string(&expected_file)
            .unwrap_or_else(|_| panic!("{} is missing", expected_file.display()));
        assert_eq!(result, wanted, "{name}");

        // One round fixes everything that has a fix; what is left is what had none.
        let (source, remaining) = lint(Path::new(name), result.as_bytes());
        let unfixed: Vec<Severity> = expected
            .iter()
            .filter(|(_, _, fix)| fix.is_none())
            .map(|(_, severity, _)| *severity)
            .collect();
        let left: Vec<Severity> = summary(&source, &remaining)
            .into_iter()
            .map(|(_, severity, fix)| {
                assert_eq!(fix, None, "{name}: a fix is left after fixing");
                severity
            })
            .collect();
        assert_eq!(left, unfixed, "{name}: after fixing");
    }
}

#[test]
#[ignore = "needs php-cli (tests/setup.sh installs it)"]
fn fixed_files_are_valid_php() {
    let php = php();
    for (name, _) in PHP003_FIXTURES {
        let path = fixture_dir().join(format!("{name}.fixed"));
        if !path.exists() {
            continue;
        }
        let out = Command::new(&php)
            .args(["-n", "-l"])
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

/// WordPress 2.3 inserted exactly these lines before the two fsockopen() calls.
#[test]
fn spawn_cron_is_fixed_as_wordpress_2_3_did() {
    let original =
        std::fs::read_to_string(fixture_dir().join("wordpress-2.2-spawn-cron.php")).unwrap();
    let result = fixed("wordpress-2.2-spawn-cron.php");
    let lines: Vec<&str> = result.lines().collect();
    let ssl = lines
        .iter()
        .position(|l| l.contains("@fsockopen('ssl://'"))
        .unwrap();
    assert_eq!(
        lines[ssl - 1],
        "\t\t\t$port = isset($parts['port']) ? $parts['port'] : 443;"
    );
    assert_eq!(
        lines[ssl],
        "\t\t\t$argyle = @fsockopen('ssl://' . $parts['host'], $port, $errno, $errstr, 0.01);"
    );
    let plain = lines
        .iter()
        .position(|l| l.contains("@ fsockopen("))
        .unwrap();
    assert_eq!(
        lines[plain - 1],
        "\t\t$port = isset($parts['port']) ? $parts['port'] : 80;"
    );
    assert_eq!(
        lines[plain],
        "\t\t$argyle = @ fsockopen( $parts['host'], $port, $errno, $errstr, 0.01 );"
    );
    // Nothing else changes.
    assert_eq!(lines.len(), original.lines().count() + 2);
}

/// Runs spawn_cron() with `php` for a site URL, fsockopen() replaced by a function that
/// prints its host and port, and the request's port set to 80. Returns (host, port).
fn spawn_cron_connects_to(php: &Path, code: &str, site_url: &str) -> (String, i64) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("cron.php"),
        code.replace("fsockopen(", "fake_fsockopen("),
    )
    .unwrap();
    let harness = r#"<?php
function get_option($name) { return $GLOBALS['site_url']; }
function _get_cron_array() { return array(1 => array('hook' => array())); }
function wp_hash($data) { return md5($data); }
if (!function_exists('openssl_open')) { function openssl_open() {} }
function fake_fsockopen($host, $port, &$errno = null, &$errstr = null, $timeout = null) {
    echo json_encode(array($host, $port)), "\n";
    return false;
}
$GLOBALS['site_url'] = $argv[1];
$_SERVER['SERVER_PORT'] = 80;
$_SERVER['HTTP_HOST'] = 'example.org';
require __DIR__ . '/cron.php';
spawn_cron();
"#;
    std::fs::write(dir.path().join("harness.php"), harness).unwrap();
    let out = Command::new(php)
        .arg("-n")
        .arg(dir.path().join("harness.php"))
        .arg(site_url)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let call: serde_json::Value = serde_json::from_str(stdout.trim())
        .unwrap_or_else(|_| panic!("no fsockopen() call recorded: {stdout}"));
    (
        call[0].as_str().unwrap().to_string(),
        call[1].as_i64().unwrap(),
    )
}

#[test]
#[ignore = "needs php-cli (tests/setup.sh installs it)"]
fn fixed_spawn_cron_connects_to_the_url_port_with_php() {
    let php = php();
    let original =
        std::fs::read_to_string(fixture_dir().join("wordpress-2.2-spawn-cron.php")).unwrap();
    let fixed = fixed("wordpress-2.2-spawn-cron.php");

    // The harness sees the bug: the original connects over SSL to the request's port 80.
    assert_eq!(
        spawn_cron_connects_to(&php, &original, "https://example.org"),
        ("ssl://example.org".to_string(), 80)
    );
    for (url, host, port) in [
        ("https://example.org", "ssl://example.org", 443),
        ("https://example.org:8443", "ssl://example.org", 8443),
        ("http://example.org", "example.org", 80),
    ] {
        assert_eq!(
            spawn_cron_connects_to(&php, &fixed, url),
            (host.to_string(), port),
            "{url}"
        );
    }
}

#[test]
fn fix_keeps_crlf_line_endings() {
    let text = "<?php\r\nfunction f($u) {\r\n\t$parts = parse_url($u);\r\n\treturn fsockopen('ssl://' . $parts['host'], $_SERVER['SERVER_PORT']);\r\n}\r\n";
    let (_, diagnostics) = lint(Path::new("crlf.php"), text.as_bytes());
    let (out, applied) = apply_fixes(text.as_bytes(), &diagnostics, Applicability::Safe);
    assert_eq!(applied, 1);
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "<?php\r\nfunction f($u) {\r\n\t$parts = parse_url($u);\r\n\t$port = isset($parts['port']) ? $parts['port'] : 443;\r\n\treturn fsockopen('ssl://' . $parts['host'], $port);\r\n}\r\n"
    );
}

#[test]
fn labels_point_at_the_port_and_the_url() {
    let text = "<?php\nfunction f($u) {\n    $port = $_SERVER['SERVER_PORT'];\n    $parts = parse_url($u);\n    return fsockopen($parts['host'], $port);\n}\n";
    let (_, diagnostics) = lint(Path::new("labels.php"), text.as_bytes());
    assert_eq!(diagnostics.len(), 1);
    let d = &diagnostics[0];
    assert_eq!(&text[d.span.clone()], "fsockopen($parts['host'], $port)");
    let labels: Vec<(&str, &str)> = d
        .labels
        .iter()
        .map(|l| (&text[l.span.clone()], l.message.as_str()))
        .collect();
    assert_eq!(
        labels,
        [
            ("$port", "used as the port here"),
            (
                "$port = $_SERVER['SERVER_PORT']",
                "the port of the current request"
            ),
            (
                "$parts = parse_url($u)",
                "the host comes from this configured URL"
            ),
        ]
    );
    assert!(d
        .message
        .starts_with("fsockopen() connects to the host of a configured URL"));
    assert!(!d.message.ends_with('.'));
}

/// The page's `bad` example gives the lines it claims, fixing it gives `fixed`, and `good`
/// and `fixed` are clean.
#[test]
fn page_examples_do_what_they_claim() {
    let rule = by_code_or_name("PHP003").unwrap();
    let example = section(rule.meta().body, "Example").unwrap();
    let block = |role: &str| -> (String, String) {
        let start = example
            .find(&format!("```php {role}"))
            .unwrap_or_else(|| panic!("no {role} block"));
        let info_end = start + example[start..].find('\n').unwrap();
        let end = info_end + example[info_end..].find("\n```").unwrap();
        (
            example[start..info_end].to_string(),
            example[info_end + 1..end + 1].to_string(),
        )
    };
    let (info, bad) = block("bad");
    let claimed: Vec<usize> = info
        .split_whitespace()
        .find_map(|w| w.strip_prefix("lines="))
        .unwrap()
        .split(',')
        .map(|n| n.parse().unwrap())
        .collect();
    let (source, diagnostics) = lint(Path::new("example.php"), bad.as_bytes());
    let lines: Vec<usize> = summary(&source, &diagnostics)
        .iter()
        .map(|(line, _, _)| *line)
        .collect();
    assert_eq!(lines, claimed);

    let (_, fixed) = block("fixed");
    let (out, _) = apply_fixes(bad.as_bytes(), &diagnostics, Applicability::Safe);
    assert_eq!(String::from_utf8(out).unwrap(), fixed);

    for role in ["good", "fixed"] {
        let (_, text) = block(role);
        assert!(
            lint(Path::new("example.php"), text.as_bytes()).1.is_empty(),
            "{role}"
        );
    }
}

/// The deeply nested inputs of `tests/hostile_input.rs`, and a variant of each that gives a
/// diagnostic: each finishes (no walk up the tree that costs the square of the depth, no
/// recursion as deep as the nesting, which would overflow the 2 MiB stack of a test thread)
/// and gives what a shallow version gives. A regression shows as a suite that takes minutes,
/// or a stack overflow.
#[test]
fn nested_blocks_and_parentheses_are_checked_in_linear_time() {
    check_all(vec![
        (
            "20,000 nested blocks",
            format!(
                "<?php\nfunction f() {{\n{}$p = parse_url($u); fsockopen($p['host'], $_SERVER['SERVER_PORT']);{}\n",
                "if ($a) {".repeat(DEPTH),
                "}".repeat(DEPTH + 1)
            ),
            vec![(3, ERROR, SAFE)],
        ),
        (
            "20,000 nested parentheses",
            format!(
                "<?php\n$x = fsockopen({}1{}, $_SERVER['SERVER_PORT']);\nextract($_GET);\n",
                "(".repeat(DEPTH),
                ")".repeat(DEPTH)
            ),
            vec![],
        ),
        (
            "a host in 20,000 nested parentheses",
            format!(
                "<?php\n$p = parse_url($u);\n$x = fsockopen({}$p['host']{}, $_SERVER['SERVER_PORT']);\nextract($_GET);\n",
                "(".repeat(DEPTH),
                ")".repeat(DEPTH)
            ),
            vec![(3, ERROR, UNSAFE)],
        ),
    ]);
    check_all_of(
        "PHP006",
        vec![(
            "the request's host in 20,000 nested parentheses",
            format!(
                "<?php\n$x = fsockopen({}$_SERVER['HTTP_HOST']{}, $_SERVER['SERVER_PORT']);\nextract($_GET);\n",
                "(".repeat(DEPTH),
                ")".repeat(DEPTH)
            ),
            vec![(2, WARNING, NO_FIX)],
        )],
    );
}

/// The same for the other structures the rule walks: closures in closures, `else if` chains,
/// concatenations, and a variable with many assignments followed by many calls.
#[test]
fn other_deep_and_long_code_is_checked_in_linear_time() {
    let call = "fsockopen($p['host'], $_SERVER['SERVER_PORT']);";
    check_all(vec![
        (
            "20,000 nested closures",
            format!(
                "<?php\nfunction f() {{\n{}$p = parse_url($u); {call}{}\n}}\n",
                "$g = function () {".repeat(DEPTH),
                "};".repeat(DEPTH)
            ),
            vec![(3, ERROR, SAFE)],
        ),
        (
            "20,000 else-ifs",
            format!(
                "<?php\nfunction f($u) {{\n$p = parse_url($u);\n{}{{ {call} }}\n}}\n",
                "if ($a) {} else ".repeat(DEPTH)
            ),
            vec![(4, ERROR, SAFE)],
        ),
        (
            "20,000 concatenations",
            format!(
                "<?php\nfunction f($u) {{\n$p = parse_url($u);\nfsockopen('ssl://' . $p['host']{}, $_SERVER['SERVER_PORT']);\n}}\n",
                " . ''".repeat(DEPTH)
            ),
            vec![(4, ERROR, SAFE)],
        ),
        (
            "5,000 calls after 5,000 assignments of their port",
            format!(
                "<?php\nfunction f($u) {{\n$p = parse_url($u);\n$port = $_SERVER['SERVER_PORT'];\n{}{}}}\n",
                "if ($a) { $port = 1; }\n".repeat(DEPTH / 4),
                "fsockopen($p['host'], $port);\n".repeat(DEPTH / 4)
            ),
            (0..DEPTH / 4)
                .map(|i| (5 + DEPTH / 4 + i, ERROR, NO_FIX))
                .collect(),
        ),
    ]);
}

const DEPTH: usize = 20_000;

type Case = (
    &'static str,
    String,
    Vec<(usize, Severity, Option<Applicability>)>,
);

fn check_all(cases: Vec<Case>) {
    check_all_of("PHP003", cases);
}

fn check_all_of(rule: &str, cases: Vec<Case>) {
    for (name, code, expected) in cases {
        let (source, diagnostics) = lint_with(&[rule], Path::new("deep.php"), code.as_bytes());
        assert_eq!(summary_of(rule, &source, &diagnostics), expected, "{name}");
    }
}
