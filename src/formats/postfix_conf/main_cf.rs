//! main.cf as Postfix 3.7 reads it: logical lines (`readllines()`), each `name = value`
//! (`split_nameval()`: the name runs to white space or `=`, white space around the value is
//! dropped, a `#` after the value is part of it), the last of a name winning. Which names
//! postconf calls unused and which `$name`s undefined is `postconf_user.c`'s logic: built-in
//! parameters, those of master.cf's delivery services and of legacy database tables, and
//! user-defined names that some value references.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use super::catalogue::{self, CATALOGUE};
use super::expand::{self, Scan};
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
    effective: OnceCell<Vec<usize>>,
    /// Each name's effective entry, so that a look-up is not a walk of the file.
    index: OnceCell<FastMap<String, usize>>,
    scans: OnceCell<Vec<Scan>>,
    /// Every rule of a run asks the same question of the same workspace: answered once.
    names: OnceCell<Names>,
}

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
            index: OnceCell::new(),
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
        self.effective.get_or_init(|| {
            let mut last: FastMap<&str, usize> = FastMap::default();
            for (i, e) in self.entries.iter().enumerate() {
                last.insert(self.name(e), i);
            }
            let mut kept: Vec<usize> = last.into_values().collect();
            kept.sort_unstable();
            kept
        })
    }

    /// The value Postfix keeps for `name`.
    pub fn get(&self, name: &str) -> Option<&Entry> {
        let index = self.index.get_or_init(|| {
            self.effective()
                .iter()
                .map(|&i| (self.name(&self.entries[i]).to_string(), i))
                .collect()
        });
        index.get(name).map(|&i| &self.entries[i])
    }

    /// The `$name` references of each entry (empty for entries postconf does not expand:
    /// overridden, read-only or raw).
    pub fn scans(&self) -> &[Scan] {
        self.scans.get_or_init(|| {
            let mut scans = vec![Scan::default(); self.entries.len()];
            for &i in self.effective() {
                let entry = &self.entries[i];
                let param = catalogue::param(self.name(entry));
                if param.is_some_and(|p| p.readonly || p.raw) {
                    continue;
                }
                scans[i] = expand::scan(self.value_bytes(entry));
            }
            scans
        })
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
            self.scans()[i]
                .error
                .map(|error| Fatal::Macro { entry: i, error })
        })
    }

    /// What names mean here, given master.cf's services (`None`: no master.cf was found).
    pub fn names(&self, services: Option<&[Service]>) -> Names {
        Names::new(self, services, &|_| true)
    }

    /// [`Self::names`] right only for the names `wanted` accepts (master.cf's `-o` names,
    /// a handful): main.cf's other names are not kept.
    pub fn names_of(&self, services: Option<&[Service]>, wanted: &dyn Fn(&str) -> bool) -> Names {
        Names::new(self, services, wanted)
    }

    /// [`Self::names`] computed once for this file, with the services `services` gives the
    /// first time (those of the master.cf beside it: the same for every rule of a run).
    pub fn names_once(&self, services: impl FnOnce() -> Option<Vec<Service>>) -> &Names {
        self.names
            .get_or_init(|| Names::new(self, services().as_deref(), &|_| true))
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

/// The names that built-in defaults reference (`$virtual_maps` in virtual_alias_maps'), each
/// with the parameters whose defaults do.
static DEFAULT_REFERENCES: LazyLock<HashMap<&'static str, Vec<&'static str>>> =
    LazyLock::new(|| {
        let mut out: HashMap<&'static str, Vec<&'static str>> = HashMap::new();
        for param in CATALOGUE.params.values().filter(|p| !p.raw) {
            let default = param.default.as_bytes();
            for r in expand::scan(default).refs {
                out.entry(&param.default[r.name])
                    .or_default()
                    .push(param.name);
            }
        }
        out
    });

/// Which names are parameters, as postconf decides it.
pub struct Names {
    /// Every name besides the built-ins that main.cf sets, master.cf's services or `-o`s
    /// define, a lookup table or a default implies: one look-up per question.
    status: FastMap<String, Status>,
    /// smtpd_restriction_classes.
    pub classes: Vec<String>,
    /// Whether master.cf's services were known.
    pub with_master: bool,
}

#[derive(Default, Clone, Copy)]
struct Status {
    /// Set in main.cf: a `$name` of it validates it.
    set_here: bool,
    /// Defined besides the built-ins: service, database and validated user parameters.
    known: bool,
    /// With a value in main.cf or in some master.cf `-o`.
    supplied: bool,
}

impl Names {
    fn new(main: &MainCf, services: Option<&[Service]>, wanted: &dyn Fn(&str) -> bool) -> Self {
        let mut status: FastMap<String, Status> = FastMap::default();
        for &i in main.effective() {
            let name = main.name(&main.entries[i]);
            if !wanted(name) {
                continue;
            }
            let s = status.entry(name.to_string()).or_default();
            s.set_here = true;
            s.supplied = true;
        }
        let know = |name: String, status: &mut FastMap<String, Status>| {
            status.entry(name).or_default().known = true;
        };
        for s in services.unwrap_or(&[]) {
            for suffix in catalogue::service_suffixes(&s.program) {
                know(format!("{}{suffix}", s.name), &mut status);
            }
            for (name, _) in &s.overrides {
                status.entry(name.clone()).or_default().supplied = true;
            }
        }
        let validate = |name: &str, status: &mut FastMap<String, Status>| {
            if let Some(s) = status.get_mut(name).filter(|s| s.set_here) {
                s.known = true;
            }
        };
        // $name in main.cf's values, in master.cf's overrides, in defaults left as they are.
        for &i in main.effective() {
            let entry = &main.entries[i];
            let value = main.value_bytes(entry);
            for r in &main.scans()[i].refs {
                // Names are ASCII; one that is not UTF-8 is no parameter.
                if let Ok(name) = std::str::from_utf8(&value[r.name.clone()]) {
                    validate(name, &mut status);
                }
            }
            for t in tables::references(value) {
                let (kind, name) = (t.kind(value), t.name(value));
                if catalogue::is_dbms_type(kind) && !name.starts_with('/') {
                    for (k, suffix) in &CATALOGUE.dbms_suffixes {
                        if *k == kind {
                            know(format!("{name}{suffix}"), &mut status);
                        }
                    }
                }
            }
        }
        for s in services.unwrap_or(&[]) {
            for (_, value) in &s.overrides {
                for r in expand::scan(value.as_bytes()).refs {
                    validate(&value[r.name], &mut status);
                }
            }
        }
        // A name a built-in default references is a legacy parameter postconf knows, set or
        // not (`virtual_maps` in virtual_alias_maps' default, `fallback_relay`…).
        for name in DEFAULT_REFERENCES.keys() {
            know(name.to_string(), &mut status);
        }
        let classes = main.classes();
        for class in &classes {
            validate(class, &mut status);
        }
        Self {
            status,
            classes,
            with_master: services.is_some(),
        }
    }

    /// Whether postconf accepts `name = …` in main.cf (else "unused parameter").
    pub fn is_known(&self, name: &str) -> bool {
        catalogue::param(name).is_some() || self.status.get(name).is_some_and(|s| s.known)
    }

    /// Whether `$name` expands to something postconf knows (else "undefined parameter").
    pub fn is_defined(&self, name: &str) -> bool {
        catalogue::param(name).is_some()
            || self.status.get(name).is_some_and(|s| s.known || s.supplied)
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
    }
}
