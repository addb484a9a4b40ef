//! What files know of each other. Phase 1 gives each file's facts (small typed summaries) and
//! the files it names; the workspace resolves those names once, against `--root` for absolute
//! paths or the naming file's directory, and answers "who names this file" and "what are that
//! file's facts". Artifacts that are not configuration (an initrd image, `/etc/fstab`) are read
//! through it on demand, bounded in size, each once per run.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::ffi::OsString;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use crate::diagnostic::Diagnostic;
use crate::discover::describe_io;
use crate::formats::Format;
use crate::rules::Rule;

/// A map keyed by workspace keys, as bytes: a key is absolute and normal, so equal paths are
/// equal bytes, and hashing bytes is several times quicker than `Path`'s hash, which parses
/// components. foldhash rather than SipHash: the keys are the user's own paths.
pub type KeyMap<V> = HashMap<OsString, V, foldhash::fast::RandomState>;

/// What one file tells others.
#[derive(Default)]
pub struct Facts {
    pub references: Vec<Reference>,
    /// The format's own summary, which its rules downcast (`PhpFacts`…).
    pub data: Option<Box<dyn Any + Send + Sync>>,
}

impl Facts {
    pub fn data<T: 'static>(&self) -> Option<&T> {
        self.data.as_ref()?.downcast_ref()
    }
}

/// A file named by another: `regexp:/etc/postfix/x.regexp`, `Include conf.d/*.conf`,
/// `require '/var/www/lib/config.php'`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// Where the naming file names it.
    pub span: Range<usize>,
    /// The path as written.
    pub written: String,
    pub role: Role,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A file to check as this format: it joins the run if it was not named.
    Check(Format),
    /// Data a rule reads through [`Workspace::artifact`]; never checked itself.
    Artifact,
    /// Relates files that are both in the run, and brings in no other (PHP includes: linting one
    /// file does not lint all it includes).
    Link,
}

/// One memo: built by the first thread that asks, while the others wait for it.
type Memo = Arc<OnceLock<Arc<dyn Any + Send + Sync>>>;

/// An artifact's bytes, or why they could not be read.
pub type Artifact = Arc<Result<Vec<u8>, String>>;

/// One file of the run.
pub struct Entry {
    /// As the reports name it (relative stays relative).
    pub path: PathBuf,
    pub format: Format,
    pub facts: Facts,
    /// Each reference's target as reports would name it.
    pub resolved: Vec<PathBuf>,
    /// [`Workspace::key`] of `path`.
    key: PathBuf,
}

/// Where a file and the files it names are, worked out before [`Workspace::add_placed`] (in
/// parallel, beside the file's lint) rather than while the workspace grows, one file at a time.
pub struct Placed {
    key: PathBuf,
    resolved: Vec<PathBuf>,
    /// The key of each of `resolved`.
    target_keys: Vec<PathBuf>,
}

impl Placed {
    /// The key of the target of reference `n`.
    pub fn target_key(&self, n: usize) -> &Path {
        &self.target_keys[n]
    }
}

pub struct Workspace {
    root: PathBuf,
    /// The key of `root`.
    root_key: PathBuf,
    cwd: PathBuf,
    files: Vec<Entry>,
    /// Key → file, built on the first lookup: most runs never ask.
    by_key: OnceLock<KeyMap<usize>>,
    /// Target key → (file, reference) that name it.
    referrers: KeyMap<Vec<(usize, usize)>>,
    artifacts: Mutex<HashMap<PathBuf, Artifact>>,
    max_artifact_size: u64,
    /// What rules derived from every file's facts ([`Workspace::memo`]), by type, each with the
    /// `generation` it was made for.
    memos: Mutex<HashMap<TypeId, (u64, Memo)>>,
    /// Counts the changes of facts: a memo of an earlier count is stale. It is dropped only
    /// when asked for again, so that a large one (Apache's index of thousands of files) is not
    /// freed, one file at a time, in the serial merge of every file's facts.
    generation: u64,
    /// The keys of other names of files of the run (links…) → the key they are checked under.
    aliases: KeyMap<PathBuf>,
}

impl Workspace {
    pub fn new(root: &Path, max_artifact_size: u64) -> Self {
        let cwd = std::env::current_dir().unwrap_or_default();
        Self {
            root: root.to_path_buf(),
            root_key: normalize(&cwd.join(root)),
            cwd,
            files: Vec::new(),
            by_key: OnceLock::new(),
            referrers: KeyMap::default(),
            artifacts: Mutex::new(HashMap::new()),
            max_artifact_size,
            memos: Mutex::new(HashMap::new()),
            generation: 0,
            aliases: KeyMap::default(),
        }
    }

    /// A workspace with no file yet, for the same run: the same root and other names.
    pub fn empty_like(&self) -> Self {
        let mut empty = Self::new(&self.root, self.max_artifact_size);
        empty.aliases = self.aliases.clone();
        empty
    }

    /// `name` is another name of the file the run checks as `checked_as`: [`Workspace::key`]
    /// gives the key of `checked_as` for both, so that references through either find it.
    pub fn alias(&mut self, name: &Path, checked_as: &Path) {
        let key = self.key(checked_as);
        self.aliases.insert(self.key(name).into_os_string(), key);
    }

    /// The one name of a file however it is spelt: absolute and normalised (and, for another
    /// name of a file of the run, that file's).
    pub fn key(&self, path: &Path) -> PathBuf {
        let joined = self.cwd.join(path);
        let key = if is_normal(&joined) {
            joined
        } else {
            normalize(&joined)
        };
        if !self.aliases.is_empty() {
            if let Some(checked_as) = self.aliases.get(key.as_os_str()) {
                return checked_as.clone();
            }
        }
        key
    }

    /// The key of `--root`, under which absolute paths resolve.
    pub fn root_key(&self) -> &Path {
        &self.root_key
    }

    /// Where `written`, named in the file at `referrer`, is: under the root when absolute, else
    /// beside the referrer; relative stays relative.
    pub fn resolve(&self, referrer: &Path, written: &str) -> PathBuf {
        match written.strip_prefix('/') {
            Some(absolute) => normalize(&self.root.join(absolute.trim_start_matches('/'))),
            None => normalize(&referrer.parent().unwrap_or(Path::new("")).join(written)),
        }
    }

    /// Resolves a file's references, and the keys, for [`Workspace::add_placed`].
    pub fn place(&self, path: &Path, facts: &Facts) -> Placed {
        let resolved: Vec<PathBuf> = (facts.references.iter())
            .map(|r| self.resolve(path, &r.written))
            .collect();
        Placed {
            key: self.key(path),
            target_keys: resolved.iter().map(|target| self.key(target)).collect(),
            resolved,
        }
    }

    /// Adds a file's facts; returns its place in [`Workspace::files`].
    pub fn add(&mut self, path: &Path, format: Format, facts: Facts) -> usize {
        let placed = self.place(path, &facts);
        self.add_placed(path, format, facts, placed)
    }

    /// [`Workspace::add`], with what [`Workspace::place`] worked out for this workspace's root.
    pub fn add_placed(
        &mut self,
        path: &Path,
        format: Format,
        facts: Facts,
        placed: Placed,
    ) -> usize {
        let index = self.files.len();
        let Placed {
            key,
            resolved,
            target_keys,
        } = placed;
        for (reference, target_key) in target_keys.into_iter().enumerate() {
            self.referrers
                .entry(target_key.into_os_string())
                .or_default()
                .push((index, reference));
        }
        self.by_key = OnceLock::new();
        self.generation += 1;
        self.files.push(Entry {
            path: path.to_path_buf(),
            format,
            facts,
            resolved,
            key,
        });
        index
    }

    /// Puts in the facts of a file again (after fixes changed it).
    pub fn replace(&mut self, path: &Path, format: Format, facts: Facts) {
        let Some(&index) = self.by_key().get(self.key(path).as_os_str()) else {
            self.add(path, format, facts);
            return;
        };
        let resolved = facts
            .references
            .iter()
            .map(|r| self.resolve(path, &r.written))
            .collect();
        self.generation += 1;
        let entry = &mut self.files[index];
        entry.facts = facts;
        entry.resolved = resolved;
        self.referrers.clear();
        for (file, entry) in self.files.iter().enumerate() {
            for (reference, target) in entry.resolved.iter().enumerate() {
                self.referrers
                    .entry(self.key(target).into_os_string())
                    .or_default()
                    .push((file, reference));
            }
        }
    }

    fn by_key(&self) -> &KeyMap<usize> {
        self.by_key.get_or_init(|| {
            (self.files.iter().enumerate())
                .map(|(i, entry)| (entry.key.clone().into_os_string(), i))
                .collect()
        })
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn files(&self) -> &[Entry] {
        &self.files
    }

    /// The facts of the file `key` names, if it is in the run.
    pub fn file(&self, key: &Path) -> Option<&Entry> {
        self.by_key().get(key.as_os_str()).map(|&i| &self.files[i])
    }

    /// The files of the run that name `key`, each with its reference.
    pub fn referrers(&self, key: &Path) -> impl Iterator<Item = (&Entry, &Reference)> {
        self.referrers
            .get(key.as_os_str())
            .into_iter()
            .flatten()
            .map(|&(file, reference)| {
                let entry = &self.files[file];
                (entry, &entry.facts.references[reference])
            })
    }

    /// A value derived from every file's facts (an index that rules of many files look up),
    /// built once per state of the workspace: one per type `T`, built again when facts have
    /// changed since.
    pub fn memo<T: Any + Send + Sync>(&self, build: impl FnOnce(&Self) -> T) -> Arc<T> {
        let id = TypeId::of::<T>();
        let cell = {
            let mut memos = self.memos.lock().unwrap_or_else(|e| e.into_inner());
            let memo = memos.entry(id).or_default();
            if memo.0 != self.generation {
                *memo = (self.generation, Memo::default());
            }
            memo.1.clone()
        };
        // Built without the map's lock: a build may ask for another memo.
        let built = cell.get_or_init(|| Arc::new(build(self)));
        built
            .clone()
            .downcast()
            .expect("memos are keyed by their type")
    }

    /// The bytes of a file that is not checked itself (a path under the root as a reference
    /// resolved it), read once per run and at most the size limit.
    pub fn artifact(&self, path: &Path) -> Artifact {
        let key = self.key(path);
        let mut cache = self.artifacts.lock().unwrap_or_else(|e| e.into_inner());
        cache
            .entry(key)
            .or_insert_with(|| {
                Arc::new(read_bounded(path, self.max_artifact_size).map_err(|e| e.to_string()))
            })
            .clone()
    }
}

/// Why a file was not read.
pub enum Unread {
    TooLarge { size: u64, limit: u64 },
    Io(String),
}

impl std::fmt::Display for Unread {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::TooLarge { size, limit } => write!(
                f,
                "{size} bytes is over the size limit of {limit} bytes (--max-file-size)"
            ),
            Self::Io(reason) => f.write_str(reason),
        }
    }
}

/// A file's bytes, unless it is larger than `limit`.
pub(crate) fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, Unread> {
    read_sized(path, limit, None)
}

/// [`read_bounded`], with the size discovery found when it had to ask (`None`: ask the open
/// file). Thousands of small files: each costs an open, a read and a close, nothing more.
pub(crate) fn read_sized(path: &Path, limit: u64, size: Option<u64>) -> Result<Vec<u8>, Unread> {
    use std::io::Read;
    let io = |e: std::io::Error| Unread::Io(describe_io(&e));
    let bounded = |size: u64| {
        if size > limit {
            Err(Unread::TooLarge { size, limit })
        } else {
            Ok(size)
        }
    };
    // A known size is checked before the file is even opened.
    let known = size.map(bounded).transpose()?;
    let file = std::fs::File::open(path).map_err(io)?;
    let size = match known {
        Some(size) => size,
        None => bounded(file.metadata().map_err(io)?.len())?,
    };
    // `take`, not `File::read_to_end`, which asks the size again (a `statx` and an `lseek`).
    let mut bytes = Vec::with_capacity(size as usize + 1);
    file.take(limit + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > limit {
        // It grew since its size was taken.
        return Err(Unread::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// A rule that looks only at facts, once all files' are in: `check: WorkspaceCheck { run }`.
/// It reports in any file; its findings are not fixed (a rule whose finding has a fix reads the
/// workspace from a per-file check instead, `cx.workspace()`).
pub struct WorkspaceCheck {
    pub run: fn(&Workspace, &mut WorkspaceReporter),
}

pub struct WorkspaceReporter<'a> {
    rule: &'static Rule,
    /// (file path as the workspace has it, finding).
    pub(crate) found: &'a mut Vec<(PathBuf, Diagnostic)>,
}

impl<'a> WorkspaceReporter<'a> {
    pub fn new(rule: &'static Rule, found: &'a mut Vec<(PathBuf, Diagnostic)>) -> Self {
        Self { rule, found }
    }

    pub fn report(
        &mut self,
        file: &Path,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let severity = self.rule.meta().front.severity;
        let diagnostic = Diagnostic::new(self.rule.code, self.rule.name, severity, span, message);
        self.found.push((file.to_path_buf(), diagnostic));
        &mut self.found.last_mut().expect("just pushed").1
    }
}

/// Whether `normalize` would give `path` back: absolute, with no `.` or `..` component, no
/// doubled `/` and no `/` at the end. Most keys are: a scan of bytes, not of components.
fn is_normal(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let bytes = path.as_os_str().as_bytes();
    bytes == b"/"
        || (bytes.first() == Some(&b'/')
            && bytes[1..]
                .split(|&b| b == b'/')
                .all(|part| !matches!(part, b"" | b"." | b"..")))
}

/// `.` and `..` removed without asking the file system (symlinks are not followed).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_paths_are_recognised_as_normalize_leaves_them() {
        for path in ["/", "/a", "/a/b.conf", "/a/.htaccess", "/a/..b", "/a/b./c"] {
            assert!(is_normal(Path::new(path)), "{path}");
            assert_eq!(normalize(Path::new(path)), Path::new(path));
        }
        for path in [
            "a/b", "//a", "/a//b", "/a/", "/a/./b", "/a/../b", "/a/.", "/a/..", "",
        ] {
            assert!(!is_normal(Path::new(path)), "{path}");
        }
    }

    #[test]
    fn resolves_against_the_root_or_the_referrer() {
        let ws = Workspace::new(Path::new("/srv/root"), 100);
        assert_eq!(
            ws.resolve(Path::new("site/index.php"), "/var/www/lib/config.php"),
            PathBuf::from("/srv/root/var/www/lib/config.php")
        );
        assert_eq!(
            ws.resolve(Path::new("site/inc/a.php"), "../lib/b.php"),
            PathBuf::from("site/lib/b.php")
        );
        assert_eq!(
            ws.resolve(Path::new("a.php"), "./b.php"),
            PathBuf::from("b.php")
        );
    }

    #[test]
    fn memos_are_built_once_until_facts_change() {
        let mut ws = Workspace::new(Path::new("/srv/root"), 100);
        let count = |ws: &Workspace| *ws.memo(|ws| ws.files().len());
        assert_eq!(count(&ws), 0);
        ws.add(Path::new("a.conf"), Format::Apache, Facts::default());
        assert_eq!(count(&ws), 1, "adding a file drops the memo");
        assert!(
            Arc::ptr_eq(&ws.memo(|_| 7u8), &ws.memo(|_| 8u8)),
            "built once"
        );
    }

    #[test]
    fn a_memo_asked_for_at_once_is_built_once() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let ws = Workspace::new(Path::new("/srv/root"), 100);
        let builds = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for _ in 0..4 {
                scope.spawn(|| {
                    ws.memo(|_| {
                        builds.fetch_add(1, Ordering::SeqCst);
                        std::thread::sleep(std::time::Duration::from_millis(50));
                        1u16
                    })
                });
            }
        });
        assert_eq!(builds.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn artifacts_are_read_once_and_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let small = dir.path().join("fstab");
        let big = dir.path().join("initrd.img");
        std::fs::write(&small, b"/dev/md0 / ext4 defaults 0 1\n").unwrap();
        std::fs::write(&big, vec![0u8; 200]).unwrap();
        let ws = Workspace::new(dir.path(), 100);
        let first = ws.artifact(&small);
        std::fs::write(&small, b"changed").unwrap();
        assert!(Arc::ptr_eq(&first, &ws.artifact(&small)), "cached");
        assert_eq!(first.as_ref().as_ref().unwrap().len(), 29);
        let err = ws.artifact(&big).as_ref().clone().unwrap_err();
        assert!(err.contains("over the size limit"), "{err}");
        let missing = ws.artifact(&dir.path().join("mdadm.conf"));
        assert!(missing
            .as_ref()
            .as_ref()
            .unwrap_err()
            .contains("No such file"));
    }
}
