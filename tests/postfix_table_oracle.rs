//! Postfix itself judges etclint's reading of regexp: and pcre: tables. `postmap -q KEY
//! TYPE:/abs/file` opens a table as every Postfix daemon does and prints each warning; etclint's
//! validation must give the same warnings, in the same words, for the same lines, on the
//! fixtures, on the spec's problem list and on the real corpus. The meaning test proves that
//! the merge fix of PFT010 keeps every answer of the incident-shaped table and measures what
//! it saves.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use etclint::formats::postfix_table::{Engine, Table};
use etclint::source::SourceFile;

const NEEDS_POSTMAP: &str = "needs postmap from postfix and postfix-pcre (.ci/run installs them)";

/// A configuration directory of postmap's own (an empty main.cf: every parameter its default),
/// so that the oracle needs no /etc/postfix/main.cf, which Debian's "No configuration" install
/// does not write. `MAIL_CONFIG` points postmap at it.
fn mail_config() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-cache/postfix-config");
    if !dir.join("main.cf").is_file() {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("main.cf"), "").unwrap();
    }
    dir
}

fn postmap() -> &'static str {
    let works = Command::new("postmap")
        .env("MAIL_CONFIG", mail_config())
        .args(["-q", "x", "static:y"])
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        works,
        "postmap is not installed: apt-get install postfix postfix-pcre (without starting it; see .ci/run)"
    );
    "postmap"
}

/// `postmap -q - TYPE:PATH` with these keys: (stdout, the open-time warnings of stderr).
fn run_postmap(engine: Engine, path: &Path, keys: &str) -> (String, Vec<String>) {
    let child = Command::new(postmap())
        .env("MAIL_CONFIG", mail_config())
        .args(["-q", "-", &format!("{}:{}", engine.name(), path.display())])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("postmap runs");
    let out = feed(child, keys);
    let warnings = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter_map(|l| l.strip_prefix("postmap: warning: "))
        // Lookup-time complaints, not the table's.
        .filter(|l| !l.contains("empty string result") && !l.contains("should return NO RESULT"))
        .map(String::from)
        .collect();
    (String::from_utf8_lossy(&out.stdout).into_owned(), warnings)
}

/// Writes the keys from a thread while the output is read: postmap answers as it reads.
fn feed(mut child: std::process::Child, keys: &str) -> std::process::Output {
    let mut stdin = child.stdin.take().unwrap();
    let keys = keys.to_string();
    let writer = std::thread::spawn(move || stdin.write_all(keys.as_bytes()));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    out
}

fn etclint_warnings(engine: Engine, path: &Path) -> Vec<String> {
    let source = SourceFile::new(path, std::fs::read(path).unwrap());
    let table = Table::new(&source, engine);
    let shown = path.display().to_string();
    table
        .validation()
        .problems
        .iter()
        .map(|p| p.postmap_warning(engine, &shown))
        .collect()
}

/// Compares one table; returns the number of warnings.
fn agree(engine: Engine, path: &Path) -> usize {
    let path = std::fs::canonicalize(path).unwrap();
    let (_, theirs) = run_postmap(engine, &path, "no-such-key-etclint\n");
    let ours = etclint_warnings(engine, &path);
    assert_eq!(ours, theirs, "{} as {}:", path.display(), engine.name());
    ours.len()
}

fn engine_of(path: &Path) -> Option<Engine> {
    match path.extension()?.to_str()? {
        "regexp" => Some(Engine::Regexp),
        "pcre" => Some(Engine::Pcre),
        _ => None,
    }
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
#[ignore = "needs postmap from postfix and postfix-pcre (.ci/run installs them)"]
fn fixtures_agree_with_postmap() {
    let _ = NEEDS_POSTMAP;
    let mut files = Vec::new();
    files_under(Path::new("fixtures/postfix-regexp"), &mut files);
    let mut tables = 0;
    let mut warnings = 0;
    for path in files {
        let Some(engine) = engine_of(&path) else {
            continue;
        };
        warnings += agree(engine, &path);
        tables += 1;
    }
    eprintln!("{tables} fixture tables, {warnings} warnings: etclint and postmap agree");
    assert!(tables > 20 && warnings > 20);
}

/// The spec's problem list (`../shared/specs/postfix.md`) and Postfix's other warnings, each
/// case a table of its own, for both engines.
#[test]
#[ignore = "needs postmap from postfix and postfix-pcre (.ci/run installs them)"]
fn problem_cases_agree_with_postmap() {
    let cases: &[&str] = &[
        "/(a/ R1\n",
        "/b R2\n",
        "/c/q R3\n",
        "/d/\n",
        "/a/ R\nendif x\n",
        "if /a/\n/b/ R\nENDIF extra\n",
        "endif\n",
        "/(e)/ R$2\n",
        "!/f(g)/ $1\n",
        "xyz\n",
        "if /z/\n/k/ R\n",
        "   /leading/ OK\n/b/ R\n",
        " /a-very-long-leading-rule-longer-than-thirty/ OK\n",
        "if /a/\n  /b/ R1\nendif\n",
        "/a/ x$ y\n",
        "/a/ ${1\n",
        "/a/ $x\n",
        "/a/ $0\n",
        "/a${x}/ t\n",
        "!\n",
        "! \n/a/ OK\n",
        "!!/a/ $1\n",
        "#a#b# X\n!#q# Y\n",
        "/a/ R # comment\n",
        "/a/!/b/ R\n/a/!/b R\n/a/!/b/q R\n",
        "/a/X R\n/b/sAEU R\n",
        "if /(/\n/a/ R\nendif\n",
        "IF/a/\nendif\nifx /a/\n",
        "/a\\/b/ R\n/a\\\n",
        "/\\(a\\)/x $1\n/(a)/x $1\n",
        "/a/ R\0ignored\n\0\n/b/ S\n",
        "/a/ R\r\n/b/ S\r\n",
        "/a/ R\r/b/ S\r",
        "/[[:alpha:]/ R\n/a{1/ R\n/*a/ R\n",
        "/(?<n>a)/ R\n/\\k<x>/ R\n",
        "if /a/\nif /b/\n/c/ R\nendif\n",
    ];
    let dir = tempfile::tempdir().unwrap();
    let mut compared = 0;
    for (i, case) in cases.iter().enumerate() {
        for engine in [Engine::Regexp, Engine::Pcre] {
            let path = dir.path().join(format!("case{i}.{}", engine.name()));
            std::fs::write(&path, case).unwrap();
            agree(engine, &path);
            compared += 1;
        }
    }
    // A table long enough for etclint to compile its patterns in parallel first.
    let mut long = String::new();
    for i in 0..3000 {
        long.push_str(&match i % 500 {
            7 => "/(unclosed/ R\n".to_string(),
            8 => "if /a/\n".to_string(),
            9 => format!("/^(x{i})@y$/ $2\n"),
            10 => "endif\n".to_string(),
            11 => "/q/z R\n".to_string(),
            _ => format!("/^user{i}@example\\.com$/ OK\n"),
        });
    }
    for engine in [Engine::Regexp, Engine::Pcre] {
        let path = dir.path().join(format!("long.{}", engine.name()));
        std::fs::write(&path, &long).unwrap();
        assert!(agree(engine, &path) >= 18);
        compared += 1;
    }
    eprintln!("{compared} problem tables: etclint and postmap agree");
}

fn corpus() -> Option<PathBuf> {
    let root = PathBuf::from(
        std::env::var("ETCLINT_CORPUS").unwrap_or_else(|_| "/tmp/corpus/cache".into()),
    );
    root.join("_lists").is_dir().then_some(root)
}

/// Every regexp:/pcre: table of the corpus: the same warnings as postmap, and no error from
/// etclint that Postfix does not also report (PFT007's silent continuation aside).
#[test]
#[ignore = "needs postmap and the corpus (../shared/corpus/fetch-corpus.sh)"]
fn corpus_tables_agree_with_postmap() {
    let root =
        corpus().expect("no corpus at $ETCLINT_CORPUS: run ../shared/corpus/fetch-corpus.sh");
    let mut tables: BTreeSet<(PathBuf, &str)> = BTreeSet::new();
    if let Ok(list) = std::fs::read_to_string(root.join("_lists/postfix-regexp-pcre.txt")) {
        for line in list.lines().filter(|l| !l.is_empty()) {
            tables.insert((root.join(line), "both"));
        }
    }
    for (dir, which) in [
        ("postfix_regexp", "regexp"),
        ("postfix_pcre", "pcre"),
        ("postfix_regexp_or_pcre", "both"),
    ] {
        let dir = root.join("_snippets/postfix-doc").join(dir);
        if dir.is_dir() {
            let mut files = Vec::new();
            files_under(&dir, &mut files);
            tables.extend(files.into_iter().map(|f| (f, which)));
        }
    }
    // Files named *.regexp/*.pcre, which etclint reads as tables whatever they are.
    let mut all = Vec::new();
    files_under(&root, &mut all);
    for path in all {
        if let Some(engine) = engine_of(&path) {
            tables.insert((path, engine.name()));
        }
    }
    assert!(!tables.is_empty(), "the corpus has no regexp:/pcre: tables");
    let mut checked = 0;
    let mut warnings = 0;
    for (path, which) in &tables {
        for engine in [Engine::Regexp, Engine::Pcre] {
            if *which != "both" && *which != engine.name() {
                continue;
            }
            warnings += agree(engine, path);
            checked += 1;
        }
    }
    eprintln!("corpus: {checked} table readings, {warnings} warnings, all as postmap says");
}

/// The addresses a table names (`/^user@lists\.example\.com$/` → the address), each also in
/// upper case, and near misses: a letter more, a letter less, another domain.
fn keys_of(table: &str) -> Vec<String> {
    let mut keys = Vec::new();
    for line in table.lines() {
        let Some(rest) = line.strip_prefix("/^") else {
            continue;
        };
        let Some((address, _)) = rest.split_once("$/") else {
            continue;
        };
        let address = address.replace("\\.", ".");
        keys.push(address.to_uppercase());
        keys.push(address.replacen('@', "x@", 1));
        keys.push(address.replacen('-', "", 1));
        keys.push(address.replace("example.com", "example.net"));
        keys.push(address);
    }
    keys.push("postmaster@lists.example.com".into());
    keys.push("nobody@elsewhere.example".into());
    keys
}

/// Peak RSS in KB of `postmap -q - TYPE:PATH` over the keys.
fn peak_rss(engine: Engine, path: &Path, keys: &str) -> u64 {
    let child = Command::new("/usr/bin/time")
        .env("MAIL_CONFIG", mail_config())
        .args(["-f", "%M", postmap(), "-q", "-"])
        .arg(format!("{}:{}", engine.name(), path.display()))
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("/usr/bin/time (apt-get install time) runs postmap");
    let out = feed(child, keys);
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .last()
        .and_then(|l| l.trim().parse().ok())
        .expect("time -f %M prints the peak RSS")
}

#[test]
#[ignore = "needs postmap from postfix and postfix-pcre (.ci/run installs them)"]
fn merge_fix_keeps_every_answer_and_saves_memory() {
    let lists = 64;
    let generated = Command::new("bash")
        .args([
            "fixtures/postfix-regexp/generate-incident-table.sh",
            &lists.to_string(),
        ])
        .output()
        .unwrap();
    assert!(generated.status.success());
    let original = String::from_utf8(generated.stdout).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for engine in [Engine::Regexp, Engine::Pcre] {
        let name = engine.name();
        let before = dir.path().join(format!("before.{name}"));
        let after = dir.path().join(format!("after.{name}"));
        let empty = dir.path().join(format!("empty.{name}"));
        std::fs::write(&before, &original).unwrap();
        std::fs::write(&after, &original).unwrap();
        std::fs::write(&empty, "").unwrap();
        let started = std::time::Instant::now();
        let fixed = Command::new(env!("CARGO_BIN_EXE_etclint"))
            .args(["check", "--select", "PFT010", "--fix", "--exit-zero"])
            .arg(&after)
            .output()
            .unwrap();
        let took = started.elapsed();
        assert!(
            fixed.status.success(),
            "{}",
            String::from_utf8_lossy(&fixed.stderr)
        );
        let merged = std::fs::read_to_string(&after).unwrap();

        let rules = |t: &str| t.lines().filter(|l| l.starts_with('/')).count();
        let others = original
            .lines()
            .filter(|l| l.starts_with('/') && !l.contains("mailman:"))
            .count();
        assert!(
            rules(&merged) <= lists + others,
            "{name}: {} rules after the merge, expected at most {} lists + {others} others",
            rules(&merged),
            lists
        );

        let keys = keys_of(&original).join("\n") + "\n";
        let (answers_before, warnings_before) = run_postmap(engine, &before, &keys);
        let (answers_after, warnings_after) = run_postmap(engine, &after, &keys);
        assert!(warnings_before.is_empty(), "{warnings_before:?}");
        assert!(
            warnings_after.is_empty(),
            "postmap warns about the merged table: {warnings_after:?}"
        );
        assert!(answers_before.lines().count() > lists * 21);
        assert_eq!(
            answers_before, answers_after,
            "{name}: the merged table answers differently"
        );

        let base = peak_rss(engine, &empty, &keys);
        let cost_before = peak_rss(engine, &before, &keys).saturating_sub(base);
        let cost_after = peak_rss(engine, &after, &keys).saturating_sub(base);
        eprintln!(
            "{name}: {} rules → {} rules (fix in {took:?}); {} keys answered alike; memory the table adds to postmap: {cost_before} KB → {cost_after} KB ({:.1}×)",
            rules(&original),
            rules(&merged),
            keys.lines().count(),
            cost_before as f64 / cost_after.max(1) as f64
        );
        if engine == Engine::Regexp {
            assert!(
                cost_after * 4 <= cost_before,
                "regexp: the merged table should cost at least four times less ({cost_before} KB → {cost_after} KB)"
            );
        }
    }
}
