//! The hooks of `.pre-commit-hooks.yaml`, run for real: pre-commit in a fresh virtualenv, a
//! scratch git repository, and `pre-commit try-repo` on this repository, which builds etclint
//! with `cargo install` exactly as a user's pre-commit does.
//!
//! The build is the slow part. It goes to a target directory kept between runs inside this
//! repository's own (`target/test-cache/pre-commit-target`), as do pre-commit's and pip's
//! caches, so only the first run compiles the dependencies and nothing is left in the home
//! directory. It needs Python's venv and the network for pip: ignored by a plain `cargo test`,
//! run by `tests/setup.sh`, where a missing piece fails it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

use etclint::formats::Format;
use tempfile::TempDir;

mod common;

/// PHP001: a blank line after `?>` of an included file.
const CONFIG: &str = "<?php\n$db_host = 'localhost';\n?>\n\n";
/// The fix removes the closing tag and what follows it, ending the file with one newline.
const CONFIG_FIXED: &str = "<?php\n$db_host = 'localhost';\n";
/// PHP004.
const LEGACY: &str = "<?php\n$id = $HTTP_GET_VARS['id'];\n";
const LEGACY_FIXED: &str = "<?php\n$id = $_GET['id'];\n";

fn repository() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn cache_dir() -> PathBuf {
    common::test_cache()
}

fn run(command: &mut Command) -> Output {
    command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"))
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// A virtualenv with pre-commit, or why there is none.
fn pre_commit_venv(dir: &Path) -> Result<PathBuf, String> {
    let venv = dir.join("venv");
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    let made = Command::new(&python)
        .args(["-m", "venv"])
        .arg(&venv)
        .output()
        .map_err(|e| format!("cannot run {python}: {e}"))?;
    if !made.status.success() {
        return Err(format!("`{python} -m venv` failed: {}", text(&made)));
    }
    let pip = run(Command::new(venv.join("bin/pip"))
        .env("PIP_CACHE_DIR", cache_dir().join("pip"))
        .args([
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "pre-commit",
        ]));
    if !pip.status.success() {
        return Err(format!("`pip install pre-commit` failed: {}", text(&pip)));
    }
    Ok(venv)
}

/// The `files` pattern of each hook must select exactly the files `Format::detect` knows.
fn check_files_pattern(venv: &Path) {
    let paths = [
        "index.php",
        "lib/Foo.PHP",
        "views/page.phtml",
        "old/a.php3",
        "old/a.php4",
        "old/a.php5",
        "inc/db.inc",
        "etc/php/8.2/cli/php.ini",
        "php.ini-production",
        "web/.user.ini",
        "etc/php/8.2/mods-available/opcache.Ini",
        "etc/apache2/apache2.conf",
        "etc/httpd/conf/httpd.conf",
        "etc/apache2/sites-available/000-default.conf",
        "www/.htaccess",
        "etc/postfix/main.cf",
        "etc/postfix/master.cf",
        "etc/postfix/header_checks.regexp",
        "etc/postfix/body_checks.PCRE",
        "boot/grub/grub.conf",
        "boot/grub/menu.lst",
        "etc/default/grub",
        "home/u/.wgetrc",
        "etc/wgetrc",
        "usr/share/postfix/main.cf.dist",
        "httpd.conf.dist",
        "config.php.dist",
        // and not:
        "desktop.ini",
        "PHP/x.ini",
        "etc/nginx/nginx.conf",
        "grub",
        "etc/default/grub.d/50.cfg",
        "php.ini.bak",
        "x.php.orig",
        "etc/apache2/apache2.conf.dpkg-old",
        "main.cf.proto",
        "main.cf.distant",
        "mywgetrc",
        "README.md",
    ];
    let script = "import re, sys, yaml\n\
        hooks = yaml.safe_load(open(sys.argv[1]))\n\
        for path in sys.argv[2:]:\n\
        \x20   print(' '.join(hook['id'] for hook in hooks if re.search(hook['files'], path)))\n";
    let output = run(Command::new(venv.join("bin/python"))
        .args(["-c", script])
        .arg(repository().join(".pre-commit-hooks.yaml"))
        .args(paths));
    assert!(output.status.success(), "{}", text(&output));
    let stdout = String::from_utf8(output.stdout).unwrap();
    for (path, hooks) in paths.iter().zip(stdout.lines()) {
        let expected = if Format::detect(Path::new(path)).is_some() {
            "etclint etclint-fix"
        } else {
            ""
        };
        assert_eq!(hooks, expected, "hooks selecting {path}");
    }
    assert_eq!(stdout.lines().count(), paths.len());
}

fn git(repo: &Path, args: &[&str]) {
    let output = run(Command::new("git").current_dir(repo).args(args));
    assert!(output.status.success(), "git {args:?}: {}", text(&output));
}

/// `pre-commit try-repo <this repository> [HOOK] --all-files` in `repo`; without a hook, all of
/// them, in id order: `etclint`, then `etclint-fix`. Every call builds etclint anew (try-repo
/// keeps no environment), so the test makes two.
fn try_repo(venv: &Path, repo: &Path, hook: Option<&str>) -> Output {
    run(Command::new(venv.join("bin/pre-commit"))
        .env("PRE_COMMIT_HOME", cache_dir().join("pre-commit"))
        .current_dir(repo)
        .arg("try-repo")
        .arg(repository())
        .args(hook)
        .args(["--all-files", "--color", "never"])
        .env("CARGO_TARGET_DIR", cache_dir().join("pre-commit-target"))
        .env_remove("GITHUB_ACTIONS"))
}

#[test]
#[ignore = "needs python3-venv, git and the network for pip (tests/setup.sh brings them)"]
fn pre_commit_hooks_report_then_fix() {
    let started = Instant::now();
    let work = TempDir::new().unwrap();
    let venv = pre_commit_venv(work.path()).unwrap_or_else(|reason| {
        panic!("{reason}: run tests/setup.sh, which installs what the tests need")
    });
    check_files_pattern(&venv);

    let repo = work.path().join("site");
    fs::create_dir_all(repo.join("inc")).unwrap();
    fs::write(repo.join("inc/config.inc"), CONFIG).unwrap();
    fs::write(repo.join("legacy.php"), LEGACY).unwrap();
    fs::write(repo.join("README.md"), "not checked\n").unwrap();
    git(&repo, &["init", "--quiet"]);
    git(&repo, &["add", "."]);

    // `etclint` fails and reports; `etclint-fix` then fixes, and fails for changing files.
    let both = try_repo(&venv, &repo, None);
    let output = text(&both);
    assert!(!both.status.success(), "the hooks passed:\n{output}");
    let (check, fix) = output
        .split_once("- hook id: etclint-fix")
        .unwrap_or_else(|| panic!("etclint-fix did not fail:\n{output}"));
    assert!(
        check.contains("- hook id: etclint\n- exit code: 1"),
        "{output}"
    );
    assert!(
        check.contains("PHP001") && check.contains("inc/config.inc"),
        "{output}"
    );
    assert!(
        check.contains("PHP004") && check.contains("legacy.php"),
        "{output}"
    );
    assert!(
        fix.starts_with("\n- files were modified by this hook"),
        "{output}"
    );
    assert_eq!(
        fs::read_to_string(repo.join("inc/config.inc")).unwrap(),
        CONFIG_FIXED
    );
    assert_eq!(
        fs::read_to_string(repo.join("legacy.php")).unwrap(),
        LEGACY_FIXED
    );
    let first = started.elapsed();

    // pre-commit stashes what is not staged: stage the fixes, as a user would.
    git(&repo, &["add", "."]);
    let recheck = try_repo(&venv, &repo, Some("etclint"));
    assert!(recheck.status.success(), "{}", text(&recheck));

    eprintln!(
        "pre-commit test: {:.0?} in all, {first:.0?} to the first hooks' results (venv and build included)",
        started.elapsed()
    );
}
