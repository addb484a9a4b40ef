//! Byte classes and small lexical helpers: PHP's names, numbers, casts, whitespace, tags,
//! comments and heredoc headers, as `Zend/zend_language_scanner.l` defines them.

use memchr::{memchr, memchr2, memchr3};

use super::{Label, RegionKind};

// ----- byte classes ------------------------------------------------------------------------

/// What a byte in code may start; `Plain` bytes cannot start anything the scanner tracks.
/// Among the bytes of names only `b`, `B` and `_` can begin a word that matters, and digits
/// a number, which may end where such a word begins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CodeByte {
    Plain,
    NameStart,
    Digit,
    Question,
    Minus,
    Hash,
    Slash,
    SingleQuote,
    DoubleQuote,
    Backtick,
    Less,
    OpenBrace,
    CloseBrace,
    /// `.`, which may start a number (`.5`) or belong to `...`.
    Dot,
    /// `(` or `[`, only followed inside heredocs.
    OpenBracket,
    /// `)` or `]`, only followed inside heredocs.
    CloseBracket,
}

pub(super) static CODE_BYTES: [CodeByte; 256] = {
    let mut table = [CodeByte::Plain; 256];
    let mut byte = 0;
    while byte < 256 {
        if (byte as u8).is_ascii_digit() {
            table[byte] = CodeByte::Digit;
        }
        byte += 1;
    }
    table[b'b' as usize] = CodeByte::NameStart;
    table[b'B' as usize] = CodeByte::NameStart;
    table[b'_' as usize] = CodeByte::NameStart;
    table[b'?' as usize] = CodeByte::Question;
    table[b'-' as usize] = CodeByte::Minus;
    table[b'#' as usize] = CodeByte::Hash;
    table[b'/' as usize] = CodeByte::Slash;
    table[b'\'' as usize] = CodeByte::SingleQuote;
    table[b'"' as usize] = CodeByte::DoubleQuote;
    table[b'`' as usize] = CodeByte::Backtick;
    table[b'<' as usize] = CodeByte::Less;
    table[b'{' as usize] = CodeByte::OpenBrace;
    table[b'}' as usize] = CodeByte::CloseBrace;
    table[b'.' as usize] = CodeByte::Dot;
    table
};

const fn byte_set(members: &[u8]) -> [bool; 256] {
    let mut set = [false; 256];
    let mut i = 0;
    while i < members.len() {
        set[members[i] as usize] = true;
        i += 1;
    }
    set
}

/// `CODE_BYTES`, plus the brackets that a heredoc's look-ahead checks.
pub(super) static HEREDOC_CODE_BYTES: [CodeByte; 256] = {
    let mut table = CODE_BYTES;
    table[b'(' as usize] = CodeByte::OpenBracket;
    table[b'[' as usize] = CodeByte::OpenBracket;
    table[b')' as usize] = CodeByte::CloseBracket;
    table[b']' as usize] = CodeByte::CloseBracket;
    table
};

pub(super) static DOUBLE_QUOTED_STOPS: [bool; 256] = byte_set(b"\"\\$");
pub(super) static BACKQUOTED_STOPS: [bool; 256] = byte_set(b"`\\$");
pub(super) static HEREDOC_STOPS: [bool; 256] = byte_set(b"\\$\n\r");
pub(super) static VAR_OFFSET_ENDS: [bool; 256] = byte_set(b"] \n\r\t\\'#");

/// `[a-zA-Z_\x80-\xff]`, PHP's `IS_LABEL_START`.
pub(super) const fn is_label_start(byte: u8) -> bool {
    byte.is_ascii_alphabetic() || byte == b'_' || byte >= 0x80
}

/// `[a-zA-Z0-9_\x80-\xff]`, PHP's `IS_LABEL_SUCCESSOR`.
pub(super) const fn is_label_successor(byte: u8) -> bool {
    is_label_start(byte) || byte.is_ascii_digit()
}

// ----- small lexical helpers ---------------------------------------------------------------

/// The end of the label whose first byte is at `start`.
pub(super) fn label_end(bytes: &[u8], start: usize) -> usize {
    let rest = &bytes[start + 1..];
    start
        + 1
        + rest
            .iter()
            .position(|&byte| !is_label_successor(byte))
            .unwrap_or(rest.len())
}

/// The end of a label at `at`, or `at` itself when no label starts there.
pub(super) fn skip_label(bytes: &[u8], at: usize) -> usize {
    match bytes.get(at) {
        Some(&byte) if is_label_start(byte) => label_end(bytes, at),
        _ => at,
    }
}

/// Whether the name byte (or digit) at `at` continues a name rather than starting a token:
/// it follows a name byte, or it is a letter after `$` (a variable) or `\` (a qualified
/// name). A digit after `$` starts a number: `$1` is `$` and `1`.
pub(super) fn inside_name(bytes: &[u8], at: usize) -> bool {
    match at.checked_sub(1).map(|before| bytes[before]) {
        Some(b'$' | b'\\') => !bytes[at].is_ascii_digit(),
        Some(before) => is_label_successor(before),
        None => false,
    }
}

/// After `${`: whether a name at `at` is followed by `[` or `}` (`T_STRING_VARNAME`).
pub(super) fn variable_name_in_braces(bytes: &[u8], at: usize) -> bool {
    bytes.get(at).is_some_and(|&byte| is_label_start(byte))
        && matches!(bytes.get(label_end(bytes, at)), Some(b'[' | b'}'))
}

/// Whether `\name` follows, making the word before it part of a qualified name.
pub(super) fn continues_name(bytes: &[u8], at: usize) -> bool {
    bytes.get(at) == Some(&b'\\') && bytes.get(at + 1).is_some_and(|&byte| is_label_start(byte))
}

/// PHP's `WHITESPACE`: `[ \n\r\t]+`.
pub(super) fn skip_whitespace(bytes: &[u8], at: usize) -> usize {
    let rest = &bytes[at..];
    at + rest
        .iter()
        .position(|&byte| !matches!(byte, b' ' | b'\t' | b'\n' | b'\r'))
        .unwrap_or(rest.len())
}

/// PHP's `TABS_AND_SPACES`, the indentation of a closing heredoc label.
pub(super) fn skip_spaces_and_tabs(bytes: &[u8], at: usize) -> usize {
    let rest = &bytes[at..];
    at + rest
        .iter()
        .position(|&byte| byte != b' ' && byte != b'\t')
        .unwrap_or(rest.len())
}

/// The length of the newline at `at` (`\r\n`, `\n` or `\r`), 0 when there is none.
pub(super) fn newline_len(bytes: &[u8], at: usize) -> usize {
    match (bytes.get(at), bytes.get(at + 1)) {
        (Some(b'\r'), Some(b'\n')) => 2,
        (Some(b'\r' | b'\n'), _) => 1,
        _ => 0,
    }
}

/// Where the next open tag starts in HTML. With short tags on, every `<?` is one.
pub(super) fn find_open_tag(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while let Some(found) = memchr(b'<', &bytes[i..]) {
        let at = i + found;
        if bytes.get(at + 1) == Some(&b'?') {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

/// The kind and end of the open tag at `at` (a `<?`). `<?php` takes one whitespace byte
/// (or `\r\n`) along; `<?php` glued to anything else is a short `<?` followed by a name.
pub(super) fn open_tag_at(bytes: &[u8], at: usize) -> (RegionKind, usize) {
    let after = at + 2;
    if bytes.get(after) == Some(&b'=') {
        return (RegionKind::OpenTagWithEcho, after + 1);
    }
    let is_php = bytes
        .get(after..after + 3)
        .is_some_and(|word| word.eq_ignore_ascii_case(b"php"));
    if is_php {
        let php_end = after + 3;
        match bytes.get(php_end) {
            None => return (RegionKind::OpenTag, php_end),
            Some(b' ' | b'\t') => return (RegionKind::OpenTag, php_end + 1),
            Some(b'\n' | b'\r') => {
                return (RegionKind::OpenTag, php_end + newline_len(bytes, php_end))
            }
            Some(_) => {}
        }
    }
    (RegionKind::OpenTag, after)
}

/// The end of a `#` or `//` comment that starts at `start`: before the line break or
/// before a `?>`.
pub(super) fn line_comment_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while let Some(found) = memchr3(b'\n', b'\r', b'?', &bytes[i..]) {
        let at = i + found;
        if bytes[at] != b'?' || bytes.get(at + 1) == Some(&b'>') {
            return at;
        }
        i = at + 1;
    }
    bytes.len()
}

/// The end of the `/*` comment at `start`: after the first `*/` that follows the `/*`
/// (`/*/` does not close it), or EOF.
pub(super) fn block_comment_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 2;
    while let Some(found) = memchr(b'/', &bytes[i..]) {
        let slash = i + found;
        if slash > start + 2 && bytes[slash - 1] == b'*' {
            return slash + 1;
        }
        i = slash + 1;
    }
    bytes.len()
}

/// `<<<ID`, `<<<"ID"` or `<<<'ID'` (a nowdoc) followed by a newline.
#[derive(Debug, Clone, Copy)]
pub(super) struct HeredocHeader {
    pub(super) label: Label,
    pub(super) nowdoc: bool,
    /// After the newline, where the body starts.
    pub(super) end: usize,
}

/// Reads the header of a heredoc at `at`, where `<<<` must be: PHP's
/// `"<<<"{TABS_AND_SPACES}({LABEL}|[']{LABEL}[']|["]{LABEL}["]){NEWLINE}`.
pub(super) fn heredoc_header(bytes: &[u8], at: usize) -> Option<HeredocHeader> {
    if !bytes.get(at..)?.starts_with(b"<<<") {
        return None;
    }
    let mut i = skip_spaces_and_tabs(bytes, at + 3);
    let quote = match bytes.get(i) {
        Some(&quote @ (b'\'' | b'"')) => {
            i += 1;
            Some(quote)
        }
        _ => None,
    };
    if !bytes.get(i).is_some_and(|&byte| is_label_start(byte)) {
        return None;
    }
    let label = Label {
        start: i,
        len: label_end(bytes, i) - i,
    };
    i += label.len;
    if let Some(quote) = quote {
        if bytes.get(i) != Some(&quote) {
            return None;
        }
        i += 1;
    }
    let newline = newline_len(bytes, i);
    if newline == 0 {
        return None;
    }
    Some(HeredocHeader {
        label,
        nowdoc: quote == Some(b'\''),
        end: i + newline,
    })
}

/// Whether the closing label of a heredoc is at `at`: the label, not followed by a label
/// byte. PHP also wants at least one byte after it, so a label that ends the file does not
/// close the heredoc.
pub(super) fn closing_label_at(bytes: &[u8], at: usize, label: Label) -> bool {
    let name = &bytes[label.start..label.start + label.len];
    bytes.len() - at > label.len
        && bytes[at..].starts_with(name)
        && !is_label_successor(bytes[at + label.len])
}

/// The end of the `'…'` whose quote is at `quote`, or EOF when it is not closed.
pub(super) fn single_quoted_end(bytes: &[u8], quote: usize) -> usize {
    let mut i = quote + 1;
    loop {
        match memchr2(b'\'', b'\\', &bytes[i..]) {
            None => return bytes.len(),
            Some(found) if bytes[i + found] == b'\'' => return i + found + 1,
            Some(found) => i = (i + found + 2).min(bytes.len()),
        }
    }
}

/// The end of PHP's longest number token at `at` (`LNUM`, `DNUM`, `EXPONENT_DNUM`, `HNUM`,
/// `BNUM`, `ONUM`), or `at` when no number starts there.
pub(super) fn number_end(bytes: &[u8], at: usize) -> usize {
    if let Some(end) = prefixed_integer_end(bytes, at) {
        return end;
    }
    let is_decimal = |byte: u8| byte.is_ascii_digit();
    let integer_end = digit_run_end(bytes, at, is_decimal);
    let mut end = integer_end.unwrap_or(at);
    if bytes.get(end) == Some(&b'.') {
        match digit_run_end(bytes, end + 1, is_decimal) {
            Some(fraction_end) => end = fraction_end,
            None if integer_end.is_some() => end += 1,
            None => return at,
        }
    }
    if end > at && matches!(bytes.get(end), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(bytes.get(end + 1), Some(b'+' | b'-')));
        if let Some(exponent_end) = digit_run_end(bytes, end + 1 + sign, is_decimal) {
            end = exponent_end;
        }
    }
    end
}

/// The end of an integer token (`LNUM`, `HNUM`, `BNUM`, `ONUM`) at `at`, the only numbers
/// in a variable offset inside a string (`"$a[0x1F]"`); `at` when there is none.
pub(super) fn integer_end(bytes: &[u8], at: usize) -> usize {
    prefixed_integer_end(bytes, at)
        .or_else(|| digit_run_end(bytes, at, |byte| byte.is_ascii_digit()))
        .unwrap_or(at)
}

/// The end of `0x…`, `0b…` or `0o…` at `at`, if one is there.
fn prefixed_integer_end(bytes: &[u8], at: usize) -> Option<usize> {
    if bytes[at] != b'0' {
        return None;
    }
    let digits: fn(u8) -> bool = match bytes.get(at + 1).map(u8::to_ascii_lowercase)? {
        b'x' => |byte| byte.is_ascii_hexdigit(),
        b'b' => |byte| byte == b'0' || byte == b'1',
        b'o' => |byte| (b'0'..=b'7').contains(&byte),
        _ => return None,
    };
    digit_run_end(bytes, at + 2, digits)
}

/// The end of `[d]+(_[d]+)*` at `at` for the digits `d`, if there is one.
fn digit_run_end(bytes: &[u8], at: usize, is_digit: impl Fn(u8) -> bool) -> Option<usize> {
    let digit_at = |i: usize| bytes.get(i).is_some_and(|&byte| is_digit(byte));
    if !digit_at(at) {
        return None;
    }
    let mut i = at + 1;
    loop {
        while digit_at(i) {
            i += 1;
        }
        if bytes.get(i) == Some(&b'_') && digit_at(i + 1) {
            i += 2;
        } else {
            return Some(i);
        }
    }
}

/// A cast such as `(int)` or `( string )` is one token.
pub(super) fn cast_end(bytes: &[u8], at: usize) -> Option<usize> {
    const TYPES: &[&[u8]] = &[
        b"integer", b"int", b"boolean", b"bool", b"double", b"float", b"real", b"string",
        b"binary", b"array", b"object", b"unset",
    ];
    if bytes[at] != b'(' {
        return None;
    }
    let name = skip_spaces_and_tabs(bytes, at + 1);
    let name_end = skip_label(bytes, name);
    if !TYPES
        .iter()
        .any(|ty| bytes[name..name_end].eq_ignore_ascii_case(ty))
    {
        return None;
    }
    let close = skip_spaces_and_tabs(bytes, name_end);
    (bytes.get(close) == Some(&b')')).then_some(close + 1)
}
