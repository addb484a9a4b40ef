//! INI003: a key PHP does not know. PHP stores it without a word and nothing reads it, so the
//! setting the author meant is not made.

use std::collections::HashMap;

use crate::fix::{Edit, Fix};
use crate::formats::php_ini::{directives, PhpIniFile};
use crate::rules::Reporter;
use crate::suggest::did_you_mean;

php_ini_rule! {
    code: "INI003",
    name: "unknown-ini-directive",
    prefilter: &[],
    run: run,
}

fn run(file: &PhpIniFile, cx: &mut Reporter) {
    let extra = cx.option_strings("extra-directives");
    // The same key on many lines is looked up once: (same but case, suggestion), or `None`
    // when it is not to be reported.
    type Verdict = Option<(Option<&'static str>, Option<&'static str>)>;
    let mut verdicts: HashMap<String, Verdict> = HashMap::new();
    let mut looked_up = 0;
    for entry in file.applied().filter(|e| e.offset.is_none()) {
        let Ok(key) = std::str::from_utf8(&entry.key_text) else {
            continue;
        };
        let verdict = *verdicts
            .entry(key.to_string())
            .or_insert_with(|| judge(key, &extra, &mut looked_up));
        let Some((same_but_case, suggestion)) = verdict else {
            continue;
        };
        let diagnostic = cx.report(
            entry.key.clone(),
            format!("unknown directive `{key}`: PHP stores it without a word and nothing reads it, so this line sets nothing"),
        );
        match (same_but_case, suggestion) {
            (Some(name), _) => {
                diagnostic.note(format!(
                    "PHP's directive names are case-sensitive: did you mean `{name}`?"
                ));
                diagnostic.fix(Fix::unsafe_(
                    format!("write `{name}`"),
                    vec![Edit::replace(entry.key.clone(), name)],
                ));
            }
            (None, Some(name)) => {
                diagnostic.note(format!("did you mean `{name}`?"));
                diagnostic.fix(Fix::unsafe_(
                    format!("write `{name}`"),
                    vec![Edit::replace(entry.key.clone(), name)],
                ));
            }
            (None, None) => {
                diagnostic.note("an extension's own directive? add it to `extra-directives` under [rules.INI003] in etclint.toml");
            }
        }
    }
}

/// At most this many distinct unknown keys get a "did you mean" per file: past that the file
/// is not a php.ini a person wrote, and each lookup costs an edit distance per directive.
const SUGGESTIONS: usize = 500;

fn judge(
    key: &str,
    extra: &[String],
    looked_up: &mut usize,
) -> Option<(Option<&'static str>, Option<&'static str>)> {
    // `#…` keys are INI006's.
    if key.starts_with('#') || directives::is_known(key) || extra.iter().any(|k| k == key) {
        return None;
    }
    let lower = key.to_ascii_lowercase();
    // A namespace PHP's catalogue does not have (`xdebug.mode`) belongs to an extension
    // Debian does not ship: only typos are reported there, when a known name is close.
    let foreign = lower
        .split_once('.')
        .is_some_and(|(namespace, _)| !directives::has_namespace(namespace));
    let same_but_case = directives::all()
        .iter()
        .find(|d| d.eq_ignore_ascii_case(key))
        .copied();
    if same_but_case.is_some() || (*looked_up >= SUGGESTIONS && !foreign) {
        return Some((same_but_case, None));
    }
    if *looked_up >= SUGGESTIONS {
        return None;
    }
    *looked_up += 1;
    // Only names that could be near: a longer one it starts, or one of about its length.
    let near = directives::all().iter().copied().filter(|d| {
        let tolerance = 2.max(d.len() / 4);
        d.len().abs_diff(key.len()) <= tolerance
            || (d.len() > key.len() && d.to_ascii_lowercase().starts_with(&lower))
    });
    let suggestion = did_you_mean(key, near);
    if foreign && suggestion.is_none() {
        return None;
    }
    Some((None, suggestion))
}
