//! main.cf as Postfix 3.7 reads it: logical lines (`readllines()`), each `name = value`
//! (`split_nameval()`: the name runs to white space or `=`, white space around the value is
//! dropped, a `#` after the value is part of it), the last of a name winning. Which names
//! postconf calls unused and which `$name`s undefined is `postconf_user.c`'s logic: built-in
//! parameters, those of master.cf's delivery services and of legacy database tables, and
//! user-defined names that some value references.

use std::cell::OnceCell;
use std::ops::Range;
use std::sync::LazyLock;

use super::catalogue::{self, CATALOGUE};
use super::expand::{self, MacroError, MacroRef, Scanner};
use super::master_cf::Service;
use super::{is_space, logical_lines, skip_space, tables, FastMap, Logical};
use crate::source::SourceFile;

/// `name = value`; ranges in its logical line's text.
#[derive(Debug, Clone)]
pub struct Entry {
    pub logical: usize,
    pub name: Range<usize>,
    pub value: Range<usize>,
}

/// A line postconf rejects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// The first logical line starts with white space: dropped with a warning.
    Indented,
    /// `fatal: …, line N: missing '=' after attribute name: "…"`.
    MissingEquals,
    /// `fatal: …, line N: missing attribute name: "…"`.
    MissingName,
}

pub struct MainCf<'a> {
    pub source: &'a SourceFile,
    pub lines: Vec<Logical>,
    pub comments: Vec<Range<usize>>,
    pub entries: Vec<Entry>,
    /// (logical line, problem), in file order.
    pub syntax: Vec<(usize, Syntax)>,
    effective: OnceCell<Effective<'a>>,
    scans: OnceCell<Scans>,
    /// Every rule of a run asks the same question of the same workspace: answered once.
    names: OnceCell<Names<'a>>,
}

/// The entries Postfix keeps, and each name's: the names hashed once per file, as bytes of
/// the file (no copies).
struct Effective<'a> {
    kept: Vec<usize>,
    index: FastMap<&'a [u8], usize>,
}

/// The `$name` references of every entry, in one vector (one allocation per file, not per
/// value), each with the effective entry that sets its name, if main.cf has one.
#[derive(Default)]
struct Scans {
    refs: Vec<MacroRef>,
    /// For each reference, the entry index of its name's effective entry; [`NO_ENTRY`] if none.
    targets: Vec<u32>,
    /// Entry `i`'s references are `refs[starts[i]..starts[i + 1]]`.
    starts: Vec<u32>,
    errors: Vec<Option<MacroError>>,
}

/// A reference to a name main.cf does not set.
const NO_ENTRY: u32 = u32::MAX;

impl<'a> MainCf<'a> {
    pub fn new(source: &'a SourceFile) -> Self {
        let (lines, comments) = logical_lines(source.bytes());
        let mut entries = Vec::new();
        let mut syntax = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            if line.indented {
                syntax.push((i, Syntax::Indented));
                continue;
            }
            match split(&line.text) {
                Ok((name, value)) => entries.push(Entry {
                    logical: i,
                    name,
                    value,
                }),
                Err(problem) => syntax.push((i, problem)),
            }
        }
        Self {
            source,
            lines,
            comments,
            entries,
            syntax,
            effective: OnceCell::new(),
            scans: OnceCell::new(),
            names: OnceCell::new(),
        }
    }

    pub fn line(&self, entry: &Entry) -> &Logical {
        &self.lines[entry.logical]
    }

    pub fn name(&self, entry: &Entry) -> &str {
        std::str::from_utf8(&self.line(entry).text[entry.name.clone()]).unwrap_or("\u{fffd}")
    }

    /// The name as bytes of the file: a name ends at white space, so it lies in the first
    /// physical line, where the logical line's text is the file's.
    pub fn name_bytes(&self, entry: &Entry) -> &'a [u8] {
        let source: &'a SourceFile = self.source;
        let start = self.line(entry).source_offset(entry.name.start);
        let name = &source.bytes()[start..start + entry.name.len()];
        debug_assert_eq!(name, &self.line(entry).text[entry.name.clone()]);
        name
    }

    pub fn value_bytes(&self, entry: &Entry) -> &[u8] {
        &self.line(entry).text[entry.value.clone()]
    }

    /// The value as Postfix stores it (bytes that are not UTF-8 as U+FFFD).
    pub fn value(&self, entry: &Entry) -> String {
        String::from_utf8_lossy(self.value_bytes(entry)).into_owned()
    }

    /// The file span of a range of an entry's line text.
    pub fn span(&self, entry: &Entry, range: &Range<usize>) -> Range<usize> {
        self.line(entry).source_span(range)
    }

    /// The entries Postfix keeps: the last of each name, in file order.
    pub fn effective(&self) -> &[usize] {
        &self.effective_index().kept
    }

    fn effective_index(&self) -> &Effective<'a> {
        self.effective.get_or_init(|| {
            let mut index: FastMap<&'a [u8], usize> = FastMap::default();
            index.reserve(self.entries.len());
            for (i, e) in self.entries.iter().enumerate() {
                index.insert(self.name_bytes(e), i);
            }
            let mut kept: Vec<usize> = index.values().copied().collect();
            kept.sort_unstable();
            Effective { kept, index }
        })
    }

    /// The index of the entry Postfix keeps for `name`.
    fn entry_of(&self, name: &[u8]) -> Option<usize> {
        self.effective_index().index.get(name).copied()
    }

    /// The value Postfix keeps for `name`.
    pub fn get(&self, name: &str) -> Option<&Entry> {
        self.entry_of(name.as_bytes()).map(|i| &self.entries[i])
    }

    fn scans(&self) -> &Scans {
        self.scans.get_or_init(|| {
            let mut scans = Scans {
                starts: Vec::with_capacity(self.entries.len() + 1),
                errors: vec![None; self.entries.len()],
                ..Scans::default()
            };
            let kept = self.effective();
            let mut next_kept = kept.iter().peekable();
            let mut scanner = Scanner::default();
            for (i, entry) in self.entries.iter().enumerate() {
                scans.starts.push(scans.refs.len() as u32);
                if next_kept.next_if_eq(&&i).is_none() || !self.expands(entry) {
                    continue;
                }
                let value = self.value_bytes(entry);
                let first = scans.refs.len();
                scans.errors[i] = scanner.scan_into(value, &mut scans.refs);
                for r in &scans.refs[first..] {
                    let target = self.entry_of(&value[r.name.clone()]);
                    scans.targets.push(target.map_or(NO_ENTRY, |t| t as u32));
                }
            }
            scans.starts.push(scans.refs.len() as u32);
            scans
        })
    }

    /// Whether postconf expands `$name`s in this entry's value (not in read-only or raw ones).
    fn expands(&self, entry: &Entry) -> bool {
        !catalogue::param(self.name(entry)).is_some_and(|p| p.readonly || p.raw)
    }

    /// The `$name` references of entry `i` (none for entries postconf does not expand:
    /// overridden, read-only or raw).
    pub fn refs(&self, i: usize) -> &[MacroRef] {
        let scans = self.scans();
        &scans.refs[scans.starts[i] as usize..scans.starts[i + 1] as usize]
    }

    /// For each of [`Self::refs`], whether main.cf sets its name (then it is defined).
    pub fn refs_set_here(&self, i: usize) -> impl Iterator<Item = bool> + '_ {
        let scans = self.scans();
        scans.targets[scans.starts[i] as usize..scans.starts[i + 1] as usize]
            .iter()
            .map(|&t| t != NO_ENTRY)
    }

    /// The macro error that stops postconf in entry `i`'s value.
    pub fn macro_error(&self, i: usize) -> Option<MacroError> {
        self.scans().errors[i]
    }

    /// The first error that makes postconf stop: a syntax error or a bad macro.
    pub fn fatal(&self) -> Option<Fatal> {
        let syntax = self
            .syntax
            .iter()
            .find(|(_, s)| *s != Syntax::Indented)
            .map(|&(logical, problem)| Fatal::Syntax { logical, problem });
        if syntax.is_some() {
            return syntax;
        }
        self.effective().iter().find_map(|&i| {
            self.macro_error(i)
                .map(|error| Fatal::Macro { entry: i, error })
        })
    }

    /// What names mean here, given master.cf's services (`None`: no master.cf was found).
    pub fn names(&self, services: Option<&[Service]>) -> Names<'a> {
        Names::new(self, services, None)
    }

    /// [`Self::names`] right only for the names `asked` (master.cf's `-o` names, a handful):
    /// main.cf's values are searched for those alone, and not at all when main.cf sets none
    /// of them that a `$name` could validate.
    pub fn names_of(&self, services: Option<&[Service]>, asked: &[&[u8]]) -> Names<'a> {
        Names::new(self, services, Some(asked))
    }

    /// [`Self::names`] computed once for this file, with the services `services` gives the
    /// first time (those of the master.cf beside it: the same for every rule of a run).
    pub fn names_once(&self, services: impl FnOnce() -> Option<Vec<Service>>) -> &Names<'a> {
        self.names
            .get_or_init(|| Names::new(self, services().as_deref(), None))
    }

    /// smtpd_restriction_classes: the names it lists.
    pub fn classes(&self) -> Vec<String> {
        self.get("smtpd_restriction_classes")
            .map(|e| {
                self.value(e)
                    .split(|c: char| c == ',' || c.is_ascii_whitespace())
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// What stops postconf.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fatal {
    Syntax {
        logical: usize,
        problem: Syntax,
    },
    Macro {
        entry: usize,
        error: expand::MacroError,
    },
}

/// `split_nameval()` on a logical line.
fn split(text: &[u8]) -> Result<(Range<usize>, Range<usize>), Syntax> {
    let s = skip_space(text, 0);
    if s >= text.len() || text[s] == b'=' {
        return Err(Syntax::MissingName);
    }
    let mut p = s;
    while p < text.len() && text[p] != b'=' && !is_space(text[p]) {
        p += 1;
    }
    let eq = skip_space(text, p);
    if text.get(eq) != Some(&b'=') {
        return Err(Syntax::MissingEquals);
    }
    let vs = skip_space(text, eq + 1);
    Ok((s..p, vs.min(text.len())..text.len().max(vs.min(text.len()))))
}

/// The names that built-in defaults reference (`$virtual_maps` in virtual_alias_maps'): legacy
/// parameters postconf knows, set or not (`virtual_maps`, `fallback_relay`…).
static DEFAULT_REFERENCES: LazyLock<FastMap<&'static str, ()>> = LazyLock::new(|| {
    let mut out = FastMap::default();
    for param in CATALOGUE.params.values().filter(|p| !p.raw) {
        for r in expand::scan(param.default.as_bytes()).refs {
            out.insert(&param.default[r.name], ());
        }
    }
    out
});

/// Which names are parameters, as postconf decides it.
pub struct Names<'a> {
    /// main.cf's names, each with its effective entry (the file's index, copied).
    main: FastMap<&'a [u8], usize>,
    /// By entry: a `$name` validates the name this entry sets, which postconf then knows.
    validated: Vec<bool>,
    /// Names master.cf's services or `-o`s define, or a lookup table implies: a handful.
    others: FastMap<String, Status>,
    /// smtpd_restriction_classes.
    pub classes: Vec<String>,
    /// Whether master.cf's services were known.
    pub with_master: bool,
}

#[derive(Default, Clone, Copy)]
struct Status {
    /// Defined besides the built-ins: service and database parameters.
    known: bool,
    /// With a value in some master.cf `-o`.
    supplied: bool,
}

impl<'a> Names<'a> {
    fn new(main: &MainCf<'a>, services: Option<&[Service]>, asked: Option<&[&[u8]]>) -> Self {
        let mut others: FastMap<String, Status> = FastMap::default();
        let mut validated = vec![false; main.entries.len()];
        let mut know = |name: String| others.entry(name).or_default().known = true;
        for s in services.unwrap_or(&[]) {
            for suffix in catalogue::service_suffixes(&s.program) {
                know(format!("{}{suffix}", s.name));
            }
        }
        // The asked names a `$name` in main.cf could validate: set here, not built in.
        let validatable: Option<FastMap<&[u8], usize>> = asked.map(|asked| {
            asked
                .iter()
                .filter(|name| !std::str::from_utf8(name).is_ok_and(Self::built_in))
                .filter_map(|&name| Some((name, main.entry_of(name)?)))
                .collect()
        });
        let mut scanner = Scanner::default();
        let mut refs = Vec::new();
        // $name in main.cf's values (resolved once, in the scan), in master.cf's overrides,
        // in smtpd_restriction_classes.
        for &i in main.effective() {
            let entry = &main.entries[i];
            let value = main.value_bytes(entry);
            match &validatable {
                None => {
                    let scans = main.scans();
                    let targets =
                        &scans.targets[scans.starts[i] as usize..scans.starts[i + 1] as usize];
                    for &t in targets.iter().filter(|&&t| t != NO_ENTRY) {
                        validated[t as usize] = true;
                    }
                }
                Some(wanted) if !wanted.is_empty() && main.expands(entry) => {
                    refs.clear();
                    scanner.scan_into(value, &mut refs);
                    for r in &refs {
                        if let Some(&t) = wanted.get(&value[r.name.clone()]) {
                            validated[t] = true;
                        }
                    }
                }
                Some(_) => {}
            }
            for t in tables::references(value) {
                let (kind, name) = (t.kind(value), t.name(value));
                if catalogue::is_dbms_type(kind) && !name.starts_with('/') {
                    for (k, suffix) in &CATALOGUE.dbms_suffixes {
                        if *k == kind {
                            know(format!("{name}{suffix}"));
                        }
                    }
                }
            }
        }
        let mut validate = |name: &[u8]| {
            if let Some(i) = main.entry_of(name) {
                validated[i] = true;
            }
        };
        for s in services.unwrap_or(&[]) {
            for (_, value) in &s.overrides {
                for r in expand::scan(value.as_bytes()).refs {
                    validate(&value.as_bytes()[r.name]);
                }
            }
        }
        let classes = main.classes();
        for class in &classes {
            validate(class.as_bytes());
        }
        for s in services.unwrap_or(&[]) {
            for (name, _) in &s.overrides {
                others.entry(name.clone()).or_default().supplied = true;
            }
        }
        Self {
            main: main.effective_index().index.clone(),
            validated,
            others,
            classes,
            with_master: services.is_some(),
        }
    }

    /// Known without main.cf: a built-in, or a legacy name a default references.
    pub fn built_in(name: &str) -> bool {
        catalogue::param(name).is_some() || DEFAULT_REFERENCES.contains_key(name)
    }

    /// Whether postconf accepts `name = …` in main.cf (else "unused parameter").
    pub fn is_known(&self, name: &str) -> bool {
        Self::built_in(name)
            || self.others.get(name).is_some_and(|s| s.known)
            || self
                .main
                .get(name.as_bytes())
                .is_some_and(|&i| self.validated[i])
    }

    /// Whether `$name` expands to something postconf knows (else "undefined parameter").
    pub fn is_defined(&self, name: &str) -> bool {
        Self::built_in(name)
            || self.main.contains_key(name.as_bytes())
            || self.others.get(name).is_some_and(|s| s.known || s.supplied)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_and_syntax() {
        let source = SourceFile::new(
            "main.cf",
            b"  x = 1\na = b # c\nMyHostname=v\n  w\nbare\n= v\nmyhostname = a\nmyhostname = b\n"
                .to_vec(),
        );
        let m = MainCf::new(&source);
        let names: Vec<&str> = m.entries.iter().map(|e| m.name(e)).collect();
        assert_eq!(names, ["a", "MyHostname", "myhostname", "myhostname"]);
        assert_eq!(m.value(&m.entries[0]), "b # c");
        assert_eq!(m.value(&m.entries[1]), "v  w");
        assert_eq!(
            m.syntax.iter().map(|s| s.1).collect::<Vec<_>>(),
            [Syntax::Indented, Syntax::MissingEquals, Syntax::MissingName]
        );
        assert_eq!(
            m.get("myhostname").map(|e| m.value(e)).as_deref(),
            Some("b")
        );
        assert_eq!(m.effective().len(), 3);
    }

    #[test]
    fn names_as_postconf_decides() {
        let source = SourceFile::new(
            "main.cf",
            b"bogus = 1\nused = 2\nmyhostname = $used $undefined\nvirtual_maps = x\nalias_maps = ldap:foo\nfoo_server_host = h\nlistapp_destination_recipient_limit = 1\n".to_vec(),
        );
        let m = MainCf::new(&source);
        let services = [Service {
            name: "listapp".into(),
            kind: "unix".into(),
            program: "pipe".into(),
            process_limit: None,
            overrides: vec![],
            line: 1,
        }];
        let n = m.names(Some(&services));
        assert!(!n.is_known("bogus"));
        assert!(n.is_known("used"));
        assert!(n.is_known("virtual_maps"));
        assert!(n.is_known("foo_server_host"));
        assert!(n.is_known("listapp_destination_recipient_limit"));
        assert!(!n.is_defined("undefined"));
        assert!(n.is_defined("bogus"));
        // Asked about a few names only, the same answers for those.
        let asked: [&[u8]; 4] = [b"bogus", b"used", b"foo_server_host", b"virtual_maps"];
        let few = m.names_of(Some(&services), &asked);
        for name in asked {
            let name = std::str::from_utf8(name).unwrap();
            assert_eq!(few.is_known(name), n.is_known(name), "{name}");
        }
    }
}
