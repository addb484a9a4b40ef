//! `--format junit`: JUnit XML, which GitLab (`artifacts:reports:junit`) and Jenkins show as
//! test results.
//!
//! One `<testsuite>` per file. A finding is a failed `<testcase>` named after its place and
//! rule, with `classname` `etclint.CODE`: Jenkins splits a class name at its last dot into
//! package and class, so a path (`index.php`) would show as class `php`; this way it groups
//! findings by rule. A file without findings is one passing test case, so a report shows
//! what was checked. Files not checked (binary, too large, of formats this version does not
//! parse) are skipped test cases with the reason; a file that is missing or could not be read,
//! or an internal error, is an `<error>` (the tool failed, not the file).

use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::Path;

use super::paths::display_path;
use super::Sources;
use crate::diagnostic::Diagnostic;
use crate::engine::{FileReport, INTERNAL_ERROR};

pub fn render(out: &mut dyn Write, reports: &[FileReport], sources: &Sources) -> io::Result<()> {
    let cwd = std::env::current_dir().ok();
    let suites: Vec<Suite> = reports
        .iter()
        .map(|report| Suite::of(report, cwd.as_deref(), sources))
        .collect();
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let total = |f: fn(&Suite) -> usize| suites.iter().map(f).sum::<usize>();
    let _ = writeln!(
        xml,
        "<testsuites name=\"etclint\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">",
        total(|s| s.cases.len()),
        total(|s| s.count(Outcome::is_failure)),
        total(|s| s.count(Outcome::is_error)),
        total(|s| s.count(Outcome::is_skipped)),
    );
    for suite in &suites {
        suite.write(&mut xml);
    }
    xml.push_str("</testsuites>\n");
    out.write_all(xml.as_bytes())
}

struct Suite {
    path: String,
    cases: Vec<Case>,
}

struct Case {
    name: String,
    classname: String,
    line: Option<usize>,
    outcome: Outcome,
}

enum Outcome {
    Passed,
    Skipped(String),
    /// A finding.
    Failure(Problem),
    /// etclint could not check the file, or part of it.
    Error(Problem),
}

struct Problem {
    message: String,
    /// The rule's code, or `io`.
    kind: String,
    /// Everything a reader needs: place, message, labels, notes, fix.
    body: String,
}

impl Outcome {
    fn is_failure(&self) -> bool {
        matches!(self, Self::Failure(..))
    }

    fn is_error(&self) -> bool {
        matches!(self, Self::Error(..))
    }

    fn is_skipped(&self) -> bool {
        matches!(self, Self::Skipped(..))
    }
}

impl Suite {
    fn of(report: &FileReport, cwd: Option<&Path>, sources: &Sources) -> Self {
        let path = &display_path(&report.path, cwd);
        let mut cases: Vec<Case> = report
            .diagnostics
            .iter()
            .map(|d| finding(&report.path, cwd, d, sources))
            .collect();
        if let Some(error) = &report.error {
            cases.push(Case {
                name: path.to_string(),
                classname: "etclint".into(),
                line: None,
                outcome: Outcome::Error(Problem {
                    message: error.clone(),
                    kind: "io".into(),
                    body: format!("{path}: {error}"),
                }),
            });
        }
        if cases.is_empty() {
            // A file not checked did not pass: it is skipped, with the reason.
            let outcome = match (report.not_checked, report.format) {
                (Some(_), Some(format)) if !format.is_supported() => Outcome::Skipped(format!(
                    "files of format `{format}` are not parsed by this version yet"
                )),
                (Some(reason), _) => Outcome::Skipped(
                    report
                        .notes
                        .first()
                        .cloned()
                        .unwrap_or_else(|| format!("not checked: {}", reason.count(1))),
                ),
                (None, _) => Outcome::Passed,
            };
            cases.push(Case {
                name: path.to_string(),
                classname: "etclint".into(),
                line: None,
                outcome,
            });
        }
        Self {
            path: path.to_string(),
            cases,
        }
    }

    fn count(&self, which: fn(&Outcome) -> bool) -> usize {
        self.cases.iter().filter(|c| which(&c.outcome)).count()
    }

    fn write(&self, xml: &mut String) {
        let _ = writeln!(
            xml,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">",
            attribute(&self.path),
            self.cases.len(),
            self.count(Outcome::is_failure),
            self.count(Outcome::is_error),
            self.count(Outcome::is_skipped),
        );
        for case in &self.cases {
            case.write(&self.path, xml);
        }
        xml.push_str("  </testsuite>\n");
    }
}

impl Case {
    fn write(&self, path: &str, xml: &mut String) {
        let line = self
            .line
            .map(|line| format!(" line=\"{line}\""))
            .unwrap_or_default();
        let _ = write!(
            xml,
            "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\"{line}",
            attribute(&self.name),
            attribute(&self.classname),
            attribute(path),
        );
        let (element, problem) = match &self.outcome {
            Outcome::Passed => {
                xml.push_str("/>\n");
                return;
            }
            Outcome::Skipped(message) => {
                let _ = writeln!(
                    xml,
                    ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                    attribute(message)
                );
                return;
            }
            Outcome::Failure(problem) => ("failure", problem),
            Outcome::Error(problem) => ("error", problem),
        };
        let _ = writeln!(
            xml,
            ">\n      <{element} message=\"{}\" type=\"{}\">{}</{element}>\n    </testcase>",
            attribute(&problem.message),
            attribute(&problem.kind),
            text(&problem.body),
        );
    }
}

fn finding(file: &Path, cwd: Option<&Path>, d: &Diagnostic, sources: &Sources) -> Case {
    let path = display_path(file, cwd);
    let (start, _) = sources.positions(file, &d.span);
    let place = format!("{path}:{}:{}", start.line, start.column);
    let mut body = format!("{place}: {} [{}] {}", d.code, d.name, d.message);
    for label in &d.labels {
        let label_file = label.path.as_deref().unwrap_or(file);
        let (at, _) = sources.positions(label_file, &label.span);
        let label_path = display_path(label_file, cwd);
        let _ = write!(
            body,
            "\n  {label_path}:{}:{}: {}",
            at.line, at.column, label.message
        );
    }
    for note in &d.notes {
        let _ = write!(body, "\nnote: {note}");
    }
    if let Some(fix) = &d.fix {
        let _ = write!(
            body,
            "\nfix ({}): {}",
            fix.applicability.as_str(),
            fix.title
        );
    }
    let problem = Problem {
        message: d.message.clone(),
        kind: d.code.to_string(),
        body,
    };
    Case {
        name: format!("{place} {}", d.name),
        classname: format!("etclint.{}", d.code),
        line: Some(start.line),
        outcome: if d.code == INTERNAL_ERROR.0 {
            Outcome::Error(problem)
        } else {
            Outcome::Failure(problem)
        },
    }
}

/// An attribute value: tabs and line breaks as character references, since an XML parser
/// turns the raw characters into spaces.
fn attribute(value: &str) -> String {
    escape(value, true)
}

/// Element content: a CR as a character reference, since a parser would turn CRLF into LF.
fn text(value: &str) -> String {
    escape(value, false)
}

fn escape(value: &str, in_attribute: bool) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            // Attributes are always written between double quotes.
            '"' if in_attribute => out.push_str("&quot;"),
            '\r' => out.push_str("&#13;"),
            '\t' if in_attribute => out.push_str("&#9;"),
            '\n' if in_attribute => out.push_str("&#10;"),
            c if is_forbidden_in_xml(c) => {
                // XML 1.0 has no way to carry these, not even as `&#1;`: show them as escapes.
                let _ = write!(out, "\\u{{{:04x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// Characters outside XML 1.0's `Char` production (controls other than tab, LF and CR, and
/// U+FFFE/U+FFFF; surrogates cannot occur in a Rust string).
fn is_forbidden_in_xml(c: char) -> bool {
    (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_quotes_and_breaks() {
        assert_eq!(
            attribute("a<b>&\"c'\t\r\n"),
            "a&lt;b&gt;&amp;&quot;c'&#9;&#13;&#10;"
        );
        assert_eq!(text("x\r\ny\t\"z\""), "x&#13;\ny\t\"z\"");
    }

    #[test]
    fn characters_xml_cannot_carry_become_visible_escapes() {
        assert_eq!(
            text("a\u{1}b\u{1b}\u{7f}\u{FFFF}"),
            "a\\u{0001}b\\u{001b}\u{7f}\\u{ffff}"
        );
        assert_eq!(text("\0"), "\\u{0000}");
    }
}
