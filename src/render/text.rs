//! The default, human format: code frames with labels and notes (codespan-reporting).
//!
//! codespan prints every line a label touches in full, so 20,000 findings on one 600 KB line
//! would print 12 GB. Each diagnostic is therefore rendered from a window of its files: a copy
//! of the lines its labels touch in which a line longer than `WIDTH` characters is cut to about
//! `WIDTH` characters around what the labels point at, `…` marking each cut. The window keeps
//! the real line numbers, and its header the real column, so `file:line:col` is unchanged;
//! short lines are copied whole and render exactly as before.

use std::io::{self, Write};
use std::ops::Range;

use codespan_reporting::diagnostic::{
    Diagnostic as Frame, Label as FrameLabel, LabelStyle, Severity as FrameSeverity,
};
use codespan_reporting::files::{Error, Files, Location};
use codespan_reporting::term::{self, termcolor::Buffer, Config};

use rayon::prelude::*;

use super::Sources;
use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::FileReport;
use crate::source::SourceFile;

/// Lines up to this many characters are shown whole; longer ones are cut to windows of about
/// this many characters.
const WIDTH: usize = 120;

/// The cut mark.
const CUT: &str = "…";

pub fn render(
    out: &mut dyn Write,
    reports: &[FileReport],
    sources: &Sources,
    color: bool,
) -> io::Result<()> {
    let config = Config::default();
    // Each file's frames in parallel (thousands of findings take a while), written in order.
    let rendered: Vec<Buffer> = reports
        .par_iter()
        .map(|report| {
            let mut buffer = if color {
                Buffer::ansi()
            } else {
                Buffer::no_color()
            };
            let Some(id) = sources.id(&report.path) else {
                return Ok(buffer);
            };
            for d in &report.diagnostics {
                let labels = labels(d, id, sources);
                let windows = Windows::new(sources, &config, &labels);
                let frame = frame(d, &labels, &windows);
                term::emit_to_write_style(&mut buffer, &config, &windows, &frame)
                    .map_err(io::Error::other)?;
            }
            Ok(buffer)
        })
        .collect::<io::Result<_>>()?;
    for buffer in rendered {
        out.write_all(buffer.as_slice())?;
    }
    Ok(())
}

/// A label of the diagnostic in the real files: file id in `Sources`, span, style, message.
struct Mark<'d> {
    file: usize,
    span: Range<usize>,
    style: LabelStyle,
    message: &'d str,
}

/// The primary span, then the labels in files that can be shown.
fn labels<'d>(d: &'d Diagnostic, id: usize, sources: &Sources) -> Vec<Mark<'d>> {
    let mut marks = vec![Mark {
        file: id,
        span: char_span(sources.by_id(id), &d.span),
        style: LabelStyle::Primary,
        message: "",
    }];
    for label in &d.labels {
        let file = match &label.path {
            Some(path) => match sources.id(path) {
                Some(label_id) => label_id,
                None => continue,
            },
            None => id,
        };
        marks.push(Mark {
            file,
            span: char_span(sources.by_id(file), &label.span),
            style: LabelStyle::Secondary,
            message: &label.message,
        });
    }
    marks
}

fn frame(d: &Diagnostic, marks: &[Mark], windows: &Windows) -> Frame<usize> {
    let severity = match d.severity {
        Severity::Error => FrameSeverity::Error,
        Severity::Warning => FrameSeverity::Warning,
        Severity::Info => FrameSeverity::Note,
    };
    let labels = marks
        .iter()
        .map(|mark| {
            let (window, span) = windows.map(mark.file, &mark.span);
            FrameLabel::new(mark.style, window, span).with_message(mark.message)
        })
        .collect();
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
fn char_span(source: &SourceFile, span: &Range<usize>) -> Range<usize> {
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

/// The windows of one diagnostic, one per file its labels are in, in order of appearance: what
/// codespan reads instead of the files.
struct Windows<'a> {
    sources: &'a Sources<'a>,
    windows: Vec<Window>,
}

/// The lines `first_line..` of one file as shown: each line that may be printed copied whole
/// or cut; the others (between far labels, never printed) are not in the window at all, so a
/// label 40,000 lines away costs nothing.
struct Window {
    /// The file's id in `Sources`.
    file: usize,
    first_line: usize,
    text: String,
    /// The copied lines, in order: line index in the window (from `first_line`), start in
    /// `text`.
    lines: Vec<(usize, usize)>,
    /// The copied pieces, in order (of both the file and the window).
    pieces: Vec<Piece>,
}

/// `len` bytes at `real` in the file, copied to `copy` in the window.
#[derive(Debug, Clone, Copy)]
struct Piece {
    real: usize,
    copy: usize,
    len: usize,
}

impl<'a> Windows<'a> {
    fn new(sources: &'a Sources<'a>, config: &Config, marks: &[Mark]) -> Self {
        let mut files: Vec<usize> = Vec::new();
        for mark in marks {
            if !files.contains(&mark.file) {
                files.push(mark.file);
            }
        }
        let windows = files
            .into_iter()
            .map(|file| {
                let spans: Vec<Range<usize>> = marks
                    .iter()
                    .filter(|m| m.file == file)
                    .map(|m| m.span.clone())
                    .collect();
                Window::new(file, sources.by_id(file), &spans, config)
            })
            .collect();
        Self { sources, windows }
    }

    /// The window of file `file` and where `span` is in it.
    fn map(&self, file: usize, span: &Range<usize>) -> (usize, Range<usize>) {
        let id = self
            .windows
            .iter()
            .position(|w| w.file == file)
            .expect("every label's file has a window");
        let window = &self.windows[id];
        (id, window.copy_of(span.start)..window.copy_of(span.end))
    }

    fn window(&self, id: usize) -> Result<&Window, Error> {
        self.windows.get(id).ok_or(Error::FileMissing)
    }
}

impl Window {
    fn new(file: usize, source: &SourceFile, spans: &[Range<usize>], config: &Config) -> Self {
        let lines: Vec<(usize, usize)> = spans
            .iter()
            .map(|s| (source.line_index(s.start), source.line_index(s.end)))
            .collect();
        let last_line = source.line_starts().len() - 1;
        let first = lines.iter().map(|l| l.0).min().unwrap_or(0);
        let first = first.saturating_sub(config.before_label_lines);
        let last = lines.iter().map(|l| l.1).max().unwrap_or(0);
        let last = (last + config.after_label_lines).min(last_line);
        // codespan prints the lines of labels, their context, and a line between two printed
        // ones: all within this distance of a label's first or last line.
        let reach = [
            config.start_context_lines,
            config.end_context_lines,
            config.before_label_lines,
            config.after_label_lines,
        ]
        .into_iter()
        .max()
        .unwrap_or(0)
            + 1;
        let mut near: Vec<usize> = lines.iter().flat_map(|&(a, b)| [a, b]).collect();
        near.sort_unstable();
        near.dedup();

        let mut window = Self {
            file,
            first_line: first,
            text: String::new(),
            lines: Vec::new(),
            pieces: Vec::new(),
        };
        let mut line = first;
        for center in near {
            let from = center.saturating_sub(reach).max(line);
            let to = (center + reach).min(last);
            line = from;
            while line <= to {
                let focus = focus(source, spans, &lines, line);
                window.push_line(source, line - first, line, &focus);
                line += 1;
            }
        }
        window
    }

    /// Copies line `line` of `source` as line `index` of the window, whole when it is short,
    /// else cut around `focus`.
    fn push_line(
        &mut self,
        source: &SourceFile,
        index: usize,
        line: usize,
        focus: &[Range<usize>],
    ) {
        let text = source.text();
        let range = source.line_range(line);
        let content_end = range.start + text[range.clone()].trim_end_matches(['\n', '\r']).len();
        self.lines.push((index, self.text.len()));
        let content = &text[range.start..content_end];
        if content.len() <= WIDTH || content.chars().take(WIDTH + 1).count() <= WIDTH {
            self.copy(text, range);
            return;
        }
        // Labels far apart share the width, so that the line stays about `WIDTH` wide.
        let width = (WIDTH / focus.len()).max(WIDTH / 4);
        let mut parts: Vec<Range<usize>> = focus
            .iter()
            .map(|f| around(text, range.start..content_end, f, width))
            .collect();
        parts.sort_by_key(|p| p.start);
        let mut merged: Vec<Range<usize>> = Vec::new();
        for part in parts {
            match merged.last_mut() {
                // A cut no longer than the mark would save nothing.
                Some(last) if part.start <= last.end + CUT.len() => {
                    last.end = last.end.max(part.end);
                }
                _ => merged.push(part),
            }
        }
        let mut at = range.start;
        for part in merged {
            let start = if part.start <= at + CUT.len() {
                at
            } else {
                self.text.push_str(CUT);
                part.start
            };
            let mut end = part.end.max(start);
            if end + CUT.len() >= content_end {
                end = range.end;
            }
            at = end;
            self.copy(text, start..end);
        }
        if at < content_end {
            self.text.push_str(CUT);
            if content_end < range.end {
                self.text.push('\n');
            }
        }
    }

    fn copy(&mut self, text: &str, range: Range<usize>) {
        self.pieces.push(Piece {
            real: range.start,
            copy: self.text.len(),
            len: range.len(),
        });
        self.text.push_str(&text[range]);
    }

    /// Where offset `real` of the file is in the window. Every label's ends are in a piece;
    /// at the end of one line's piece and the start of the next line's, the later is meant.
    fn copy_of(&self, real: usize) -> usize {
        let i = self.pieces.partition_point(|p| p.real <= real).max(1) - 1;
        let piece = self.pieces[i];
        piece.copy + real.saturating_sub(piece.real).min(piece.len)
    }

    /// Where offset `copy` of the window is in the file.
    fn real_of(&self, copy: usize) -> usize {
        let i = self.pieces.partition_point(|p| p.copy <= copy).max(1) - 1;
        let piece = self.pieces[i];
        piece.real + copy.saturating_sub(piece.copy).min(piece.len)
    }
}

/// What line `line` must show of each span: a short span on the line whole, the ends of a
/// long one; the start of the line when no span starts or ends there.
fn focus(
    source: &SourceFile,
    spans: &[Range<usize>],
    lines: &[(usize, usize)],
    line: usize,
) -> Vec<Range<usize>> {
    let text = source.text();
    let mut focus = Vec::new();
    for (span, &(first, last)) in spans.iter().zip(lines) {
        match (first == line, last == line) {
            (true, true) if text[span.clone()].chars().nth(WIDTH / 2).is_none() => {
                focus.push(span.clone());
            }
            (true, true) => {
                focus.push(span.start..span.start);
                focus.push(span.end..span.end);
            }
            (true, false) => focus.push(span.start..span.start),
            (false, true) => focus.push(span.end..span.end),
            (false, false) => {}
        }
    }
    if focus.is_empty() {
        let start = source.line_range(line).start;
        focus.push(start..start);
    }
    focus
}

/// About `width` characters of the line `line` (without its line ending) around `focus`.
fn around(text: &str, line: Range<usize>, focus: &Range<usize>, width: usize) -> Range<usize> {
    let len = text[focus.clone()].chars().count();
    let room = width.saturating_sub(len);
    // A span may end inside the line ending; the window then reaches it.
    let end = line.end.max(focus.end);
    let (from, took) = back(text, line.start, focus.start, room / 2);
    let (to, took_right) = forward(text, focus.end, end, room - took);
    // What the right side could not use goes to the left.
    let (from, _) = back(text, line.start, from, room - took - took_right);
    from..to
}

/// The offset `n` characters before `at`, not before `start`, and how many it went back.
fn back(text: &str, start: usize, at: usize, n: usize) -> (usize, usize) {
    text[start..at]
        .char_indices()
        .rev()
        .take(n)
        .fold((at, 0), |(_, count), (i, _)| (start + i, count + 1))
}

/// The offset `n` characters after `at`, not after `end`, and how many it went forward.
fn forward(text: &str, at: usize, end: usize, n: usize) -> (usize, usize) {
    text[at..end]
        .chars()
        .take(n)
        .fold((at, 0), |(to, count), c| (to + c.len_utf8(), count + 1))
}

impl<'w> Files<'w> for Windows<'_> {
    type FileId = usize;
    type Name = String;
    type Source = &'w str;

    fn name(&'w self, id: usize) -> Result<String, Error> {
        let window = self.window(id)?;
        Ok(self.sources.by_id(window.file).path().display().to_string())
    }

    fn source(&'w self, id: usize) -> Result<&'w str, Error> {
        Ok(&self.window(id)?.text)
    }

    fn line_index(&'w self, id: usize, byte_index: usize) -> Result<usize, Error> {
        let lines = &self.window(id)?.lines;
        let k = lines
            .partition_point(|&(_, start)| start <= byte_index)
            .saturating_sub(1);
        Ok(lines.get(k).map_or(0, |&(index, _)| index))
    }

    fn line_number(&'w self, id: usize, line_index: usize) -> Result<usize, Error> {
        Ok(self.window(id)?.first_line + line_index + 1)
    }

    /// The column in the file, not in the window.
    fn column_number(
        &'w self,
        id: usize,
        _line_index: usize,
        byte_index: usize,
    ) -> Result<usize, Error> {
        Ok(self.location(id, byte_index)?.column_number)
    }

    fn location(&'w self, id: usize, byte_index: usize) -> Result<Location, Error> {
        let window = self.window(id)?;
        let position = self
            .sources
            .position(window.file, window.real_of(byte_index));
        Ok(Location {
            line_number: position.line,
            column_number: position.column,
        })
    }

    /// A line left out of the window (never printed) is empty, where the next copied one starts.
    fn line_range(&'w self, id: usize, line_index: usize) -> Result<Range<usize>, Error> {
        let window = self.window(id)?;
        let lines = &window.lines;
        let max = lines.last().map_or(0, |&(index, _)| index);
        if line_index > max {
            return Err(Error::LineTooLarge {
                given: line_index,
                max,
            });
        }
        let k = lines.partition_point(|&(index, _)| index < line_index);
        let start_of = |k: usize| lines.get(k).map_or(window.text.len(), |&(_, start)| start);
        match lines.get(k) {
            Some(&(index, start)) if index == line_index => Ok(start..start_of(k + 1)),
            _ => Ok(start_of(k)..start_of(k)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(text: &str, spans: &[Range<usize>]) -> (SourceFile, Window) {
        let source = SourceFile::new("x.php", text.as_bytes().to_vec());
        let window = Window::new(0, &source, spans, &Config::default());
        (source, window)
    }

    /// The window's copy of `span` is the file's text there.
    fn assert_maps(source: &SourceFile, window: &Window, span: &Range<usize>) {
        let copy = window.copy_of(span.start)..window.copy_of(span.end);
        assert_eq!(&window.text[copy.clone()], &source.text()[span.clone()]);
        assert_eq!(window.real_of(copy.start), span.start);
        assert_eq!(window.real_of(copy.end), span.end);
    }

    #[test]
    fn short_lines_are_copied_whole() {
        let text = "<?php\r\n$a = $HTTP_GET_VARS;\rlast";
        let span = 12..26;
        let (source, window) = window(text, &[span.clone(), 0..5, text.len()..text.len()]);
        assert_eq!(window.first_line, 0);
        assert_eq!(window.text, text);
        assert_eq!(window.lines, [(0, 0), (1, 7), (2, 28)]);
        assert_maps(&source, &window, &span);
    }

    #[test]
    fn long_lines_are_cut_around_the_span() {
        let text = format!(
            "<?php {}$HTTP_GET_VARS;{}\n",
            "é".repeat(5000),
            "x".repeat(5000)
        );
        let start = text.find('$').unwrap();
        let span = start..start + 14;
        let (source, window) = window(&text, std::slice::from_ref(&span));
        let shown = window.text.trim_end();
        assert!(shown.starts_with(CUT) && shown.ends_with(CUT), "{shown}");
        assert_eq!(shown.chars().count(), WIDTH + 2, "{shown}");
        assert!(shown.contains("éé$HTTP_GET_VARS;xx"), "{shown}");
        assert_maps(&source, &window, &span);
    }

    #[test]
    fn a_window_at_either_end_of_a_long_line_has_one_cut() {
        let text = format!("$HTTP_GET_VARS;{}$HTTP_GET_VARS;", " ".repeat(10_000));
        let last = text.len() - 15;
        for span in [0..14, last..last + 14, text.len()..text.len()] {
            let (source, window) = window(&text, std::slice::from_ref(&span));
            assert_eq!(window.text.matches(CUT).count(), 1, "{:?}", window.text);
            assert_eq!(window.text.chars().count(), WIDTH + 1);
            assert_maps(&source, &window, &span);
        }
    }

    #[test]
    fn labels_far_apart_on_a_long_line_share_the_width() {
        let text = format!("a = b;{}c = d;{}\r\n", " ".repeat(9000), " ".repeat(9000));
        let far = text.find('c').unwrap();
        // The second ends inside the line ending.
        let spans = [0..5, far..far + 5, text.len() - 1..text.len() - 1];
        let (source, window) = window(&text, &spans);
        assert_eq!(window.text.matches(CUT).count(), 2, "{:?}", window.text);
        assert!(
            window.text.chars().count() < WIDTH + 10,
            "{:?}",
            window.text
        );
        assert!(window.text.ends_with("\r\n"));
        for span in &spans {
            assert_maps(&source, &window, span);
        }
    }

    #[test]
    fn a_long_span_on_one_line_shows_its_ends() {
        let text = format!("<?php f({});", "1,".repeat(10_000));
        let span = 6..text.len() - 1;
        let (_, window) = window(&text, std::slice::from_ref(&span));
        assert!(window.text.starts_with("<?php f(1,1,"), "{}", window.text);
        assert!(window.text.ends_with("1,1,);"), "{}", window.text);
        assert_eq!(window.text.matches(CUT).count(), 1);
        let copy = window.copy_of(span.start)..window.copy_of(span.end);
        assert_eq!(window.real_of(copy.start), span.start);
        assert_eq!(window.real_of(copy.end), span.end);
    }

    #[test]
    fn lines_inside_a_long_multi_line_span_are_left_out() {
        let mut text = String::from("<?php\nextract(\n");
        for i in 0..100 {
            text.push_str(&format!("    {i},\n"));
        }
        text.push_str(&"y".repeat(1000));
        text.push_str(");\n");
        let span = 6..text.len() - 2;
        let (source, window) = window(&text, std::slice::from_ref(&span));
        assert_eq!(window.first_line, 1);
        let indices: Vec<usize> = window.lines.iter().map(|&(index, _)| index).collect();
        assert_eq!(
            indices,
            [0, 1, 2, 3, 4, 97, 98, 99, 100, 101],
            "far from both ends: left out"
        );
        let lines: Vec<&str> = window.text.split('\n').collect();
        assert_eq!(lines[1..5], ["    0,", "    1,", "    2,", "    3,"]);
        assert_eq!(lines[5..9], ["    96,", "    97,", "    98,", "    99,"]);
        assert!(lines[9].starts_with(CUT) && lines[9].ends_with(");"));
        assert_maps(&source, &window, &(span.start..span.start + 8));
        assert_maps(&source, &window, &(span.end - 2..span.end));
    }

    #[test]
    fn any_spans_on_any_lines_map_both_ways() {
        // A small xorshift: many shapes of lines and spans, the same ones in every run.
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let pieces = ["a", "é", "😀", " ", "\t", "$HTTP_GET_VARS;"];
        let breaks = ["\n", "\r\n", "\r"];
        let mut cut = 0;
        for _ in 0..300 {
            let mut text = String::new();
            for _ in 0..next(3000) {
                // Lines of about 200 pieces: some far longer than WIDTH, some shorter.
                match next(200) {
                    0 => text.push_str(breaks[next(breaks.len())]),
                    _ => text.push_str(pieces[next(pieces.len())]),
                }
            }
            let source = SourceFile::new("x.php", text.as_bytes().to_vec());
            let count = 1 + next(4);
            let spans: Vec<Range<usize>> = (0..count)
                .map(|_| {
                    let a = source.floor_char_boundary(next(source.len() + 1));
                    let b = source.floor_char_boundary(next(source.len() + 1));
                    a.min(b)..a.max(b)
                })
                .collect();
            let window = Window::new(0, &source, &spans, &Config::default());
            cut += usize::from(window.text.contains(CUT));
            for span in &spans {
                for real in [span.start, span.end] {
                    let copy = window.copy_of(real);
                    assert!(window.text.is_char_boundary(copy), "{text:?} {span:?}");
                    assert_eq!(window.real_of(copy), real, "{text:?} {span:?}");
                }
            }
        }
        assert!(cut > 100, "only {cut} cases cut a line");
    }
}
