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
