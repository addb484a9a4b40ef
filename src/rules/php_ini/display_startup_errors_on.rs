//! INI011: display_startup_errors on, which a production server should not have.

use crate::formats::php_ini::settings::PhpSettings;
use crate::rules::Reporter;

use super::production::{check, Production};

settings_rule! {
    code: "INI011",
    name: "display-startup-errors-on",
    prefilter: &[],
    run: run,
}

pub static SPEC: Production = Production {
    code: "INI011",
    key: "display_startup_errors",
    secure_on: false,
    default_on: true,
    danger: "errors PHP meets while it starts are printed into the page",
};

fn run(settings: &PhpSettings, cx: &mut Reporter) {
    check(settings, cx, &SPEC);
}
