//! INI015: session.cookie_httponly off, which a production server should not have.

use crate::formats::php_ini::settings::PhpSettings;
use crate::rules::Reporter;

use super::production::{check, Production};

settings_rule! {
    code: "INI015",
    name: "session-cookie-httponly-off",
    prefilter: &[],
    run: run,
}

pub static SPEC: Production = Production {
    code: "INI015",
    key: "session.cookie_httponly",
    secure_on: true,
    default_on: false,
    danger: "the session cookie is readable by JavaScript, so one cross-site scripting hole hands over the session",
};

fn run(settings: &PhpSettings, cx: &mut Reporter) {
    check(settings, cx, &SPEC);
}
