//! PHP settings wherever they are made: the lines of a php.ini or .user.ini, and mod_php's
//! `php_value`, `php_flag`, `php_admin_value` and `php_admin_flag` in Apache files. The INI
//! rules that judge what a setting does (register_globals, removed directives, the production
//! security settings) run on [`PhpSettings`] through [`PhpSettingsCheck`], so a format that sets
//! PHP settings only lists them: its model runs that check for every rule whose `formats` name
//! it.

use std::ops::Range;

use crate::rules::Reporter;

/// Where a setting is made, which decides when PHP reads it and what a bad value does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingSource {
    /// A php.ini, read once at start-up: a removed directive set non-zero stops PHP there.
    PhpIni,
    /// A `.user.ini`, read per directory under CGI/FastCGI (PHP_INI_PERDIR and _USER only).
    UserIni,
    /// `php_value KEY VALUE` (mod_php, PHP_INI_PERDIR, allowed in .htaccess).
    ApacheValue,
    /// `php_flag KEY on|off`.
    ApacheFlag,
    /// `php_admin_value` (PHP_INI_SYSTEM, never in .htaccess).
    ApacheAdminValue,
    /// `php_admin_flag`.
    ApacheAdminFlag,
}

impl SettingSource {
    /// Set by mod_php from Apache's configuration, not by PHP's ini scanner.
    pub fn is_apache(self) -> bool {
        !matches!(self, Self::PhpIni | Self::UserIni)
    }

    /// How a fix writes a boolean here: `On`/`Off` in ini files, `on`/`off` after `php_flag`,
    /// `1`/`0` after `php_value`.
    pub fn boolean(self, on: bool) -> &'static str {
        match (self, on) {
            (Self::PhpIni | Self::UserIni, true) => "On",
            (Self::PhpIni | Self::UserIni, false) => "Off",
            (Self::ApacheFlag | Self::ApacheAdminFlag, true) => "on",
            (Self::ApacheFlag | Self::ApacheAdminFlag, false) => "off",
            (Self::ApacheValue | Self::ApacheAdminValue, true) => "1",
            (Self::ApacheValue | Self::ApacheAdminValue, false) => "0",
        }
    }
}

/// One setting as PHP receives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    /// The directive's name as written (PHP's names are case-sensitive).
    pub key: String,
    pub key_span: Range<usize>,
    /// The value PHP stores (what `get_cfg_var()` returns): ini booleans as `"1"`/`""`,
    /// a `php_flag` as `"1"`/`"0"`.
    pub value: String,
    /// The value as written, which a fix that changes the value replaces.
    pub value_span: Range<usize>,
    /// The whole line or directive, which a fix that removes the setting removes.
    pub statement_span: Range<usize>,
    /// The value was written in quotes (`"On"`): PHP's start-up check of removed directives
    /// reads it as the number 0.
    pub quoted: bool,
    pub source: SettingSource,
}

/// The settings one file makes, in the order PHP applies them (a later one overrides).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PhpSettings {
    pub settings: Vec<Setting>,
}

/// What a rule that judges PHP settings runs on a file of any format that makes them.
pub struct PhpSettingsCheck {
    pub run: fn(&PhpSettings, &mut Reporter),
}

/// A directive PHP no longer has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Removed {
    pub name: &'static str,
    /// The PHP version that dropped it.
    pub removed: crate::config::Version,
    /// PHP's start-up check (main.c, `php_module_startup`) stops at it when a php.ini sets it
    /// non-zero; otherwise PHP ignores it silently.
    pub fatal: bool,
}

const fn removed(name: &'static str, major: u32, minor: u32, fatal: bool) -> Removed {
    Removed {
        name,
        removed: crate::config::Version::new(major, minor),
        fatal,
    }
}

/// main.c's start-up list in its order (PHP stops at the first one set non-zero), then the
/// directives 8.2 ignores without a word.
pub const REMOVED: &[Removed] = &[
    removed("allow_call_time_pass_reference", 5, 4, true),
    removed("asp_tags", 7, 0, true),
    removed("define_syslog_variables", 5, 4, true),
    removed("highlight.bg", 5, 4, true),
    removed("magic_quotes_gpc", 5, 4, true),
    removed("magic_quotes_runtime", 5, 4, true),
    removed("magic_quotes_sybase", 5, 4, true),
    removed("register_globals", 5, 4, true),
    removed("register_long_arrays", 5, 4, true),
    removed("safe_mode", 5, 4, true),
    removed("safe_mode_gid", 5, 4, true),
    removed("safe_mode_include_dir", 5, 4, true),
    removed("safe_mode_exec_dir", 5, 4, true),
    removed("safe_mode_allowed_env_vars", 5, 4, true),
    removed("safe_mode_protected_env_vars", 5, 4, true),
    removed("zend.ze1_compatibility_mode", 5, 3, true),
    removed("track_errors", 8, 0, true),
    removed("y2k_compliance", 5, 4, false),
    removed("always_populate_raw_post_data", 7, 0, false),
    removed("mbstring.func_overload", 8, 0, false),
];

pub fn removed_directive(key: &str) -> Option<&'static Removed> {
    REMOVED.iter().find(|r| r.name == key)
}

/// The number PHP's start-up check reads from a stored value (`zval_get_long`: leading blanks,
/// then the longest numeric prefix, a float cut to an integer): `1`, `" 1"`, `1abc` and `2`
/// are non-zero; `""` (Off), `On` written in quotes, `0x1` and `0.5` are 0.
pub fn startup_number(value: &str) -> i64 {
    let bytes = value.as_bytes();
    let mut i = 0;
    while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) {
        i += 1;
    }
    let start = i;
    if matches!(bytes.get(i), Some(b'-' | b'+')) {
        i += 1;
    }
    let digits = |mut j: usize| {
        while bytes.get(j).is_some_and(u8::is_ascii_digit) {
            j += 1;
        }
        j
    };
    let int_end = digits(i);
    let mut end = int_end;
    if bytes.get(end) == Some(&b'.') {
        let frac_end = digits(end + 1);
        if frac_end > end + 1 || int_end > i {
            end = frac_end;
        }
    }
    if end == i || (end == i + 1 && bytes.get(i) == Some(&b'.')) {
        return 0;
    }
    if matches!(bytes.get(end), Some(b'e' | b'E')) {
        let mut j = end + 1;
        if matches!(bytes.get(j), Some(b'-' | b'+')) {
            j += 1;
        }
        let exp_end = digits(j);
        if exp_end > j {
            end = exp_end;
        }
    }
    let text = &value[start..end];
    match text.parse::<i64>() {
        Ok(n) => n,
        Err(_) => text.parse::<f64>().map_or(0, |f| f as i64),
    }
}

/// How a registered boolean directive reads a stored value (`zend_ini_parse_bool`): `on`,
/// `yes`, `true` in any case, else a non-zero number.
pub fn parse_bool(value: &str) -> bool {
    ["on", "yes", "true"]
        .iter()
        .any(|w| value.eq_ignore_ascii_case(w))
        || crate::formats::php_ini::scanner::atoi(value.as_bytes()) != 0
}

impl Setting {
    /// What PHP's start-up check of removed directives sees: only a php.ini reaches it.
    pub fn stops_startup(&self) -> bool {
        self.source == SettingSource::PhpIni && startup_number(&self.value) != 0
    }

    /// The setting read as a boolean directive reads it.
    pub fn is_on(&self) -> bool {
        parse_bool(&self.value)
    }
}

impl PhpSettings {
    /// The settings that count for `key`: in an ini file the last one (it overrides the
    /// others); from Apache each directive, as each applies in its own context.
    pub fn effective<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a Setting> + 'a {
        let last_ini = self
            .settings
            .iter()
            .rposition(|s| s.key == key && !s.source.is_apache());
        self.settings
            .iter()
            .enumerate()
            .filter(move |(i, s)| s.key == key && (s.source.is_apache() || Some(*i) == last_ini))
            .map(|(_, s)| s)
    }

    /// Whether any setting is made for `key`.
    pub fn sets(&self, key: &str) -> bool {
        self.settings.iter().any(|s| s.key == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn startup_numbers_as_php_reads_them() {
        for (value, n) in [
            ("1", 1),
            (" 1", 1),
            ("1abc", 1),
            (" 3", 3),
            ("-1", -1),
            ("On", 0),
            ("", 0),
            ("0x1", 0),
            ("0.5", 0),
            ("abc", 0),
            ("1.5", 1),
        ] {
            assert_eq!(startup_number(value), n, "{value:?}");
        }
    }

    #[test]
    fn booleans_as_php_reads_them() {
        assert!(parse_bool("On") && parse_bool("TRUE") && parse_bool("1") && parse_bool("2"));
        assert!(!parse_bool("") && !parse_bool("Off") && !parse_bool("0") && !parse_bool("x"));
    }
}
