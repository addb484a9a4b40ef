//! `--fix` writes never lose what the file was: owner, group, mode, extended attributes, the
//! link that points to it; and never clobber a file that changed meanwhile.

use std::fs;
use std::os::unix::fs::{symlink, MetadataExt, PermissionsExt};

mod common;
use common::{etclint, tree};

const FIXABLE: &str = "<?php\n$a = $HTTP_GET_VARS;\n";
const FIXED: &str = "<?php\n$a = $_GET;\n";

fn is_root() -> bool {
    fs::metadata("/proc/self")
        .map(|m| m.uid() == 0)
        .unwrap_or(false)
}

#[test]
fn owner_group_and_mode_are_kept() {
    let dir = tree(&[("a.php", FIXABLE)]);
    let path = dir.path().join("a.php");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
    if is_root() {
        std::os::unix::fs::chown(&path, Some(4321), Some(8765)).unwrap();
    } else {
        eprintln!("skipped the owner part: not root, cannot give a file away");
    }
    let before = fs::metadata(&path).unwrap();
    etclint()
        .current_dir(dir.path())
        .arg("--fix")
        .assert()
        .code(0);
    let after = fs::metadata(&path).unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), FIXED);
    assert_eq!((after.uid(), after.gid()), (before.uid(), before.gid()));
    assert_eq!(after.permissions().mode() & 0o7777, 0o640);
    assert_ne!(
        after.ino(),
        before.ino(),
        "written through a temporary file and a rename"
    );
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left: {leftovers:?}");
}

#[test]
fn extended_attributes_are_kept() {
    let dir = tree(&[("a.php", FIXABLE)]);
    let path = dir.path().join("a.php");
    if xattr::set(&path, "user.etclint-test", b"kept").is_err() {
        eprintln!("skipped: this file system has no user extended attributes");
        return;
    }
    etclint()
        .current_dir(dir.path())
        .arg("--fix")
        .assert()
        .code(0);
    assert_eq!(fs::read_to_string(&path).unwrap(), FIXED);
    assert_eq!(
        xattr::get(&path, "user.etclint-test").unwrap().as_deref(),
        Some(&b"kept"[..])
    );
}

#[test]
fn symlinks_stay_links_and_their_targets_are_fixed() {
    let dir = tree(&[("real/a.php", FIXABLE)]);
    fs::create_dir(dir.path().join("site")).unwrap();
    symlink(dir.path().join("real/a.php"), dir.path().join("site/a.php")).unwrap();
    etclint()
        .current_dir(dir.path())
        .args(["--fix", "site/a.php"])
        .assert()
        .code(0);
    assert!(fs::symlink_metadata(dir.path().join("site/a.php"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(
        fs::read_to_string(dir.path().join("real/a.php")).unwrap(),
        FIXED
    );
}
