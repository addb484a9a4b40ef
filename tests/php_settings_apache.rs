//! The incident's `.htaccess` of issue 10 and 11: mod_php's `php_flag register_globals on` goes
//! through the php-ini rules. On PHP 8.2 mod_php ignores the line without a word (the
//! application that needs it is broken); on PHP ≤ 5.3 it is the variable injection hole. The fix
//! writes the flag off in `php_flag`'s own spelling.

mod common;

use common::etclint;

fn htaccess(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("var/www/.htaccess");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

fn json(args: &[&str], path: &std::path::Path) -> serde_json::Value {
    let output = etclint()
        .args(["--isolated", "--format", "json"])
        .args(args)
        .arg(path)
        .output()
        .unwrap();
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn php_flag_register_globals_in_htaccess_is_reported_and_fixed() {
    let (_dir, path) = htaccess("php_flag register_globals on\nphp_value register_globals 1\n");

    let report = json(&[], &path);
    let found: Vec<_> = report["diagnostics"].as_array().unwrap().iter().collect();
    assert_eq!(found.len(), 2, "{report:#}");
    for d in &found {
        assert_eq!(d["code"], "INI001");
        assert_eq!(d["severity"], "warning", "ignored on PHP 8.2: {d:#}");
        let message = d["message"].as_str().unwrap();
        assert!(message.contains("does nothing") && message.contains("PHP 5.4 removed it"));
    }

    // On PHP 5.2 the same lines are the injection hole.
    let old = json(&["--target", "php=5.2"], &path);
    for d in old["diagnostics"].as_array().unwrap() {
        assert_eq!(d["code"], "INI001");
        assert_eq!(d["severity"], "error");
        assert!(d["message"]
            .as_str()
            .unwrap()
            .contains("every request parameter becomes a global variable"));
    }

    etclint()
        .args(["--isolated", "--fix"])
        .arg(&path)
        .assert()
        .code(0);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "php_flag register_globals off\nphp_value register_globals 0\n"
    );
    assert_eq!(json(&[], &path)["diagnostics"], serde_json::json!([]));
}

#[test]
fn php_admin_flag_is_not_allowed_in_htaccess() {
    let (_dir, path) = htaccess("php_admin_flag display_errors on\n");
    let report = json(&[], &path);
    let codes: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"APA005"), "{report:#}");
}
