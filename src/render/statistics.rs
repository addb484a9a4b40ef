//! `--statistics`: how many findings of each rule, and how many of them `--fix` would fix.

use std::collections::BTreeMap;
use std::io::{self, Write};

use crate::engine::FileReport;
use crate::fix::Applicability;

pub fn render(
    out: &mut dyn Write,
    reports: &[FileReport],
    minimum: Applicability,
) -> io::Result<()> {
    let mut counts: BTreeMap<(&str, &str), (usize, usize)> = BTreeMap::new();
    for d in reports.iter().flat_map(|r| &r.diagnostics) {
        let entry = counts.entry((d.code, d.name)).or_default();
        entry.0 += 1;
        if d.fix.as_ref().is_some_and(|f| f.applicability >= minimum) {
            entry.1 += 1;
        }
    }
    let mut rows: Vec<_> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(&b.0)));
    for ((code, name), (count, fixable)) in rows {
        let fixable = if fixable > 0 {
            format!("[{fixable} fixable]")
        } else {
            String::new()
        };
        writeln!(out, "{count:>6}  {code:<7} {name:<32} {fixable}")?;
    }
    Ok(())
}
