//! APA006 against the real server: each fixture of `htaccess-override-required` that has a
//! server configuration (`etc/apache2/apache2.conf`) is served by `apache2 -X` (one process in
//! the foreground, `Listen 127.0.0.1:<free port>`, its own runtime directory, the fixture's
//! tree copied with its absolute paths moved under a temporary root; stopped by the test). A
//! request for a file beside each `.htaccess` gets HTTP 500 exactly where etclint reports an
//! error-severity APA006 finding for that `.htaccess`.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use etclint::diagnostic::Severity;
use etclint::discover::{self, DiscoverOptions};
use etclint::engine::{self, Options};
use etclint::rules::Selection;

mod common;
use common::require_program;

const MODULES: &[&str] = &[
    "mpm_prefork",
    "authz_core",
    "authn_core",
    "auth_basic",
    "authn_file",
    "authz_user",
    "mime",
];

/// Every file of `from`, copied under `to`, with `<Directory /` and `DocumentRoot /` of the
/// server configuration moved under `to`; returns the `.htaccess` files (relative).
fn copy_tree(from: &Path, to: &Path, rel: &Path, htaccess: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(from.join(rel)).unwrap() {
        let entry = entry.unwrap();
        let rel = rel.join(entry.file_name());
        let target = to.join(&rel);
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_tree(from, to, &rel, htaccess);
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        if entry.file_name() == ".htaccess" {
            std::fs::write(&target, text).unwrap();
            std::fs::write(target.with_file_name("t.html"), "hi\n").unwrap();
            htaccess.push(rel);
        } else {
            let root = to.display().to_string();
            let moved = text
                .replace("<Directory /", &format!("<Directory {root}/"))
                .replace("DocumentRoot /", &format!("DocumentRoot {root}/"));
            std::fs::write(&target, moved).unwrap();
        }
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The status code of `GET path`, once the server answers (within 10 s).
fn status(port: u16, path: &str) -> u16 {
    let start = Instant::now();
    loop {
        if let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) {
            stream
                .set_read_timeout(Some(Duration::from_secs(10)))
                .unwrap();
            write!(stream, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").unwrap();
            let mut response = String::new();
            let _ = stream.read_to_string(&mut response);
            let code = response.split_whitespace().nth(1).unwrap_or("0");
            return code.parse().unwrap_or(0);
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "apache2 -X did not listen"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// What etclint says of `htaccess` with `root` as `--root`: (an error-severity APA006, the
/// warning that httpd ignores the file).
fn etclint_verdict(root: &Path, htaccess: &Path) -> (bool, bool) {
    let mut options =
        Options::new(Selection::new(Some(&["APA006".to_string()]), &[], &[]).unwrap());
    options.root = root.to_path_buf();
    let discovery = discover::discover(&[root.to_path_buf()], &DiscoverOptions::default());
    let reports = engine::run(&discovery.targets, &options);
    let ours: Vec<_> = reports
        .iter()
        .filter(|r| r.path.ends_with(htaccess))
        .flat_map(|r| &r.diagnostics)
        .filter(|d| d.code == "APA006")
        .collect();
    (
        ours.iter().any(|d| d.severity == Severity::Error),
        ours.iter().any(|d| d.message.contains("is ignored")),
    )
}

#[test]
#[ignore = "needs apache2 (tests/setup.sh installs it)"]
fn http_500_exactly_where_apa006_reports_an_error() {
    require_program("apache2");
    let fixtures =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/apache/htaccess-override-required");
    let mut judged = Vec::new();
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("etc/apache2/apache2.conf").is_file())
        .collect();
    cases.sort();
    assert!(cases.len() >= 5, "{cases:?}");
    for case in cases {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("root");
        std::fs::create_dir_all(&root).unwrap();
        let mut htaccess = Vec::new();
        copy_tree(&case, &root, Path::new(""), &mut htaccess);
        // Readable by the user the server switches to when the test runs as root.
        Command::new("chmod")
            .arg("-R")
            .arg("a+rX")
            .arg(dir.path())
            .status()
            .unwrap();
        let port = free_port();
        let d = dir.path().display();
        let loads: String = MODULES
            .iter()
            .map(|m| format!("LoadModule {m}_module /usr/lib/apache2/modules/mod_{m}.so\n"))
            .collect();
        let conf = dir.path().join("httpd.conf");
        std::fs::write(
            &conf,
            format!(
                "ServerRoot /etc/apache2\nServerName localhost\nListen 127.0.0.1:{port}\n\
                 DefaultRuntimeDir {d}\nPidFile {d}/pid\nErrorLog {d}/error.log\n{loads}\
                 User www-data\nGroup www-data\nTypesConfig /etc/mime.types\n\
                 DocumentRoot {}\nInclude {}\n",
                root.display(),
                root.join("etc/apache2/apache2.conf").display()
            ),
        )
        .unwrap();
        let server = Server(
            Command::new("apache2")
                .arg("-X")
                .arg("-f")
                .arg(&conf)
                .env("LANG", "C")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        );
        for file in &htaccess {
            let url = format!(
                "/{}",
                file.with_file_name("t.html")
                    .display()
                    .to_string()
                    .trim_start_matches('/')
            );
            let code = status(port, &url);
            let (ours, ignored) = etclint_verdict(&case, file);
            let name = case.file_name().unwrap().to_string_lossy().into_owned();
            let log = std::fs::read_to_string(dir.path().join("error.log")).unwrap_or_default();
            assert_eq!(
                code == 500,
                ours,
                "{name}: HTTP {code} for {url}, etclint error: {ours}\n{log}"
            );
            if ignored {
                // Not read at all: an invalid command in it changes nothing.
                let path = root.join(file);
                let mut text = std::fs::read_to_string(&path).unwrap();
                text.push_str("EtclintProbeNotADirective on\n");
                std::fs::write(&path, text).unwrap();
                let probed = status(port, &url);
                assert_ne!(probed, 500, "{name}: the ignored .htaccess was read");
                judged.push((format!("{name} (ignored)"), probed));
            }
            judged.push((name, code));
        }
        drop(server);
    }
    eprintln!("{judged:?}");
    assert!(judged.iter().any(|(_, c)| *c == 500));
    assert!(judged.iter().any(|(_, c)| *c != 500));
}

/// Without a server configuration APA006 is silent by default; `without-server-config = true`
/// makes it name the classes the file needs, once per file.
#[test]
fn without_server_config_the_classes_are_named_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let htaccess = dir.path().join(".htaccess");
    std::fs::write(
        &htaccess,
        "AuthType Basic\nRequire valid-user\n<Files a>\nForceType text/plain\n</Files>\n",
    )
    .unwrap();
    let config = dir.path().join("etclint.toml");
    std::fs::write(&config, "[rules.APA006]\nwithout-server-config = true\n").unwrap();
    let run = |args: &[&str]| {
        let output = common::etclint()
            .args(["--format", "json", "--select", "APA006"])
            .args(args)
            .arg(&htaccess)
            .output()
            .unwrap();
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        report["diagnostics"].as_array().unwrap().clone()
    };
    assert!(run(&["--isolated"]).is_empty());
    let asked = run(&["--config", config.to_str().unwrap()]);
    assert_eq!(asked.len(), 1, "{asked:#?}");
    assert_eq!(asked[0]["severity"], "warning");
    let message = asked[0]["message"].as_str().unwrap();
    assert!(message.contains("AuthConfig and FileInfo"), "{message}");
}
