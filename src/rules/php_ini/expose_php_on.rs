//! INI012: expose_php on, which a production server should not have.

use crate::formats::php_ini::settings::PhpSettings;
use crate::rules::Reporter;

use super::production::{check, Production};

settings_rule! {
    code: "INI012",
    name: "expose-php-on",
    prefilter: &[],
    run: run,
}

pub static SPEC: Production = Production {
    code: "INI012",
    key: "expose_php",
    secure_on: false,
    default_on: true,
    danger: "every response carries an X-Powered-By header with the exact PHP version, which tells an attacker which holes to try",
};

fn run(settings: &PhpSettings, cx: &mut Reporter) {
    check(settings, cx, &SPEC);
}
