//! Rules for wgetrc files. Any error in a wgetrc makes wget refuse to run, so WGT001–WGT003
//! report exactly what wget reports; the others are about what an accepted file does.

/// `wgetrc_rule! { code: "WGT001", name: "unknown-command", prefilter: &[], run }`.
macro_rules! wgetrc_rule {
    (code: $code:literal, name: $name:literal, prefilter: $prefilter:expr, run: $run:expr $(,)?) => {
        $crate::rule! {
            code: $code,
            name: $name,
            folder: "wgetrc",
            formats: &[$crate::formats::Format::Wgetrc],
            prefilter: $prefilter,
            uses_workspace: false,
            check: $crate::rules::wgetrc::WgetrcCheck { run: $run },
        }
    };
}

pub mod certificate_check_disabled;
pub mod download_trap_incomplete;
pub mod duplicate_command;
pub mod invalid_value;
pub mod lenient_number;
pub mod malformed_line;
pub mod plaintext_password;
pub mod unknown_command;

use super::{Reporter, Rule};
use crate::formats::wgetrc::WgetrcFile;

/// What a wgetrc rule runs on a file.
pub struct WgetrcCheck {
    pub run: fn(&WgetrcFile, &mut Reporter),
}

/// The rules of this folder, in code order.
pub static RULES: &[&Rule] = &[
    &unknown_command::RULE,
    &invalid_value::RULE,
    &malformed_line::RULE,
    &lenient_number::RULE,
    &certificate_check_disabled::RULE,
    &plaintext_password::RULE,
    &download_trap_incomplete::RULE,
    &duplicate_command::RULE,
];

/// The span of a whole line with its `\n`, for fixes that remove it.
pub fn whole_line(file: &WgetrcFile, span: &std::ops::Range<usize>) -> std::ops::Range<usize> {
    let end = if file.bytes().get(span.end) == Some(&b'\n') {
        span.end + 1
    } else {
        span.end
    };
    span.start..end
}

/// Whether a fix may add a line at `offset`. A fix's `\n` is written as the line ending found
/// there, and a lone `\r` does not end a line for wget.
pub fn can_add_line(file: &WgetrcFile, offset: usize) -> bool {
    crate::fix::newline_near(file.bytes(), offset) != b"\r"
}
