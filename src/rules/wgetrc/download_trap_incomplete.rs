//! WGT007: a wgetrc that points wget's proxies at a dead end (loopback, a discard port) to
//! stop an intruder's downloads, with a hole in it: a scheme left without a proxy,
//! `use_proxy = off`, a `no_proxy` entry that lets whole domains through, an empty proxy
//! value (no proxy at all, and the environment's ignored), or a file its user can rewrite.

use std::os::unix::fs::MetadataExt;
use std::path::Path;

use crate::fix::{Edit, Fix};
use crate::formats::wgetrc::values::boolean;
use crate::formats::wgetrc::{Command, Line, WgetrcFile};
use crate::rules::Reporter;

wgetrc_rule! {
    code: "WGT007",
    name: "download-trap-incomplete",
    prefilter: &[],
    run: run,
}

/// The proxy commands and the downloads each one covers (wget's `getproxy`).
const SCHEMES: &[(&str, &str, &str)] = &[
    ("httpproxy", "http_proxy", "http://"),
    ("httpsproxy", "https_proxy", "https://"),
    ("ftpproxy", "ftp_proxy", "ftp:// and ftps://"),
];

const LIMITS: &str = "a wgetrc trap stops only wget run without options: `wget --no-proxy`, `-e use_proxy=off`, `--no-config`, curl and any other client go straight out; block the user's outgoing connections in the firewall too";

fn run(file: &WgetrcFile, cx: &mut Reporter) {
    let proxies: Vec<Option<(&Line, &Command)>> =
        SCHEMES.iter().map(|(name, _, _)| file.last(name)).collect();
    let dead_ends: Vec<(&Line, &Command)> = proxies
        .iter()
        .flatten()
        .filter(|(_, c)| dead_end(file.text(&c.value)))
        .copied()
        .collect();
    for ((_, written, covers), proxy) in SCHEMES.iter().zip(&proxies) {
        let Some((_, command)) = proxy else { continue };
        if command.value.is_empty() {
            let name = file.text(&command.name);
            let diagnostic = cx.report(
                command.name.clone(),
                format!(
                    "`{name}` has no value, which means no proxy: {covers} downloads go straight out, and wget ignores the environment's `{written}` too"
                ),
            );
            if dead_ends.is_empty() {
                diagnostic.note("no proxy of this file leads nowhere: it blocks nothing");
            }
            diagnostic
                .note("give it a proxy that leads nowhere, as `http://127.0.0.1:9/`, or remove the line")
                .note(LIMITS);
        }
    }
    let Some(&(trap_line, trap)) = dead_ends.first() else {
        return;
    };
    let trap_value = file.text(&trap.value);
    let missing: Vec<usize> = (0..SCHEMES.len())
        .filter(|&i| proxies[i].is_none())
        .collect();
    if !missing.is_empty() {
        let names: Vec<String> = missing
            .iter()
            .map(|&i| format!("`{}`", SCHEMES[i].1))
            .collect();
        let covers: Vec<&str> = missing.iter().map(|&i| SCHEMES[i].2).collect();
        let name = file.text(&trap.name);
        // `\n` in a fix is written as the file's own line ending.
        let newline = "\n";
        let lines: Vec<String> = missing
            .iter()
            .map(|&i| format!("{} = {trap_value}", SCHEMES[i].1))
            .collect();
        // After the trap's line, its line ending kept as it is.
        let whole = super::whole_line(file, &trap_line.span);
        let insert = if whole.end > trap_line.span.end {
            Edit::insert(whole.end, format!("{}{newline}", lines.join(newline)))
        } else {
            Edit::insert(whole.end, format!("{newline}{}", lines.join(newline)))
        };
        let diagnostic = cx.report(
            trap.value.clone(),
            format!(
                "`{name}` leads nowhere to stop downloads, but the file sets no {}: {} downloads go straight out",
                names.join(" or "),
                covers.join(", ")
            ),
        );
        diagnostic.note(LIMITS);
        if super::can_add_line(file, whole.end) {
            diagnostic.fix(Fix::unsafe_(
                format!("add {} with the same dead end", names.join(" and ")),
                vec![insert],
            ));
        }
    }
    if let Some((_, off)) = file.last("useproxy") {
        if boolean(&file.bytes()[off.value.clone()]) == Some(false) {
            cx.report(
                off.value.clone(),
                "`use_proxy` is off: wget uses no proxy at all, so the dead-end proxies of this file stop nothing",
            )
            .label(trap.value.clone(), "this proxy is never used")
            .note(LIMITS);
        }
    }
    no_proxy_holes(file, cx);
    file_holes(file, cx, trap);
}

/// `no_proxy` entries wget matches as domain suffixes (`sufmatch`): a single label matches a
/// whole top-level domain, digits alone every IPv4 address ending in them, and an empty entry
/// (`a,,b` or a trailing comma) every host name written with a final dot.
fn no_proxy_holes(file: &WgetrcFile, cx: &mut Reporter) {
    let mut entries: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    for (_, command) in file.commands() {
        if command.spec.is_none_or(|s| s.name != "noproxy") {
            continue;
        }
        if command.value.is_empty() {
            entries.clear();
            continue;
        }
        // wget's `sepstring`: split at commas, blanks after a comma dropped.
        let value = file.text(&command.value);
        let mut start = 0;
        for piece in value.split(',') {
            let trimmed = if start == 0 {
                piece
            } else {
                piece.trim_start()
            };
            let at = command.value.start + start + (piece.len() - trimmed.len());
            entries.push((at..at + trimmed.len(), trimmed.to_string()));
            start += piece.len() + 1;
        }
    }
    // An entry given twice is one hole.
    let mut seen = std::collections::HashSet::new();
    for (span, entry) in entries {
        if !seen.insert(entry.to_ascii_lowercase()) {
            continue;
        }
        let label = entry.trim_start_matches('.');
        let hole = if entry.is_empty() {
            Some("an empty `no_proxy` entry matches every host name written with a final dot (`http://example.com./`)".to_string())
        } else if !label.is_empty() && label.bytes().all(|b| b.is_ascii_digit()) {
            Some(format!(
                "`no_proxy` entry `{entry}` matches every IPv4 address ending in .{label}"
            ))
        } else if !label.is_empty()
            && !label.contains('.')
            && !label.eq_ignore_ascii_case("localhost")
            && label != "*"
        {
            Some(format!(
                "`no_proxy` entry `{entry}` matches every host under `.{label}`"
            ))
        } else {
            None
        };
        if let Some(hole) = hole {
            let span = if span.is_empty() {
                span.start.saturating_sub(1)..span.start.max(1)
            } else {
                span
            };
            cx.report(
                span,
                format!("{hole}: wget fetches them without the dead-end proxy"),
            )
            .note("list only the hosts that must be reached directly, with their full names");
        }
    }
}

/// When the file system can say: the file (or its directory) can be changed by someone other
/// than root and the user running etclint — the user the trap restricts can undo it.
fn file_holes(file: &WgetrcFile, cx: &mut Reporter, trap: &Command) {
    let path = file.source.path();
    let Ok(meta) = std::fs::metadata(path) else {
        return;
    };
    if !meta.is_file() {
        return;
    }
    let me = std::fs::metadata("/proc/self").map(|m| m.uid()).ok();
    let foreign = |uid: u32| uid != 0 && Some(uid) != me;
    let directory = path
        .parent()
        .map(|p| {
            if p.as_os_str().is_empty() {
                Path::new(".")
            } else {
                p
            }
        })
        .and_then(|p| std::fs::metadata(p).ok());
    let why = if meta.mode() & 0o002 != 0 {
        "every user can write to this file".to_string()
    } else if foreign(meta.uid()) {
        format!("the file belongs to uid {}, who can rewrite it", meta.uid())
    } else {
        let open_to_all = |mode: u32| mode & 0o002 != 0 && mode & 0o1000 == 0;
        match directory.filter(|d| open_to_all(d.mode()) || foreign(d.uid())) {
            Some(dir) if open_to_all(dir.mode()) => {
                "every user can write to its directory, so the file can be replaced".to_string()
            }
            Some(dir) => format!(
                "its directory belongs to uid {}, who can replace the file",
                dir.uid()
            ),
            None => return,
        }
    };
    cx.report(
        trap.value.clone(),
        format!("{why}: the user this trap restricts can remove it"),
    )
    .note("the file and its directory must belong to root and be writable by root only (chown root: FILE; chmod 644 FILE)")
    .note(LIMITS);
}

/// Whether a proxy value leads nowhere: a loopback or unspecified address, or a port nothing
/// serves (0, 1, 9 discard). Loopback on a port local proxies listen on (squid, cntlm,
/// privoxy, tinyproxy…) is a real proxy.
pub fn dead_end(value: &str) -> bool {
    let rest = value.split_once("://").map_or(value, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let hostport = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = if let Some(bracketed) = hostport.strip_prefix('[') {
        let (host, after) = bracketed.split_once(']').unwrap_or((bracketed, ""));
        (host, after.strip_prefix(':'))
    } else if hostport.matches(':').count() > 1 {
        (hostport, None)
    } else {
        match hostport.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (hostport, None),
        }
    };
    let host = host.to_ascii_lowercase();
    let loopback = host == "localhost"
        || host.ends_with(".localhost")
        || host.starts_with("127.")
        || matches!(host.as_str(), "0.0.0.0" | "::1" | "::" | "0:0:0:0:0:0:0:1");
    let port = port.and_then(|p| p.parse::<u32>().ok());
    let closed_port = matches!(port, Some(0 | 1 | 9));
    let proxy_port = matches!(
        port,
        Some(1080 | 3128 | 3129 | 8000 | 8080 | 8081 | 8118 | 8123 | 8888)
    );
    !host.is_empty() && (closed_port || loopback && !proxy_port)
}

#[cfg(test)]
mod tests {
    use super::dead_end;

    #[test]
    fn dead_ends() {
        assert!(dead_end("http://127.0.0.1:9/"));
        assert!(dead_end("127.0.0.1:9"));
        assert!(dead_end("http://[::1]:19/"));
        assert!(!dead_end("http://[::1]:8080/"));
        assert!(dead_end("http://user:pw@localhost/"));
        assert!(dead_end("http://proxy.example.com:9/"));
        assert!(!dead_end("http://proxy.example.com:3128/"));
        assert!(!dead_end(""));
        assert!(!dead_end("http://127.0.0.1:3128/"));
        assert!(dead_end("http://127.0.0.1:3128x/"));
    }
}
