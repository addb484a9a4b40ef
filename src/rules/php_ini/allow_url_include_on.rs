//! INI013: allow_url_include on, which a production server should not have.

use crate::formats::php_ini::settings::PhpSettings;
use crate::rules::Reporter;

use super::production::{check, Production};

settings_rule! {
    code: "INI013",
    name: "allow-url-include-on",
    prefilter: &[],
    run: run,
}

pub static SPEC: Production = Production {
    code: "INI013",
    key: "allow_url_include",
    secure_on: false,
    default_on: false,
    danger: "include and require may load code from a URL, so one unchecked include path runs an attacker's code (remote file inclusion); PHP 7.4 and later also warn that it is deprecated",
};

fn run(settings: &PhpSettings, cx: &mut Reporter) {
    check(settings, cx, &SPEC);
}
