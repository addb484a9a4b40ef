//! One line per diagnostic: `path:line:col: CODE [name] message`.

use std::io::{self, Write};

use super::Sources;
use crate::engine::FileReport;

pub fn render(out: &mut dyn Write, reports: &[FileReport], sources: &Sources) -> io::Result<()> {
    for report in reports {
        for d in &report.diagnostics {
            let (start, _) = sources.positions(&report.path, &d.span);
            writeln!(
                out,
                "{}:{}:{}: {} [{}] {}",
                report.path.display(),
                start.line,
                start.column,
                d.code,
                d.name,
                d.message
            )?;
        }
    }
    Ok(())
}
