//! Rules for Postfix main.cf. PFM001, PFM002, PFM003 and PFM006 report what postconf reports,
//! in its words, each with the line postconf prints as a note; the others are about what an
//! accepted main.cf does.

/// `main_rule! { code: "PFM001", name: "unknown-parameter", prefilter: &[], run }`.
macro_rules! main_rule {
    (code: $code:literal, name: $name:literal, prefilter: $prefilter:expr, $(uses_workspace: $ws:expr,)? run: $run:expr $(,)?) => {
        $crate::rule! {
            code: $code,
            name: $name,
            folder: "postfix-main",
            formats: &[$crate::formats::Format::PostfixMain],
            prefilter: $prefilter,
            uses_workspace: false $(|| $ws)?,
            check: $crate::rules::postfix_main::PostfixMainCheck { run: $run },
        }
    };
}

pub mod duplicate_parameter;
pub mod missing_lookup_table;
pub mod open_relay;
pub mod policy_service_before_relay_check;
pub mod syntax;
pub mod trailing_comment;
pub mod undefined_parameter;
pub mod unknown_parameter;

use super::{Reporter, Rule};
use crate::formats::postfix_conf::main_cf::{Entry, Names};
use crate::formats::postfix_conf::{uses, MainCf};

/// What a main.cf rule runs on a file.
pub struct PostfixMainCheck {
    pub run: fn(&MainCf, &mut Reporter),
}

/// The rules of this folder, in code order.
pub static RULES: &[&Rule] = &[
    &unknown_parameter::RULE,
    &duplicate_parameter::RULE,
    &undefined_parameter::RULE,
    &open_relay::RULE,
    &trailing_comment::RULE,
    &syntax::RULE,
    &missing_lookup_table::RULE,
    &policy_service_before_relay_check::RULE,
];

/// The path postconf names the file by.
pub(crate) fn shown(main: &MainCf) -> String {
    main.source.path().display().to_string()
}

/// What names mean in this main.cf, with the master.cf beside it.
pub(crate) fn names<'m, 'a>(main: &'m MainCf<'a>, cx: &Reporter) -> &'m Names<'a> {
    main.names_once(|| uses::services_beside(cx.workspace(), cx.file()))
}

/// The file span of an entry's name.
pub(crate) fn name_span(main: &MainCf, entry: &Entry) -> std::ops::Range<usize> {
    main.span(entry, &entry.name)
}

/// The span of a whole logical line with its newline, for fixes that remove it.
pub(crate) fn whole_line(main: &MainCf, entry: &Entry) -> std::ops::Range<usize> {
    let span = &main.line(entry).span;
    let bytes = main.source.bytes();
    let end = memchr::memchr(b'\n', &bytes[span.end..]).map_or(bytes.len(), |i| span.end + i + 1);
    span.start..end
}

/// The restrictions that stop relaying (smtpd_check.c: smtpd refuses to start without one).
pub(crate) const RELAY_CHECKS: &[&str] = &[
    "reject_unauth_destination",
    "defer_unauth_destination",
    "reject",
    "defer",
    "defer_if_permit",
    "check_relay_domains",
];

/// A parameter's value with `$name`s expanded as Postfix does, defaults from the catalogue.
pub(crate) fn expanded(main: &MainCf, name: &str) -> String {
    use crate::formats::postfix_conf::{catalogue, expand::Expander};
    let lookup = |n: &str| {
        main.get(n)
            .map(|e| main.value(e))
            .or_else(|| catalogue::param(n).map(|p| p.default.to_string()))
    };
    let expander = Expander::new(&lookup);
    let raw = lookup(name).unwrap_or_default();
    expander.expand(&raw)
}

/// The words of a restriction list: split at commas and white space, `{ … }` kept whole.
pub(crate) fn words(list: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut level = 0usize;
    for c in list.chars() {
        match c {
            '{' => level += 1,
            '}' => level = level.saturating_sub(1),
            _ => {}
        }
        if level == 0 && (c == ',' || c.is_ascii_whitespace()) {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else {
            current.push(c);
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}
