//! Rules for PHP sources.

/// `php_rule! { code: "PHP002", name: "output-before-opening-tag", prefilter: &[], run }`,
/// and `uses_workspace: true` after `prefilter` for a rule that reads other files' facts.
macro_rules! php_rule {
    (code: $code:literal, name: $name:literal, prefilter: $prefilter:expr, $(uses_workspace: $ws:expr,)? run: $run:expr $(,)?) => {
        $crate::rule! {
            code: $code,
            name: $name,
            folder: "php",
            formats: &[$crate::formats::Format::Php],
            prefilter: $prefilter,
            uses_workspace: false $(|| $ws)?,
            check: $crate::rules::php::PhpCheck { run: $run },
        }
    };
}

pub mod extract_request_variables;
pub mod non_utf8_source;
pub mod output_after_closing_tag;
pub mod output_before_opening_tag;
pub mod removed_long_superglobal;
mod request_port;
pub mod request_port_for_request_host;
pub mod request_port_for_url_host;
pub mod stray_output;
pub mod syntax_error;

use super::{Reporter, Rule};
use crate::formats::php::PhpFile;

/// What a PHP rule runs on a file.
pub struct PhpCheck {
    pub run: fn(&PhpFile, &mut Reporter),
}

/// The rules of this folder, in code order.
pub static RULES: &[&Rule] = &[
    &syntax_error::RULE,
    &output_after_closing_tag::RULE,
    &output_before_opening_tag::RULE,
    &request_port_for_url_host::RULE,
    &removed_long_superglobal::RULE,
    &extract_request_variables::RULE,
    &request_port_for_request_host::RULE,
    &non_utf8_source::RULE,
];
