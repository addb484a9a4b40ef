//! INI014: log_errors off, which a production server should not have.

use crate::formats::php_ini::settings::PhpSettings;
use crate::rules::Reporter;

use super::production::{check, Production};

settings_rule! {
    code: "INI014",
    name: "log-errors-off",
    prefilter: &[],
    run: run,
}

pub static SPEC: Production = Production {
    code: "INI014",
    key: "log_errors",
    secure_on: true,
    default_on: false,
    danger: "PHP writes its errors nowhere, so failures and attacks go unseen",
};

fn run(settings: &PhpSettings, cx: &mut Reporter) {
    check(settings, cx, &SPEC);
}
