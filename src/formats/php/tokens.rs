//! A coarse tokenization of PHP code from the scan, enough to recognise calls, variables and
//! include expressions without a syntax tree: comments and whitespace dropped, strings whole,
//! a closing tag or inline HTML a statement break.

use std::ops::Range;

use super::scan::{RegionKind, Scan};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    /// A name or keyword (`$` variables are words too, starting at the `$`).
    Word(Range<usize>),
    Punct(u8, Range<usize>),
    Str(Range<usize>),
}

/// A coarse tokenization of PHP code, enough to recognise calls and include expressions:
/// comments and whitespace dropped, strings whole, inline HTML a statement break.
pub fn tokens(bytes: &[u8], scan: &Scan) -> Vec<Token> {
    let mut out = Vec::new();
    for region in &scan.regions {
        match region.kind {
            RegionKind::String => out.push(Token::Str(region.span.clone())),
            RegionKind::Code => code_tokens(bytes, region.span.clone(), &mut out),
            RegionKind::CloseTag | RegionKind::InlineHtml => {
                out.push(Token::Punct(b';', region.span.clone()))
            }
            RegionKind::Comment | RegionKind::OpenTag | RegionKind::OpenTagWithEcho => {}
        }
    }
    out
}

fn code_tokens(bytes: &[u8], span: Range<usize>, out: &mut Vec<Token>) {
    let is_word_byte = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80;
    let mut i = span.start;
    while i < span.end {
        let b = bytes[i];
        if b.is_ascii_whitespace() {
            i += 1;
        } else if is_word_byte(b) || (b == b'$' && i + 1 < span.end && is_word_byte(bytes[i + 1])) {
            let start = i;
            i += 1;
            while i < span.end && is_word_byte(bytes[i]) {
                i += 1;
            }
            out.push(Token::Word(start..i));
        } else {
            out.push(Token::Punct(b, i..i + 1));
            i += 1;
        }
    }
}

impl Token {
    pub fn span(&self) -> Range<usize> {
        match self {
            Self::Word(span) | Self::Punct(_, span) | Self::Str(span) => span.clone(),
        }
    }

    /// Whether this is the word `name`, ignoring ASCII case (PHP's names of functions and
    /// keywords are case-insensitive).
    pub fn is_word(&self, bytes: &[u8], name: &str) -> bool {
        matches!(self, Self::Word(span) if bytes[span.clone()].eq_ignore_ascii_case(name.as_bytes()))
    }

    pub fn is_punct(&self, c: u8) -> bool {
        matches!(self, Self::Punct(p, _) if *p == c)
    }
}

/// Whether the word at `index` is a call of a global function: followed by `(`, and not a
/// method (`->f(`, `::f(`), a definition (`function f(`) or a `new`.
pub fn is_function_call(bytes: &[u8], tokens: &[Token], index: usize) -> bool {
    let followed_by_paren = tokens.get(index + 1).is_some_and(|t| t.is_punct(b'('));
    let preceded_by_member_or_definition = index > 0
        && match &tokens[index - 1] {
            Token::Punct(b'>' | b':', _) => true,
            t => t.is_word(bytes, "function") || t.is_word(bytes, "new"),
        };
    followed_by_paren && !preceded_by_member_or_definition
}
