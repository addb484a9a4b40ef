//! The production security settings (INI010–INI017): each rule names one directive, the
//! value a production server wants and PHP's built-in default. They judge effective values:
//! a setting made in the file (or by Apache's `php_*`) as PHP reads a boolean directive, and
//! in a main php.ini a directive left out, when PHP's built-in default is the unsafe one.

use crate::fix::{Edit, Fix};
use crate::formats::php_ini::settings::PhpSettings;
use crate::formats::php_ini::PhpIniFile;
use crate::rules::Reporter;

pub struct Production {
    pub code: &'static str,
    pub key: &'static str,
    /// The value production wants.
    pub secure_on: bool,
    /// PHP 8.2's built-in default (`php -n`).
    pub default_on: bool,
    /// What the unsafe value does, after "is on: " / "is off: ".
    pub danger: &'static str,
}

pub static ALL: &[&Production] = &[
    &super::display_errors_on::SPEC,
    &super::display_startup_errors_on::SPEC,
    &super::expose_php_on::SPEC,
    &super::allow_url_include_on::SPEC,
    &super::log_errors_off::SPEC,
    &super::session_cookie_httponly_off::SPEC,
    &super::session_use_strict_mode_off::SPEC,
    &super::enable_dl_on::SPEC,
];

fn state(on: bool) -> &'static str {
    if on {
        "on"
    } else {
        "off"
    }
}

/// Whether a stored value turns the directive on, as PHP reads it.
fn is_on(key: &str, value: &str) -> bool {
    // display_errors also takes `stderr` (the server's log, not the page) and `stdout`.
    if key == "display_errors" {
        if value.eq_ignore_ascii_case("stderr") {
            return false;
        }
        if value.eq_ignore_ascii_case("stdout") {
            return true;
        }
    }
    crate::formats::php_ini::settings::parse_bool(value)
}

/// The settings the file (or the Apache directives) make.
pub fn check(settings: &PhpSettings, cx: &mut Reporter, spec: &Production) {
    for setting in settings.effective(spec.key) {
        if is_on(spec.key, &setting.value) == spec.secure_on {
            continue;
        }
        let want = setting.source.boolean(spec.secure_on);
        let diagnostic = cx.report(
            setting.value_span.clone(),
            format!(
                "{} is {}: {}",
                spec.key,
                state(!spec.secure_on),
                spec.danger
            ),
        );
        diagnostic.label(setting.key_span.clone(), "set here");
        diagnostic.fix(Fix::safe(
            format!("set {} to {want}", spec.key),
            vec![Edit::replace(setting.value_span.clone(), want)],
        ));
    }
}

/// A main php.ini that leaves the directive out gets PHP's built-in default: reported when
/// that default is the unsafe value. The php-ini model calls this after [`check`].
pub fn absent(code: &str, file: &PhpIniFile, cx: &mut Reporter) {
    let Some(spec) = ALL.iter().find(|p| p.code == code) else {
        return;
    };
    if !file.is_main
        || file.parsed.error.is_some()
        || spec.default_on == spec.secure_on
        || file
            .parsed
            .entries
            .iter()
            .any(|e| e.key_text == spec.key.as_bytes())
    {
        return;
    }
    let span = match file.parsed.sections.first() {
        Some(section) => section.span.clone(),
        None => {
            let first = file.source.line_range(0);
            let mut end = first.end;
            while end > first.start && matches!(file.bytes()[end - 1], b'\n' | b'\r') {
                end -= 1;
            }
            first.start..end
        }
    };
    let diagnostic = cx.report(
        span,
        format!(
            "{} is not set in this php.ini, and PHP's built-in default is {}: {}",
            spec.key,
            state(spec.default_on),
            spec.danger
        ),
    );
    diagnostic.note(format!(
        "add `{} = {}` (a conf.d file loaded after it may set it too)",
        spec.key,
        if spec.secure_on { "On" } else { "Off" }
    ));
}
