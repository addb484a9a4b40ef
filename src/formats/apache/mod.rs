//! Apache httpd 2.4 configuration (`apache2.conf`, `httpd.conf`, conf trees) and `.htaccess`,
//! read as httpd reads it (`ap_cfg_getline`, `ap_getword_conf` in `server/util.c`,
//! `ap_build_config_sub`, `ap_build_cont_config` and `ap_soak_end_container` in
//! `server/config.c`):
//!
//! - a `\` right before the newline joins the next line, without a space; the logical line
//!   counts as its last physical line; then leading and trailing white space goes;
//! - a logical line whose first character is `#` is a comment (a `#` after a word is a word);
//! - words: `"…"` or `'…'` group (a `\` before the quote escapes it, an unterminated quote runs
//!   to the end of the line), `\\` is `\` everywhere;
//! - `<Name args>` opens a section and `</Name>` closes the innermost one; the containers httpd
//!   runs while reading (`<IfModule>`, `<IfDefine>`…) read their body on their own when their
//!   condition holds (a stray close tag inside is an error, the end of the file is not), and
//!   skip it otherwise, counting only nested tags.
//!
//! Nesting is kept on explicit stacks: no recursion, whatever the depth.

pub mod catalogue;
pub mod facts;
mod handler;
pub mod model;

pub use handler::Handler;

use std::ops::Range;

use crate::source::{Segments, SourceFile};

/// A `.htaccess` (or a backup named after one): read per request, in per-directory context.
pub fn is_htaccess(path: &std::path::Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with(".htaccess"))
}

/// httpd's `apr_isspace`: ASCII white space.
pub fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// One logical line: a physical line and those its trailing `\` joined to it.
#[derive(Debug, Clone)]
pub struct Line {
    /// From the first byte of its first physical line to the end of its last (newline
    /// excluded).
    pub span: Range<usize>,
    /// Its first and last physical line (1-based); httpd names the last.
    pub first: usize,
    pub last: usize,
    /// What httpd reads of a line joined from several: the parts joined, white space trimmed
    /// at both ends. `None` for a line that stands alone (most): its text is `plain`.
    joined: Option<Vec<u8>>,
    /// A line that stands alone: its text in the file, trimmed (not copied).
    plain: Range<usize>,
    /// `(offset in text, offset in the file)` where each physical part starts.
    segments: Segments,
    pub kind: LineKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Blank,
    Comment,
    /// The line is this node of [`ApacheFile::nodes`].
    Node(usize),
}

impl Line {
    /// What httpd reads: the parts joined, white space trimmed at both ends.
    pub fn text<'s>(&'s self, file: &'s [u8]) -> &'s [u8] {
        match &self.joined {
            Some(text) => text,
            None => &file[self.plain.clone()],
        }
    }

    /// The file offset of a byte of `text` (or of its end).
    pub fn source_offset(&self, at: usize) -> usize {
        self.segments.offset(at)
    }

    /// The file span of a range of `text`.
    pub fn source_span(&self, range: &Range<usize>) -> Range<usize> {
        self.segments.span(range)
    }
}

/// One word as `ap_getword_conf` gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// As written, quotes included.
    pub span: Range<usize>,
    /// What httpd reads (escapes undone; bytes that are not UTF-8 as U+FFFD).
    pub value: String,
    pub quoted: bool,
}

impl AsRef<str> for Word {
    fn as_ref(&self) -> &str {
        &self.value
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    Directive,
    /// `<Name …>`.
    Open,
    /// `</Name>`.
    Close,
}

/// How httpd treats the body of a section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    /// Read into the tree (`<Directory>`, `<VirtualHost>`…).
    Tree,
    /// A condition read now and found true: its body is read on its own (`<IfModule x>` with x
    /// loaded).
    Taken,
    /// A condition found false, or a `<Macro>`: the body is skipped, only tags counted.
    Skipped,
}

/// A directive, an opening tag or a closing tag.
#[derive(Debug, Clone)]
pub struct Node {
    /// Its line in [`ApacheFile::lines`].
    pub line: usize,
    pub kind: NodeKind,
    /// The name: `Listen`, `Files` for `<Files …>` and `</Files>` (no `<`, `/` or `>`).
    pub name: String,
    /// The first word, as written.
    pub name_span: Range<usize>,
    /// The arguments (for an opening tag, the `>` that ends the last one is not in its value).
    pub args: Vec<Word>,
    /// Opening and closing tags: the tag ends with `>`.
    pub bracket_closed: bool,
    /// The innermost section it is in.
    pub parent: Option<usize>,
    /// Opening tags: the node that closes it.
    pub end: Option<usize>,
    pub body: Body,
    /// It is inside a skipped body: httpd does not read it.
    pub skipped: bool,
    /// Sections around it.
    pub depth: usize,
}

/// What httpd's reading of the file (before any directive runs) rejects. At most one is what
/// httpd reports, the first in this list; etclint reports them all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// `<Files> was not closed.` (httpd names the outermost open section).
    NotClosed { open: usize },
    /// `Expected </Files> but saw </Directory>`.
    Mismatched { close: usize, open: usize },
    /// `</Files> without matching <Files> section`.
    Unmatched { close: usize },
    /// `</Files> directive missing closing '>'` (`</Files >`).
    CloseWithoutBracket { close: usize },
    /// Inside a skipped container: `Expected </IfModule> but saw </Files>`, reported on the
    /// container's line.
    SkippedMismatch {
        container: usize,
        close: usize,
        expected: String,
    },
    /// `Expected </IfModule> before end of configuration`, on the container's line.
    SkippedNotClosed { container: usize },
}

/// One Apache file, parsed.
pub struct ApacheFile<'a> {
    pub source: &'a SourceFile,
    /// A `.htaccess` (or `.htaccess`-named backup): read per request, per-directory context.
    pub htaccess: bool,
    pub lines: Vec<Line>,
    pub nodes: Vec<Node>,
    pub problems: Vec<Problem>,
    views: model::Views,
}

impl<'a> ApacheFile<'a> {
    pub fn new(source: &'a SourceFile) -> Self {
        Self::with_context(source, is_htaccess(source.path()))
    }

    pub fn with_context(source: &'a SourceFile, htaccess: bool) -> Self {
        let lines = split_lines(source.bytes());
        let mut file = Self {
            source,
            htaccess,
            lines,
            nodes: Vec::new(),
            problems: Vec::new(),
            views: model::Views::default(),
        };
        build(&mut file);
        file
    }

    pub fn bytes(&self) -> &'a [u8] {
        self.source.bytes()
    }

    /// The text of a span (empty where it is not UTF-8).
    pub fn text(&self, span: &Range<usize>) -> &'a str {
        let source: &'a SourceFile = self.source;
        source.text().get(span.clone()).unwrap_or("")
    }

    /// The physical line httpd names for a node (the last of its logical line).
    pub fn line_number(&self, node: usize) -> usize {
        self.lines[self.nodes[node].line].last
    }

    /// The span of a node's logical line from its first word: what a finding points at.
    pub fn node_span(&self, node: usize) -> Range<usize> {
        let span = self.line_span(node);
        let indent = self.bytes()[span.clone()]
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
        span.start + indent..span.end
    }

    /// The span of a node's whole logical line, indentation included: what a fix removes.
    pub fn line_span(&self, node: usize) -> Range<usize> {
        self.lines[self.nodes[node].line].span.clone()
    }

    /// The directives and opening tags httpd reads, in file order, each with its entry in the
    /// catalogue (`None`: not a directive httpd or a known third-party module has).
    pub fn catalogued(
        &self,
    ) -> impl Iterator<Item = (usize, &Node, Option<&'static catalogue::DirectiveSpec>)> {
        let specs = self.specs();
        self.nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| !n.skipped && n.kind != NodeKind::Close)
            .map(move |(i, n)| (i, n, specs[i]))
    }

    /// The directives (not tags) httpd reads, in file order.
    pub fn directives(&self) -> impl Iterator<Item = (usize, &Node)> {
        self.nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.kind == NodeKind::Directive && !n.skipped)
    }

    /// The sections around a node, innermost first.
    pub fn ancestors(&self, node: usize) -> impl Iterator<Item = (usize, &Node)> {
        let mut at = self.nodes[node].parent;
        std::iter::from_fn(move || {
            let i = at?;
            at = self.nodes[i].parent;
            Some((i, &self.nodes[i]))
        })
    }

    /// Whether etclint's reading finds anything httpd would refuse while reading the file.
    pub fn has_structure_error(&self) -> bool {
        !self.problems.is_empty()
    }
}

/// Splits the bytes into logical lines.
pub fn split_lines(bytes: &[u8]) -> Vec<Line> {
    // Never more logical lines than physical ones.
    let mut lines = Vec::with_capacity(memchr::memchr_iter(b'\n', bytes).count() + 1);
    let mut start = 0;
    let mut physical = 0;
    while start < bytes.len() {
        let first = physical + 1;
        physical += 1;
        let (end, content_end) = physical_line(bytes, start);
        let continues = end < bytes.len() && content_end > start && bytes[content_end - 1] == b'\\';
        let (joined, plain, segments, span_end, next) = if continues {
            let (text, segments, span_end, next) = joined_line(bytes, start, &mut physical);
            (Some(text), 0..0, segments, span_end, next)
        } else {
            // Most lines stand alone: their text is a slice of the file.
            let content = &bytes[start..content_end];
            let lead = content.iter().take_while(|&&b| is_space(b)).count();
            let trail = content[lead..]
                .iter()
                .rev()
                .take_while(|&&b| is_space(b))
                .count();
            let plain = start + lead..content_end - trail;
            (
                None,
                plain,
                Segments::starting_at(start + lead),
                end,
                end + 1,
            )
        };
        let text = joined.as_deref().unwrap_or(&bytes[plain.clone()]);
        let kind = match text.first() {
            None => LineKind::Blank,
            Some(b'#') => LineKind::Comment,
            Some(_) => LineKind::Node(usize::MAX),
        };
        lines.push(Line {
            span: start..span_end,
            first,
            last: physical,
            joined,
            plain,
            segments,
            kind,
        });
        start = next;
    }
    lines
}

/// The physical line at `at`: `(end, content end)`, the newline and a `\r` before it left out.
fn physical_line(bytes: &[u8], at: usize) -> (usize, usize) {
    let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
    let mut content_end = end;
    if content_end > at && bytes[content_end - 1] == b'\r' && end < bytes.len() {
        content_end -= 1;
    }
    (end, content_end)
}

/// A logical line of several physical lines (the first ends in `\`): its trimmed text, the map
/// from it to the file, where its span ends and where the next line starts. `physical` counts
/// the physical lines read.
fn joined_line(
    bytes: &[u8],
    start: usize,
    physical: &mut usize,
) -> (Vec<u8>, Segments, usize, usize) {
    let mut text = Vec::new();
    let mut parts = Vec::new();
    let mut at = start;
    let span_end;
    loop {
        let (end, content_end) = physical_line(bytes, at);
        let continues = end < bytes.len() && content_end > at && bytes[content_end - 1] == b'\\';
        parts.push((text.len(), at));
        if continues {
            text.extend_from_slice(&bytes[at..content_end - 1]);
            at = end + 1;
            if at >= bytes.len() {
                // A `\` on the last line joins the empty line after it.
                *physical += 1;
                span_end = end;
                break;
            }
            *physical += 1;
        } else {
            text.extend_from_slice(&bytes[at..content_end]);
            span_end = end;
            at = end + 1;
            break;
        }
    }
    // Trim in place, keeping the map from text to file.
    let lead = text.iter().take_while(|&&b| is_space(b)).count();
    let trail = text[lead..]
        .iter()
        .rev()
        .take_while(|&&b| is_space(b))
        .count();
    let joined_len = text.len();
    text.truncate(joined_len - trail);
    text.drain(..lead);
    let mut segments: Vec<(usize, usize)> = Vec::with_capacity(parts.len());
    for (i, &(t, s)) in parts.iter().enumerate() {
        let next_t = parts.get(i + 1).map_or(joined_len, |n| n.0);
        if next_t <= lead && i + 1 < parts.len() {
            continue;
        }
        segments.push(if t < lead {
            (0, s + (lead - t))
        } else {
            (t - lead, s)
        });
    }
    (text, Segments::from(segments), span_end, at)
}

/// Reads `ap_getword_conf`'s words from `text[at..]`, as ranges of `text` and their values.
pub fn words(text: &[u8]) -> Vec<(Range<usize>, Vec<u8>, bool)> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < text.len() && is_space(text[at]) {
        at += 1;
    }
    while at < text.len() {
        let start = at;
        let quote = text[at];
        if quote == b'"' || quote == b'\'' {
            let mut end = at + 1;
            while end < text.len() && text[end] != quote {
                if text[end] == b'\\' && text.get(end + 1) == Some(&quote) {
                    end += 2;
                } else {
                    end += 1;
                }
            }
            let end = end.min(text.len());
            let value = unescape(&text[start + 1..end], Some(quote));
            at = if end < text.len() { end + 1 } else { end };
            out.push((start..at, value, true));
        } else {
            let mut end = at;
            while end < text.len() && !is_space(text[end]) {
                end += 1;
            }
            out.push((start..end, unescape(&text[start..end], None), false));
            at = end;
        }
        while at < text.len() && is_space(text[at]) {
            at += 1;
        }
    }
    out
}

/// `substring_conf`: `\\` is `\`, and inside quotes `\"` is `"`.
fn unescape(raw: &[u8], quote: Option<u8>) -> Vec<u8> {
    if memchr::memchr(b'\\', raw).is_none() {
        return raw.to_vec();
    }
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let next = raw.get(i + 1).copied();
        if raw[i] == b'\\' && (next == Some(b'\\') || (quote.is_some() && next == quote)) {
            out.push(raw[i + 1]);
            i += 2;
        } else {
            out.push(raw[i]);
            i += 1;
        }
    }
    out
}

/// A word's bytes as a `String`, kept when they are UTF-8 (bytes that are not as U+FFFD).
fn into_string(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Whether a line is exactly `</name>` (any case), as a taken container's end must be.
fn is_exact_close(text: &[u8], name: &str) -> bool {
    text.len() == name.len() + 3
        && text.starts_with(b"</")
        && text.ends_with(b">")
        && text[2..text.len() - 1].eq_ignore_ascii_case(name.as_bytes())
}

/// The containers httpd runs while it reads the file (`EXEC_ON_READ` in httpd 2.4's sources).
pub fn read_time_container(name: &str) -> bool {
    const NAMES: &[&str] = &[
        "IfModule",
        "IfDefine",
        "IfFile",
        "IfDirective",
        "IfSection",
        "IfVersion",
        "Macro",
    ];
    NAMES.iter().any(|n| n.eq_ignore_ascii_case(name))
}

/// One open section on the reading stack.
struct Open {
    node: usize,
    /// `<IfModule>` read on its own: closes only on the exact line `</IfModule>`, with nothing
    /// else open inside it.
    barrier: bool,
}

/// Builds the nodes and structure problems, as httpd reads the file.
fn build(file: &mut ApacheFile) {
    let mut stack: Vec<Open> = Vec::new();
    // Skipped bodies: (container node, nested tag names still open inside it).
    let mut skipping: Option<(usize, Vec<(usize, String)>)> = None;
    let mut defines: Vec<String> = Vec::new();
    let htaccess = file.htaccess;
    let node_lines = file
        .lines
        .iter()
        .filter(|l| l.kind != LineKind::Blank && l.kind != LineKind::Comment)
        .count();
    file.nodes.reserve_exact(node_lines);
    for li in 0..file.lines.len() {
        if file.lines[li].kind != LineKind::Node(usize::MAX) {
            continue;
        }
        let line = &file.lines[li];
        let mut all_words = words(line.text(file.source.bytes()))
            .into_iter()
            .map(|(r, v, q)| Word {
                span: line.source_span(&r),
                value: into_string(v),
                quoted: q,
            });
        let first = all_words.next();
        let words: Vec<Word> = all_words.collect();
        let index = file.nodes.len();
        file.lines[li].kind = LineKind::Node(index);
        let Some(first) = first.filter(|w| !w.value.is_empty()) else {
            // httpd ignores a line whose first word is empty (`""`).
            file.lines[li].kind = LineKind::Blank;
            continue;
        };
        let depth = stack.len();
        let parent = stack.last().map(|o| o.node);

        if let Some((container, open)) = skipping.as_mut() {
            // `ap_soak_end_container`: only words starting with `<` count.
            let container = *container;
            let (kind, name, closed) = tag_of(&first.value, words.is_empty());
            file.nodes.push(Node {
                line: li,
                kind: if kind == NodeKind::Directive {
                    NodeKind::Directive
                } else {
                    kind
                },
                name: name.clone(),
                name_span: first.span.clone(),
                args: words,
                bracket_closed: closed,
                parent: Some(open.last().map_or(container, |(n, _)| *n)),
                end: None,
                body: Body::Skipped,
                skipped: true,
                depth,
            });
            match kind {
                NodeKind::Open => open.push((index, name)),
                NodeKind::Close => {
                    // httpd drops the last character of the word, whatever it is.
                    let mut seen = first.value[2..].to_string();
                    seen.pop();
                    let expected = open
                        .last()
                        .map(|(_, name)| name.clone())
                        .unwrap_or_else(|| file.nodes[container].name.clone());
                    if !seen.eq_ignore_ascii_case(&expected) {
                        file.problems.push(Problem::SkippedMismatch {
                            container,
                            close: index,
                            expected: expected.clone(),
                        });
                        // httpd stops reading here; etclint carries on as if it closed.
                    }
                    match open.pop() {
                        Some((nested, _)) => {
                            file.nodes[nested].end = Some(index);
                            file.nodes[index].parent = file.nodes[nested].parent;
                        }
                        None => {
                            file.nodes[container].end = Some(index);
                            file.nodes[index].parent = file.nodes[container].parent;
                            skipping = None;
                        }
                    }
                }
                NodeKind::Directive => {}
            }
            continue;
        }

        // A taken container's own end: the exact line `</Name>` with nothing open inside.
        let closes_top = stack.last().filter(|top| {
            top.barrier
                && is_exact_close(
                    file.lines[li].text(file.source.bytes()),
                    &file.nodes[top.node].name,
                )
        });
        if let Some(top) = closes_top {
            let open = top.node;
            stack.pop();
            file.nodes.push(Node {
                line: li,
                kind: NodeKind::Close,
                name: file.nodes[open].name.clone(),
                name_span: first.span.clone(),
                args: words,
                bracket_closed: true,
                parent: file.nodes[open].parent,
                end: None,
                body: Body::Tree,
                skipped: false,
                depth: depth - 1,
            });
            file.nodes[open].end = Some(index);
            continue;
        }

        let (kind, name, closed) = tag_of(&first.value, words.is_empty());
        let mut node = Node {
            line: li,
            kind,
            name,
            name_span: first.span.clone(),
            args: words,
            bracket_closed: closed,
            parent,
            end: None,
            body: Body::Tree,
            skipped: false,
            depth,
        };
        match kind {
            NodeKind::Directive => {
                if node.name.eq_ignore_ascii_case("Define") {
                    if let Some(arg) = node.args.first() {
                        defines.push(arg.value.clone());
                    }
                } else if node.name.eq_ignore_ascii_case("UnDefine") {
                    if let Some(arg) = node.args.first() {
                        defines.retain(|d| d != &arg.value);
                    }
                }
                file.nodes.push(node);
            }
            NodeKind::Open => {
                // The `>` ends the last argument (or the name, with no argument).
                node.bracket_closed = match node.args.last() {
                    Some(last) => file.bytes()[..last.span.end].ends_with(b">"),
                    None => first.value.ends_with('>'),
                };
                if let Some(last) = node.args.last_mut() {
                    if last.value.ends_with('>') {
                        last.value.pop();
                        if last.value.is_empty() && !last.quoted {
                            node.args.pop();
                        }
                    }
                }
                node.body = if read_time_container(&node.name) {
                    if condition_holds(&node.name, &node.args, &defines, htaccess) {
                        Body::Taken
                    } else {
                        Body::Skipped
                    }
                } else {
                    Body::Tree
                };
                let body = node.body;
                file.nodes.push(node);
                match body {
                    Body::Skipped => skipping = Some((index, Vec::new())),
                    _ => stack.push(Open {
                        node: index,
                        barrier: body == Body::Taken,
                    }),
                }
            }
            NodeKind::Close => {
                file.nodes.push(node);
                let top = stack.last().filter(|o| !o.barrier).map(|o| o.node);
                match top {
                    None => file.problems.push(Problem::Unmatched { close: index }),
                    Some(_) if !closed => {
                        file.problems
                            .push(Problem::CloseWithoutBracket { close: index });
                        close_innermost(file, &mut stack, index);
                    }
                    Some(open) => {
                        if !file.nodes[open]
                            .name
                            .eq_ignore_ascii_case(&file.nodes[index].name)
                        {
                            file.problems
                                .push(Problem::Mismatched { close: index, open });
                        }
                        close_innermost(file, &mut stack, index);
                    }
                }
            }
        }
    }
    if let Some((container, _)) = skipping {
        file.problems.push(Problem::SkippedNotClosed { container });
    }
    // At the end, taken containers end quietly; httpd names the outermost section left open
    // outside them.
    if let Some(outer) = stack
        .iter()
        .take_while(|o| !o.barrier)
        .map(|o| o.node)
        .next()
    {
        file.problems.push(Problem::NotClosed { open: outer });
    }
}

fn close_innermost(file: &mut ApacheFile, stack: &mut Vec<Open>, close: usize) {
    if let Some(open) = stack.pop() {
        file.nodes[open.node].end = Some(close);
        file.nodes[close].parent = file.nodes[open.node].parent;
        file.nodes[close].depth = stack.len();
    }
}

/// What a first word is: `(kind, name, ends with '>')`. `alone`: no word follows it.
fn tag_of(word: &str, alone: bool) -> (NodeKind, String, bool) {
    if let Some(rest) = word.strip_prefix("</") {
        let closed = rest.ends_with('>');
        let name = rest.strip_suffix('>').unwrap_or(rest).to_string();
        (NodeKind::Close, name, closed)
    } else if let Some(rest) = word.strip_prefix('<') {
        let closed = rest.ends_with('>');
        let name = rest.strip_suffix('>').unwrap_or(rest).to_string();
        (NodeKind::Open, name, closed && alone)
    } else {
        // httpd drops a trailing `>` from any directive name.
        let name = word.strip_suffix('>').unwrap_or(word).to_string();
        (NodeKind::Directive, name, false)
    }
}

/// Whether a read-time container's condition holds, as far as one file can tell: every module
/// of the catalogue may be loaded, a define holds when this file defines it before, a directive
/// or section exists when the catalogue has it; `<IfFile>` and `<IfVersion>` are taken.
fn condition_holds(name: &str, args: &[Word], defines: &[String], htaccess: bool) -> bool {
    let Some(arg) = args.first() else {
        return true;
    };
    let (negated, value) = match arg.value.strip_prefix('!') {
        Some(rest) => (true, rest),
        None => (false, arg.value.as_str()),
    };
    let holds = match name.to_ascii_lowercase().as_str() {
        "ifmodule" => catalogue::module_known(value),
        "ifdefine" => defines.iter().any(|d| d == value),
        "ifdirective" => catalogue::lookup(value).is_some(),
        "ifsection" => catalogue::lookup(&format!("<{value}")).is_some(),
        "macro" => return false,
        _ => return true,
    };
    let _ = htaccess;
    holds != negated
}

#[cfg(test)]
mod tests;
