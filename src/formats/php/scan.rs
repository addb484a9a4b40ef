//! A byte-level scanner that follows PHP's lexer states far enough to find where PHP mode
//! starts and ends: open and close tags, inline HTML, and — inside PHP mode — comments and
//! string literals, so that a `?>` inside a string or a `/* */` comment is not taken for a
//! closing tag. It runs at memory speed and needs no syntax tree.

use std::ops::Range;

/// What a stretch of the file is, as PHP's lexer sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionKind {
    /// Text outside PHP mode, sent to the client as it is (`T_INLINE_HTML`).
    InlineHtml,
    /// `<?php` plus the one whitespace character it includes, or a short `<?` (`T_OPEN_TAG`).
    OpenTag,
    /// `<?=` (`T_OPEN_TAG_WITH_ECHO`).
    OpenTagWithEcho,
    /// `?>` plus the one newline (`\n`, `\r\n` or `\r`) it swallows (`T_CLOSE_TAG`).
    CloseTag,
    /// A `//`, `#` or `/* */` comment (a doc comment too).
    Comment,
    /// A string literal: quoted, backtick, heredoc or nowdoc, interpolations included.
    String,
    /// Any other PHP code: keywords, names, variables, operators, whitespace.
    Code,
}

/// One contiguous stretch of the file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Region {
    pub kind: RegionKind,
    pub span: Range<usize>,
}

/// The regions of a whole file, in order; together they cover every byte exactly once.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Scan {
    pub regions: Vec<Region>,
}

/// Scans `bytes` as PHP's lexer would, with `short_open_tag` on (PHP's built-in default).
pub fn scan(bytes: &[u8]) -> Scan {
    // Placeholder until the real scanner lands: the whole file is inline HTML.
    let mut scan = Scan::default();
    if !bytes.is_empty() {
        scan.regions.push(Region {
            kind: RegionKind::InlineHtml,
            span: 0..bytes.len(),
        });
    }
    scan
}
