//! wget itself judges every wgetrc of the fixtures, the demo tree and the real-world corpus
//! (`wget --config=FILE --version`: it reads FILE, reports each bad line and exits 2 on any
//! error). etclint must report an error-severity finding on exactly the lines wget reports,
//! and none on a file wget accepts. Its `dump` must list the commands wget sets, as wget's
//! `debug = on` shows them ("Setting NAME (CANONICAL) to VALUE").

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use etclint::diagnostic::Severity;
use etclint::discover::Target;
use etclint::engine::{self, Options};
use etclint::formats::Format;
use etclint::rules::Selection;
use etclint::source::SourceFile;

mod common;
use common::{corpus_files, files_detected_as};

const NEEDS_WGET: &str = "needs wget (tests/setup.sh installs it; apt-get install wget)";

fn wget() -> Command {
    let found = Command::new("wget").arg("--version").output();
    assert!(
        found.is_ok_and(|o| o.status.success()),
        "{NEEDS_WGET}: `wget --version` did not run"
    );
    let mut cmd = Command::new("wget");
    // The messages in ASCII; no environment that changes what wget accepts (`use_askpass`).
    cmd.env("LC_ALL", "C")
        .env_remove("WGET_ASKPASS")
        .env_remove("SSH_ASKPASS")
        .env_remove("WGETRC");
    cmd
}

/// The lines wget reports for `path`, and whether it refused the file.
fn wget_verdict(path: &Path) -> (BTreeSet<usize>, bool) {
    let output = wget()
        .arg(format!("--config={}", path.display()))
        .arg("--version")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines = stderr
        .lines()
        .filter_map(|l| {
            l.rsplit_once(" at line ")?
                .1
                .strip_suffix('.')?
                .parse()
                .ok()
        })
        .collect();
    let refused = match output.status.code() {
        Some(0) => false,
        Some(2) => true,
        other => panic!("{}: wget exited {other:?}: {stderr}", path.display()),
    };
    (lines, refused)
}

/// wget's line (only `\n` ends one) of each error-severity finding of etclint. WGT006 is left
/// out: it is an error because of the file's mode, not because wget refuses the file.
fn etclint_error_lines(path: &Path) -> BTreeSet<usize> {
    let selection = Selection::new(Some(&["WGT".to_string()]), &[], &[]).unwrap();
    let options = Options::new(selection);
    let report = engine::run(
        &[Target::new(path.to_path_buf(), Some(Format::Wgetrc))],
        &options,
    )
    .remove(0);
    assert!(
        report.error.is_none(),
        "{}: {:?}",
        path.display(),
        report.error
    );
    let bytes = std::fs::read(path).unwrap();
    report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error && d.code != "WGT006")
        .map(|d| {
            1 + bytes[..d.span.start]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
        })
        .collect()
}

/// What `etclint dump` lists: (name, canonical, value).
fn dumped(path: &Path) -> Vec<(String, String, String)> {
    let source = SourceFile::new(path, std::fs::read(path).unwrap());
    let dump = Format::Wgetrc.handler().unwrap().dump(&source);
    assert_eq!(dump["format"], "wgetrc");
    dump["commands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let field = |k: &str| c[k].as_str().unwrap().to_string();
            (field("name"), field("canonical"), field("value"))
        })
        .collect()
}

/// What wget sets, read from its debug output for the file with `debug = on` put first.
fn wget_settings(path: &Path, scratch: &Path) -> Vec<(String, String, String)> {
    let mut text = b"debug = on\n".to_vec();
    text.extend(std::fs::read(path).unwrap());
    let file = scratch.join(".wgetrc");
    std::fs::write(&file, text).unwrap();
    let output = wget()
        .arg(format!("--config={}", file.display()))
        .arg("--version")
        .output()
        .unwrap();
    String::from_utf8_lossy(&output.stderr)
        .lines()
        .filter_map(|l| {
            let rest = l.strip_prefix("Setting ")?;
            let (name, rest) = rest.split_once(" (")?;
            let (canonical, value) = rest.split_once(") to ")?;
            Some((name.to_string(), canonical.to_string(), value.to_string()))
        })
        .filter(|(name, _, _)| name != "--config")
        .collect()
}

/// The file as a user makes it of a sample: every commented-out `# command = value` line
/// uncommented.
fn uncommented(path: &Path, scratch: &Path, n: usize) -> PathBuf {
    let text = String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
    let out: String = text
        .lines()
        .map(|line| {
            let rest = line.trim_start_matches('#').trim_start();
            let name_len = rest
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
                .count();
            if line.starts_with('#')
                && name_len > 0
                && rest[name_len..].trim_start().starts_with('=')
            {
                format!("{rest}\n")
            } else {
                format!("{line}\n")
            }
        })
        .collect();
    let dir = scratch.join(format!("uncommented-{n}"));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(".wgetrc");
    std::fs::write(&file, out).unwrap();
    file
}

fn agree(files: &[PathBuf]) -> usize {
    let scratch = tempfile::tempdir().unwrap();
    let mut disagreements = Vec::new();
    for path in files {
        let (wget_lines, refused) = wget_verdict(path);
        assert_eq!(
            refused,
            !wget_lines.is_empty(),
            "{}: wget refused the file without naming a line",
            path.display()
        );
        let ours = etclint_error_lines(path);
        if ours != wget_lines {
            disagreements.push(format!(
                "{}: wget reports lines {wget_lines:?}, etclint errors on {ours:?}",
                path.display()
            ));
        }
        let text = std::fs::read(path).unwrap().to_ascii_lowercase();
        // A `debug` line of the file's own would switch the debug output off.
        if !text.windows(5).any(|w| w == b"debug") {
            let ours = dumped(path);
            let theirs = wget_settings(path, scratch.path());
            if ours != theirs {
                disagreements.push(format!(
                    "{}: dump {ours:?}\n  wget sets {theirs:?}",
                    path.display()
                ));
            }
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} of {} files disagree with wget:\n{}",
        disagreements.len(),
        files.len(),
        disagreements.join("\n")
    );
    files.len()
}

#[test]
#[ignore = "needs wget (tests/setup.sh installs it)"]
fn fixtures_and_demo_agree_with_wget() {
    let files = files_detected_as(Format::Wgetrc, &["fixtures/wgetrc", "fixtures/demo"]);
    let accepted = files.iter().filter(|f| !wget_verdict(f).1).count();
    let checked = agree(&files);
    eprintln!("wget and etclint agree on {checked} wgetrc files ({accepted} accepted by wget)");
    assert!(checked >= 40 && accepted > 0 && accepted < checked);
}

#[test]
#[ignore = "needs wget (tests/setup.sh installs it) and the corpus (../shared/corpus/fetch-corpus.sh)"]
fn the_real_world_corpus_agrees_with_wget() {
    let mut files = corpus_files("wgetrc", "wgetrc");
    assert!(!files.is_empty(), "the corpus lists no wgetrc");
    let scratch = tempfile::tempdir().unwrap();
    let variants: Vec<PathBuf> = files
        .iter()
        .enumerate()
        .map(|(n, f)| uncommented(f, scratch.path(), n))
        .collect();
    let commands: usize = variants.iter().map(|f| dumped(f).len()).sum();
    files.extend(variants);
    let checked = agree(&files);
    eprintln!(
        "wget and etclint agree on {checked} wgetrc files of the corpus (half of them uncommented copies, {commands} commands)"
    );
}

/// Odd lines, each alone in a file: etclint and wget agree on every one.
#[test]
#[ignore = "needs wget (tests/setup.sh installs it)"]
fn odd_lines_agree_with_wget() {
    let lines: &[&[u8]] = &[
        b"tries = 3\0 garbage",
        b"wait = 1\rquota = 2",
        b"\x0btries = 3\x0c",
        b"tries=",
        b"=",
        b"-=1",
        b"_-_ = 1",
        b"tries = 3\r",
        b"wait = 5 s",
        b"wait = 5 ss",
        b"quota = 5 k",
        b"quota = k",
        b"quota = .",
        b"quota = 1.2.3",
        b"quota = 9223372036854775807",
        b"quota = 9223372036854775808",
        b"quota = 9223372036854775809k",
        b"start_pos = 1e3",
        b"tries = 0x10",
        b"tries = -0",
        b"tries = +",
        b"tries = 99999999999999999999",
        b"progress = ",
        b"progress = :",
        b"progress = dott",
        b"progress = ba:x:y",
        b"restrict_file_names = ,",
        b"restrict_file_names = unix,",
        b"restrict_file_names = unix,windows,",
        b"header = a:",
        b"header = a :b",
        b"header = \xe9: x",
        b"use_proxy = \xe9",
        b"check_certificate = Yes",
        b"secure_protocol = PFS",
        b"prefer_family = none",
        b"report_speed = BITS",
        b"certificate_type = ASN1",
        b"compression = Auto",
        b"regex_type = pcre",
        b"no_proxy = ",
        b"timeout = 1w",
        b"wait = -0.0",
        b"read_timeout = - 1",
    ];
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<PathBuf> = lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let sub = dir.path().join(i.to_string());
            std::fs::create_dir(&sub).unwrap();
            let path = sub.join(".wgetrc");
            let mut text = line.to_vec();
            text.push(b'\n');
            std::fs::write(&path, text).unwrap();
            path
        })
        .collect();
    agree(&files);
}

/// Every command the manual of the corpus's wget documents (`_reference/wgetrc-commands.tsv`,
/// from "Wgetrc Commands") is one etclint knows, as the manual spells it.
#[test]
#[ignore = "needs the corpus (../shared/corpus/fetch-corpus.sh)"]
fn every_documented_command_is_known() {
    let root = PathBuf::from(
        std::env::var("ETCLINT_CORPUS").unwrap_or_else(|_| "/tmp/corpus/cache".into()),
    );
    let path = root.join("_reference/wgetrc-commands.tsv");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("needs the corpus: {} is missing", path.display()));
    let mut checked = 0;
    for name in text.lines().skip(1).filter_map(|l| l.split('\t').next()) {
        let line = format!("{name} = 1\n");
        let kinds = etclint::formats::wgetrc::parse(line.as_bytes());
        let etclint::formats::wgetrc::LineKind::Command(command) = &kinds[0].kind else {
            panic!("`{line}` does not parse as a command");
        };
        assert!(
            command.spec.is_some(),
            "the manual documents `{name}`, etclint does not know it"
        );
        checked += 1;
    }
    assert!(checked > 100, "only {checked} documented commands");
}
