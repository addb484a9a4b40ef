//! The JSON contract of design.md: one object with every diagnostic.

use std::io::{self, Write};
use std::path::Path;

use serde_json::{json, Value};

use super::Sources;
use crate::diagnostic::Diagnostic;
use crate::engine::FileReport;
use crate::source::Position;

pub fn render(out: &mut dyn Write, reports: &[FileReport], sources: &Sources) -> io::Result<()> {
    let diagnostics: Vec<Value> = reports
        .iter()
        .flat_map(|report| {
            report
                .diagnostics
                .iter()
                .map(move |d| diagnostic(&report.path, d, sources))
        })
        .collect();
    let not_checked: Vec<Value> = reports
        .iter()
        .filter_map(|r| {
            let reason = r.not_checked?;
            let detail = r.error.clone().or_else(|| r.notes.first().cloned());
            Some(json!({
                "path": r.path.display().to_string(),
                "reason": reason.id(),
                "detail": detail,
            }))
        })
        .collect();
    // Other names of checked files (links to them): their findings are the file's.
    let same_files: Vec<Value> = reports
        .iter()
        .flat_map(|r| {
            r.also.iter().map(move |name| {
                json!({
                    "path": name.display().to_string(),
                    "checked_as": r.path.display().to_string(),
                })
            })
        })
        .collect();
    let document = json!({
        "version": env!("CARGO_PKG_VERSION"),
        "files_checked": reports.iter().filter(|r| r.is_checked()).count(),
        "files_not_checked": not_checked,
        "same_files": same_files,
        "diagnostics": diagnostics,
    });
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}

fn position(p: Position) -> Value {
    json!({"line": p.line, "column": p.column, "offset": p.offset})
}

pub fn diagnostic(path: &Path, d: &Diagnostic, sources: &Sources) -> Value {
    let (start, end) = sources.positions(path, &d.span);
    let labels: Vec<Value> = d
        .labels
        .iter()
        .map(|label| {
            let label_path = label.path.as_deref().unwrap_or(path);
            let (start, end) = sources.positions(label_path, &label.span);
            json!({
                "path": label_path.display().to_string(),
                "start": position(start),
                "end": position(end),
                "message": label.message,
            })
        })
        .collect();
    let fix = d.fix.as_ref().map(|fix| {
        let edits: Vec<Value> = fix
            .edits
            .iter()
            .map(|edit| {
                let (start, end) = sources.positions(path, &edit.span);
                json!({"start": position(start), "end": position(end), "replacement": edit.replacement})
            })
            .collect();
        json!({"applicability": fix.applicability.as_str(), "title": fix.title, "edits": edits})
    });
    json!({
        "code": d.code,
        "name": d.name,
        "severity": d.severity.as_str(),
        "path": path.display().to_string(),
        "start": position(start),
        "end": position(end),
        "message": d.message,
        "labels": labels,
        "notes": d.notes,
        "fix": fix,
    })
}
