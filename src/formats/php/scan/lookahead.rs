//! PHP's look-ahead at the start of each heredoc, replayed.

use std::ops::Range;

use super::Scanner;

/// When a heredoc starts, PHP lexes ahead to its closing label to learn the label's
/// indentation, and its `T_END_HEREDOC` token later spans that much indentation plus the
/// label. The look-ahead starts with an empty bracket stack and gives up at the first lexing
/// error (an unbalanced bracket, `08`, a bad `\u{…}`, a closing label indented with both
/// tabs and spaces), keeping the indentation of the last heredoc label it passed, which then
/// is not that of the real one. Only files that PHP refuses to compile get there.
#[derive(Debug, Default)]
pub(super) struct IndentationLookahead {
    /// Brackets opened since the heredoc started and not closed yet.
    brackets: Vec<u8>,
    /// Indentation of the last closing heredoc label passed.
    indentation: usize,
    gave_up: bool,
}

impl Scanner<'_> {
    /// The look-aheads of the open heredocs that have not given up yet.
    fn active_lookaheads(&mut self) -> impl Iterator<Item = &mut IndentationLookahead> {
        self.lookaheads
            .iter_mut()
            .filter(|lookahead| !lookahead.gave_up)
    }

    /// `(`, `[`, `{`, `#[`, `{$` or `${` in code.
    pub(super) fn lookahead_opens(&mut self, bracket: u8) {
        for lookahead in self.active_lookaheads() {
            lookahead.brackets.push(bracket);
        }
    }

    /// `)`, `]` or `}` in code: PHP gives up unless it closes the last bracket opened.
    pub(super) fn lookahead_closes(&mut self, closing: u8) {
        let opening = match closing {
            b')' => b'(',
            b']' => b'[',
            _ => b'{',
        };
        for lookahead in self.active_lookaheads() {
            if lookahead.brackets.pop() != Some(opening) {
                lookahead.gave_up = true;
            }
        }
    }

    /// The closing label of a heredoc (not of a nowdoc, nor one found right after the
    /// header) sets the indentation that the look-aheads know.
    pub(super) fn lookahead_passes_label(&mut self, indentation: usize) {
        for lookahead in self.active_lookaheads() {
            lookahead.indentation = indentation;
        }
    }

    /// Something PHP's lexer throws an exception for, which ends every look-ahead.
    pub(super) fn lookahead_error(&mut self) {
        for lookahead in &mut self.lookaheads {
            lookahead.gave_up = true;
        }
    }

    /// `0` followed by digits is octal, and an 8 or 9 in it is a lexing error.
    pub(super) fn check_octal(&mut self, number: Range<usize>) {
        if self.lookaheads.is_empty() {
            return;
        }
        let digits = &self.bytes[number];
        let is_octal = digits.first() == Some(&b'0')
            && digits
                .iter()
                .all(|&byte| byte.is_ascii_digit() || byte == b'_');
        if is_octal && digits.iter().any(|&byte| byte == b'8' || byte == b'9') {
            self.lookahead_error();
        }
    }

    /// Ends the look-ahead of the heredoc whose closing label was just found: the
    /// indentation that PHP's `T_END_HEREDOC` token takes.
    pub(super) fn finish_lookahead(&mut self) -> Option<usize> {
        self.lookaheads.pop().map(|own| own.indentation)
    }
}

/// Whether an indentation mixes tabs and spaces, which PHP rejects before a closing label.
pub(super) fn mixes_tabs_and_spaces(indentation: &[u8]) -> bool {
    indentation.contains(&b' ') && indentation.contains(&b'\t')
}

/// Whether the escape at `backslash` is anything but a bad `\u{…}`: PHP wants one or more
/// hex digits up to `}`, for a code point up to U+10FFFF. A `\u` without `{` is no escape.
pub(super) fn valid_unicode_escape(bytes: &[u8], backslash: usize) -> bool {
    if bytes.get(backslash + 1..backslash + 3) != Some(b"u{") {
        return true;
    }
    let digits_start = backslash + 3;
    let rest = &bytes[digits_start..];
    let digits = rest
        .iter()
        .position(|byte| !byte.is_ascii_hexdigit())
        .unwrap_or(rest.len());
    let code_point = rest[..digits].iter().try_fold(0u32, |value, &digit| {
        let digit = (digit as char).to_digit(16).expect("a hex digit");
        value
            .checked_mul(16)
            .and_then(|value| value.checked_add(digit))
    });
    digits > 0
        && rest.get(digits) == Some(&b'}')
        && code_point.is_some_and(|value| value <= 0x10_ffff)
}
