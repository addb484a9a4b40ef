//! `--format gitlab`: a GitLab Code Quality report (anchors.md, "GitLab Code Quality"), which
//! GitLab shows in merge requests when a job declares it as `artifacts:reports:codequality`.
//!
//! GitLab tells new findings from fixed ones by `fingerprint`, so it must be unique in a report
//! and the same for the same finding in the next pipeline: it hashes the rule, the path, the
//! text around the finding (not its line number) and a counter for identical findings.

use std::io::{self, Write};

use serde_json::{json, Value};

use super::fingerprint::{FindingHashes, Fnv1a, Occurrences};
use super::paths::display_path;
use super::Sources;
use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::{FileReport, INTERNAL_ERROR};

pub fn render(out: &mut dyn Write, reports: &[FileReport], sources: &Sources) -> io::Result<()> {
    let cwd = std::env::current_dir().ok();
    let mut occurrences = Occurrences::default();
    let mut issues = Vec::new();
    for report in reports {
        let path = display_path(&report.path, cwd.as_deref());
        let mut hashes = FindingHashes::new(sources.get(&report.path));
        for d in &report.diagnostics {
            let (start, _) = sources.positions(&report.path, &d.span);
            let mut hash = hashes.get(d.code, d.span.start);
            let base = hash.field(&path).finish();
            // The counter as 8 bytes, whatever the platform's `usize`: the same everywhere.
            let fingerprint = Fnv1a::new()
                .write(&base.to_le_bytes())
                .write(&(occurrences.next(base) as u64).to_le_bytes())
                .finish();
            issues.push(issue(d, &path, start.line, fingerprint));
        }
    }
    serde_json::to_writer_pretty(&mut *out, &issues)?;
    writeln!(out)
}

fn issue(d: &Diagnostic, path: &str, line: usize, fingerprint: u64) -> Value {
    json!({
        "description": format!("{} {}: {}", d.code, d.name, d.message),
        "check_name": d.code,
        "fingerprint": format!("{fingerprint:016x}"),
        "severity": severity(d),
        "location": {"path": path, "lines": {"begin": line}},
    })
}

/// GitLab's scale is info, minor, major, critical, blocker. A finding is at most major; an
/// internal error (the file was not fully checked) is critical.
fn severity(d: &Diagnostic) -> &'static str {
    if d.code == INTERNAL_ERROR.0 {
        return "critical";
    }
    match d.severity {
        Severity::Info => "info",
        Severity::Warning => "minor",
        Severity::Error => "major",
    }
}
