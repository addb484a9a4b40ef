//! The download trap on loopback only: a `.wgetrc` in `$HOME` whose proxies point at a port of
//! this test (standing in for the dead end) catches wget's downloads, and the holes WGT007
//! reports are real holes. wget runs in the foreground against 127.0.0.1 only and never
//! reaches the network: the "downloads" go to 127.0.0.1 port 1, where nothing listens.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::Command;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use etclint::discover::Target;
use etclint::engine::{self, Options};
use etclint::formats::Format;
use etclint::rules::Selection;

/// Where the downloads go: nothing listens on port 1.
const TARGET: &str = "127.0.0.1:1";

/// A listener on a free loopback port that answers one request with 403 and reports its
/// request line.
struct Proxy {
    port: u16,
    seen: mpsc::Receiver<String>,
}

impl Proxy {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let (tx, seen) = mpsc::channel();
        thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(30);
            while Instant::now() < deadline {
                match listener.accept() {
                    Ok((stream, _)) => {
                        stream.set_nonblocking(false).unwrap();
                        stream
                            .set_read_timeout(Some(Duration::from_secs(5)))
                            .unwrap();
                        let mut line = String::new();
                        let mut reader = BufReader::new(&stream);
                        let _ = reader.read_line(&mut line);
                        let _ = (&stream).write_all(
                            b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                        );
                        let _ = tx.send(line.trim_end().to_string());
                        return;
                    }
                    Err(_) => thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Self { port, seen }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// The request line wget sent to the proxy, if it sent one.
    fn request(&self) -> Option<String> {
        self.seen.recv_timeout(Duration::from_millis(300)).ok()
    }
}

/// Runs wget as a user whose home holds `wgetrc`, with only `env` in its environment.
fn wget(home: &Path, wgetrc: &str, url: &str, env: &[(&str, &str)]) {
    std::fs::write(home.join(".wgetrc"), wgetrc).unwrap();
    let found = Command::new("wget").arg("--version").output();
    assert!(
        found.is_ok_and(|o| o.status.success()),
        "needs wget (tests/setup.sh installs it; apt-get install wget)"
    );
    let output = Command::new("wget")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("LC_ALL", "C")
        .envs(env.iter().copied())
        .args(["--tries=1", "--timeout=5", "-O", "/dev/null", url])
        .current_dir(home)
        .output()
        .unwrap();
    // wget fails either way (403 from the stand-in proxy, or the refused port 1).
    assert!(!output.status.success(), "{url}: wget succeeded?");
    assert_ne!(
        output.status.code(),
        Some(2),
        "wget refused the wgetrc: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The WGT codes etclint reports for the home's `.wgetrc`.
fn etclint_codes(home: &Path) -> Vec<&'static str> {
    let selection = Selection::new(Some(&["WGT".to_string()]), &[], &[]).unwrap();
    let report = engine::run(
        &[Target::new(home.join(".wgetrc"), Some(Format::Wgetrc))],
        &Options::new(selection),
    )
    .remove(0);
    report.diagnostics.iter().map(|d| d.code).collect()
}

fn trap(port: u16, schemes: &[&str]) -> String {
    let mut text: String = schemes
        .iter()
        .map(|s| format!("{s}_proxy = http://127.0.0.1:{port}/\n"))
        .collect();
    text.push_str("use_proxy = on\n");
    text
}

#[test]
#[ignore = "needs wget (tests/setup.sh installs it)"]
fn the_complete_trap_catches_every_scheme() {
    let home = tempfile::tempdir().unwrap();
    for (url, expected) in [
        (
            format!("http://{TARGET}/stage2"),
            format!("GET http://{TARGET}/stage2 HTTP/1.1"),
        ),
        (
            format!("https://{TARGET}/stage2"),
            format!("CONNECT {TARGET} HTTP/1.1"),
        ),
        (
            format!("ftp://{TARGET}/stage2"),
            format!("GET ftp://{TARGET}/stage2 HTTP/1.1"),
        ),
    ] {
        let proxy = Proxy::start();
        let wgetrc = trap(proxy.port, &["http", "https", "ftp"]);
        std::fs::write(home.path().join(".wgetrc"), &wgetrc).unwrap();
        assert_eq!(etclint_codes(home.path()), Vec::<&str>::new(), "{wgetrc}");
        wget(home.path(), &wgetrc, &url, &[]);
        assert_eq!(proxy.request(), Some(expected), "{url}");
    }
}

#[test]
#[ignore = "needs wget (tests/setup.sh installs it)"]
fn the_incidents_trap_lets_https_through() {
    let home = tempfile::tempdir().unwrap();
    let proxy = Proxy::start();
    let wgetrc = trap(proxy.port, &["http", "ftp"]);
    std::fs::write(home.path().join(".wgetrc"), &wgetrc).unwrap();
    assert_eq!(etclint_codes(home.path()), ["WGT007"]);
    wget(
        home.path(),
        &wgetrc,
        &format!("https://{TARGET}/stage2"),
        &[],
    );
    assert_eq!(
        proxy.request(),
        None,
        "https went through the proxy after all"
    );
    // The same file does catch http.
    let proxy = Proxy::start();
    let wgetrc = trap(proxy.port, &["http", "ftp"]);
    wget(
        home.path(),
        &wgetrc,
        &format!("http://{TARGET}/stage2"),
        &[],
    );
    assert!(proxy.request().is_some());
}

#[test]
#[ignore = "needs wget (tests/setup.sh installs it)"]
fn an_empty_proxy_value_cancels_even_the_environments_proxy() {
    let home = tempfile::tempdir().unwrap();
    let url = format!("http://{TARGET}/stage2");
    // Without the wgetrc line, the environment's proxy is used…
    let proxy = Proxy::start();
    wget(home.path(), "", &url, &[("http_proxy", &proxy.url())]);
    assert!(
        proxy.request().is_some(),
        "the environment's proxy was not used"
    );
    // …with `http_proxy =` it is not: wget goes straight to the target.
    let proxy = Proxy::start();
    let wgetrc = "http_proxy =\nuse_proxy = on\n";
    std::fs::write(home.path().join(".wgetrc"), wgetrc).unwrap();
    assert_eq!(etclint_codes(home.path()), ["WGT007"]);
    wget(home.path(), wgetrc, &url, &[("http_proxy", &proxy.url())]);
    assert_eq!(proxy.request(), None);
}

#[test]
#[ignore = "needs wget (tests/setup.sh installs it)"]
fn use_proxy_off_and_a_tld_in_no_proxy_open_the_trap() {
    let home = tempfile::tempdir().unwrap();
    let url = format!("http://{TARGET}/stage2");
    let proxy = Proxy::start();
    let wgetrc =
        trap(proxy.port, &["http", "https", "ftp"]).replace("use_proxy = on", "use_proxy = off");
    std::fs::write(home.path().join(".wgetrc"), &wgetrc).unwrap();
    assert_eq!(etclint_codes(home.path()), ["WGT007"]);
    wget(home.path(), &wgetrc, &url, &[]);
    assert_eq!(proxy.request(), None);
    // `no_proxy = 1` matches every IPv4 address ending in .1.
    let proxy = Proxy::start();
    let wgetrc = trap(proxy.port, &["http", "https", "ftp"]) + "no_proxy = 1\n";
    std::fs::write(home.path().join(".wgetrc"), &wgetrc).unwrap();
    assert_eq!(etclint_codes(home.path()), ["WGT007"]);
    wget(home.path(), &wgetrc, &url, &[]);
    assert_eq!(proxy.request(), None);
}
