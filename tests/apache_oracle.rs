//! Apache itself judges every server configuration file of the fixtures and of the real-world
//! corpus: `apache2 -t` with a harness configuration that loads every Debian module (prefork,
//! so that mod_php loads; `scripts/apache-modules.conf`) and includes the file. etclint must
//! report an error-severity finding of the rules httpd enforces (`REFUSED_BY_HTTPD`) if and
//! only if `apache2 -t` fails, and one on the line `apache2 -t` names. Failures that depend on this
//! machine (a file, directory or module that is not here) or on argument values etclint does
//! not check are counted apart and listed, never compared silently.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use etclint::diagnostic::Severity;
use etclint::discover::Target;
use etclint::engine::{self, Options};
use etclint::formats::apache::{catalogue, split_lines};
use etclint::formats::Format;
use etclint::rules::Selection;

mod common;
use common::{require_corpus, require_program};

const REFUSED: &[&str] = etclint::rules::apache::REFUSED_BY_HTTPD;

/// What `apache2 -t` says of a file that only this machine decides: paths and modules that are
/// not installed here, macros defined in another file.
const MACHINE: &[&str] = &[
    "does not exist",
    "Cannot access directory",
    "Could not open",
    "Cannot load",
    "More than one MPM loaded",
    "must be a valid directory",
    "no macro defined before Use",
    "No such file or directory",
];

/// Argument values etclint does not judge (a template's placeholder: `RewriteBase @NAGVIS_WEB@`).
const VALUES: &[&str] = &["argument is not a valid URL"];

struct Harness {
    dir: tempfile::TempDir,
    conf: PathBuf,
}

fn harness() -> Harness {
    require_program("apache2");
    let dir = tempfile::tempdir().unwrap();
    let loads = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scripts/apache-modules.conf"
    ))
    .unwrap();
    let d = dir.path().display();
    let conf = dir.path().join("harness.conf");
    std::fs::create_dir_all(dir.path().join("log")).unwrap();
    std::fs::write(
        &conf,
        format!(
            "ServerRoot /etc/apache2\nServerName localhost\nListen 127.0.0.1:9\n\
             DefaultRuntimeDir {d}\nPidFile {d}/pid\nErrorLog /dev/null\n{loads}\nInclude ${{TESTCONF}}\n"
        ),
    )
    .unwrap();
    Harness { dir, conf }
}

/// `(line, message)` of the file's first error as `apache2 -t` reports it, or `None` when it
/// passes. A failure elsewhere (in a file it includes) names that file.
fn apache_verdict(h: &Harness, file: &Path) -> Option<(PathBuf, usize, String)> {
    let log = h.dir.path().join("log");
    let output = common::apache2(&log)
        .arg("-t")
        .arg("-f")
        .arg(&h.conf)
        .env("TESTCONF", file)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    if output.status.success() {
        return None;
    }
    // The innermost "Syntax error on line N of FILE:" names the line.
    let mut found: Option<(PathBuf, usize)> = None;
    let mut rest = stderr.as_str();
    while let Some(at) = rest.find("Syntax error on line ") {
        rest = &rest[at + "Syntax error on line ".len()..];
        let Some((n, after)) = rest.split_once(" of ") else {
            break;
        };
        let Some((path, _)) = after.split_once(':') else {
            break;
        };
        if let Ok(n) = n.parse() {
            found = Some((PathBuf::from(path), n));
        }
    }
    let (path, line) = found.unwrap_or_else(|| (PathBuf::new(), 0));
    Some((path, line, stderr))
}

/// The lines of etclint's error-severity findings of the rules httpd enforces.
fn etclint_errors(file: &Path, htaccess_as: Option<bool>) -> Vec<(usize, String)> {
    let _ = htaccess_as;
    let select: Vec<String> = REFUSED.iter().map(|c| c.to_string()).collect();
    let options = Options::new(Selection::new(Some(&select), &[], &[]).unwrap());
    let target = Target::new(file.to_path_buf(), Some(Format::Apache));
    let reports = engine::run(&[target], &options);
    let report = &reports[0];
    let Some(source) = report.source.as_ref() else {
        return Vec::new();
    };
    // httpd names the last physical line of a continued directive.
    let lines = split_lines(source.bytes());
    let last_line = |offset: usize| {
        lines
            .iter()
            .find(|l| l.span.start <= offset && offset <= l.span.end)
            .map_or(source.line_index(offset) + 1, |l| l.last)
    };
    report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error && REFUSED.contains(&d.code))
        .map(|d| (last_line(d.span.start), format!("{} {}", d.code, d.message)))
        .collect()
}

/// `Invalid command 'MinSpareThreads'` of a threaded MPM's directive: one MPM loads at a
/// time (the harness loads prefork for mod_php), and etclint knows all three.
fn other_mpm(stderr: &str) -> bool {
    let Some((_, rest)) = stderr.split_once("Invalid command '") else {
        return false;
    };
    let name = rest.split('\'').next().unwrap_or("");
    catalogue::lookup(name).is_some_and(|s| matches!(s.module, "event" | "worker"))
}

#[derive(Default)]
struct Tally {
    agree: usize,
    machine: Vec<String>,
    values: Vec<String>,
    disagree: Vec<String>,
}

fn judge(h: &Harness, file: &Path, tally: &mut Tally) {
    let ours = etclint_errors(file, None);
    let shown = file.display();
    match apache_verdict(h, file) {
        None if ours.is_empty() => tally.agree += 1,
        None => tally.disagree.push(format!(
            "{shown}: apache2 -t accepts it, etclint says {ours:?}"
        )),
        Some((path, line, stderr)) => {
            let elsewhere = path != file;
            if MACHINE.iter().any(|m| stderr.contains(m))
                || elsewhere && ours.is_empty()
                || other_mpm(&stderr)
            {
                tally.machine.push(format!("{shown}:{line}"));
            } else if VALUES.iter().any(|m| stderr.contains(m)) && ours.is_empty() {
                tally.values.push(format!("{shown}:{line}"));
            } else if ours.iter().any(|(l, _)| *l == line) {
                tally.agree += 1;
            } else {
                tally.disagree.push(format!(
                    "{shown}: apache2 -t refuses line {line} ({}), etclint says {ours:?}",
                    stderr.trim().replace('\n', " | ")
                ));
            }
        }
    }
}

/// Judges the files on a few threads; returns the tally.
fn judge_all(files: Vec<PathBuf>) -> Tally {
    let h = harness();
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(4);
    let chunks: Vec<Vec<PathBuf>> = (0..threads)
        .map(|t| files.iter().skip(t).step_by(threads).cloned().collect())
        .collect();
    let tallies: Vec<Tally> = std::thread::scope(|s| {
        let handles: Vec<_> = chunks
            .iter()
            .map(|chunk| {
                let h = &h;
                s.spawn(move || {
                    let mut tally = Tally::default();
                    for file in chunk {
                        judge(h, file, &mut tally);
                    }
                    tally
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut all = Tally::default();
    for t in tallies {
        all.agree += t.agree;
        all.machine.extend(t.machine);
        all.values.extend(t.values);
        all.disagree.extend(t.disagree);
    }
    all
}

fn server_fixtures() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/apache"
    ))];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                // Their absolute Includes name files under the fixture's root, which httpd
                // would look for in this machine's /etc/apache2:
                // `include_cycles_are_refused_by_both` asks httpd with real paths instead.
                if !path.ends_with("include-cycle") {
                    stack.push(path);
                }
            } else if !path.to_string_lossy().ends_with(".snap")
                && !path
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(".htaccess"))
            {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

#[test]
#[ignore = "needs apache2 (tests/setup.sh installs it)"]
fn apache_t_agrees_on_the_fixtures() {
    let tally = judge_all(server_fixtures());
    assert!(tally.agree > 0);
    assert!(
        tally.disagree.is_empty() && tally.machine.is_empty() && tally.values.is_empty(),
        "{:#?}",
        (tally.disagree, tally.machine, tally.values)
    );
}

#[test]
#[ignore = "needs apache2 and the corpus (tests/setup.sh installs and fetches them)"]
fn apache_t_agrees_on_the_corpus() {
    let corpus = require_corpus();
    let list = std::fs::read_to_string(corpus.join("_lists/apache-conf.txt")).unwrap();
    let files: Vec<PathBuf> = list.lines().map(|l| corpus.join(l)).collect();
    let total = files.len();
    let tally = judge_all(files);
    eprintln!(
        "apache2 -t over {total} corpus files: {} agree, {} decided by this machine, {} by argument values etclint does not check",
        tally.agree,
        tally.machine.len(),
        tally.values.len()
    );
    let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
    by_kind.insert("machine", tally.machine.len());
    assert!(tally.disagree.is_empty(), "{:#?}", tally.disagree);
    assert!(tally.agree > total / 2, "{by_kind:?}");
    // The two placeholders of templates, and nothing else, are argument values.
    assert!(tally.values.len() <= 2, "{:#?}", tally.values);
}

/// Debian's default configuration, every Include followed, lints without an error.
#[test]
#[ignore = "needs apache2 (tests/setup.sh installs it)"]
fn debians_default_configuration_has_no_error() {
    require_program("apache2");
    let options = Options::new(Selection::new(None, &[], &[]).unwrap());
    let mut options = options;
    options.root = PathBuf::from("/");
    let target = Target::new(
        PathBuf::from("/etc/apache2/apache2.conf"),
        Some(Format::Apache),
    );
    let reports = engine::run(&[target], &options);
    assert!(reports.len() > 1, "Includes are followed");
    let errors: Vec<String> = reports
        .iter()
        .flat_map(|r| r.diagnostics.iter().map(move |d| (r, d)))
        .filter(|(_, d)| d.severity == Severity::Error)
        .map(|(r, d)| format!("{}: {} {}", r.path.display(), d.code, d.message))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

/// APA001's fix gives a file `apache2 -t` accepts.
#[test]
#[ignore = "needs apache2 (tests/setup.sh installs it)"]
fn the_unclosed_section_fix_passes_apache_t() {
    let h = harness();
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        "<Files \"some.file.php\">\n   RemoveHandler .php\n   ForceType text/plain\n",
        "<Directory /srv>\n    <Files a>\n        Require all denied\n",
        "<Directory /srv>\n  Require all denied\nAddType text/plain .x\n",
        "<Files a>\nRequire all denied",
    ];
    for (i, text) in cases.iter().enumerate() {
        let path = dir.path().join(format!("case{i}.conf"));
        std::fs::write(&path, text).unwrap();
        assert!(apache_verdict(&h, &path).is_some(), "case {i} fails first");
        common::etclint()
            .args([
                "--fix",
                "--unsafe-fixes",
                "--select",
                "APA001",
                "--as",
                "apache",
            ])
            .arg(&path)
            .output()
            .unwrap();
        let fixed = std::fs::read_to_string(&path).unwrap();
        assert!(
            apache_verdict(&h, &path).is_none(),
            "case {i} after the fix:\n{fixed}"
        );
    }
}

/// Include cycles, written with real paths: `apache2 -t` refuses each ("Exceeded maximum
/// include depth"), and etclint reports APA013 on an `Include` line of the chain httpd names;
/// an include reached twice without a cycle passes both.
#[test]
#[ignore = "needs apache2 (tests/setup.sh installs it)"]
fn include_cycles_are_refused_by_both() {
    let h = harness();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().display().to_string();
    // (case, its files as (path, text), whether they make a cycle)
    type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], bool);
    let cases: &[Case] = &[
        ("self", &[("a.conf", "Include {d}/self/a.conf\n")], true),
        (
            "glob",
            &[(
                "a.conf",
                "ServerTokens Prod\nIncludeOptional {d}/glob/*.conf\n",
            )],
            true,
        ),
        (
            "pair",
            &[
                ("a.conf", "IncludeOptional {d}/pair/conf.d/*.conf\n"),
                (
                    "conf.d/b.conf",
                    "ServerSignature Off\nInclude {d}/pair/a.conf\n",
                ),
            ],
            true,
        ),
        (
            "diamond",
            &[
                (
                    "a.conf",
                    "Include {d}/diamond/b.conf\nInclude {d}/diamond/c.conf\n",
                ),
                ("b.conf", "Include {d}/diamond/common.inc\n"),
                ("c.conf", "Include {d}/diamond/common.inc\n"),
                ("common.inc", "ServerSignature Off\n"),
            ],
            false,
        ),
    ];
    for (name, files, cycle) in cases {
        for (file, text) in files.iter() {
            let path = dir.path().join(name).join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, text.replace("{d}", &d)).unwrap();
        }
        let entry = dir.path().join(name).join("a.conf");
        let verdict = apache_verdict(&h, &entry);
        let mut options =
            Options::new(Selection::new(Some(&["APA013".to_string()]), &[], &[]).unwrap());
        options.root = PathBuf::from("/");
        let reports = engine::run(
            &[Target::new(entry.clone(), Some(Format::Apache))],
            &options,
        );
        let ours: Vec<(PathBuf, usize)> = reports
            .iter()
            .flat_map(|r| {
                let source = r.source.as_ref();
                r.diagnostics
                    .iter()
                    .filter(|d| d.code == "APA013")
                    .map(move |d| {
                        let line = source.map_or(0, |s| s.line_index(d.span.start) + 1);
                        (r.path.clone(), line)
                    })
            })
            .collect();
        if !cycle {
            assert!(verdict.is_none(), "{name}: {verdict:?}");
            assert!(ours.is_empty(), "{name}: {ours:?}");
            continue;
        }
        let (_, _, stderr) = verdict.unwrap_or_else(|| panic!("{name}: apache2 -t accepts it"));
        assert!(
            stderr.contains("Exceeded maximum include depth"),
            "{name}: {stderr}"
        );
        assert_eq!(ours.len(), 1, "{name}: one finding per cycle: {ours:?}");
        let (path, line) = &ours[0];
        let named = format!("Syntax error on line {line} of {}:", path.display());
        assert!(
            stderr.contains(&named),
            "{name}: httpd does not name {named}\n{stderr}"
        );
    }
}
