//! What one PHP file tells about others: the files it includes by a literal path, and the
//! calls by which it sends headers or a download. Found on the scan's tokens, no syntax tree.

use std::ops::Range;

use super::scan::Scan;
use super::tokens::{is_function_call, tokens, Token};

/// A function whose effect any output sent before it spoils.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputKind {
    /// `header()`, `setcookie()`, `session_start()`…: fail once output has started.
    Headers,
    /// `readfile()`, `fpassthru()`…: send a file whose bytes the stray output corrupts.
    Download,
}

pub const OUTPUT_FUNCTIONS: &[(&str, OutputKind)] = &[
    ("header", OutputKind::Headers),
    ("setcookie", OutputKind::Headers),
    ("setrawcookie", OutputKind::Headers),
    ("session_start", OutputKind::Headers),
    ("session_regenerate_id", OutputKind::Headers),
    ("http_response_code", OutputKind::Headers),
    ("readfile", OutputKind::Download),
    ("fpassthru", OutputKind::Download),
    ("readgzfile", OutputKind::Download),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Include {
    /// The included path as PHP would open it: relative to the including file's directory, or
    /// absolute (resolved under `--root` by the workspace).
    pub written: String,
    /// The include expression, keyword to path.
    pub span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputCall {
    pub function: String,
    pub kind: OutputKind,
    pub span: Range<usize>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub includes: Vec<Include>,
    pub output_calls: Vec<OutputCall>,
}

/// The include and output facts of a file.
/// `extra_functions` are more functions that send headers (the user's own wrappers).
pub fn summarize(bytes: &[u8], scan: &Scan, extra_functions: &[String]) -> Summary {
    let tokens = tokens(bytes, scan);
    let mut summary = Summary::default();
    for (i, token) in tokens.iter().enumerate() {
        let Token::Word(span) = token else { continue };
        let word = &bytes[span.clone()];
        if is_include_keyword(word) {
            if let Some((written, end)) = literal_path(bytes, &tokens[i + 1..]) {
                summary.includes.push(Include {
                    written,
                    span: span.start..end,
                });
            }
        } else if is_function_call(bytes, &tokens, i) {
            let known = OUTPUT_FUNCTIONS
                .iter()
                .find(|(f, _)| word.eq_ignore_ascii_case(f.as_bytes()));
            let kind = match known {
                Some(&(_, kind)) => Some(kind),
                None => extra_functions
                    .iter()
                    .any(|f| word.eq_ignore_ascii_case(f.as_bytes()))
                    .then_some(OutputKind::Headers),
            };
            if let Some(kind) = kind {
                let function = String::from_utf8_lossy(word).into_owned();
                summary.output_calls.push(OutputCall {
                    function,
                    kind,
                    span: span.clone(),
                });
            }
        }
    }
    summary
}

fn is_include_keyword(word: &[u8]) -> bool {
    ["include", "include_once", "require", "require_once"]
        .iter()
        .any(|k| word.eq_ignore_ascii_case(k.as_bytes()))
}

/// `'x.php'`, `("x.php")`, `dirname(__FILE__) . '/x.php'`, `__DIR__ . '/x.php'`: the path and
/// where the expression ends.
fn literal_path(bytes: &[u8], tokens: &[Token]) -> Option<(String, usize)> {
    let mut rest = tokens;
    let parenthesised = matches!(rest.first(), Some(Token::Punct(b'(', _)));
    if parenthesised {
        rest = &rest[1..];
    }
    let word = |t: &Token, w: &str| t.is_word(bytes, w);
    let punct = |t: &Token, c: u8| t.is_punct(c);
    let mut from_directory = false;
    if rest.len() >= 6
        && word(&rest[0], "dirname")
        && punct(&rest[1], b'(')
        && word(&rest[2], "__FILE__")
        && punct(&rest[3], b')')
        && punct(&rest[4], b'.')
    {
        rest = &rest[5..];
        from_directory = true;
    } else if rest.len() >= 3 && word(&rest[0], "__DIR__") && punct(&rest[1], b'.') {
        rest = &rest[2..];
        from_directory = true;
    }
    let Some(Token::Str(span)) = rest.first() else {
        return None;
    };
    let mut path = unquote(&bytes[span.clone()])?;
    let mut end = span.end;
    if parenthesised {
        if let Some(Token::Punct(b')', close)) = rest.get(1) {
            end = close.end;
        }
    }
    if from_directory {
        path = path.trim_start_matches('/').to_string();
    }
    Some((path, end))
}

/// The value of a quoted literal without interpolation.
fn unquote(literal: &[u8]) -> Option<String> {
    let literal = literal
        .strip_prefix(b"b")
        .or(literal.strip_prefix(b"B"))
        .unwrap_or(literal);
    let (quote, inner) = (
        literal.first()?,
        literal.get(1..literal.len().checked_sub(1)?)?,
    );
    if !matches!(quote, b'\'' | b'"') || literal.last() != Some(quote) || inner.contains(&b'\\') {
        return None;
    }
    if *quote == b'"' && inner.contains(&b'$') {
        return None;
    }
    String::from_utf8(inner.to_vec()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::php::scan::{Region, RegionKind};

    /// A scan of `<?php` + code in which the given spans are strings.
    fn scan_with_strings(bytes: &[u8], strings: &[Range<usize>]) -> Scan {
        let mut regions = vec![Region {
            kind: RegionKind::OpenTag,
            span: 0..6,
        }];
        let mut at = 6;
        for s in strings {
            regions.push(Region {
                kind: RegionKind::Code,
                span: at..s.start,
            });
            regions.push(Region {
                kind: RegionKind::String,
                span: s.clone(),
            });
            at = s.end;
        }
        regions.push(Region {
            kind: RegionKind::Code,
            span: at..bytes.len(),
        });
        Scan {
            regions,
            halted_at: None,
        }
    }

    fn string_spans(bytes: &[u8]) -> Vec<Range<usize>> {
        let quotes: Vec<usize> = bytes
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\'')
            .map(|(i, _)| i)
            .collect();
        quotes.chunks(2).map(|q| q[0]..q[1] + 1).collect()
    }

    #[test]
    fn finds_literal_includes_and_header_calls() {
        let code = b"<?php\nrequire_once(dirname(__FILE__) . '/config.php');\ninclude 'lib/../x.inc';\n$o->header('a');\nheader('Location: /');\nreadfile($f);\nsend_file($f);";
        let summary = summarize(
            code,
            &scan_with_strings(code, &string_spans(code)),
            &["send_file".to_string()],
        );
        let written: Vec<_> = summary
            .includes
            .iter()
            .map(|i| i.written.as_str())
            .collect();
        assert_eq!(written, ["config.php", "lib/../x.inc"]);
        let calls: Vec<_> = summary
            .output_calls
            .iter()
            .map(|c| c.function.as_str())
            .collect();
        assert_eq!(calls, ["header", "readfile", "send_file"]);
        assert_eq!(
            &code[summary.includes[0].span.clone()],
            b"require_once(dirname(__FILE__) . '/config.php')"
        );
    }

    #[test]
    fn dynamic_includes_are_not_followed() {
        let code = b"<?php\ninclude $dir . 'x.php';\nrequire \"$x.php\";";
        let summary = summarize(code, &scan_with_strings(code, &[14..21, 32..41]), &[]);
        assert!(summary.includes.is_empty());
    }
}
