//! Reports as the user asked for them. Every renderer reads the same `FileReport`s.

pub mod concise;
pub mod diff;
pub mod fingerprint;
pub mod github;
pub mod gitlab;
pub mod json;
pub mod junit;
pub mod paths;
pub mod sarif;
pub mod statistics;
pub mod text;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::engine::FileReport;
use crate::source::{Position, SourceFile};

/// The sources diagnostics point into: those the reports kept, and the other files that
/// labels name, read again from disk.
pub struct Sources<'a> {
    files: Vec<&'a SourceFile>,
    index: HashMap<PathBuf, usize>,
}

impl<'a> Sources<'a> {
    /// `extra` receives the files read from disk; it must outlive the `Sources`.
    pub fn new(reports: &'a [FileReport], extra: &'a mut Vec<SourceFile>) -> Self {
        let mut wanted: Vec<PathBuf> = Vec::new();
        for report in reports {
            for label in report.diagnostics.iter().flat_map(|d| &d.labels) {
                if let Some(path) = &label.path {
                    let kept = reports
                        .iter()
                        .any(|r| &r.path == path && r.source.is_some());
                    if !kept && !wanted.contains(path) {
                        wanted.push(path.clone());
                    }
                }
            }
        }
        for path in wanted {
            let bytes = std::fs::read(&path).unwrap_or_default();
            extra.push(SourceFile::new(path, bytes));
        }
        let mut sources = Self {
            files: Vec::new(),
            index: HashMap::new(),
        };
        let kept = reports.iter().filter_map(|r| r.source.as_ref());
        for source in kept.chain(extra.iter()) {
            sources
                .index
                .insert(source.path().to_path_buf(), sources.files.len());
            sources.files.push(source);
        }
        sources
    }

    pub fn id(&self, path: &Path) -> Option<usize> {
        self.index.get(path).copied()
    }

    pub fn get(&self, path: &Path) -> Option<&'a SourceFile> {
        self.id(path).map(|id| self.files[id])
    }

    pub fn by_id(&self, id: usize) -> &'a SourceFile {
        self.files[id]
    }

    /// The start and end positions of `span` in the file at `path`.
    pub fn positions(&self, path: &Path, span: &std::ops::Range<usize>) -> (Position, Position) {
        match self.get(path) {
            Some(source) => (source.position(span.start), source.position(span.end)),
            None => {
                let unknown = |offset| Position {
                    line: 1,
                    column: 1,
                    offset,
                };
                (unknown(span.start), unknown(span.end))
            }
        }
    }
}

/// Counts for the closing summary line.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    pub files: usize,
    pub diagnostics: usize,
    pub fixable: usize,
    pub fixed: usize,
}

impl Totals {
    pub fn of(reports: &[FileReport], minimum: crate::fix::Applicability) -> Self {
        let mut totals = Self {
            files: reports.len(),
            ..Self::default()
        };
        for report in reports {
            totals.diagnostics += report.diagnostics.len();
            totals.fixed += report.fixes_applied;
            totals.fixable += report
                .diagnostics
                .iter()
                .filter(|d| d.fix.as_ref().is_some_and(|f| f.applicability >= minimum))
                .count();
        }
        totals
    }
}
