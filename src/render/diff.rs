//! `--diff`: the fixes as a unified diff with `a/` and `b/` prefixes, which `git apply` and
//! `patch -p1` accept. Bytes are compared as they are, so non-UTF-8 files diff faithfully.

use std::io::{self, Write};
use std::path::Path;

use similar::TextDiff;

use super::paths::{display_path, relative_to};
use crate::engine::FileReport;
use crate::workspace::normalize;

pub fn render(out: &mut dyn Write, reports: &[FileReport]) -> io::Result<()> {
    for report in reports {
        let (Some(source), Some(fixed)) = (&report.source, &report.fixed) else {
            continue;
        };
        write_file_diff(out, &report.path, source.bytes(), fixed)?;
    }
    Ok(())
}

pub fn write_file_diff(out: &mut dyn Write, path: &Path, old: &[u8], new: &[u8]) -> io::Result<()> {
    let name = diff_path(path);
    let diff = TextDiff::from_lines(old, new);
    let mut hunks = diff.unified_diff();
    hunks.context_radius(3);
    let mut header_written = false;
    for hunk in hunks.iter_hunks() {
        if !header_written {
            writeln!(out, "--- a/{name}")?;
            writeln!(out, "+++ b/{name}")?;
            header_written = true;
        }
        hunk.to_writer(&mut *out)?;
    }
    Ok(())
}

/// The path as a diff names it: relative to the current directory when the file is under it
/// (so that `git apply` works from the repository, whether the path was given as `/var/www/x`
/// or `x`), else absolute without the leading `/` (`patch -p1 -d /` applies it).
fn diff_path(path: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    let shown = match cwd.as_deref() {
        Some(cwd) => relative_to(path, cwd).unwrap_or_else(|| normalize(&cwd.join(path))),
        None => path.to_path_buf(),
    };
    let text = display_path(&shown, None);
    text.trim_start_matches('/').to_string()
}
