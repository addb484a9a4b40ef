//! Paths as CI services want them: relative to the directory etclint runs in (the checkout),
//! with `/` separators, and as URIs for SARIF.

use std::path::{Component, Path, PathBuf};

use crate::workspace::normalize;

/// `path` relative to `base` when it lies under it. Lexical: the file need not exist, and a
/// symbolic link stays the name it was given by. `base` must be absolute.
pub fn relative_to(path: &Path, base: &Path) -> Option<PathBuf> {
    let absolute = normalize(&base.join(path));
    absolute
        .strip_prefix(normalize(base))
        .ok()
        .map(Path::to_path_buf)
}

/// Where a finding is, for a CI service that resolves paths from the checkout: relative to
/// the current directory when the file is under it, else as given.
pub fn display_path(path: &Path, cwd: Option<&Path>) -> String {
    let relative = cwd.and_then(|cwd| relative_to(path, cwd));
    let shown = relative.as_deref().unwrap_or(path);
    let segments: Vec<String> = shown
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .map(|c| match c {
            Component::RootDir => String::new(),
            other => other.as_os_str().to_string_lossy().into_owned(),
        })
        .collect();
    match segments.as_slice() {
        [root] if root.is_empty() => "/".into(),
        _ => segments.join("/"),
    }
}

/// A SARIF `artifactLocation`'s address: relative to `%SRCROOT%` (the current directory) when
/// the file is under it, else an absolute `file:` URI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArtifactUri {
    UnderSrcRoot(String),
    Absolute(String),
}

pub fn artifact_uri(path: &Path, cwd: Option<&Path>) -> ArtifactUri {
    match cwd {
        Some(cwd) => match relative_to(path, cwd) {
            Some(relative) => ArtifactUri::UnderSrcRoot(encode_segments(&relative)),
            None => ArtifactUri::Absolute(file_uri(&normalize(&cwd.join(path)), false)),
        },
        None if path.is_relative() => ArtifactUri::UnderSrcRoot(encode_segments(&normalize(path))),
        None => ArtifactUri::Absolute(file_uri(&normalize(path), false)),
    }
}

/// `file:///dir/…`, with a final `/` when `directory` (SARIF wants one on a base URI).
pub fn file_uri(absolute: &Path, directory: bool) -> String {
    let mut uri = format!("file:///{}", encode_segments(absolute));
    if directory && !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// The path's names, percent-encoded, joined by `/`.
fn encode_segments(path: &Path) -> String {
    let segments: Vec<String> = path
        .components()
        .filter_map(|c| match c {
            Component::Normal(name) => Some(percent_encode(&os_bytes(name))),
            Component::ParentDir => Some("..".into()),
            _ => None,
        })
        .collect();
    segments.join("/")
}

#[cfg(unix)]
fn os_bytes(name: &std::ffi::OsStr) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    name.as_bytes().to_vec()
}

#[cfg(not(unix))]
fn os_bytes(name: &std::ffi::OsStr) -> Vec<u8> {
    name.to_string_lossy().into_owned().into_bytes()
}

/// Percent-encodes one path segment (RFC 3986). `:` is encoded too: in the first segment of a
/// relative reference it would read as a scheme (`c:x.php`).
fn percent_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &byte in bytes {
        let kept = byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=@".contains(&byte);
        if kept {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const CWD: &str = "/work/site";

    fn uri(path: &str) -> ArtifactUri {
        artifact_uri(Path::new(path), Some(Path::new(CWD)))
    }

    #[test]
    fn relative_paths_stay_under_the_source_root() {
        assert_eq!(uri("a.php"), ArtifactUri::UnderSrcRoot("a.php".into()));
        assert_eq!(
            uri("./lib/../inc/db.inc"),
            ArtifactUri::UnderSrcRoot("inc/db.inc".into())
        );
        assert_eq!(
            uri("/work/site/x/y.php"),
            ArtifactUri::UnderSrcRoot("x/y.php".into())
        );
    }

    #[test]
    fn paths_outside_become_file_uris() {
        assert_eq!(
            uri("../other/a.php"),
            ArtifactUri::Absolute("file:///work/other/a.php".into())
        );
        assert_eq!(
            uri("/etc/php/8.2/php.ini"),
            ArtifactUri::Absolute("file:///etc/php/8.2/php.ini".into())
        );
    }

    #[test]
    fn what_a_uri_cannot_hold_is_percent_encoded() {
        assert_eq!(
            uri("my dir/50%:a#b?.php"),
            ArtifactUri::UnderSrcRoot("my%20dir/50%25%3Aa%23b%3F.php".into())
        );
        assert_eq!(uri("é.php"), ArtifactUri::UnderSrcRoot("%C3%A9.php".into()));
        assert_eq!(
            file_uri(Path::new("/a b"), true),
            "file:///a%20b/".to_string()
        );
    }

    #[test]
    fn display_paths_are_relative_with_slashes() {
        let cwd = Some(Path::new(CWD));
        assert_eq!(display_path(Path::new("./a/b.php"), cwd), "a/b.php");
        assert_eq!(display_path(Path::new("/work/site/b.php"), cwd), "b.php");
        assert_eq!(display_path(Path::new("/etc/x.php"), cwd), "/etc/x.php");
        assert_eq!(display_path(Path::new("../y.php"), cwd), "../y.php");
        assert_eq!(display_path(Path::new("b.php"), None), "b.php");
    }
}
