//! From the paths on the command line to the files to check: directories walked (VCS and
//! build directories skipped, symlinked directories not followed), exclusions applied, and
//! each file's format decided.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use glob::Pattern;
use rayon::prelude::*;

use crate::formats::Format;
use crate::workspace::normalize;

/// Directories never walked into.
const SKIPPED_DIRECTORIES: &[&str] = &[".git", ".hg", ".svn", ".bzr", "_darcs", "CVS", "target"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub path: PathBuf,
    /// `None` when nothing tells the format: reported for explicit paths, skipped in walks.
    pub format: Option<Format>,
    /// Named on the command line, not found in a walk.
    pub explicit: bool,
    /// Rule codes `[per-file-ignores]` turns off for this file.
    pub ignore: Vec<&'static str>,
}

impl Target {
    pub fn new(path: PathBuf, format: Option<Format>) -> Self {
        Self {
            path,
            format,
            explicit: true,
            ignore: Vec::new(),
        }
    }
}

#[derive(Debug, Default)]
pub struct Discovery {
    pub targets: Vec<Target>,
    /// Paths that could not be read: `path: reason`.
    pub errors: Vec<String>,
    /// Things the user should know but that are not errors.
    pub notes: Vec<String>,
}

#[derive(Debug, Default, Clone)]
pub struct DiscoverOptions {
    /// Read every file as this format.
    pub force_format: Option<Format>,
    /// Glob → format, for files whose names say nothing; the first match wins.
    pub formats: Vec<(Pattern, Format)>,
    pub exclude: Vec<Pattern>,
    /// Apply `exclude` to paths named explicitly too (pre-commit passes every file).
    pub force_exclude: bool,
    /// The directory of the configuration file: globs also match paths relative to it.
    pub base: Option<PathBuf>,
    /// Glob → rule codes not reported for the files it matches.
    pub per_file_ignores: Vec<(Pattern, Vec<&'static str>)>,
}

impl DiscoverOptions {
    pub fn format_of(&self, path: &Path) -> Option<Format> {
        self.force_format
            .or_else(|| {
                self.formats
                    .iter()
                    .find(|(glob, _)| self.matches(glob, path))
                    .map(|(_, f)| *f)
            })
            .or_else(|| Format::detect(path))
    }

    /// A file that joins the run by reference, not by its name on the command line.
    pub fn target_for(&self, path: PathBuf, format: Option<Format>) -> Target {
        self.target(path, format, false)
    }

    fn target(&self, path: PathBuf, format: Option<Format>, explicit: bool) -> Target {
        let ignore = self
            .per_file_ignores
            .iter()
            .filter(|(glob, _)| self.matches(glob, &path))
            .flat_map(|(_, codes)| codes.iter().copied())
            .collect();
        Target {
            path,
            format,
            explicit,
            ignore,
        }
    }

    fn is_excluded(&self, path: &Path) -> bool {
        !self.exclude.is_empty() && self.exclude.iter().any(|glob| self.matches(glob, path))
    }

    /// `glob` matches `path` as given, or relative to the configuration's directory.
    pub fn matches(&self, glob: &Pattern, path: &Path) -> bool {
        glob_matches(glob, path)
            || self.base.as_ref().is_some_and(|base| {
                let absolute = std::env::current_dir().unwrap_or_default().join(path);
                normalize(&absolute)
                    .strip_prefix(base)
                    .is_ok_and(|relative| glob_matches(glob, relative))
            })
    }
}

/// A glob matches a path if it matches any run of the path's components: the whole path,
/// its last components, or a directory on it (so `vendor` and `*/cache` exclude
/// `site/vendor/x.php` and `site/cache/y.php`).
pub fn glob_matches(glob: &Pattern, path: &Path) -> bool {
    let path = path.strip_prefix("./").unwrap_or(path);
    let parts: Vec<_> = path.components().collect();
    (1..=parts.len()).any(|end| {
        (0..end).any(|start| glob.matches_path(&parts[start..end].iter().collect::<PathBuf>()))
    })
}

pub fn discover(paths: &[PathBuf], options: &DiscoverOptions) -> Discovery {
    let mut discovery = Discovery::default();
    let mut seen = HashSet::new();
    // In parallel: pre-commit and xargs name thousands of files.
    let metadata: Vec<io::Result<fs::Metadata>> = paths.par_iter().map(fs::metadata).collect();
    for (path, metadata) in paths.iter().zip(metadata) {
        let explicit_exclusion = options.force_exclude && options.is_excluded(path);
        match metadata {
            Err(err) => discovery
                .errors
                .push(format!("{}: {}", path.display(), describe_io(&err))),
            Ok(_) if explicit_exclusion => {}
            Ok(meta) if meta.is_dir() => walk(path, options, &mut discovery, &mut seen),
            Ok(_) => {
                if seen.insert(normalize(path)) {
                    let format = options.format_of(path);
                    if format.is_none() {
                        discovery.notes.push(format!(
                            "{}: no format detected from the name; use --as FORMAT or [formats] in etclint.toml",
                            path.display()
                        ));
                    }
                    discovery
                        .targets
                        .push(options.target(path.clone(), format, true));
                }
            }
        }
    }
    discovery
}

fn walk(
    directory: &Path,
    options: &DiscoverOptions,
    discovery: &mut Discovery,
    seen: &mut HashSet<PathBuf>,
) {
    let entries = match fs::read_dir(directory) {
        Ok(entries) => entries,
        Err(err) => {
            discovery
                .errors
                .push(format!("{}: {}", directory.display(), describe_io(&err)));
            return;
        }
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = if directory == Path::new(".") {
            PathBuf::from(entry.file_name())
        } else {
            entry.path()
        };
        if options.is_excluded(&path) {
            continue;
        }
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        if file_type.is_dir() {
            let name = entry.file_name();
            if !SKIPPED_DIRECTORIES.iter().any(|s| name == *s) {
                walk(&path, options, discovery, seen);
            }
            continue;
        }
        let Some(format) = options.format_of(&path) else {
            continue;
        };
        if file_type.is_symlink() {
            // A link to a file is checked (and fixed through); a link to a directory is not
            // followed, so that link loops cannot trap the walk.
            match fs::metadata(&path) {
                Ok(meta) if meta.is_file() => {}
                Ok(_) => continue,
                Err(err) => {
                    discovery.notes.push(format!(
                        "{}: not checked: {}",
                        path.display(),
                        describe_io(&err)
                    ));
                    continue;
                }
            }
        } else if !file_type.is_file() {
            continue;
        }
        if seen.insert(normalize(&path)) {
            discovery
                .targets
                .push(options.target(path, Some(format), false));
        }
    }
}

/// An I/O error as a short sentence, without Rust's "(os error 2)".
pub fn describe_io(err: &io::Error) -> String {
    let text = err.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_whole_paths_and_tails() {
        let vendor = Pattern::new("vendor").unwrap();
        assert!(glob_matches(&vendor, Path::new("site/vendor/x.php")));
        assert!(!glob_matches(&vendor, Path::new("site/vendors.php")));
        let star = Pattern::new("**/cache/*.php").unwrap();
        assert!(glob_matches(&star, Path::new("a/cache/x.php")));
        let name = Pattern::new("*.inc").unwrap();
        assert!(glob_matches(&name, Path::new("./lib/x.inc")));
    }
}
