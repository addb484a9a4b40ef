//! INI010: display_errors on, which a production server should not have.

use crate::formats::php_ini::settings::PhpSettings;
use crate::rules::Reporter;

use super::production::{check, Production};

settings_rule! {
    code: "INI010",
    name: "display-errors-on",
    prefilter: &[],
    run: run,
}

pub static SPEC: Production = Production {
    code: "INI010",
    key: "display_errors",
    secure_on: false,
    default_on: true,
    danger: "PHP prints its error messages, with file paths and sometimes passwords or queries, into the page every visitor sees",
};

fn run(settings: &PhpSettings, cx: &mut Reporter) {
    check(settings, cx, &SPEC);
}
