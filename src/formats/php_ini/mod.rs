//! php.ini and .user.ini (issue 10), read as PHP 8.2's own ini scanner reads them
//! ([`scanner`]). [`settings`] is the hand-over point for every format that sets PHP settings
//! (Apache's `php_*` directives, issue 11): the rules that judge a setting's effect run on
//! [`settings::PhpSettings`], whichever file made it.

pub mod constants;
pub mod directives;
mod handler;
pub mod scanner;
pub mod settings;

pub use handler::Handler;

use std::ops::Range;
use std::path::Path;

use crate::source::SourceFile;
use scanner::{Entry, Parsed};
use settings::{PhpSettings, Setting, SettingSource};

/// One php.ini or .user.ini, parsed.
pub struct PhpIniFile<'a> {
    pub source: &'a SourceFile,
    pub parsed: Parsed,
    /// The settings PHP applies from this file (not those after a syntax error, nor those of
    /// `[PATH…]`/`[HOST…]` sections, nor arrays).
    pub settings: PhpSettings,
    /// A main php.ini (`php.ini`, `php.ini-*`): where PHP's built-in defaults fill what is
    /// absent. A `.user.ini` or a conf.d snippet only adds to one.
    pub is_main: bool,
}

/// `${NAME}` not set earlier in the file: PHP reads the environment.
fn environment(name: &[u8]) -> Option<Vec<u8>> {
    let name = std::str::from_utf8(name).ok()?;
    if name.is_empty() || name.contains('=') || name.contains('\0') {
        return None;
    }
    std::env::var_os(name).map(|v| v.into_encoded_bytes())
}

pub fn parse(bytes: &[u8]) -> Parsed {
    scanner::parse(bytes, &environment)
}

impl<'a> PhpIniFile<'a> {
    pub fn new(source: &'a SourceFile) -> Self {
        let parsed = parse(source.bytes());
        let name = source
            .path()
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("");
        let user = name == ".user.ini";
        let is_main = name == "php.ini" || name.starts_with("php.ini-");
        let origin = if user {
            SettingSource::UserIni
        } else {
            SettingSource::PhpIni
        };
        let bytes = source.bytes();
        let settings = parsed
            .entries
            .iter()
            .filter(|e| !e.dropped && !e.hidden && e.offset.is_none())
            .map(|e| Setting {
                key: String::from_utf8_lossy(&e.key_text).into_owned(),
                key_span: e.key.clone(),
                value: String::from_utf8_lossy(&e.value).into_owned(),
                value_span: e.raw.clone(),
                statement_span: removal_span(bytes, e),
                quoted: e.quoted,
                source: origin,
            })
            .collect();
        Self {
            source,
            parsed,
            settings: PhpSettings { settings },
            is_main,
        }
    }

    pub fn bytes(&self) -> &'a [u8] {
        self.source.bytes()
    }

    /// The text of a span (lossy where it is not UTF-8).
    pub fn text(&self, span: &Range<usize>) -> String {
        String::from_utf8_lossy(&self.bytes()[span.clone()]).into_owned()
    }

    /// The 1-based line of an offset.
    pub fn line(&self, offset: usize) -> usize {
        self.source.line_index(offset) + 1
    }

    /// The entries PHP applies (not after a syntax error).
    pub fn applied(&self) -> impl Iterator<Item = &Entry> {
        self.parsed.entries.iter().filter(|e| !e.dropped)
    }

    pub fn path(&self) -> &Path {
        self.source.path()
    }
}

/// What a fix that removes an entry removes: its whole line(s) with the newline when nothing
/// else stands there (a trailing `;` comment goes with it), else the statement alone.
fn removal_span(bytes: &[u8], entry: &Entry) -> Range<usize> {
    let statement = entry.statement.clone();
    let line_start = bytes[..statement.start]
        .iter()
        .rposition(|&b| b == b'\n' || b == b'\r')
        .map_or(0, |i| i + 1);
    if !bytes[line_start..statement.start]
        .iter()
        .all(|&b| b == b' ' || b == b'\t' || b == 0xef || b == 0xbb || b == 0xbf)
    {
        return statement;
    }
    let mut end = statement.end;
    while end < bytes.len() && (bytes[end] == b' ' || bytes[end] == b'\t') {
        end += 1;
    }
    if end < bytes.len() && bytes[end] == b';' {
        while end < bytes.len() && bytes[end] != b'\n' && bytes[end] != b'\r' {
            end += 1;
        }
    }
    match bytes.get(end) {
        None => line_start..end,
        Some(b'\r') if bytes.get(end + 1) == Some(&b'\n') => line_start..end + 2,
        Some(b'\n' | b'\r') => line_start..end + 1,
        Some(_) => statement,
    }
}

/// Whether PHP reports a syntax error in `bytes`: the fix loop keeps no fix that adds one.
pub fn has_syntax_error(bytes: &[u8]) -> bool {
    scanner::parse(bytes, &|_| None).error.is_some()
}
