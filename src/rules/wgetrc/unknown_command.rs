//! WGT001: a command this wget does not know, which makes wget refuse to run.

use std::collections::HashMap;

use crate::fix::{Edit, Fix};
use crate::formats::wgetrc::{commands, WgetrcFile};
use crate::rules::Reporter;
use crate::suggest::did_you_mean;

wgetrc_rule! {
    code: "WGT001",
    name: "unknown-command",
    prefilter: &[],
    run: run,
}

fn run(file: &WgetrcFile, cx: &mut Reporter) {
    // The same typo on many lines is looked up once.
    let mut suggestions: HashMap<String, Option<&'static str>> = HashMap::new();
    for (_, command) in file.commands().filter(|(_, c)| c.spec.is_none()) {
        let written = file.text(&command.name);
        // `= 3` has no name: point at the `=`.
        let span = if command.name.is_empty() {
            command.name.start..command.name.start + 1
        } else {
            command.name.clone()
        };
        let key = String::from_utf8_lossy(&commands::canonical(written.as_bytes())).into_owned();
        let suggestion = *suggestions.entry(key).or_insert_with_key(|key| {
            (!key.is_empty())
                .then(|| did_you_mean(key, commands::all().iter().map(|c| c.name)))
                .flatten()
        });
        let suggestion = suggestion.map(|name| in_the_same_style(written, name));
        let message = if written.is_empty() {
            "a line starting with `=` names no command: wget stops with an error and downloads nothing".to_string()
        } else {
            format!("unknown command `{written}`: wget stops with an error and downloads nothing")
        };
        let diagnostic = cx.report(span.clone(), message);
        diagnostic.note(format!(
            "wget says: Unknown command ‘{written}’ (names are matched without `_` and `-`, in any case)"
        ));
        if let Some(name) = suggestion {
            diagnostic.note(format!("did you mean `{name}`?"));
            if !command.name.is_empty() {
                diagnostic.fix(Fix::unsafe_(
                    format!("write `{name}`"),
                    vec![Edit::replace(span, name)],
                ));
            }
        }
    }
}

/// The suggested name with the separators and case the user wrote, where they line up:
/// `http_prxy` → `http_proxy`.
fn in_the_same_style(written: &str, name: &str) -> String {
    let mut out = String::new();
    let mut rest = name.chars().peekable();
    for c in written.chars() {
        if c == '_' || c == '-' {
            out.push(c);
        } else if rest.peek() == Some(&c.to_ascii_lowercase()) {
            rest.next();
            out.push(c);
        } else {
            break;
        }
    }
    out.extend(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::in_the_same_style;

    #[test]
    fn keeps_the_users_style() {
        assert_eq!(in_the_same_style("http_prxy", "httpproxy"), "http_proxy");
        assert_eq!(in_the_same_style("progres", "progress"), "progress");
        assert_eq!(in_the_same_style("Use-Proxi", "useproxy"), "Use-Proxy");
    }
}
