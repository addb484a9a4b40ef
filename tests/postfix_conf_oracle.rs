//! postconf itself judges etclint's reading of main.cf and master.cf. For every fixture, the
//! spec's cases and every main.cf/master.cf of the real corpus, each in a directory of its
//! own (with Debian's master.cf.dist beside a main.cf that has none, as on a server):
//! (a) the parameters `etclint dump` lists, less those PFM001 calls unused (postconf -n does
//! not print them), are those `postconf -c DIR -n` prints, values as it prints them; (b) the postconf warnings etclint's PFM001/PFM002/PFM003/PFM006 and
//! PFC001/PFC002 findings carry as notes are exactly those postconf prints (undefined
//! parameters compared as a set: postconf warns at each reference; on a fatal error,
//! where postconf stops, its messages must be among etclint's). main.cf gets an old mtime
//! first: postconf re-reads a file younger than a few seconds and repeats warnings.
//!
//! Known differences, each counted and printed, none silently dropped:
//! - `postconf -c DIR` sets config_directory=DIR itself: it prints it and calls a main.cf's
//!   own config_directory an "overriding earlier entry" (not a problem of the file);
//! - warnings about opening database configurations (`open "ldap" configuration …`) and
//!   master.cf's own undefined `$name`s are not main.cf/master.cf syntax and not compared.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use etclint::discover::Target;
use etclint::engine::{self, Options};
use etclint::formats::Format;
use etclint::rules::Selection;
use etclint::source::SourceFile;

mod common;

const DEBIAN_MASTER: &str = "/usr/share/postfix/master.cf.dist";

fn require_postconf() {
    let works = Command::new("postconf")
        .args(["-d", "mail_version"])
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        works,
        "postconf is not installed: apt-get install postfix (DEBIAN_FRONTEND=noninteractive, never started; tests/setup.sh does)"
    );
    assert!(
        Path::new(DEBIAN_MASTER).is_file(),
        "{DEBIAN_MASTER} missing: apt-get install postfix"
    );
}

/// What postconf says of a directory.
struct Postconf {
    parameters: BTreeMap<String, String>,
    messages: Vec<String>,
    failed: bool,
}

/// Whether a postconf message is outside what is compared (see the module comment).
fn not_compared(message: &str, dir: &str) -> bool {
    message.contains(&format!("overriding earlier entry: config_directory={dir}"))
        || message.contains(" configuration \"")
        || message.contains("/master.cf: undefined parameter:")
        // The consequence of the macro warning before it, which is compared.
        || (message.starts_with("fatal: ") && message.ends_with("macro processing error"))
}

fn postconf(dir: &Path) -> Postconf {
    let shown = dir.display().to_string();
    let output = Command::new("postconf")
        .arg("-c")
        .arg(dir)
        .arg("-n")
        .env("LC_ALL", "C")
        .output()
        .unwrap();
    let mut parameters = BTreeMap::new();
    let stdout = String::from_utf8_lossy(&output.stdout);
    // A long value is continued on indented lines.
    let mut last: Option<String> = None;
    for line in stdout.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some(name) = &last {
                let v: &mut String = parameters.get_mut(name).unwrap();
                v.push(' ');
                v.push_str(line.trim());
            }
            continue;
        }
        let Some((name, value)) = line.split_once(" =") else {
            continue;
        };
        parameters.insert(name.to_string(), value.trim_start().to_string());
        last = Some(name.to_string());
    }
    let messages = String::from_utf8_lossy(&output.stderr)
        .lines()
        .filter_map(|l| l.strip_prefix("postconf: "))
        .filter(|m| !not_compared(m, &shown))
        .map(String::from)
        .collect();
    Postconf {
        parameters,
        messages,
        failed: !output.status.success(),
    }
}

/// etclint's view: the dumped parameters and the postconf lines its findings carry.
fn etclint(dir: &Path) -> (BTreeMap<String, String>, Vec<String>) {
    let main = dir.join("main.cf");
    let source = SourceFile::new(&main, std::fs::read(&main).unwrap());
    let dump = Format::PostfixMain.handler().unwrap().dump(&source);
    let parameters = dump["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_string(),
                p["value"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let codes = ["PFM001", "PFM002", "PFM003", "PFM006", "PFC001", "PFC002"];
    let selection = Selection::new(Some(&codes.map(String::from)), &[], &[]).unwrap();
    let mut options = Options::new(selection);
    options.root = dir.to_path_buf();
    let targets = [
        Target::new(main, Some(Format::PostfixMain)),
        Target::new(dir.join("master.cf"), Some(Format::PostfixMaster)),
    ];
    let mut notes = Vec::new();
    for report in engine::run(&targets, &options) {
        assert!(
            report.error.is_none(),
            "{}: {:?}",
            report.path.display(),
            report.error
        );
        for d in &report.diagnostics {
            notes.extend(
                d.notes
                    .iter()
                    .filter_map(|n| n.strip_prefix("postconf: "))
                    .map(String::from),
            );
        }
    }
    (parameters, notes)
}

/// Puts a case in a fresh directory: its main.cf (or an empty one) and its master.cf (or
/// Debian's).
fn stage(main: Option<&[u8]>, master: Option<&[u8]>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.cf"), main.unwrap_or(b"")).unwrap();
    let master = master.map_or_else(|| std::fs::read(DEBIAN_MASTER).unwrap(), <[u8]>::to_vec);
    std::fs::write(dir.path().join("master.cf"), master).unwrap();
    let old = Command::new("touch")
        .args(["-d", "-1 min"])
        .arg(dir.path().join("main.cf"))
        .arg(dir.path().join("master.cf"))
        .status()
        .unwrap();
    assert!(old.success());
    dir
}

#[derive(Default, Debug)]
struct Tally {
    cases: usize,
    parameters: usize,
    messages: usize,
    fatal: usize,
}

/// Compares one staged directory; panics with both views on a disagreement.
fn agree(what: &str, dir: &Path, tally: &mut Tally) {
    let theirs = postconf(dir);
    let (mut parameters, mut ours) = etclint(dir);
    tally.cases += 1;
    if theirs.failed {
        // postconf stops at its first fatal error: what it said must be among etclint's.
        tally.fatal += 1;
        for m in &theirs.messages {
            assert!(
                ours.contains(m),
                "{what}: postconf says {m:?}, etclint does not\netclint: {ours:#?}"
            );
        }
        tally.messages += theirs.messages.len();
        return;
    }
    let dir_shown = dir.display().to_string();
    let mut expected = theirs.parameters.clone();
    if !parameters.contains_key("config_directory") {
        expected.remove("config_directory");
    }
    let unused: Vec<String> = ours
        .iter()
        .filter(|m| m.contains("/main.cf: unused parameter: "))
        .filter_map(|m| {
            m.split_once("unused parameter: ")?
                .1
                .split_once('=')
                .map(|(n, _)| n.to_string())
        })
        .collect();
    parameters.retain(|name, _| !unused.contains(name));
    assert_eq!(
        parameters, expected,
        "{what}: etclint dump (left) vs postconf -n (right)"
    );
    // postconf warns at every reference of an undefined name, etclint once per parameter:
    // both lists are compared as sets for these.
    let mut theirs_sorted = theirs.messages.clone();
    for list in [&mut theirs_sorted, &mut ours] {
        list.sort();
        let mut undefined_seen = std::collections::HashSet::new();
        list.retain(|m| !m.contains(": undefined parameter: ") || undefined_seen.insert(m.clone()));
    }
    assert_eq!(
        ours, theirs_sorted,
        "{what} (in {dir_shown}): etclint's postconf notes (left) vs postconf's messages (right)"
    );
    tally.parameters += parameters.len();
    tally.messages += ours.len();
}

/// A case: what it is, its main.cf and its master.cf (`None`: an empty main.cf, Debian's
/// master.cf).
type Case = (String, Option<Vec<u8>>, Option<Vec<u8>>);

/// Runs the cases in parallel threads, one postconf per case.
fn agree_all(cases: Vec<Case>) -> Tally {
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .max(2);
    let chunk = cases.len().div_ceil(threads).max(1);
    let tallies: Vec<Tally> = std::thread::scope(|s| {
        let handles: Vec<_> = cases
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    let mut tally = Tally::default();
                    for (what, main, master) in part {
                        let dir = stage(main.as_deref(), master.as_deref());
                        agree(what, dir.path(), &mut tally);
                    }
                    tally
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    tallies.into_iter().fold(Tally::default(), |a, b| Tally {
        cases: a.cases + b.cases,
        parameters: a.parameters + b.parameters,
        messages: a.messages + b.messages,
        fatal: a.fatal + b.fatal,
    })
}

fn files_named(dir: &Path, name: &str, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_named(&path, name, out);
        } else if path.file_name().is_some_and(|n| n == name) {
            out.push(path);
        }
    }
}

#[test]
#[ignore = "needs postconf from postfix (tests/setup.sh installs it)"]
fn fixtures_agree_with_postconf() {
    require_postconf();
    let mut cases = Vec::new();
    for folder in [
        "fixtures/postfix-main",
        "fixtures/postfix-master",
        "fixtures/demo",
    ] {
        let mut mains = Vec::new();
        let mut masters = Vec::new();
        files_named(Path::new(folder), "main.cf", &mut mains);
        files_named(Path::new(folder), "master.cf", &mut masters);
        for main in &mains {
            let master = main.with_file_name("master.cf");
            let master = master.is_file().then(|| std::fs::read(&master).unwrap());
            cases.push((
                main.display().to_string(),
                Some(std::fs::read(main).unwrap()),
                master,
            ));
        }
        for master in masters
            .iter()
            .filter(|m| !m.with_file_name("main.cf").is_file())
        {
            cases.push((
                master.display().to_string(),
                None,
                Some(std::fs::read(master).unwrap()),
            ));
        }
    }
    let tally = agree_all(cases);
    eprintln!("fixtures: {tally:?}: etclint and postconf agree");
    assert!(tally.cases >= 15, "{tally:?}");
}

/// The spec's cases and the ones found while writing the parser, each a main.cf of its own.
#[test]
#[ignore = "needs postconf from postfix (tests/setup.sh installs it)"]
fn spec_cases_agree_with_postconf() {
    require_postconf();
    let mains: &[&str] = &[
        "myhostname = a\nmyhostname = b\nmyhostname = c\n",
        "bogus_parameter_xyz = 1\nMyHostname = x\n",
        "myhostname = $undefined_thing\n",
        "mydomain = a $ b\n",
        "a\njustaword\n",
        "myhostname = x\n= novalue\n",
        "  x = 1\nb = 2\n",
        "a = 1\n  = x\n",
        "myhostname = a   b\tc\nmydomain = x # note\nalias_maps = hash:/a,\n# c\n  hash:/b\n\n\tldap:/c\n",
        "relayhost=\nmynetworks =   \nsmtpd_banner = $myhostname\r\ninet_interfaces = \"a  b\"\n",
        "myhostname=b=c\n",
        "myhostname = $$x $$$u7 a$$\n",
        "myhostname = ${u1?b} ${u2:c} $(u3) ${u4} $u5\n",
        "myhostname = ${ab\n",
        "myhostname = $(ab\n",
        "myhostname = ${a?{x}:{y}}\nmydomain = ${{$a} == {b}?x}\n",
        "myhostname = $my-thing\n",
        "x1 = 1\nmyhostname = $x1\n",
        "myhostname = $u8 $u8\nmydomain = $u8\n",
        "smtpd_restriction_classes = cls\ncls = permit\n",
        "mydomain = ldap:foo\nfoo_server_host = x\nfoo_bogus = 1\n",
        "virtual_maps = x\nbogus_a = 1\nmyhostname = $bogus_a\n",
        "virtual_alias_maps = hash:/x\nvirtual_maps = y\n",
        "process_name = x\nservice_name = y\n",
        "smtpd_reject_footer = $nothing_here\n",
        "relay_transport_destination_recipient_limit = 1\nlistapp_destination_recipient_limit = 2\n",
        "bogus_b = $bogus_c\nbogus_c = 1\n",
    ];
    let mut cases: Vec<Case> = mains
        .iter()
        .map(|m| (format!("{m:?}"), Some(m.as_bytes().to_vec()), None))
        .collect();
    let masters: &[&str] = &[
        "smtp inet n - y - - smtpd\n  -o smtpd_bogus_override=1\n  -o { smtpd_tls_security_level = may }\n  -o {smtpd_x = 1\n",
        "smtp inet x - y - - smtpd\n",
        "smtp inet - - y - 10? smtpd\n",
        "smtp inet n - y\n",
        "a unix - - y 10?? - x\n",
        "b unix - z - - - x\n",
        "c unix - - q - - x\n",
        "d unixx - - - - - x\n",
        "  smtp inet n - y - - smtpd\nx unix - - - - - y\n",
        "smtp inet n - y - - smtpd -o mine=1 -o smtpd_banner=$mine\n",
        "listapp unix - n n - - pipe flags=R user=list argv=/bin/true\n",
    ];
    cases.extend(
        masters
            .iter()
            .map(|m| (format!("{m:?}"), None, Some(m.as_bytes().to_vec()))),
    );
    let tally = agree_all(cases);
    eprintln!("spec cases: {tally:?}: etclint and postconf agree");
}

#[test]
#[ignore = "needs postconf from postfix and the corpus (tests/setup.sh installs both)"]
fn corpus_agrees_with_postconf() {
    require_postconf();
    let root = common::require_corpus();
    let list = |name: &str| -> Vec<PathBuf> {
        std::fs::read_to_string(root.join("_lists").join(name))
            .unwrap_or_default()
            .lines()
            .map(|l| root.join(l))
            .collect()
    };
    let mut cases = Vec::new();
    for main in list("postfix-main.txt") {
        cases.push((
            main.display().to_string(),
            Some(std::fs::read(&main).unwrap()),
            None,
        ));
    }
    for master in list("postfix-master.txt") {
        cases.push((
            master.display().to_string(),
            None,
            Some(std::fs::read(&master).unwrap()),
        ));
    }
    // Debian's default main.cf with Debian's default master.cf.
    let tally = agree_all(cases);
    eprintln!("corpus: {tally:?}: etclint and postconf agree");
    assert!(tally.cases >= 7, "{tally:?}");
}
