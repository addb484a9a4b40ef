//! The system around a grub.conf, under `--root`: where its boot files are, the evidence that
//! md software RAID is in use, and the versions boot file names carry.

use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::workspace::Workspace;

/// A boot file as the running system names it, GRUB's device prefix removed:
/// `(hd0,0)/vmlinuz-2.6.18` → `/vmlinuz-2.6.18`.
pub fn boot_path(written: &str) -> &str {
    match written.strip_prefix('(') {
        Some(rest) => rest.split_once(')').map_or(written, |(_, path)| path),
        None => written,
    }
}

/// Where a boot file may be: with `root (hd0,0)` and /boot its own partition, GRUB's `/x` is
/// `/boot/x`; else it is `/x`. Each candidate with the path on the system.
pub fn candidates(ws: &Workspace, referrer: &Path, written: &str) -> Vec<(PathBuf, String)> {
    let path = boot_path(written);
    if !path.starts_with('/') {
        return Vec::new();
    }
    let on_boot = format!("/boot{path}");
    let mut out = Vec::new();
    if !path.starts_with("/boot/") {
        out.push((ws.resolve(referrer, &on_boot), on_boot));
    }
    out.push((ws.resolve(referrer, path), path.to_string()));
    out
}

/// The first candidate that exists.
pub fn locate(ws: &Workspace, referrer: &Path, written: &str) -> Option<(PathBuf, String)> {
    candidates(ws, referrer, written)
        .into_iter()
        .find(|(p, _)| p.is_file())
}

/// A line of another file that shows something, for a label there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub path: PathBuf,
    /// The path on the system (`/etc/fstab`).
    pub system_path: &'static str,
    pub span: Range<usize>,
    pub line: String,
}

/// Whether a line's words show md RAID.
type Shows = fn(&[&str]) -> bool;

/// The files that show md RAID in use: `ARRAY` lines of mdadm.conf (RHEL's or Debian's place),
/// `raiddev` in `/etc/raidtab`, `/dev/md*` in `/etc/fstab`.
pub fn md_raid(ws: &Workspace, referrer: &Path) -> Vec<Evidence> {
    let sources: [(&'static str, Shows); 4] = [
        ("/etc/mdadm.conf", |w| w[0].eq_ignore_ascii_case("ARRAY")),
        ("/etc/mdadm/mdadm.conf", |w| {
            w[0].eq_ignore_ascii_case("ARRAY")
        }),
        ("/etc/raidtab", |w| w[0] == "raiddev"),
        ("/etc/fstab", |w| w[0].starts_with("/dev/md")),
    ];
    let mut out = Vec::new();
    for (system_path, shows) in sources {
        let path = ws.resolve(referrer, system_path);
        let artifact = ws.artifact(&path);
        let Ok(bytes) = artifact.as_ref() else {
            continue;
        };
        let mut start = 0;
        for line in bytes.split(|&b| b == b'\n') {
            let span = start..start + line.len();
            start += line.len() + 1;
            let text = String::from_utf8_lossy(line);
            let words: Vec<&str> = text.split_whitespace().collect();
            if words.is_empty() || words[0].starts_with('#') || !shows(&words) {
                continue;
            }
            out.push(Evidence {
                path: path.clone(),
                system_path,
                span,
                line: text.trim().to_string(),
            });
            break;
        }
    }
    out
}

/// The kernel version a boot file's name carries: `vmlinuz-2.6.18-8.el5`,
/// `initrd-2.6.18-8.el5.img`, `initrd.img-6.1.0-13-amd64`, `initramfs-5.14.0.img`.
pub fn version(written: &str) -> Option<&str> {
    let name = boot_path(written).rsplit('/').next()?;
    const PREFIXES: &[&str] = &[
        "NO_DMRAID_initrd-",
        "initrd.img-",
        "initramfs-",
        "initrd-",
        "vmlinuz-",
        "vmlinux-",
        "kernel-",
        "bzImage-",
        "linux-",
    ];
    let rest = PREFIXES.iter().find_map(|p| name.strip_prefix(p))?;
    let rest = rest.strip_suffix(".img").unwrap_or(rest);
    let rest = rest.strip_suffix(".gz").unwrap_or(rest);
    (!rest.is_empty()).then_some(rest)
}

/// The file a `kernel` or `initrd` line boots (after `--options`), with its place in the line.
pub fn boot_file(line: &super::Line) -> Option<Range<usize>> {
    let seen = line.seen();
    line.words()
        .into_iter()
        .find(|w| !seen[w.clone()].starts_with(b"--"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_of_boot_files() {
        assert_eq!(
            version("/vmlinuz-2.6.18-8.1.6.el5"),
            Some("2.6.18-8.1.6.el5")
        );
        assert_eq!(
            version("(hd0,0)/initrd-2.6.18-8.el5.img"),
            Some("2.6.18-8.el5")
        );
        assert_eq!(
            version("/boot/initrd.img-6.1.0-13-amd64"),
            Some("6.1.0-13-amd64")
        );
        assert_eq!(version("/NO_DMRAID_initrd-2.6.18.img"), Some("2.6.18"));
        assert_eq!(version("/vmlinuz"), None);
        assert_eq!(boot_path("(hd0,0)/x"), "/x");
    }
}
