//! The default, human format: code frames with labels and notes (codespan-reporting).

use std::io::{self, Write};
use std::ops::Range;

use codespan_reporting::diagnostic::{
    Diagnostic as Frame, Label as FrameLabel, Severity as FrameSeverity,
};
use codespan_reporting::files::{Error, Files};
use codespan_reporting::term::{self, termcolor::Buffer, Config};

use super::Sources;
use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::FileReport;

impl<'a> Files<'a> for Sources<'a> {
    type FileId = usize;
    type Name = String;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<String, Error> {
        Ok(self.by_id(id).path().display().to_string())
    }

    fn source(&'a self, id: usize) -> Result<&'a str, Error> {
        Ok(self.by_id(id).text())
    }

    fn line_index(&'a self, id: usize, byte_index: usize) -> Result<usize, Error> {
        Ok(self.by_id(id).line_index(byte_index))
    }

    fn line_range(&'a self, id: usize, line_index: usize) -> Result<Range<usize>, Error> {
        let source = self.by_id(id);
        if line_index >= source.line_starts().len() {
            return Err(Error::LineTooLarge {
                given: line_index,
                max: source.line_starts().len() - 1,
            });
        }
        Ok(source.line_range(line_index))
    }
}

pub fn render(
    out: &mut dyn Write,
    reports: &[FileReport],
    sources: &Sources,
    color: bool,
) -> io::Result<()> {
    let config = Config::default();
    let mut buffer = if color {
        Buffer::ansi()
    } else {
        Buffer::no_color()
    };
    for report in reports {
        let Some(id) = sources.id(&report.path) else {
            continue;
        };
        for d in &report.diagnostics {
            let frame = frame(d, id, sources);
            term::emit_to_write_style(&mut buffer, &config, sources, &frame)
                .map_err(io::Error::other)?;
        }
    }
    out.write_all(buffer.as_slice())
}

fn frame(d: &Diagnostic, id: usize, sources: &Sources) -> Frame<usize> {
    let severity = match d.severity {
        Severity::Error => FrameSeverity::Error,
        Severity::Warning => FrameSeverity::Warning,
        Severity::Info => FrameSeverity::Note,
    };
    let source = sources.by_id(id);
    let mut labels = vec![FrameLabel::primary(id, char_span(source, &d.span))];
    for label in &d.labels {
        let label_id = match &label.path {
            Some(path) => match sources.id(path) {
                Some(label_id) => label_id,
                None => continue,
            },
            None => id,
        };
        let span = char_span(sources.by_id(label_id), &label.span);
        labels.push(FrameLabel::secondary(label_id, span).with_message(&label.message));
    }
    let mut notes: Vec<String> = d.notes.iter().map(|n| format!("note: {n}")).collect();
    if let Some(fix) = &d.fix {
        let how = match fix.applicability {
            crate::fix::Applicability::Safe => "--fix",
            crate::fix::Applicability::Unsafe => "--fix --unsafe-fixes",
            crate::fix::Applicability::DisplayOnly => "by hand",
        };
        notes.push(format!("help: {} ({how})", fix.title));
    }
    Frame::new(severity)
        .with_code(format!("{}/{}", d.code, d.name))
        .with_message(&d.message)
        .with_labels(labels)
        .with_notes(notes)
}

/// `span` moved onto character boundaries of the text view, as the renderer slices by them;
/// a span that ends with a line break is shown without it, so that a stray blank line reads
/// as one line, not as a frame across two.
fn char_span(source: &crate::source::SourceFile, span: &Range<usize>) -> Range<usize> {
    let start = source.floor_char_boundary(span.start.min(source.len()));
    let mut end = source
        .floor_char_boundary(span.end.min(source.len()))
        .max(start);
    let text = source.text();
    if end > start && text[..end].ends_with('\n') {
        end -= 1;
    }
    if end > start && text[..end].ends_with('\r') {
        end -= 1;
    }
    start..end
}
