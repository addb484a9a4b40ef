//! WGT002: a value wget rejects for its command, which makes wget refuse to run.

use crate::fix::{Edit, Fix};
use crate::formats::wgetrc::commands::Kind;
use crate::formats::wgetrc::values::Verdict;
use crate::formats::wgetrc::WgetrcFile;
use crate::rules::Reporter;

wgetrc_rule! {
    code: "WGT002",
    name: "invalid-value",
    prefilter: &[],
    run: run,
}

fn run(file: &WgetrcFile, cx: &mut Reporter) {
    for (_, command, spec, verdict) in file.known() {
        let Verdict::Invalid { wget, expected } = verdict else {
            continue;
        };
        let name = file.text(&command.name);
        let value = file.text(&command.value);
        let (span, what) = if command.value.is_empty() {
            (command.name.clone(), format!("`{name}` has no value"))
        } else if spec.kind == Kind::FileOnce {
            (
                command.name.clone(),
                format!("`{name}` is given a second time"),
            )
        } else {
            (
                command.value.clone(),
                format!("`{value}` is not a valid value for `{name}`"),
            )
        };
        let diagnostic = cx.report(
            span,
            format!("{what}: wget stops with an error and downloads nothing"),
        );
        diagnostic.note(format!("wget says: {wget}"));
        if spec.kind == Kind::Choice {
            diagnostic.note(format!(
                "`{name}` takes one of: {} (any case)",
                spec.words.join(", ")
            ));
        } else {
            diagnostic.note(format!("`{name}` takes {expected}"));
        }
        let boolean = matches!(spec.kind, Kind::Boolean | Kind::CheckCertificate);
        let replacement = match value.to_ascii_lowercase().as_str() {
            "true" | "enable" | "enabled" if boolean => Some("on"),
            "false" | "disable" | "disabled" if boolean => Some("off"),
            _ => None,
        };
        if let Some(replacement) = replacement {
            diagnostic.fix(Fix::unsafe_(
                format!("write `{replacement}`"),
                vec![Edit::replace(command.value.clone(), replacement)],
            ));
        }
    }
}
