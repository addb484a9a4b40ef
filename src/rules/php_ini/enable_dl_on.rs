//! INI017: enable_dl on, which a production server should not have.

use crate::formats::php_ini::settings::PhpSettings;
use crate::rules::Reporter;

use super::production::{check, Production};

settings_rule! {
    code: "INI017",
    name: "enable-dl-on",
    prefilter: &[],
    run: run,
}

pub static SPEC: Production = Production {
    code: "INI017",
    key: "enable_dl",
    secure_on: false,
    default_on: true,
    danger: "scripts may load PHP extensions at run time with dl() where the SAPI allows it (CLI, CGI), bypassing disable_functions and open_basedir",
};

fn run(settings: &PhpSettings, cx: &mut Reporter) {
    check(settings, cx, &SPEC);
}
