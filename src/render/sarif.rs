//! `--format sarif`: a SARIF 2.1.0 log as GitHub code scanning takes it (anchors.md, "SARIF
//! for GitHub code scanning").
//!
//! - `tool.driver.rules` is the whole catalogue, in code order, so a rule's `ruleIndex` is the
//!   same in every log of one etclint version.
//! - Paths are relative to the current directory (`uriBaseId: %SRCROOT%`, which
//!   `originalUriBaseIds` resolves), as code scanning wants them relative to the checkout;
//!   files outside it get absolute `file:` URIs.
//! - Columns count Unicode scalar values, as everywhere in etclint: `columnKind` says so.
//! - A rule's `name` is its etclint name (`output-after-closing-tag`), which users search
//!   for; the SARIF validator's note that names be PascalCase (SARIF2012) is only advice.
//! - An internal error (`ETC999`) is a failure of etclint, not a finding in the file: it
//!   becomes a tool execution notification, and `executionSuccessful` is false. So are files
//!   that could not be read. Notes about a file (a binary skipped) are notifications of level
//!   `note`.

use std::io::{self, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::fingerprint::{FindingHashes, Occurrences};
use super::paths::{artifact_uri, file_uri, ArtifactUri};
use super::Sources;
use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::{FileReport, INTERNAL_ERROR};
use crate::fix::{newline_near, Fix};
use crate::rules::{section, Rule, RULES};
use crate::source::SourceFile;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";
/// GitHub cuts `fullDescription` at this many characters.
const FULL_DESCRIPTION_LIMIT: usize = 1024;

pub fn render(out: &mut dyn Write, reports: &[FileReport], sources: &Sources) -> io::Result<()> {
    let cwd = std::env::current_dir().ok();
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [Locator { sources, cwd }.run(reports)],
    });
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

/// The driver: etclint and its whole rule catalogue.
fn driver() -> Value {
    let rules: Vec<Value> = RULES.iter().map(|rule| rule_descriptor(rule)).collect();
    json!({
        "name": "etclint",
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "informationUri": env!("CARGO_PKG_REPOSITORY"),
        "rules": rules,
        "notifications": [internal_error_descriptor()],
    })
}

/// ETC999 is not in the catalogue: it describes etclint failing, not the file.
fn internal_error_descriptor() -> Value {
    let short = "A rule failed on a file: a bug in etclint";
    let full = "A rule failed (panicked) while checking a file. The file's other rules and the other files were still checked, and etclint exits with status 2.";
    let help = "This is a bug in etclint: please report it with the file that triggers it. Until it is fixed, `--ignore` the rule named in the message.";
    json!({
        "id": INTERNAL_ERROR.0,
        "name": INTERNAL_ERROR.1,
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        "help": {"text": help, "markdown": help},
        "helpUri": env!("CARGO_PKG_REPOSITORY"),
        "defaultConfiguration": {"level": "error"},
    })
}

fn rule_descriptor(rule: &Rule) -> Value {
    let meta = rule.meta();
    let front = &meta.front;
    let mut properties = json!({
        "tags": front.tags,
        "precision": "high",
    });
    if let Some(score) = front.security_severity {
        properties["security-severity"] = json!(format!("{score:.1}"));
    }
    json!({
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": meta.summary},
        "fullDescription": {"text": full_description(meta.body)},
        "help": {"text": meta.body, "markdown": meta.body},
        "helpUri": help_uri(rule),
        "defaultConfiguration": {"level": level(front.severity)},
        "properties": properties,
    })
}

/// "What it does" and "Why is this bad?", paragraphs unwrapped, cut to GitHub's limit.
fn full_description(body: &str) -> String {
    let text: Vec<String> = ["What it does", "Why is this bad?"]
        .iter()
        .filter_map(|name| section(body, name))
        .flat_map(|s| s.split("\n\n"))
        .map(|paragraph| paragraph.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    truncate_chars(&text.join("\n\n"), FULL_DESCRIPTION_LIMIT)
}

/// `text` cut to at most `limit` characters, at a space when there is one, ending with `…`.
fn truncate_chars(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_string();
    }
    let cut: String = text.chars().take(limit - 1).collect();
    let cut = cut.rfind(' ').map_or(cut.as_str(), |at| &cut[..at]);
    format!("{}…", cut.trim_end())
}

fn help_uri(rule: &Rule) -> String {
    format!(
        "{}/blob/main/lints/{}/{}.md",
        env!("CARGO_PKG_REPOSITORY"),
        rule.group(),
        rule.name
    )
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Turns paths and spans into SARIF locations.
struct Locator<'a> {
    sources: &'a Sources<'a>,
    cwd: Option<PathBuf>,
}

impl Locator<'_> {
    fn run(&self, reports: &[FileReport]) -> Value {
        let mut results = Vec::new();
        let mut notifications = Vec::new();
        for report in reports {
            // Code scanning numbers identical line hashes within one file.
            let mut occurrences = Occurrences::default();
            let mut hashes = FindingHashes::new(self.sources.get(&report.path));
            for d in &report.diagnostics {
                if d.code == INTERNAL_ERROR.0 {
                    notifications.push(self.internal_error(&report.path, d));
                } else {
                    let hash = hashes.get(d.code, d.span.start).finish();
                    let fingerprint = format!("{hash:016x}:{}", occurrences.next(hash));
                    results.push(self.result(&report.path, d, fingerprint));
                }
            }
            if let Some(reason) = report.not_checked {
                // One notification per file not checked: an error where etclint failed or a
                // file named on the command line went unchecked.
                let failed = reason.is_failure() || report.explicit;
                let level = if failed { "error" } else { "note" };
                let text = report
                    .error
                    .clone()
                    .or_else(|| report.notes.first().cloned());
                let text = text.unwrap_or_else(|| format!("not checked: {}", reason.count(1)));
                let mut notification = self.file_notification(level, &report.path, &text);
                notification["properties"] = json!({"notChecked": reason.id()});
                notifications.push(notification);
                continue;
            }
            if let Some(error) = &report.error {
                notifications.push(self.file_notification("error", &report.path, error));
            }
            for note in &report.notes {
                notifications.push(self.file_notification("note", &report.path, note));
            }
        }
        let successful = !notifications.iter().any(|n| n["level"] == "error");
        let mut run = json!({
            "tool": {"driver": driver()},
            "columnKind": "unicodeCodePoints",
            "results": results,
            "invocations": [{
                "executionSuccessful": successful,
                "toolExecutionNotifications": notifications,
            }],
        });
        if let Some(cwd) = &self.cwd {
            run["originalUriBaseIds"] = json!({SRCROOT: {"uri": file_uri(cwd, true)}});
        }
        run
    }

    fn result(&self, path: &Path, d: &Diagnostic, fingerprint: String) -> Value {
        let mut result = json!({
            "ruleId": d.code,
            "level": level(d.severity),
            "message": {"text": d.message},
            "locations": [self.location(path, &d.span)],
            "partialFingerprints": {"primaryLocationLineHash": fingerprint},
        });
        if let Some(index) = RULES.iter().position(|r| r.code == d.code) {
            result["ruleIndex"] = json!(index);
        }
        if !d.labels.is_empty() {
            result["relatedLocations"] = self.related_locations(path, d);
        }
        if let Some(fix) = &d.fix {
            result["fixes"] = json!([self.fix(path, fix)]);
        }
        result
    }

    fn related_locations(&self, path: &Path, d: &Diagnostic) -> Value {
        let locations: Vec<Value> = d
            .labels
            .iter()
            .enumerate()
            .map(|(i, label)| {
                let mut location =
                    self.location(label.path.as_deref().unwrap_or(path), &label.span);
                location["id"] = json!(i + 1);
                location["message"] = json!({"text": label.message});
                location
            })
            .collect();
        json!(locations)
    }

    /// A fix as replacements in the original file. Newlines take the file's line ending there,
    /// as `--fix` writes them.
    fn fix(&self, path: &Path, fix: &Fix) -> Value {
        let source = self.sources.get(path);
        let replacements: Vec<Value> = fix
            .edits
            .iter()
            .map(|edit| {
                let newline = source.map_or(&b"\n"[..], |s| line_ending_near(s, edit.span.start));
                let newline = std::str::from_utf8(newline).unwrap_or("\n");
                json!({
                    "deletedRegion": self.region(path, &edit.span),
                    "insertedContent": {"text": edit.replacement.replace('\n', newline)},
                })
            })
            .collect();
        json!({
            "description": {"text": fix.title},
            "artifactChanges": [{
                "artifactLocation": self.artifact(path),
                "replacements": replacements,
            }],
            "properties": {"applicability": fix.applicability.as_str()},
        })
    }

    fn internal_error(&self, path: &Path, d: &Diagnostic) -> Value {
        let mut text = d.message.clone();
        for note in &d.notes {
            text.push_str(&format!("\nnote: {note}"));
        }
        json!({
            "level": "error",
            "message": {"text": text},
            "descriptor": {"id": INTERNAL_ERROR.0, "index": 0},
            "locations": [self.location(path, &d.span)],
        })
    }

    fn file_notification(&self, level: &str, path: &Path, text: &str) -> Value {
        json!({
            "level": level,
            "message": {"text": text},
            "locations": [{"physicalLocation": {"artifactLocation": self.artifact(path)}}],
        })
    }

    fn location(&self, path: &Path, span: &Range<usize>) -> Value {
        json!({
            "physicalLocation": {
                "artifactLocation": self.artifact(path),
                "region": self.region(path, span),
            }
        })
    }

    fn artifact(&self, path: &Path) -> Value {
        match artifact_uri(path, self.cwd.as_deref()) {
            ArtifactUri::UnderSrcRoot(uri) => json!({"uri": uri, "uriBaseId": SRCROOT}),
            ArtifactUri::Absolute(uri) => json!({"uri": uri}),
        }
    }

    /// Line and column of the first character and of the one after the last; an empty span
    /// is an insertion point (`startColumn == endColumn`).
    fn region(&self, path: &Path, span: &Range<usize>) -> Value {
        let (start, end) = self.sources.positions(path, span);
        json!({
            "startLine": start.line,
            "startColumn": start.column,
            "endLine": end.line,
            "endColumn": end.column,
        })
    }
}

/// `newline_near(source.bytes(), offset)`, reading only the ends of the line holding `offset`:
/// the rest of the line holds no line break, and scanning it for every edit on a long line
/// would make SARIF output quadratic in the line's length.
fn line_ending_near(source: &SourceFile, offset: usize) -> &'static [u8] {
    let bytes = source.bytes();
    let offset = offset.min(bytes.len());
    let line = source.line_range(source.line_index(offset));
    let ending = match &bytes[line.clone()] {
        [.., b'\r', b'\n'] => 2,
        [.., b'\n' | b'\r'] => 1,
        _ => 0,
    };
    if ending > 0 {
        // The first break at or after `offset` is in the line's ending.
        let from = offset.max(line.end - ending);
        newline_near(&bytes[from..line.end], 0)
    } else {
        // The last line, without an ending: the one before it decides.
        let before = line.start.saturating_sub(2);
        newline_near(&bytes[before..line.start], line.start - before)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_a_valid_descriptor() {
        for (index, rule) in RULES.iter().enumerate() {
            let descriptor = rule_descriptor(rule);
            assert_eq!(descriptor["id"], rule.code, "rule {index}");
            let full = descriptor["fullDescription"]["text"].as_str().unwrap();
            assert!(!full.is_empty() && full.chars().count() <= FULL_DESCRIPTION_LIMIT);
            assert!(descriptor["helpUri"].as_str().unwrap().ends_with(&format!(
                "lints/{}/{}.md",
                rule.group(),
                rule.name
            )));
        }
    }

    #[test]
    fn security_severity_is_a_string_score() {
        let rule = crate::rules::by_code_or_name("PHP005").unwrap();
        let descriptor = rule_descriptor(rule);
        assert_eq!(descriptor["properties"]["security-severity"], "7.5");
        let plain = crate::rules::by_code_or_name("PHP001").unwrap();
        assert!(rule_descriptor(plain)["properties"]
            .get("security-severity")
            .is_none());
    }

    #[test]
    fn line_endings_are_newline_near_s() {
        for text in [
            "",
            "x",
            "a\n",
            "\r\n\r\n",
            "ab\r",
            "a\r\nb\nc\rd",
            "a\rb\r\n",
            "a\n\rb",
            "\n\r",
        ] {
            let source = SourceFile::new("x", text.as_bytes().to_vec());
            for offset in 0..=text.len() + 1 {
                assert_eq!(
                    line_ending_near(&source, offset),
                    newline_near(text.as_bytes(), offset),
                    "{text:?} at {offset}"
                );
            }
        }
    }

    #[test]
    fn long_text_is_cut_at_a_space() {
        assert_eq!(truncate_chars("short", 10), "short");
        assert_eq!(truncate_chars("aaa bbb ccc", 9), "aaa bbb…");
        let long = "é".repeat(2000);
        assert_eq!(truncate_chars(&long, 1024).chars().count(), 1024);
    }
}
