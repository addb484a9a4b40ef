//! Whether a file's own code may print something: `echo`, `print`, `eval`, `exit("…")`, or a
//! call of a function that writes to the output. A file split into several PHP blocks with only
//! whitespace between them is a code file when its code prints nothing; one that prints is a
//! template, whose whitespace between blocks is part of the page.
//!
//! This reads the Code regions of the scan (strings and comments are regions of their own), so
//! it needs no syntax tree. Calls of the file's own functions are not followed: they count as
//! printing nothing. An `include` or `require` counts as printing: the included file may.

use super::scan::{RegionKind, Scan};

/// Functions that write to the output (or may: the stream functions, which may write to
/// `STDOUT`). `print_r` and `var_export` only without a second argument `true`.
const OUTPUT_FUNCTIONS: &[&str] = &[
    "printf",
    "vprintf",
    "fprintf",
    "vfprintf",
    "fwrite",
    "fputs",
    "fputcsv",
    "readfile",
    "fpassthru",
    "passthru",
    "system",
    "var_dump",
    "debug_zval_dump",
    "debug_print_backtrace",
    "print_r",
    "var_export",
    "phpinfo",
    "phpcredits",
    "highlight_file",
    "highlight_string",
    "show_source",
    "php_strip_whitespace",
    "ob_flush",
    "ob_end_flush",
    "ob_get_flush",
];

/// Whether the code before `end` (the whole file's, up to where it halts) may print.
pub fn code_may_print(scan: &Scan, bytes: &[u8], end: usize) -> bool {
    let code = |at: usize| {
        scan.region_at(at)
            .is_some_and(|r| r.kind == RegionKind::Code && at < end)
    };
    for region in scan.of_kind(RegionKind::Code) {
        if region.span.start >= end {
            break;
        }
        let mut at = region.span.start;
        let stop = region.span.end.min(end);
        while at < stop {
            let byte = bytes[at];
            if !is_name_start(byte) {
                at += 1;
                continue;
            }
            let word_end = name_end(bytes, at, stop);
            let word = &bytes[at..word_end];
            let member = is_member_or_definition(bytes, region.span.start, at);
            if !member && word_prints(bytes, word, word_end, stop, &code) {
                return true;
            }
            at = word_end;
        }
    }
    false
}

fn is_name_start(byte: u8) -> bool {
    byte.is_ascii_alphabetic() || byte == b'_' || byte >= 0x80
}

fn name_end(bytes: &[u8], at: usize, stop: usize) -> usize {
    let mut end = at;
    while end < stop && (is_name_start(bytes[end]) || bytes[end].is_ascii_digit()) {
        end += 1;
    }
    end
}

/// `$x->echo`, `A::print`, `function printf`, `$printf`, `\Foo\printf` (a namespaced name
/// that is not PHP's), `1e5`: not a use of the keyword or function.
fn is_member_or_definition(bytes: &[u8], region_start: usize, at: usize) -> bool {
    if at > 0 && matches!(bytes[at - 1], b'$' | b'\\' | b'0'..=b'9') {
        // `\printf` is PHP's own function; a longer namespaced name is not.
        let global = bytes[at - 1] == b'\\'
            && (at < 2 || !(is_name_start(bytes[at - 2]) || bytes[at - 2].is_ascii_digit()));
        return !global;
    }
    let before = bytes[region_start..at].trim_ascii_end();
    before.ends_with(b"->")
        || before.ends_with(b"::")
        || ends_with_word(before, b"function")
        || ends_with_word(before, b"const")
}

fn ends_with_word(text: &[u8], word: &[u8]) -> bool {
    text.len() >= word.len()
        && text[text.len() - word.len()..].eq_ignore_ascii_case(word)
        && (text.len() == word.len() || !is_name_start(text[text.len() - word.len() - 1]))
}

fn word_prints(
    bytes: &[u8],
    word: &[u8],
    word_end: usize,
    stop: usize,
    code: &impl Fn(usize) -> bool,
) -> bool {
    let lower = word.to_ascii_lowercase();
    let next = skip_spaces(bytes, word_end, stop);
    let call = bytes.get(next) == Some(&b'(') && next < stop;
    match lower.as_slice() {
        // An included file may print (a page's header, say): a file of blocks that includes
        // one counts as a template.
        b"echo" | b"print" | b"eval" | b"include" | b"include_once" | b"require"
        | b"require_once" => true,
        // `exit`, `exit()` and `exit(3)` print nothing; `exit("…")` and `die($message)` print.
        b"exit" | b"die" => call && !exit_code_only(bytes, next + 1, stop),
        b"print_r" | b"var_export" => call && !returns_output(bytes, next + 1, code),
        name => call && OUTPUT_FUNCTIONS.iter().any(|f| f.as_bytes() == name),
    }
}

fn skip_spaces(bytes: &[u8], mut at: usize, stop: usize) -> usize {
    while at < stop && bytes[at].is_ascii_whitespace() {
        at += 1;
    }
    at
}

/// After `exit(`: `)` or digits then `)`, in the same code region.
fn exit_code_only(bytes: &[u8], from: usize, stop: usize) -> bool {
    let at = skip_spaces(bytes, from, stop);
    let mut end = at;
    while end < stop && bytes[end].is_ascii_digit() {
        end += 1;
    }
    let end = skip_spaces(bytes, end, stop);
    bytes.get(end) == Some(&b')') && end < stop
}

/// After `print_r(` or `var_export(`: whether the call's second argument is `true`, looking at
/// the code up to the matching `)` (strings and comments between are skipped).
fn returns_output(bytes: &[u8], from: usize, code: &impl Fn(usize) -> bool) -> bool {
    let mut depth = 0usize;
    let mut at = from;
    let mut after_comma = false;
    while at < bytes.len() {
        if !code(at) {
            at += 1;
            continue;
        }
        match bytes[at] {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' if depth == 0 => return false,
            b')' | b']' | b'}' => depth -= 1,
            b',' if depth == 0 => after_comma = true,
            b't' | b'T' if after_comma && depth == 0 => {
                let end = (at + 4).min(bytes.len());
                let word = &bytes[at..end];
                let ends = bytes.get(end).is_none_or(|b| !is_name_start(*b));
                return word.eq_ignore_ascii_case(b"true") && ends;
            }
            b' ' | b'\t' | b'\n' | b'\r' => {}
            _ if after_comma && depth == 0 => return false,
            _ => {}
        }
        at += 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::php::scan::scan;

    fn prints(source: &str) -> bool {
        let bytes = source.as_bytes();
        code_may_print(&scan(bytes), bytes, bytes.len())
    }

    #[test]
    fn what_prints() {
        assert!(prints("<?php echo 'x'; ?>\n\n<?php"));
        assert!(prints("<?php PRINT 1;"));
        assert!(prints("<?php die('no');"));
        assert!(prints("<?php printf ('%d', 1);"));
        assert!(prints("<?php \\var_dump($a);"));
        assert!(prints("<?php print_r($a);"));
        assert!(prints("<?php print_r($a, false);"));
        assert!(prints("<?php if ($a) readfile($f);"));
        assert!(prints("<?php $t = 1; ?>\n\n<?php include 'header.php';"));
    }

    #[test]
    fn what_does_not() {
        assert!(!prints("<?php $a = 1; ?>\n\n<?php $b = 2;"));
        assert!(!prints("<?php exit; exit(); exit(3);"));
        assert!(!prints(
            "<?php $s = print_r($a, true); $t = var_export([1, 2], TRUE);"
        ));
        assert!(!prints(
            "<?php $x->echo(); A::printf(); function vprintf_x() {}"
        ));
        assert!(!prints(
            "<?php $printf = 1; \\Foo\\printf(1); // echo\n$s = 'echo';"
        ));
        assert!(!prints(
            "<?php class A { function printf() {} const echo = 1; }"
        ));
    }
}
