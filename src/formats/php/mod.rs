//! PHP sources. Two views of a file, each computed once and only when a rule asks for it:
//! the lexer-state `scan` (tags, inline output, comments, strings) at memory speed, and the
//! tree-sitter syntax tree, about ten times as costly.

pub mod encoding;
mod handler;
pub mod includes;
pub mod invisible;
pub mod outputs;
pub mod scan;
pub mod semantic;
pub mod tokens;

pub use handler::{Handler, PhpFacts};

use std::any::Any;
use std::cell::{Cell, OnceCell, RefCell};
use std::ops::Range;
use std::rc::Rc;

use tree_sitter::{Node, Parser, Tree};

use crate::source::SourceFile;
use scan::{Region, RegionKind, Scan};

/// One PHP file with its lazily computed views.
pub struct PhpFile<'a> {
    pub source: &'a SourceFile,
    scan: OnceCell<Scan>,
    tree: OnceCell<Option<Tree>>,
    /// Files larger than this get no tree (`max-tree-size`): its memory is ~100× the file's.
    tree_limit: Cell<u64>,
    /// A rule asked for the tree of a file over the limit.
    tree_refused: Cell<bool>,
    /// Analyses that several rules share, by type (`PhpFile::memo`).
    memos: RefCell<Vec<Rc<dyn Any>>>,
}

impl<'a> PhpFile<'a> {
    pub fn new(source: &'a SourceFile) -> Self {
        Self {
            source,
            scan: OnceCell::new(),
            tree: OnceCell::new(),
            tree_limit: Cell::new(u64::MAX),
            tree_refused: Cell::new(false),
            memos: RefCell::new(Vec::new()),
        }
    }

    pub fn bytes(&self) -> &'a [u8] {
        self.source.bytes()
    }

    pub fn scan(&self) -> &Scan {
        self.scan.get_or_init(|| scan::scan(self.source.bytes()))
    }

    /// The syntax tree, parsed on first use. `None` if tree-sitter gave up, or if the file is
    /// over the tree size limit (then `tree_refused` says so).
    pub fn tree(&self) -> Option<&Tree> {
        if self.source.len() as u64 > self.tree_limit.get() {
            self.tree_refused.set(true);
            return None;
        }
        self.tree
            .get_or_init(|| parse(self.source.bytes()))
            .as_ref()
    }

    /// Sets the size over which `tree` gives nothing, and forgets earlier refusals.
    pub fn limit_tree(&self, limit: u64) {
        self.tree_limit.set(limit);
        self.tree_refused.set(false);
    }

    /// Whether a rule asked for the tree since `limit_tree` and did not get it for the size.
    pub fn tree_refused(&self) -> bool {
        self.tree_refused.get()
    }

    /// The source text of a node (`?` for bytes that are not UTF-8).
    pub fn text(&self, node: Node<'_>) -> &'a str {
        let source: &'a SourceFile = self.source;
        let range = node.byte_range();
        source.text().get(range).unwrap_or("")
    }

    /// The result of an analysis several rules share, computed on first use: one per type.
    pub fn memo<T: 'static>(&self, compute: impl FnOnce() -> T) -> Rc<T> {
        let found = self
            .memos
            .borrow()
            .iter()
            .find_map(|memo| Rc::clone(memo).downcast::<T>().ok());
        found.unwrap_or_else(|| {
            let value = Rc::new(compute());
            self.memos
                .borrow_mut()
                .push(Rc::clone(&value) as Rc<dyn Any>);
            value
        })
    }

    /// The file's layout when it is a code file; see [`CodeFile`].
    pub fn code_file(&self) -> Option<CodeFile> {
        CodeFile::of(self.scan(), self.bytes())
    }
}

thread_local! {
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

/// Whether tree-sitter-php finds a syntax error (or gives up): the fix loop's check, and the
/// tests'.
pub fn has_syntax_error(bytes: &[u8]) -> bool {
    parse(bytes).is_none_or(|tree| tree.root_node().has_error())
}

/// Parses PHP with tree-sitter-php's grammar that includes inline HTML, one parser per thread.
pub fn parse(bytes: &[u8]) -> Option<Tree> {
    PARSER.with(|cell| {
        let mut slot = cell.borrow_mut();
        let parser = slot.get_or_insert_with(|| {
            let mut parser = Parser::new();
            parser
                .set_language(&tree_sitter_php::LANGUAGE_PHP.into())
                .expect("tree-sitter-php matches the tree-sitter version");
            parser
        });
        parser.parse(bytes, None)
    })
}

/// Calls `visit` on every node of `tree` in document order, without recursion (trees of deeply
/// nested code are deep).
pub fn walk<'t>(tree: &'t Tree, mut visit: impl FnMut(Node<'t>)) {
    let mut cursor = tree.walk();
    loop {
        visit(cursor.node());
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}

/// The called function's name of a `function_call_expression`, without a leading `\`.
pub fn called_function<'a>(file: &PhpFile<'a>, call: Node<'_>) -> Option<&'a str> {
    let function = call.child_by_field_name("function")?;
    matches!(function.kind(), "name" | "qualified_name")
        .then(|| file.text(function).trim_start_matches('\\'))
}

/// The argument nodes of a call, in order.
pub fn call_arguments<'t>(call: Node<'t>) -> Vec<Node<'t>> {
    let Some(arguments) = call.child_by_field_name("arguments") else {
        return Vec::new();
    };
    let mut cursor = arguments.walk();
    arguments
        .named_children(&mut cursor)
        .filter(|n| n.kind() == "argument")
        .collect()
}

/// A file that is only PHP code: no `<?=`, no inline output except whitespace and invisible
/// characters (and a BOM or a shebang line at the very start), and either one opening tag
/// (`<?php` or `<?`) or several whose code prints nothing itself (see [`outputs`]). Such a file
/// is meant to output nothing by itself: it is included or run. What follows
/// `__halt_compiler();` is data, never output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeFile {
    /// Inline output before the opening tag, after any shebang line (BOM and whitespace).
    pub before_open: Range<usize>,
    pub open_tag: Range<usize>,
    /// Each closing tag that another opening tag follows, with the output between them.
    pub gaps: Vec<Gap>,
    /// The last closing tag, with the newline it swallows, when no opening tag follows it and
    /// it is not the end of `__halt_compiler() ?>`.
    pub close_tag: Option<Range<usize>>,
    /// Inline output after the closing tag, up to the end of the file.
    pub after_close: Range<usize>,
}

/// A closing tag, the inline output after it, and the opening tag of the next block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    pub close_tag: Range<usize>,
    pub output: Range<usize>,
    pub open_tag: Range<usize>,
}

impl CodeFile {
    pub fn of(scan: &Scan, bytes: &[u8]) -> Option<Self> {
        let regions = &scan.regions;
        let end = scan.halted_at.unwrap_or(bytes.len());
        let mut open_tag = None;
        let mut close_tag: Option<Range<usize>> = None;
        let mut before_open = 0..0;
        let mut after_close = bytes.len()..bytes.len();
        let mut gaps = Vec::new();
        for (i, region) in regions.iter().enumerate() {
            if region.span.start >= end {
                break;
            }
            match region.kind {
                RegionKind::OpenTagWithEcho => return None,
                RegionKind::OpenTag if open_tag.is_none() => open_tag = Some(region.span.clone()),
                RegionKind::OpenTag => {
                    let close = close_tag.take()?;
                    let output = close.end..region.span.start;
                    after_close = bytes.len()..bytes.len();
                    gaps.push(Gap {
                        close_tag: close,
                        output,
                        open_tag: region.span.clone(),
                    });
                }
                RegionKind::CloseTag => close_tag = Some(region.span.clone()),
                RegionKind::InlineHtml if i == 0 => {
                    let text = &bytes[region.span.clone()];
                    let shebang = shebang_line(text);
                    if !is_blank(&text[shebang..]) {
                        return None;
                    }
                    before_open = region.span.start + shebang..region.span.end;
                }
                // Inline HTML right after a closing tag is output.
                RegionKind::InlineHtml if follows_close_tag(regions, i) => {
                    if !is_blank(&bytes[region.span.clone()]) {
                        return None;
                    }
                    after_close = region.span.clone();
                }
                _ => {}
            }
        }
        let open_tag = open_tag?;
        // `__halt_compiler() ?>`: nothing after that closing tag is output.
        if scan.halted_at.is_some() && close_tag.as_ref().is_some_and(|c| c.end == end) {
            close_tag = None;
        }
        if close_tag.is_none() {
            after_close = bytes.len()..bytes.len();
        }
        if !gaps.is_empty() && outputs::code_may_print(scan, bytes, end) {
            return None;
        }
        Some(Self {
            before_open,
            open_tag,
            gaps,
            close_tag,
            after_close,
        })
    }

    /// Where the last block's opening tag ends.
    pub fn last_open_end(&self) -> usize {
        self.gaps
            .last()
            .map_or(self.open_tag.end, |gap| gap.open_tag.end)
    }
}

fn follows_close_tag(regions: &[Region], i: usize) -> bool {
    i > 0 && regions[i - 1].kind == RegionKind::CloseTag
}

/// The length of a `#!` line at the start of a file, which the PHP command line skips.
fn shebang_line(text: &[u8]) -> usize {
    if !text.starts_with(b"#!") {
        return 0;
    }
    memchr::memchr(b'\n', text).map_or(text.len(), |i| i + 1)
}

pub use invisible::is_blank;

#[cfg(test)]
mod tests {
    use super::*;

    fn region(kind: RegionKind, span: Range<usize>) -> Region {
        Region { kind, span }
    }

    #[test]
    fn code_file_with_trailing_blank_line() {
        let bytes = b"<?php\nx();\n?>\n\n";
        let scan = Scan {
            regions: vec![
                region(RegionKind::OpenTag, 0..6),
                region(RegionKind::Code, 6..11),
                region(RegionKind::CloseTag, 11..14),
                region(RegionKind::InlineHtml, 14..15),
            ],
            halted_at: None,
        };
        let file = CodeFile::of(&scan, bytes).unwrap();
        assert_eq!(file.after_close, 14..15);
        assert_eq!(file.close_tag, Some(11..14));
    }

    #[test]
    fn two_blocks_that_echo_make_a_template() {
        let bytes = b"<?php echo 1 ?>\n\n<?php ";
        assert_eq!(CodeFile::of(&scan::scan(bytes), bytes), None);
    }

    #[test]
    fn two_blocks_of_code_make_a_code_file() {
        let bytes = b"<?php $a = 1 ?>\n\n<?php $b = 2;";
        let file = CodeFile::of(&scan::scan(bytes), bytes).unwrap();
        assert_eq!(file.gaps.len(), 1);
        assert_eq!(file.gaps[0].output, 16..17);
        assert_eq!(file.close_tag, None);
        let bytes = b"<?php $a = 1 ?>\n\n<?php $b = 2 ?>\n";
        let file = CodeFile::of(&scan::scan(bytes), bytes).unwrap();
        assert_eq!(file.after_close, bytes.len()..bytes.len());
    }

    #[test]
    fn halt_compiler_closed_by_tag() {
        let bytes = b" <?php __halt_compiler() ?>\nDATA";
        let file = CodeFile::of(&scan::scan(bytes), bytes).unwrap();
        assert_eq!(file.close_tag, None);
        assert_eq!(file.before_open, 0..1);
        assert_eq!(file.after_close, bytes.len()..bytes.len());
    }

    #[test]
    fn halt_compiler_data_is_not_output() {
        let bytes = b"<?php __halt_compiler();\n\nDATA";
        let scan = Scan {
            regions: vec![
                region(RegionKind::OpenTag, 0..6),
                region(RegionKind::Code, 6..24),
                region(RegionKind::InlineHtml, 24..30),
            ],
            halted_at: None,
        };
        let file = CodeFile::of(&scan, bytes).unwrap();
        assert_eq!(file.after_close, 30..30);
    }

    #[test]
    fn shebang_is_allowed() {
        let bytes = b"#!/usr/bin/php\n<?php\n";
        let scan = Scan {
            regions: vec![
                region(RegionKind::InlineHtml, 0..15),
                region(RegionKind::OpenTag, 15..21),
            ],
            halted_at: None,
        };
        assert_eq!(CodeFile::of(&scan, bytes).unwrap().before_open, 15..15);
    }
}
