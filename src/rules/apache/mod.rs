//! Rules for Apache configuration and `.htaccess` files. APA001–APA005, APA007, APA013 and APA020
//! report what makes httpd refuse the file (a server configuration: httpd does not start; a
//! `.htaccess`: HTTP 500 for every request under its directory), on the line httpd names.

/// `apache_rule! { code: "APA001", name: "unclosed-section", prefilter: &[], run }`, and
/// `uses_workspace: true` after `prefilter` for a rule that reads other files' facts.
macro_rules! apache_rule {
    (code: $code:literal, name: $name:literal, prefilter: $prefilter:expr, $(uses_workspace: $ws:expr,)? run: $run:expr $(,)?) => {
        $crate::rule! {
            code: $code,
            name: $name,
            folder: "apache",
            formats: &[$crate::formats::Format::Apache],
            prefilter: $prefilter,
            uses_workspace: false $(|| $ws)?,
            check: $crate::rules::apache::ApacheCheck { run: $run },
        }
    };
}

pub mod basic_auth_without_tls;
pub mod credentials_in_web_tree;
pub mod directive_not_allowed_here;
pub mod empty_passwords_allowed;
pub mod handler_not_removed;
pub mod htaccess_override_required;
pub mod include_cycle;
pub mod mismatched_section_end;
pub mod options_mixed_signs;
pub mod unclosed_section;
pub mod unknown_directive;
pub mod unmatched_section_end;
pub mod weak_password_storage;
pub mod wrong_argument_count;

use super::{Reporter, Rule};
use crate::formats::apache::ApacheFile;

/// What an Apache rule runs on a file.
pub struct ApacheCheck {
    pub run: fn(&ApacheFile, &mut Reporter),
}

/// The rules of this folder, in code order.
pub static RULES: &[&Rule] = &[
    &unclosed_section::RULE,
    &mismatched_section_end::RULE,
    &unmatched_section_end::RULE,
    &unknown_directive::RULE,
    &directive_not_allowed_here::RULE,
    &htaccess_override_required::RULE,
    &options_mixed_signs::RULE,
    &credentials_in_web_tree::RULE,
    &weak_password_storage::RULE,
    &empty_passwords_allowed::RULE,
    &basic_auth_without_tls::RULE,
    &handler_not_removed::RULE,
    &include_cycle::RULE,
    &wrong_argument_count::RULE,
];

/// The rules whose findings are what httpd itself refuses (the oracle tests' set).
pub const REFUSED_BY_HTTPD: &[&str] = &[
    "APA001", "APA002", "APA003", "APA004", "APA005", "APA007", "APA013", "APA020",
];
