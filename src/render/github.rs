//! `--format github`: GitHub Actions workflow commands, which GitHub turns into annotations on
//! the pull request's diff (anchors.md, "GitHub Actions annotations").
//!
//! One `::group::` per file keeps the job log readable. GitHub annotates only the first 10
//! errors, 10 warnings and 10 notices of a step; every finding is still printed, and past that
//! limit a closing notice says how many there are and how to see them all on the code.

use std::io::{self, Write};

use super::paths::display_path;
use super::Sources;
use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::FileReport;

/// Annotations of one type that GitHub shows per step.
pub const ANNOTATIONS_PER_TYPE: usize = 10;

pub fn render(out: &mut dyn Write, reports: &[FileReport], sources: &Sources) -> io::Result<()> {
    let cwd = std::env::current_dir().ok();
    let mut counts = Counts::default();
    for report in reports.iter().filter(|r| !r.diagnostics.is_empty()) {
        let path = display_path(&report.path, cwd.as_deref());
        writeln!(out, "::group::{}", escape_data(&path))?;
        for d in &report.diagnostics {
            let (start, end) = sources.positions(&report.path, &d.span);
            let mut properties = vec![
                ("file", path.clone()),
                ("line", start.line.to_string()),
                ("endLine", end.line.to_string()),
            ];
            // GitHub ignores columns on an annotation that spans several lines.
            if start.line == end.line {
                properties.push(("col", start.column.to_string()));
                properties.push(("endColumn", end.column.to_string()));
            }
            properties.push(("title", format!("{} {}", d.code, d.name)));
            writeln!(out, "{}", command(level(d), &properties, &message(d)))?;
            counts.add(d.severity);
        }
        writeln!(out, "::endgroup::")?;
    }
    if counts.over_limit() {
        writeln!(out, "{}", command("notice", &[], &counts.summary()))?;
    }
    let not_checked: Vec<&FileReport> = reports.iter().filter(|r| !r.is_checked()).collect();
    if !not_checked.is_empty() {
        // A green check must not hide files nothing looked at.
        let mut text = format!("etclint did not check {} of the files:", not_checked.len());
        for report in not_checked {
            let reason = report.not_checked.map_or("", |r| r.id());
            let path = display_path(&report.path, cwd.as_deref());
            text.push_str(&format!("\n{path} ({reason})"));
        }
        writeln!(
            out,
            "{}",
            command(
                "warning",
                &[("title", "etclint: files not checked".into())],
                &text
            )
        )?;
    }
    Ok(())
}

fn level(d: &Diagnostic) -> &'static str {
    match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// The message, then the notes (the remedy), one per line.
fn message(d: &Diagnostic) -> String {
    let mut text = d.message.clone();
    for note in &d.notes {
        text.push_str("\nnote: ");
        text.push_str(note);
    }
    text
}

/// `::name key=value,key=value::message`, escaped as the runner unescapes it.
pub fn command(name: &str, properties: &[(&str, String)], message: &str) -> String {
    let properties: Vec<String> = properties
        .iter()
        .map(|(key, value)| format!("{key}={}", escape_property(value)))
        .collect();
    let separator = if properties.is_empty() { "" } else { " " };
    format!(
        "::{name}{separator}{}::{}",
        properties.join(","),
        escape_data(message)
    )
}

/// A command's message: `%` first, so that the escapes themselves survive.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value: also `:` and `,`, which end a value.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[derive(Debug, Default)]
struct Counts {
    errors: usize,
    warnings: usize,
    notices: usize,
}

impl Counts {
    fn add(&mut self, severity: Severity) {
        match severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Info => self.notices += 1,
        }
    }

    fn over_limit(&self) -> bool {
        [self.errors, self.warnings, self.notices]
            .iter()
            .any(|&n| n > ANNOTATIONS_PER_TYPE)
    }

    fn summary(&self) -> String {
        let total = self.errors + self.warnings + self.notices;
        format!(
            "etclint found {total} findings ({} errors, {} warnings, {} notices); GitHub shows only {ANNOTATIONS_PER_TYPE} annotations of each type per step. All of them are in this log; to see them all on the code, run `etclint --format sarif --output etclint.sarif` and upload the file with github/codeql-action/upload-sarif.",
            self.errors, self.warnings, self.notices
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_runner_expects() {
        assert_eq!(escape_data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(escape_property("a:b,c%d\n"), "a%3Ab%2Cc%25d%0A");
        assert_eq!(escape_data("%0A"), "%250A");
    }

    #[test]
    fn commands_with_and_without_properties() {
        assert_eq!(command("notice", &[], "hi: there"), "::notice::hi: there");
        assert_eq!(
            command(
                "error",
                &[("file", "a,b.php".into()), ("line", "3".into())],
                "m"
            ),
            "::error file=a%2Cb.php,line=3::m"
        );
    }
}
