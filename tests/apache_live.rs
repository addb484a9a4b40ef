//! The second Apache oracle, for what `apache2 -t` cannot see: a `.htaccess` is read per
//! request. A real httpd (`apache2 -X`: one process in the foreground, prefork, mod_php with
//! Debian's `php8.2.conf`, every Debian module of `scripts/apache-modules.conf`) listens on
//! 127.0.0.1 with a temporary DocumentRoot under `AllowOverride All`; each `.htaccess` of the
//! fixtures, of `fixtures/demo` and of the corpus gets its own directory there, with a
//! `test.php` and the files its `<Files>` sections name. A request under it must get HTTP 500
//! exactly where etclint reports an error-severity finding of the rules httpd enforces
//! (`REFUSED_BY_HTTPD`), with one on the line httpd's alert names and one whose `Apache says:`
//! note is httpd's message. Then the incident: `RemoveHandler .php` leaves the PHP file executed,
//! and after APA012's fix it comes back as `text/plain`. The server is stopped by a guard, also
//! when a test panics.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use etclint::diagnostic::Severity;
use etclint::discover::Target;
use etclint::engine::{self, Options};
use etclint::formats::apache::catalogue::{self, ArgKind, Override};
use etclint::formats::apache::{ApacheFile, NodeKind};
use etclint::formats::Format;
use etclint::rules::apache::REFUSED_BY_HTTPD;
use etclint::rules::Selection;
use etclint::source::SourceFile;

mod common;
use common::{require_corpus, require_program};

const PHP_CONF: &str = "/etc/apache2/mods-available/php8.2.conf";
const SCRIPT: &str = "<?php echo \"ran\";\n";
/// What httpd refuses that etclint does not judge in one file: a macro another file defines.
const NOT_JUDGED: &[&str] = &["no macro defined before Use"];

/// How long the server may take to answer its port, one request, and a whole test.
const STARTUP: Duration = Duration::from_secs(20);
const REQUEST: Duration = Duration::from_secs(5);
const TOTAL: Duration = Duration::from_secs(60);

/// A running `apache2 -X`, killed (with its process group: mod_cgid's daemon) when dropped.
struct Server {
    dir: tempfile::TempDir,
    conf: PathBuf,
    port: u16,
    child: Child,
    started: Instant,
}

impl Drop for Server {
    fn drop(&mut self) {
        let group = -(self.child.id() as libc::pid_t);
        // SAFETY: signals the process group this test started (the child leads it).
        unsafe { libc::kill(group, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        // SAFETY: as above; whatever is left of the group.
        unsafe { libc::kill(group, libc::SIGKILL) };
        let _ = self.child.wait();
    }
}

/// An HTTP response: status, Content-Type, body.
#[derive(Debug)]
struct Response {
    status: u16,
    content_type: String,
    body: Vec<u8>,
}

impl Server {
    fn docroot(&self) -> PathBuf {
        self.dir.path().join("docroot")
    }

    fn error_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("error.log")).unwrap_or_default()
    }

    /// `GET path` over plain HTTP/1.0 on the loopback port.
    fn get(&self, path: &str) -> Response {
        assert!(
            self.started.elapsed() < TOTAL,
            "apache2 -X has served for more than {TOTAL:?}"
        );
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        let mut stream = TcpStream::connect_timeout(&address, REQUEST).unwrap();
        stream.set_read_timeout(Some(REQUEST)).unwrap();
        stream.set_write_timeout(Some(REQUEST)).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(&raw)));
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no status in {head:?}"));
        let content_type = head
            .lines()
            .find_map(|l| {
                let (name, value) = l.split_once(':')?;
                name.eq_ignore_ascii_case("content-type")
                    .then(|| value.trim().to_string())
            })
            .unwrap_or_default();
        Response {
            status,
            content_type,
            body: raw[split + 4..].to_vec(),
        }
    }
}

/// A port of 127.0.0.1 that was free a moment ago.
fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Makes `path` readable by the server's user (httpd drops root privileges to www-data).
fn open_up(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Writes the configuration and starts `apache2 -X` on it; returns once the port answers.
fn start() -> Server {
    require_program("apache2");
    assert!(
        Path::new(PHP_CONF).is_file(),
        "this test needs {PHP_CONF}: run tests/setup.sh, which installs libapache2-mod-php8.2"
    );
    let loads = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scripts/apache-modules.conf"
    ))
    .unwrap();
    for attempt in 0.. {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().display().to_string();
        open_up(dir.path(), 0o755);
        for sub in ["docroot", "run"] {
            std::fs::create_dir(dir.path().join(sub)).unwrap();
            open_up(&dir.path().join(sub), 0o755);
        }
        let port = free_port();
        // As root, httpd serves as www-data (it refuses to serve as root); otherwise as the
        // user running the test.
        // SAFETY: geteuid has no preconditions.
        let user = if unsafe { libc::geteuid() } == 0 {
            "User www-data\nGroup www-data\n"
        } else {
            ""
        };
        let conf = dir.path().join("httpd.conf");
        std::fs::write(
            &conf,
            format!(
                "ServerRoot {d}\nServerName localhost\nListen 127.0.0.1:{port}\n\
                 DefaultRuntimeDir {d}/run\nPidFile {d}/run/httpd.pid\nMutex file:{d}/run default\n\
                 ErrorLog {d}/error.log\nLogLevel warn\n{user}{loads}\n\
                 TypesConfig /etc/mime.types\nInclude {PHP_CONF}\n\
                 DocumentRoot {d}/docroot\n\
                 <Directory {d}/docroot>\n    AllowOverride All\n    Require all granted\n</Directory>\n"
            ),
        )
        .unwrap();
        let log = dir.path().join("run");
        let child = common::apache2(&log)
            .arg("-X")
            .arg("-f")
            .arg(&conf)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap();
        let mut server = Server {
            dir,
            conf,
            port,
            child,
            started: Instant::now(),
        };
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let deadline = Instant::now() + STARTUP;
        loop {
            if let Ok(Some(status)) = server.child.try_wait() {
                // Another program took the port between free_port and Listen: once more.
                let log = server.error_log();
                if log.contains("Address already in use") && attempt < 3 {
                    break;
                }
                panic!("apache2 -X exited ({status}):\n{log}");
            }
            if TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok() {
                return server;
            }
            assert!(
                Instant::now() < deadline,
                "apache2 -X did not answer on {address} within {STARTUP:?}:\n{}",
                server.error_log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    unreachable!()
}

/// The plain file names a `.htaccess`'s `<Files>` sections name (`some.file.php`); patterns,
/// regular expressions and paths are left out.
fn named_files(htaccess: &[u8]) -> Vec<String> {
    let source = SourceFile::new(".htaccess", htaccess.to_vec());
    let file = ApacheFile::new(&source);
    let mut names: Vec<String> = file
        .nodes
        .iter()
        .filter(|n| n.kind == NodeKind::Open && n.name.eq_ignore_ascii_case("Files"))
        .filter_map(|n| n.args.first())
        .map(|a| a.value.trim_end_matches('>').to_string())
        .filter(|v| {
            !v.is_empty()
                && v != ".htaccess"
                && !v.contains(['*', '?', '[', '/', '~', '\\'])
                && !v.starts_with('.')
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

/// One `.htaccess` placed under the DocumentRoot.
struct Case {
    /// The original file.
    origin: PathBuf,
    /// Its directory under the DocumentRoot (`/0003/`).
    url: String,
    copy: PathBuf,
}

/// Copies each `.htaccess` into its own directory under the DocumentRoot with `test.php` and
/// the files its `<Files>` sections name.
fn place(server: &Server, group: &str, files: &[PathBuf]) -> Vec<Case> {
    files
        .iter()
        .enumerate()
        .map(|(i, origin)| {
            let name = format!("{group}{i:04}");
            let dir = server.docroot().join(&name);
            std::fs::create_dir(&dir).unwrap();
            open_up(&dir, 0o755);
            let bytes = std::fs::read(origin).unwrap();
            let mut scripts = named_files(&bytes);
            scripts.push("test.php".into());
            for script in scripts {
                let path = dir.join(script);
                std::fs::write(&path, SCRIPT).unwrap();
                open_up(&path, 0o644);
            }
            let copy = dir.join(".htaccess");
            std::fs::write(&copy, &bytes).unwrap();
            open_up(&copy, 0o644);
            Case {
                origin: origin.clone(),
                url: format!("/{name}/"),
                copy,
            }
        })
        .collect()
}

/// etclint's error-severity findings of the rules httpd enforces, per copy, with the server's
/// configuration in the run (its `<Directory>` with `AllowOverride All`, Debian's php8.2.conf).
/// A refusal: its line, its text, and what it says Apache says (`Apache says: …` notes).
type Refusal = (usize, String, Vec<String>);

fn etclint_refusals(server: &Server, cases: &[Case]) -> Vec<Vec<Refusal>> {
    let options = Options::new(Selection::new(None, &[], &[]).unwrap());
    let mut targets: Vec<Target> = cases
        .iter()
        .map(|c| Target::new(c.copy.clone(), Some(Format::Apache)))
        .collect();
    targets.push(Target::new(server.conf.clone(), Some(Format::Apache)));
    let reports = engine::run(&targets, &options);
    cases
        .iter()
        .map(|case| {
            let report = reports
                .iter()
                .find(|r| r.path == case.copy)
                .expect("a report per target");
            assert!(report.error.is_none(), "{:?}", report.error);
            let Some(source) = report.source.as_ref() else {
                return Vec::new();
            };
            report
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error && REFUSED_BY_HTTPD.contains(&d.code))
                .map(|d| {
                    let line = source.line_index(d.span.start) + 1;
                    let says = d
                        .notes
                        .iter()
                        .filter_map(|n| n.strip_prefix("Apache says: "))
                        .map(|n| n.to_string())
                        .collect();
                    (line, format!("{line}: {} {}", d.code, d.message), says)
                })
                .collect()
        })
        .collect()
}

#[derive(Default, Debug)]
struct Tally {
    agree: usize,
    /// Of `agree`: refused (HTTP 500, the error log's alert names the `.htaccess`).
    refused: Vec<String>,
    /// HTTP 500 for what the request does under this directory, not for the file: a rewrite
    /// that loops because the copy lacks the directories it rewrites to (AH00124).
    request: Vec<String>,
    disagree: Vec<String>,
}

/// Requests `test.php` under each copy and compares HTTP 500 with etclint's refusals.
fn judge(server: &Server, group: &str, files: &[PathBuf]) -> Tally {
    let cases = place(server, group, files);
    let ours = etclint_refusals(server, &cases);
    let mut tally = Tally::default();
    for (case, ours) in cases.iter().zip(ours) {
        let log_before = server.error_log().len();
        let response = server.get(&format!("{}test.php", case.url));
        let log = server.error_log();
        let said = log.get(log_before..).unwrap_or("").trim().to_string();
        // httpd's alert for a .htaccess it cannot read: `[core:alert] … /path/.htaccess: …`.
        let alert = format!("{}: ", case.copy.display());
        let refused = response.status == 500 && said.contains(&alert);
        // Structure errors name a line: `/path/.htaccess:3: <Files> was not closed.`
        let message = said.split(&alert).nth(1).unwrap_or("").trim().to_string();
        let named_line: Option<usize> = said
            .split(&format!("{}:", case.copy.display()))
            .nth(2)
            .and_then(|rest| rest.split(':').next())
            .and_then(|n| n.parse().ok());
        let on_line = named_line.is_none_or(|n| ours.iter().any(|(l, _, _)| *l == n));
        // httpd's words, each line without the `FILE:LINE: ` structure errors start with
        // (`<Directory> was not closed.` then `<VirtualHost> was not closed.`, innermost first).
        let prefix = format!("{}:", case.copy.display());
        let said_lines: Vec<String> = message
            .split("\\n")
            .flat_map(str::lines)
            .map(|l| {
                l.strip_prefix(&prefix)
                    .and_then(|rest| rest.split_once(": "))
                    .filter(|(n, _)| n.parse::<usize>().is_ok())
                    .map_or(l, |(_, words)| words)
                    .to_string()
            })
            .collect();
        // Compared exactly, without the note's `(line 1)`-style remark.
        let worded = !refused
            || NOT_JUDGED.iter().any(|m| message.contains(m))
            || ours.iter().any(|(_, _, says)| {
                says.iter().any(|s| {
                    said_lines.iter().any(|w| {
                        *s == *w
                            || s.strip_prefix(w.as_str())
                                .is_some_and(|r| r.starts_with(" ("))
                    })
                })
            });
        let ours: Vec<String> = ours.into_iter().map(|(_, text, _)| text).collect();
        let shown = case.origin.display();
        if response.status == 500 && !refused && said.contains("AH00124") && ours.is_empty() {
            tally.request.push(format!("{shown}: {said}"));
        } else if refused != ours.is_empty()
            && (refused || response.status != 500)
            && on_line
            && worded
        {
            tally.agree += 1;
            if refused {
                tally
                    .refused
                    .push(format!("{shown}: httpd: {message}; etclint: {ours:?}"));
            }
        } else {
            tally.disagree.push(format!(
                "{shown}: HTTP {} ({said}), etclint says {ours:?}",
                response.status
            ));
        }
    }
    tally
}

fn report(what: &str, tally: &Tally) {
    for line in &tally.refused {
        eprintln!("refused: {line}");
    }
    eprintln!(
        "apache2 -X over {what}: {} .htaccess agree ({} refused with HTTP 500), {} disagree, {} get HTTP 500 from the request (a rewrite loop)",
        tally.agree,
        tally.refused.len(),
        tally.disagree.len(),
        tally.request.len()
    );
}

/// Every `.htaccess` under `dir`.
fn htaccess_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path
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

/// The server configuration files of the fixtures (read as a `.htaccess` they test the
/// per-directory context).
fn server_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if path.is_dir() {
                stack.push(path);
            } else if !name.ends_with(".snap") && !name.starts_with(".htaccess") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn fixture_dir(sub: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(sub)
}

#[test]
#[ignore = "needs apache2 and libapache2-mod-php8.2 (tests/setup.sh installs them)"]
fn http_500_exactly_where_etclint_refuses_a_fixture_htaccess() {
    let server = start();
    let mut files = htaccess_files(&fixture_dir("apache"));
    files.extend(htaccess_files(&fixture_dir("demo")));
    let tally = judge(&server, "h", &files);
    report("the fixtures", &tally);
    let server_files = server_files(&fixture_dir("apache"));
    let as_htaccess = judge(&server, "s", &server_files);
    report(
        "the server configuration fixtures as .htaccess",
        &as_htaccess,
    );
    assert!(
        as_htaccess.disagree.is_empty(),
        "{:#?}",
        as_htaccess.disagree
    );
    assert!(tally.disagree.is_empty(), "{:#?}", tally.disagree);
    assert!(tally.request.is_empty(), "{:#?}", tally.request);
    assert_eq!(tally.agree, files.len());
    // Both verdicts occur: the comparison can fail either way.
    assert!(
        !tally.refused.is_empty() && tally.refused.len() < tally.agree,
        "{tally:?}"
    );
}

#[test]
#[ignore = "needs apache2, libapache2-mod-php8.2 and the corpus (tests/setup.sh installs and fetches them)"]
fn http_500_exactly_where_etclint_refuses_a_corpus_htaccess() {
    let corpus = require_corpus();
    let list = std::fs::read_to_string(corpus.join("_lists/htaccess.txt")).unwrap();
    let files: Vec<PathBuf> = list.lines().map(|l| corpus.join(l)).collect();
    assert!(!files.is_empty());
    let server = start();
    let tally = judge(&server, "h", &files);
    report("the corpus", &tally);
    assert!(tally.disagree.is_empty(), "{:#?}", tally.disagree);
    // CakePHP's skeleton rewrites everything to webroot/, whose own .htaccess the copy lacks:
    // the loop is the request's, not the file's; nothing else may be.
    assert!(
        tally.request.len() <= 1
            && tally
                .request
                .iter()
                .all(|r| r.contains("/Cake/Console/Templates/skel/.htaccess")),
        "{:#?}",
        tally.request
    );
    assert_eq!(tally.agree + tally.request.len(), files.len());
    let list = std::fs::read_to_string(corpus.join("_lists/apache-conf.txt")).unwrap();
    let server_files: Vec<PathBuf> = list.lines().map(|l| corpus.join(l)).collect();
    let as_htaccess = judge(&server, "s", &server_files);
    report(
        "the corpus' server configuration as .htaccess",
        &as_htaccess,
    );
    assert!(
        as_htaccess.disagree.is_empty(),
        "{:#?}",
        as_htaccess.disagree
    );
}

/// Every directive a `.htaccess` may hold whose argument count httpd checks, written with 0 to
/// 3 words and with an empty one: httpd refuses it with its count message (HTTP 500) exactly
/// where etclint reports APA020.
#[test]
#[ignore = "needs apache2 and libapache2-mod-php8.2 (tests/setup.sh installs them)"]
fn http_500_for_an_argument_count_exactly_where_apa020_says_so() {
    let scratch = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    let mut messages = Vec::new();
    for spec in catalogue::all() {
        let Some(arity) = catalogue::arity(spec.name) else {
            continue;
        };
        if spec.is_section()
            || spec.third_party.is_some()
            || spec.htaccess == Override::Never
            || arity.kind == ArgKind::Handler
        {
            continue;
        }
        for words in ["", " x", " x x", " x x x", " \"\""] {
            let path = scratch.path().join(format!("{:05}.htaccess", files.len()));
            std::fs::write(&path, format!("{}{words}\n", spec.name)).unwrap();
            files.push(path);
            messages.push(arity.message.as_str());
        }
    }
    assert!(files.len() > 500, "{}", files.len());
    let server = start();
    let cases = place(&server, "a", &files);
    let ours = etclint_refusals(&server, &cases);
    let (mut agree, mut refused, mut disagree) = (0, 0, Vec::new());
    for ((case, ours), message) in cases.iter().zip(&ours).zip(&messages) {
        let log_before = server.error_log().len();
        let response = server.get(&format!("{}test.php", case.url));
        let log = server.error_log();
        let said = log.get(log_before..).unwrap_or("");
        // The error log writes a message's line breaks as `\n`.
        let logged = message.replace('\n', "\\n");
        let counted =
            response.status == 500 && said.contains(&format!("{}: {logged}", case.copy.display()));
        let apa020 = ours.iter().any(|(_, text, _)| text.contains(" APA020 "));
        if counted == apa020 {
            agree += 1;
            refused += usize::from(counted);
        } else {
            let text = std::fs::read_to_string(&case.copy).unwrap();
            disagree.push(format!(
                "{:?}: HTTP {} ({}), etclint: {apa020}",
                text.trim(),
                response.status,
                said.trim()
            ));
        }
    }
    eprintln!(
        "apache2 -X over {} argument counts in .htaccess: {agree} agree ({refused} refused), {} disagree",
        files.len(),
        disagree.len()
    );
    assert!(disagree.is_empty(), "{disagree:#?}");
    assert!(refused > 0 && refused < agree);
}

/// The incident: `<Files "some.file.php"> RemoveHandler .php / ForceType text/plain` leaves
/// the script executed under Debian's `SetHandler` in `<FilesMatch>`; after APA012's fix
/// (`SetHandler None`) the same request gets the source as `text/plain`.
#[test]
#[ignore = "needs apache2 and libapache2-mod-php8.2 (tests/setup.sh installs them)"]
fn the_incidents_script_runs_until_apa012s_fix() {
    let server = start();
    let files = htaccess_files(&fixture_dir("apache/handler-not-removed"));
    assert!(files.len() >= 2, "{files:?}");
    for case in place(&server, "i", &files) {
        let url = format!("{}some.file.php", case.url);
        let before = server.get(&url);
        assert_eq!(
            (before.status, before.body.as_slice()),
            (200, b"ran".as_slice()),
            "{}: the script runs",
            case.origin.display()
        );
        assert!(before.content_type.starts_with("text/html"), "{before:?}");
        let output = common::etclint()
            .args([
                "--fix",
                "--unsafe-fixes",
                "--select",
                "APA012",
                "--as",
                "apache",
            ])
            .arg(&case.copy)
            .arg(&server.conf)
            .output()
            .unwrap();
        let fixed = std::fs::read_to_string(&case.copy).unwrap();
        assert!(
            fixed.contains("SetHandler None") && !fixed.contains("RemoveHandler"),
            "{}: {output:?}\n{fixed}",
            case.origin.display()
        );
        let after = server.get(&url);
        assert_eq!(
            (after.status, after.content_type.as_str()),
            (200, "text/plain"),
            "{}: after the fix\n{fixed}\n{}",
            case.origin.display(),
            server.error_log()
        );
        assert_eq!(after.body, SCRIPT.as_bytes(), "the source comes back");
    }
}
