//! Reports as the user asked for them. Every renderer reads the same `FileReport`s.

pub mod concise;
pub mod diff;
pub mod fingerprint;
pub mod github;
pub mod gitlab;
pub mod json;
pub mod junit;
pub mod page;
pub mod paths;
pub mod sarif;
pub mod statistics;
pub mod text;

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use crate::engine::{FileReport, NotChecked};
use crate::source::{Position, SourceFile};

/// The sources diagnostics point into: those the reports kept, and the other files that
/// labels name, read again from disk.
pub struct Sources<'a> {
    files: Vec<&'a SourceFile>,
    index: HashMap<PathBuf, usize>,
    /// Per file, in the order of `files`.
    columns: Vec<Columns>,
}

/// Bytes of a line counted at most to find a column: past this, positions start from the
/// nearest checkpoint, so that 20,000 findings on one long line cost 20,000 short counts,
/// not 20,000 counts from the line's start.
const CHECKPOINT_EVERY: usize = 4096;

/// A char boundary in a long line and the characters before it on that line.
#[derive(Debug, Clone, Copy)]
struct Checkpoint {
    offset: usize,
    chars: usize,
}

/// The checkpoints of one file's long lines, made the first time a position on the line is
/// asked for.
#[derive(Debug, Default)]
struct Columns(Mutex<HashMap<usize, Vec<Checkpoint>>>);

impl<'a> Sources<'a> {
    /// `extra` receives the files read from disk and the fixed text of fixed files (which the
    /// remaining diagnostics point into); it must outlive the `Sources`.
    pub fn new(reports: &'a [FileReport], extra: &'a mut Vec<SourceFile>) -> Self {
        let kept: HashSet<&Path> = reports
            .iter()
            .filter(|r| r.source.is_some())
            .map(|r| r.path.as_path())
            .collect();
        let mut wanted: Vec<PathBuf> = Vec::new();
        let mut seen: HashSet<&Path> = HashSet::new();
        for report in reports {
            for label in report.diagnostics.iter().flat_map(|d| &d.labels) {
                if let Some(path) = &label.path {
                    if !kept.contains(path.as_path()) && seen.insert(path) {
                        wanted.push(path.clone());
                    }
                }
            }
        }
        for report in reports {
            if let Some(fixed) = &report.fixed {
                extra.push(SourceFile::new(&report.path, fixed.clone()));
            }
        }
        for path in wanted {
            let bytes = std::fs::read(&path).unwrap_or_default();
            extra.push(SourceFile::new(path, bytes));
        }
        let mut sources = Self {
            files: Vec::new(),
            index: HashMap::new(),
            columns: Vec::new(),
        };
        let kept = reports
            .iter()
            .filter(|r| r.fixed.is_none())
            .filter_map(|r| r.source.as_ref());
        for source in kept.chain(extra.iter()) {
            sources
                .index
                .insert(source.path().to_path_buf(), sources.files.len());
            sources.files.push(source);
            sources.columns.push(Columns::default());
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
    pub fn positions(&self, path: &Path, span: &Range<usize>) -> (Position, Position) {
        match self.id(path) {
            Some(id) => (self.position(id, span.start), self.position(id, span.end)),
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

    /// The position of `offset` in file `id`, as `SourceFile::position` gives it.
    pub fn position(&self, id: usize, offset: usize) -> Position {
        self.columns[id].position(self.files[id], offset)
    }
}

impl Columns {
    /// `source.position(offset)`, counting at most `CHECKPOINT_EVERY` bytes.
    fn position(&self, source: &SourceFile, offset: usize) -> Position {
        let offset = source.floor_char_boundary(offset.min(source.len()));
        let line = source.line_index(offset);
        let range = source.line_range(line);
        let from = if offset - range.start <= CHECKPOINT_EVERY {
            Checkpoint {
                offset: range.start,
                chars: 0,
            }
        } else {
            let mut lines = self.0.lock().unwrap_or_else(PoisonError::into_inner);
            let checkpoints = lines
                .entry(line)
                .or_insert_with(|| checkpoints(source.text(), range));
            // The first checkpoint is the line's start, so one is always at or before `offset`.
            checkpoints[checkpoints.partition_point(|c| c.offset <= offset) - 1]
        };
        Position {
            line: line + 1,
            column: from.chars + source.text()[from.offset..offset].chars().count() + 1,
            offset,
        }
    }
}

/// A checkpoint every `CHECKPOINT_EVERY` bytes of the line `range` (moved back to a char
/// boundary), starting with the line's start.
fn checkpoints(text: &str, range: Range<usize>) -> Vec<Checkpoint> {
    let mut checkpoints = vec![Checkpoint {
        offset: range.start,
        chars: 0,
    }];
    let mut at = range.start;
    let mut chars = 0;
    while range.end - at > CHECKPOINT_EVERY {
        let mut next = at + CHECKPOINT_EVERY;
        while !text.is_char_boundary(next) {
            next -= 1;
        }
        chars += text[at..next].chars().count();
        checkpoints.push(Checkpoint {
            offset: next,
            chars,
        });
        at = next;
    }
    checkpoints
}

/// Counts for the closing summary line.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Totals {
    /// Files whose rules ran.
    pub checked: usize,
    pub with_problems: usize,
    /// Files not checked, by reason, in the reasons' order.
    pub not_checked: Vec<(NotChecked, usize)>,
    /// A file named on the command line is among them.
    pub named_not_checked: bool,
    pub diagnostics: usize,
    pub fixable: usize,
    /// Fixes in files that were written (or would be, before writing).
    pub fixed: usize,
    /// Fixed files that could not be written.
    pub unwritten: usize,
}

impl Totals {
    pub fn of(reports: &[FileReport], minimum: crate::fix::Applicability) -> Self {
        let mut totals = Self::default();
        let mut reasons = std::collections::BTreeMap::new();
        for report in reports {
            if let Some(reason) = report.not_checked {
                *reasons.entry(reason).or_insert(0) += 1;
                totals.named_not_checked |= report.explicit;
                continue;
            }
            totals.checked += 1;
            totals.with_problems += usize::from(!report.diagnostics.is_empty());
            totals.diagnostics += report.diagnostics.len();
            totals.fixed += report.fixes_applied;
            totals.fixable += report
                .diagnostics
                .iter()
                .filter(|d| d.fix.as_ref().is_some_and(|f| f.applicability >= minimum))
                .count();
        }
        totals.not_checked = reasons.into_iter().collect();
        totals
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_on_long_lines_match_the_source_file() {
        // Multi-byte characters across checkpoints, CRLF, a lone CR, invalid UTF-8.
        let mut bytes = b"<?php\r\n".to_vec();
        for i in 0..3000 {
            bytes.extend_from_slice(if i % 7 == 0 {
                "é€😀".as_bytes()
            } else {
                b"ab"
            });
        }
        bytes.extend_from_slice(b"\r\xff\xfe");
        bytes.extend(std::iter::repeat_n(b'x', 9000));
        bytes.push(b'\n');
        let source = SourceFile::new("long.php", bytes);
        let columns = Columns::default();
        // Backwards too: the checkpoints do not depend on the order of the questions.
        for offset in (0..=source.len() + 1).rev().chain(0..=source.len() + 1) {
            assert_eq!(
                columns.position(&source, offset),
                source.position(offset),
                "{offset}"
            );
        }
    }
}
