//! INI003: a key PHP does not know. PHP stores it without a word and nothing reads it, so the
//! setting the author meant is not made.

use crate::fix::{Edit, Fix};
use crate::formats::php_ini::{directives, PhpIniFile};
use crate::rules::Reporter;
use crate::suggest::did_you_mean;

php_ini_rule! {
    code: "INI003",
    name: "unknown-directive",
    prefilter: &[],
    run: run,
}

fn run(file: &PhpIniFile, cx: &mut Reporter) {
    let extra = cx.option_strings("extra-directives");
    for entry in file.applied().filter(|e| e.offset.is_none()) {
        let Ok(key) = std::str::from_utf8(&entry.key_text) else {
            continue;
        };
        // `#…` keys are INI006's.
        if key.starts_with('#') || directives::is_known(key) || extra.iter().any(|k| k == key) {
            continue;
        }
        // A namespace PHP's catalogue does not have (`xdebug.mode`) belongs to an extension
        // Debian does not ship: only typos inside a known namespace are reported.
        if let Some((namespace, _)) = key.split_once('.') {
            let prefix = format!("{namespace}.");
            if !directives::all()
                .iter()
                .any(|d| d.to_ascii_lowercase().starts_with(&prefix.to_ascii_lowercase()))
            {
                continue;
            }
        }
        let same_but_case = directives::all()
            .iter()
            .find(|d| d.eq_ignore_ascii_case(key))
            .copied();
        let suggestion = same_but_case.or_else(|| did_you_mean(key, directives::all().iter().copied()));
        let diagnostic = cx.report(
            entry.key.clone(),
            format!("unknown directive `{key}`: PHP stores it without a word and nothing reads it, so this line sets nothing"),
        );
        match (same_but_case, suggestion) {
            (Some(name), _) => {
                diagnostic.note(format!(
                    "PHP's directive names are case-sensitive: did you mean `{name}`?"
                ));
                diagnostic.fix(Fix::unsafe_(format!("write `{name}`"), vec![Edit::replace(entry.key.clone(), name)]));
            }
            (None, Some(name)) => {
                diagnostic.note(format!("did you mean `{name}`?"));
                diagnostic.fix(Fix::unsafe_(format!("write `{name}`"), vec![Edit::replace(entry.key.clone(), name)]));
            }
            (None, None) => {
                diagnostic.note("an extension's own directive? add it to `extra-directives` under [rules.INI003] in etclint.toml");
            }
        }
    }
}
