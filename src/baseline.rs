//! Baselines: adopt etclint on a legacy tree by recording today's findings and reporting only
//! new ones. A finding's identity is its rule, its path (relative to the baseline file) and a
//! hash of its line's text with the lines around it — not its line number — so edits elsewhere
//! in the file do not bring recorded findings back.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::engine::FileReport;
use crate::render::Sources;
use crate::source::SourceFile;
use crate::workspace::normalize;

/// Lines of context on each side of the finding's line that go into its identity.
const CONTEXT_LINES: usize = 1;

#[derive(Debug, Serialize, Deserialize)]
struct BaselineFile {
    version: u32,
    findings: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
struct Entry {
    code: String,
    path: String,
    /// FNV-1a of the finding's line and its neighbours, trimmed: stable across runs and Rust
    /// versions, unlike std's hasher.
    hash: String,
    /// For the human reading the file; not part of the identity.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    message: String,
}

impl Entry {
    fn key(&self) -> (String, String, String) {
        (self.code.clone(), self.path.clone(), self.hash.clone())
    }
}

/// Recorded findings, counted, so that two identical findings need two entries.
pub struct Baseline {
    directory: PathBuf,
    counts: HashMap<(String, String, String), usize>,
}

impl Baseline {
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("{}: {}", path.display(), crate::discover::describe_io(&e)))?;
        let file: BaselineFile = serde_json::from_str(&text)
            .map_err(|e| format!("{}: not a baseline: {e}", path.display()))?;
        if file.version != 1 {
            return Err(format!(
                "{}: baseline version {} is not supported",
                path.display(),
                file.version
            ));
        }
        let mut counts = HashMap::new();
        for entry in file.findings {
            *counts.entry(entry.key()).or_insert(0) += 1;
        }
        Ok(Self {
            directory: directory_of(path),
            counts,
        })
    }

    /// The findings the baseline records, as (report, diagnostic) indices.
    pub fn recorded(&mut self, reports: &[FileReport], sources: &Sources) -> Vec<(usize, usize)> {
        let mut found = Vec::new();
        for (r, report) in reports.iter().enumerate() {
            let Some(source) = sources.get(&report.path) else {
                continue;
            };
            let mut entries = Entries::new(&self.directory, source);
            for (i, d) in report.diagnostics.iter().enumerate() {
                if let Some(n) = self
                    .counts
                    .get_mut(&entries.entry(d).key())
                    .filter(|n| **n > 0)
                {
                    *n -= 1;
                    found.push((r, i));
                }
            }
        }
        found
    }
}

/// Writes every finding of `reports` to a baseline at `path`.
pub fn write(path: &Path, reports: &[FileReport], sources: &Sources) -> Result<usize, String> {
    let directory = directory_of(path);
    let mut findings: Vec<Entry> = reports
        .iter()
        .filter_map(|r| Some((r, sources.get(&r.path)?)))
        .flat_map(|(r, source)| {
            let mut entries = Entries::new(&directory, source);
            r.diagnostics
                .iter()
                .map(|d| entries.entry(d))
                .collect::<Vec<_>>()
        })
        .collect();
    findings.sort();
    let count = findings.len();
    let text = serde_json::to_string_pretty(&BaselineFile {
        version: 1,
        findings,
    })
    .map_err(|e| e.to_string())?;
    std::fs::write(path, text + "\n")
        .map_err(|e| format!("{}: {}", path.display(), crate::discover::describe_io(&e)))?;
    Ok(count)
}

fn directory_of(path: &Path) -> PathBuf {
    let absolute = std::env::current_dir().unwrap_or_default().join(path);
    normalize(absolute.parent().unwrap_or(Path::new("/")))
}

/// The entries of one file's findings. Its path is worked out once, and each line's hash once:
/// a long line holding thousands of findings is hashed once, not once per finding.
struct Entries<'a> {
    source: &'a SourceFile,
    path: String,
    /// Line index → `line_hash` of an offset on that line.
    hashes: HashMap<usize, u64>,
}

impl<'a> Entries<'a> {
    fn new(directory: &Path, source: &'a SourceFile) -> Self {
        let absolute = normalize(
            &std::env::current_dir()
                .unwrap_or_default()
                .join(source.path()),
        );
        let relative = absolute.strip_prefix(directory).unwrap_or(&absolute);
        Self {
            source,
            path: relative.to_string_lossy().replace('\\', "/"),
            hashes: HashMap::new(),
        }
    }

    fn entry(&mut self, d: &Diagnostic) -> Entry {
        let source = self.source;
        let hash = *self
            .hashes
            .entry(source.line_index(d.span.start))
            .or_insert_with(|| line_hash(source, d.span.start));
        Entry {
            code: d.code.to_string(),
            path: self.path.clone(),
            hash: format!("{hash:016x}"),
            message: d.message.clone(),
        }
    }
}

/// FNV-1a over the trimmed text of the line holding `offset` and its neighbours.
fn line_hash(source: &SourceFile, offset: usize) -> u64 {
    let line = source.line_index(offset);
    let last = source.line_starts().len() - 1;
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for index in line.saturating_sub(CONTEXT_LINES)..=(line + CONTEXT_LINES).min(last) {
        let text = source.text()[source.line_range(index)].trim();
        for byte in text.bytes().chain([b'\n']) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;

    fn hash_at(text: &str, needle: &str) -> u64 {
        let source = SourceFile::new("x", text.as_bytes().to_vec());
        line_hash(&source, text.find(needle).unwrap())
    }

    #[test]
    fn identity_survives_moves_but_not_edits_nearby() {
        let original = hash_at("a\nb\nBAD\nc\n", "BAD");
        assert_eq!(hash_at("new\nlines\na\nb\nBAD\nc\n", "BAD"), original);
        assert_eq!(
            hash_at("a\nb\n  BAD\nc\n", "BAD"),
            original,
            "indentation alone does not count"
        );
        assert_ne!(hash_at("a\nb\nBAD\nchanged\n", "BAD"), original);
        assert_ne!(hash_at("a\nb\nBAD!\nc\n", "BAD"), original);
    }

    #[test]
    fn entries_reuse_a_line_s_hash_and_keep_it() {
        let text = "<?php\n$a; $b;\nlast";
        let source = SourceFile::new("x.php", text.as_bytes().to_vec());
        let mut entries = Entries::new(&std::env::current_dir().unwrap(), &source);
        for offset in [7, 10, 6, 0, 15, 7, text.len()] {
            let d = Diagnostic::new("PHP004", "n", Severity::Error, offset..offset, "m");
            let entry = entries.entry(&d);
            assert_eq!(entry.hash, format!("{:016x}", line_hash(&source, offset)));
            assert_eq!(entry.path, "x.php");
        }
    }
}
