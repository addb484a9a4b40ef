//! INI016: session.use_strict_mode off, which a production server should not have.

use crate::formats::php_ini::settings::PhpSettings;
use crate::rules::Reporter;

use super::production::{check, Production};

settings_rule! {
    code: "INI016",
    name: "session-use-strict-mode-off",
    prefilter: &[],
    run: run,
}

pub static SPEC: Production = Production {
    code: "INI016",
    key: "session.use_strict_mode",
    secure_on: true,
    default_on: false,
    danger: "PHP accepts a session id it never issued, which makes session fixation possible",
};

fn run(settings: &PhpSettings, cx: &mut Reporter) {
    check(settings, cx, &SPEC);
}
