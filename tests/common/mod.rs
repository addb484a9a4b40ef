//! Helpers shared by the command-line tests.

#![allow(dead_code)] // each test crate uses its own subset

use std::fs;

use assert_cmd::Command;
use tempfile::TempDir;

/// The etclint binary, with the environment that changes its output cleared.
pub fn etclint() -> Command {
    let mut cmd = Command::cargo_bin("etclint").unwrap();
    cmd.env_remove("GITHUB_ACTIONS").env("NO_COLOR", "1");
    cmd
}

/// A temporary directory holding `files` (path, content); parent directories are created.
pub fn tree(files: &[(&str, &str)]) -> TempDir {
    let dir = TempDir::new().unwrap();
    for (name, content) in files {
        let path = dir.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, content).unwrap();
    }
    dir
}

/// The program a rule needs at lint time to report anything: PHP000 asks `php -l`.
pub fn program_needed_by(code: &str) -> Option<&'static str> {
    (code == "PHP000").then_some("php")
}

/// Fails the test when `program` is not on the PATH. Tests that need one are `#[ignore]`d with
/// the reason, so that a plain `cargo test` lists them as ignored; `tests/setup.sh` installs
/// the programs and runs them with `--include-ignored`, where a missing one is a failure.
pub fn require_program(program: &str) {
    let found = std::process::Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found,
        "this test needs `{program}`: run tests/setup.sh, which installs what the tests need"
    );
}

/// The real-world corpus (`$ETCLINT_CORPUS`, default `/tmp/corpus/cache`); fails the test when
/// it has not been fetched.
pub fn require_corpus() -> std::path::PathBuf {
    let root = std::path::PathBuf::from(
        std::env::var("ETCLINT_CORPUS").unwrap_or_else(|_| "/tmp/corpus/cache".into()),
    );
    assert!(
        root.join("_lists/php.txt").is_file(),
        "this test needs the corpus at {}: run `bash tests/corpus/fetch.sh {0}` (tests/setup.sh does)",
        root.display()
    );
    root
}

/// Where tests keep what they build or install between runs: inside the target directory,
/// never in the home directory.
pub fn test_cache() -> std::path::PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("test-cache")
}

/// The files below `directories` that etclint detects as `format` by name, sorted.
pub fn files_detected_as(
    format: etclint::formats::Format,
    directories: &[&str],
) -> Vec<std::path::PathBuf> {
    fn walk(
        dir: &std::path::Path,
        format: etclint::formats::Format,
        out: &mut Vec<std::path::PathBuf>,
    ) {
        for entry in fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, format, out);
            } else if etclint::formats::Format::detect(&path) == Some(format) {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    for dir in directories {
        walk(std::path::Path::new(dir), format, &mut files);
    }
    files.sort();
    files
}

/// The corpus files of list `_lists/LIST.txt`, then the snippets of the corpus's manuals that
/// are files of `snippet_format` (`_snippets/*/index.tsv`: path, format, …). Fails the test
/// when the corpus has not been fetched.
pub fn corpus_files(list: &str, snippet_format: &str) -> Vec<std::path::PathBuf> {
    let root = require_corpus();
    let text = fs::read_to_string(root.join("_lists").join(format!("{list}.txt")))
        .unwrap_or_else(|e| panic!("the corpus has no list {list}: {e}"));
    let mut files: Vec<std::path::PathBuf> = text
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| root.join(l))
        .collect();
    if let Ok(snippets) = fs::read_dir(root.join("_snippets")) {
        let mut dirs: Vec<_> = snippets.filter_map(Result::ok).map(|e| e.path()).collect();
        dirs.sort();
        for dir in dirs {
            let Ok(index) = fs::read_to_string(dir.join("index.tsv")) else {
                continue;
            };
            for row in index.lines().skip(1) {
                let mut fields = row.split('\t');
                if let (Some(path), Some(format)) = (fields.next(), fields.next()) {
                    if format == snippet_format {
                        files.push(dir.join(path));
                    }
                }
            }
        }
    }
    files
}

/// `apache2` with Debian's `APACHE_*` variables (what `apache2ctl` sets) pointing into
/// `run_dir` for its logs, pid file and locks, so that a test needs nothing under /var.
pub fn apache2(run_dir: &std::path::Path) -> std::process::Command {
    let mut cmd = std::process::Command::new("apache2");
    cmd.env("APACHE_RUN_USER", "www-data")
        .env("APACHE_RUN_GROUP", "www-data")
        .env("APACHE_LOG_DIR", run_dir)
        .env("APACHE_RUN_DIR", run_dir)
        .env("APACHE_LOCK_DIR", run_dir)
        .env("APACHE_PID_FILE", run_dir.join("apache2.pid"))
        .env("LANG", "C");
    cmd
}
