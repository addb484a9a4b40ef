//! `--statistics`: how many findings of each rule, and how many of them `--fix` would fix.

use std::collections::BTreeMap;
use std::io::{self, Write};

use crate::engine::FileReport;
use crate::fix::Applicability;

/// A rule's counts: code, name, findings, fixable findings.
type Row<'a> = (&'a str, &'a str, usize, usize);

/// Most frequent first, then by code.
fn rows(reports: &[FileReport], minimum: Applicability) -> Vec<Row<'_>> {
    let mut counts: BTreeMap<(&str, &str), (usize, usize)> = BTreeMap::new();
    for d in reports.iter().flat_map(|r| &r.diagnostics) {
        let entry = counts.entry((d.code, d.name)).or_default();
        entry.0 += 1;
        if d.fix.as_ref().is_some_and(|f| f.applicability >= minimum) {
            entry.1 += 1;
        }
    }
    let mut rows: Vec<Row> = counts
        .into_iter()
        .map(|((code, name), (count, fixable))| (code, name, count, fixable))
        .collect();
    rows.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(b.0)));
    rows
}

pub fn render(
    out: &mut dyn Write,
    reports: &[FileReport],
    minimum: Applicability,
) -> io::Result<()> {
    for (code, name, count, fixable) in rows(reports, minimum) {
        let fixable = if fixable > 0 {
            format!("[{fixable} fixable]")
        } else {
            String::new()
        };
        writeln!(out, "{count:>6}  {code:<7} {name:<32} {fixable}")?;
    }
    Ok(())
}

/// `--statistics --format json`: `[{"code", "name", "count", "fixable"}]`, as ruff prints it.
pub fn render_json(
    out: &mut dyn Write,
    reports: &[FileReport],
    minimum: Applicability,
) -> io::Result<()> {
    let rows: Vec<serde_json::Value> = rows(reports, minimum)
        .into_iter()
        .map(|(code, name, count, fixable)| {
            serde_json::json!({"code": code, "name": name, "count": count, "fixable": fixable})
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &rows)?;
    writeln!(out)
}
