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
