//! Writing a fixed file without ever losing it: through a temporary file in the same
//! directory, synced, renamed over the original, and the directory synced; keeping the mode,
//! owner, group and extended attributes, and writing through symlinks to their target. A file
//! that changed on disk since it was read is not overwritten.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::discover::describe_io;

/// Replaces the content of `path` (`original` when it was read) by `fixed`.
pub fn write_fixed(path: &Path, original: &[u8], fixed: &[u8]) -> Result<(), String> {
    // Through symlinks: the link stays a link, its target gets the fixes.
    let target = fs::canonicalize(path).map_err(|e| describe_io(&e))?;
    let meta = fs::metadata(&target).map_err(|e| describe_io(&e))?;
    let directory = target.parent().unwrap_or(Path::new("/")).to_path_buf();
    if meta.permissions().mode() & 0o222 == 0 {
        return Err(format!(
            "not fixed: the file is read-only (mode {:04o})",
            meta.permissions().mode() & 0o7777
        ));
    }
    let directory_mode = fs::metadata(&directory)
        .map_err(|e| describe_io(&e))?
        .permissions()
        .mode();
    if directory_mode & 0o222 == 0 {
        return Err(format!(
            "not fixed: its directory {} is read-only",
            directory.display()
        ));
    }
    let current = fs::read(&target).map_err(|e| describe_io(&e))?;
    if current != original {
        return Err("not fixed: the file changed on disk while etclint was checking it".into());
    }

    let temporary = temporary_path(&directory, &target);
    let result = write_and_replace(&temporary, &target, &meta, fixed);
    if result.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    result.map_err(|e| format!("not fixed: {e}"))?;
    // The rename is durable only once the directory entry is.
    if let Ok(dir) = File::open(&directory) {
        let _ = dir.sync_all();
    }
    Ok(())
}

fn write_and_replace(
    temporary: &Path,
    target: &Path,
    meta: &fs::Metadata,
    fixed: &[u8],
) -> Result<(), String> {
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(temporary)
        .map_err(|e| format!("cannot create {}: {}", temporary.display(), describe_io(&e)))?;
    file.write_all(fixed).map_err(|e| describe_io(&e))?;
    // Owner first: changing it can clear set-id bits, which the mode then restores.
    if std::os::unix::fs::fchown(&file, Some(meta.uid()), Some(meta.gid())).is_err() && is_root() {
        return Err("cannot keep the owner and group".into());
    }
    file.set_permissions(fs::Permissions::from_mode(
        meta.permissions().mode() & 0o7777,
    ))
    .map_err(|e| describe_io(&e))?;
    copy_extended_attributes(target, temporary);
    file.sync_all().map_err(|e| describe_io(&e))?;
    drop(file);
    fs::rename(temporary, target).map_err(|e| describe_io(&e))
}

/// Extended attributes (SELinux labels, ACLs, user attributes) where the file system has them;
/// an attribute that cannot be set is left behind rather than failing the fix.
fn copy_extended_attributes(from: &Path, to: &Path) {
    let Ok(names) = xattr::list(from) else { return };
    for name in names {
        if let Ok(Some(value)) = xattr::get(from, &name) {
            let _ = xattr::set(to, &name, &value);
        }
    }
}

fn temporary_path(directory: &Path, target: &Path) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    directory.join(format!(".{name}.etclint-{}-{n}.tmp", std::process::id()))
}

fn is_root() -> bool {
    fs::metadata("/proc/self")
        .map(|m| m.uid() == 0)
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn keeps_mode_and_writes_through_symlinks() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.php");
        fs::write(&real, b"old").unwrap();
        fs::set_permissions(&real, fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("link.php");
        symlink(&real, &link).unwrap();
        write_fixed(&link, b"old", b"new").unwrap();
        assert_eq!(fs::read(&real).unwrap(), b"new");
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(
            fs::metadata(&real).unwrap().permissions().mode() & 0o7777,
            0o640
        );
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            2,
            "no temporary file left"
        );
    }

    #[test]
    fn refuses_changed_and_read_only_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.php");
        fs::write(&path, b"changed").unwrap();
        assert!(write_fixed(&path, b"old", b"new")
            .unwrap_err()
            .contains("changed on disk"));
        fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
        assert!(write_fixed(&path, b"changed", b"new")
            .unwrap_err()
            .contains("read-only"));
        assert_eq!(fs::read(&path).unwrap(), b"changed");
    }
}
