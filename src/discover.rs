//! From the paths on the command line to the files to check: directories walked (VCS and
//! build directories skipped, symlinked directories not followed), exclusions applied, and
//! each file's format decided.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use glob::Pattern;
use rayon::iter::Either;
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
    /// Its size when discovery had to ask anyway, so that the engine need not ask again.
    pub size: Option<u64>,
    /// Its other names in the run (a link to it, a hard link), not checked again: under them
    /// it reads the same ([`crate::formats::Handler::shared_context`]).
    pub also: Vec<PathBuf>,
}

impl Target {
    pub fn new(path: PathBuf, format: Option<Format>) -> Self {
        Self {
            path,
            format,
            explicit: true,
            ignore: Vec::new(),
            size: None,
            also: Vec::new(),
        }
    }
}

/// Why a file of the run was not checked. The summary groups them; a file named on the
/// command line that was not checked makes the run fail (exit 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NotChecked {
    /// Named, but there is no such file.
    Missing,
    Unreadable,
    /// Over `--max-file-size`.
    TooLarge,
    Binary,
    /// A symlink found in a walk whose target does not exist.
    BrokenLink,
    /// Its format is known but this version does not parse it yet.
    Unsupported,
    /// Nothing tells its format.
    UnknownFormat,
}

impl NotChecked {
    /// The reason in JSON, SARIF and JUnit.
    pub fn id(self) -> &'static str {
        match self {
            Self::Missing => "missing",
            Self::Unreadable => "unreadable",
            Self::TooLarge => "too-large",
            Self::Binary => "binary",
            Self::BrokenLink => "broken-symlink",
            Self::Unsupported => "unsupported-format",
            Self::UnknownFormat => "unknown-format",
        }
    }

    /// `n` files for this reason, in the summary: `3 not checked: 1 unreadable, 2 binary`.
    pub fn count(self, n: usize) -> String {
        let one = n == 1;
        let what = match self {
            Self::Missing => "missing",
            Self::Unreadable => "unreadable",
            Self::TooLarge => "too large",
            Self::Binary => "binary",
            Self::BrokenLink if one => "broken symlink",
            Self::BrokenLink => "broken symlinks",
            Self::Unsupported if one => "of a format not parsed yet",
            Self::Unsupported => "of formats not parsed yet",
            Self::UnknownFormat => "of no known format",
        };
        format!("{n} {what}")
    }

    /// Whether the tool failed (JUnit `<error>`, a SARIF error) rather than chose not to check.
    pub fn is_failure(self) -> bool {
        matches!(self, Self::Missing | Self::Unreadable)
    }
}

/// A path discovery found but could not make a target of.
#[derive(Debug)]
pub struct Unreached {
    pub target: Target,
    pub reason: NotChecked,
    /// What went wrong, without the path.
    pub detail: String,
}

#[derive(Debug, Default)]
pub struct Discovery {
    pub targets: Vec<Target>,
    /// Paths that could not be read or followed.
    pub unreached: Vec<Unreached>,
    /// Things the user should know but that are not errors.
    pub notes: Vec<String>,
    /// Named directories in which no file to check was found.
    pub empty: Vec<PathBuf>,
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
            size: None,
            also: Vec::new(),
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
    // Beside each target: what makes it one file under several names.
    let mut names: Vec<Option<Name>> = Vec::new();
    let mut seen = Seen {
        cwd: std::env::current_dir().unwrap_or_default(),
        keys: HashSet::new(),
    };
    // In parallel: pre-commit and xargs name thousands of files.
    let metadata: Vec<io::Result<fs::Metadata>> = paths.par_iter().map(fs::metadata).collect();
    for (path, metadata) in paths.iter().zip(metadata) {
        let explicit_exclusion = options.force_exclude && options.is_excluded(path);
        match metadata {
            Err(err) => {
                let reason = if err.kind() == io::ErrorKind::NotFound {
                    NotChecked::Missing
                } else {
                    NotChecked::Unreadable
                };
                discovery.unreached.push(Unreached {
                    target: options.target(path.clone(), options.format_of(path), true),
                    reason,
                    detail: describe_io(&err),
                });
            }
            Ok(_) if explicit_exclusion => {}
            Ok(meta) if meta.is_dir() => {
                let before = discovery.targets.len();
                // One walk cannot find a file twice (linked directories are not followed).
                let one_walk = paths.len() == 1;
                for found in walk(path, options) {
                    match found {
                        Found::File(target, name) => {
                            if one_walk || seen.insert(&target.path) {
                                discovery.targets.push(target);
                                names.push(name);
                            }
                        }
                        Found::Unreached(unreached) => discovery.unreached.push(unreached),
                    }
                }
                if discovery.targets.len() == before {
                    discovery.empty.push(path.clone());
                }
            }
            Ok(meta) => {
                if seen.insert(path) {
                    let format = options.format_of(path);
                    if format.is_none() {
                        discovery.notes.push(format!(
                            "{}: no format detected from the name; use --as FORMAT or [formats] in etclint.toml",
                            path.display()
                        ));
                    }
                    let mut target = options.target(path.clone(), format, true);
                    target.size = Some(meta.len());
                    discovery.targets.push(target);
                    // Whether it is a link is asked only if another name has its identity.
                    names.push(Some(Name::of(&meta, None)));
                }
            }
        }
    }
    merge_names(&mut discovery.targets, &names, &seen.cwd);
    discovery
}

/// What tells that two names are one file: its device and inode; and whether this name is a
/// symbolic link, when the walk knew it anyway.
#[derive(Debug, Clone, Copy)]
struct Name {
    identity: (u64, u64),
    link: Option<bool>,
}

impl Name {
    fn of(meta: &fs::Metadata, link: Option<bool>) -> Self {
        Self {
            identity: (meta.dev(), meta.ino()),
            link,
        }
    }
}

/// A file the run has under several names of one format (a virtual host in `sites-available`
/// and its link in `sites-enabled`, hard links) is checked once, where its format says the
/// name changes nothing it means: under the name that is not a link, else the first. Its
/// other names go into its `also`, in order. Checked under each name, it would be reported,
/// and fixed, twice.
fn merge_names(targets: &mut Vec<Target>, names: &[Option<Name>], cwd: &Path) {
    // Sorted by identity, so that the names of one file are side by side: no hash of every
    // file of a large tree.
    let mut by_identity: Vec<((u64, u64), usize)> = (names.iter().enumerate())
        .filter_map(|(i, name)| name.map(|n| (n.identity, i)))
        .collect();
    by_identity.sort_unstable();
    let mut merged = vec![false; targets.len()];
    for names_of_one in by_identity.chunk_by(|a, b| a.0 == b.0) {
        if names_of_one.len() < 2 {
            continue;
        }
        // Its names, by format and context, then in run order.
        let mut alike: Vec<(Format, PathBuf, usize)> = (names_of_one.iter())
            .filter_map(|&(_, i)| {
                let format = targets[i].format?;
                let absolute = normalize(&cwd.join(&targets[i].path));
                let context = format.handler()?.shared_context(&absolute)?;
                Some((format, context, i))
            })
            .collect();
        alike.sort_unstable();
        for group in alike.chunk_by(|a, b| (a.0, &a.1) == (b.0, &b.1)) {
            let is_link = |i: usize| {
                names[i].and_then(|n| n.link).unwrap_or_else(|| {
                    fs::symlink_metadata(&targets[i].path).is_ok_and(|m| m.file_type().is_symlink())
                })
            };
            let kept = (group.iter().map(|g| g.2))
                .find(|&i| !is_link(i))
                .unwrap_or(group[0].2);
            for &(_, _, i) in group {
                if i != kept {
                    merged[i] = true;
                    let path = targets[i].path.clone();
                    targets[kept].also.push(path);
                }
            }
        }
    }
    let mut place = 0;
    targets.retain(|_| {
        let keep = !merged[place];
        place += 1;
        keep
    });
}

/// The files already in the run, by absolute path without `.` and `..`: `a.php`,
/// `./a.php` and `$PWD/a.php` are one file.
struct Seen {
    cwd: PathBuf,
    keys: HashSet<PathBuf>,
}

impl Seen {
    fn insert(&mut self, path: &Path) -> bool {
        self.keys.insert(normalize(&self.cwd.join(path)))
    }
}

/// What a walk found, in the walk's order.
enum Found {
    File(Target, Option<Name>),
    Unreached(Unreached),
}

/// The files to check under `directory`, in name order at every level. Subdirectories are
/// walked in parallel: a tree of web roots has thousands of small directories.
fn walk(directory: &Path, options: &DiscoverOptions) -> Vec<Found> {
    let entries = match fs::read_dir(directory) {
        Ok(entries) => entries,
        Err(err) => {
            return vec![Found::Unreached(Unreached {
                target: options.target(directory.to_path_buf(), None, false),
                reason: NotChecked::Unreadable,
                detail: describe_io(&err),
            })];
        }
    };
    // Each name taken once: `sort_by_key(file_name)` would allocate two per comparison.
    let mut entries: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| (e.file_name(), e))
        .collect();
    entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    entries
        .into_par_iter()
        .flat_map_iter(|(_, entry)| match visit(directory, &entry, options) {
            Visit::Skip => Either::Left(None.into_iter()),
            Visit::Found(found) => Either::Left(Some(found).into_iter()),
            Visit::Directory(path) => Either::Right(walk(&path, options).into_iter()),
        })
        .collect()
}

enum Visit {
    Skip,
    Found(Found),
    Directory(PathBuf),
}

fn visit(directory: &Path, entry: &fs::DirEntry, options: &DiscoverOptions) -> Visit {
    let path = if directory == Path::new(".") {
        PathBuf::from(entry.file_name())
    } else {
        entry.path()
    };
    if options.is_excluded(&path) {
        return Visit::Skip;
    }
    let Ok(file_type) = entry.file_type() else {
        return Visit::Skip;
    };
    if file_type.is_dir() {
        let name = entry.file_name();
        if SKIPPED_DIRECTORIES.iter().any(|s| name == *s) {
            return Visit::Skip;
        }
        return Visit::Directory(path);
    }
    let Some(format) = options.format_of(&path) else {
        return Visit::Skip;
    };
    // A link to a file is checked (and fixed through); a link to a directory is not followed,
    // so that link loops cannot trap the walk.
    let metadata = if file_type.is_symlink() {
        fs::metadata(&path)
    } else if file_type.is_file() {
        // Beside the directory's handle: cheaper than the engine's look-up by path.
        entry.metadata()
    } else {
        return Visit::Skip;
    };
    match metadata {
        Ok(meta) if meta.is_file() => {
            let mut target = options.target(path, Some(format), false);
            target.size = Some(meta.len());
            let name = Name::of(&meta, Some(file_type.is_symlink()));
            Visit::Found(Found::File(target, Some(name)))
        }
        Ok(_) => Visit::Skip,
        Err(err) if file_type.is_symlink() => Visit::Found(Found::Unreached(Unreached {
            target: options.target(path, Some(format), false),
            reason: NotChecked::BrokenLink,
            detail: format!("not checked: {}", describe_io(&err)),
        })),
        // Gone since the directory was read: the engine's read says so.
        Err(_) => Visit::Found(Found::File(options.target(path, Some(format), false), None)),
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
