//! Rules for php.ini and .user.ini. The rules that judge what a setting does (INI001,
//! INI002, the production security rules INI010–INI017) run on
//! [`PhpSettings`](crate::formats::php_ini::settings::PhpSettings) and list Apache among
//! their formats, so that mod_php's `php_flag`/`php_value` lines are judged alike; the others
//! need the parsed file.

/// `php_ini_rule! { code: "INI003", name: "unknown-ini-directive", prefilter: &[], run }`: a rule
/// over the parsed file.
macro_rules! php_ini_rule {
    (code: $code:literal, name: $name:literal, prefilter: $prefilter:expr, run: $run:expr $(,)?) => {
        $crate::rule! {
            code: $code,
            name: $name,
            folder: "php-ini",
            formats: &[$crate::formats::Format::PhpIni],
            prefilter: $prefilter,
            uses_workspace: false,
            check: $crate::rules::php_ini::PhpIniCheck { run: $run },
        }
    };
}

/// `settings_rule! { code: "INI001", name: "register-globals", prefilter: &[], run }`: a rule
/// over PHP settings, wherever a file makes them (php.ini, .user.ini, Apache's `php_*`).
macro_rules! settings_rule {
    (code: $code:literal, name: $name:literal, prefilter: $prefilter:expr, run: $run:expr $(,)?) => {
        $crate::rule! {
            code: $code,
            name: $name,
            folder: "php-ini",
            formats: &[$crate::formats::Format::PhpIni, $crate::formats::Format::Apache],
            prefilter: $prefilter,
            uses_workspace: false,
            check: $crate::formats::php_ini::settings::PhpSettingsCheck { run: $run },
        }
    };
}

pub mod allow_url_include_on;
pub mod display_errors_on;
pub mod display_startup_errors_on;
pub mod duplicate_directive;
pub mod enable_dl_on;
pub mod expose_php_on;
pub mod hash_comment;
pub mod ini_syntax_error;
pub mod log_errors_off;
pub mod path_host_section;
pub mod production;
pub mod register_globals;
pub mod removed_directive;
pub mod session_cookie_httponly_off;
pub mod session_use_strict_mode_off;
pub mod unknown_ini_directive;

use super::{Reporter, Rule};
use crate::formats::php_ini::PhpIniFile;

/// What a php-ini rule that needs the parsed file runs.
pub struct PhpIniCheck {
    pub run: fn(&PhpIniFile, &mut Reporter),
}

/// The rules of this folder, in code order.
pub static RULES: &[&Rule] = &[
    &register_globals::RULE,
    &removed_directive::RULE,
    &unknown_ini_directive::RULE,
    &duplicate_directive::RULE,
    &path_host_section::RULE,
    &hash_comment::RULE,
    &ini_syntax_error::RULE,
    &display_errors_on::RULE,
    &display_startup_errors_on::RULE,
    &expose_php_on::RULE,
    &allow_url_include_on::RULE,
    &log_errors_off::RULE,
    &session_cookie_httponly_off::RULE,
    &session_use_strict_mode_off::RULE,
    &enable_dl_on::RULE,
];
