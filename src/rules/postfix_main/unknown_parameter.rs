//! PFM001: a parameter Postfix does not know, which it ignores ("unused parameter"), and the
//! read-only ones it drops.

use crate::formats::postfix_conf::catalogue;
use crate::formats::postfix_conf::MainCf;
use crate::rules::Reporter;

main_rule! {
    code: "PFM001",
    name: "unknown-parameter",
    prefilter: &[],
    uses_workspace: true,
    run: run,
}

fn run(main: &MainCf, cx: &mut Reporter) {
    let names = super::names(main, cx);
    let path = super::shown(main);
    for &i in main.effective() {
        let entry = &main.entries[i];
        let name = main.name(entry);
        let span = super::name_span(main, entry);
        if catalogue::param(name).is_some_and(|p| p.readonly) {
            let value = main.value(entry);
            let d = cx.report(
                span,
                format!("read-only parameter assignment: `{name}` is set by Postfix itself, which ignores this line"),
            );
            d.note(format!(
                "postconf: warning: {path}: read-only parameter assignment: {name}={value}"
            ));
            continue;
        }
        if names.is_known(name) {
            continue;
        }
        let value = main.value(entry);
        let d = cx.report(
            span,
            format!("unused parameter: Postfix does not know `{name}` and ignores it"),
        );
        let lower = name.to_ascii_lowercase();
        if lower != name && catalogue::param(&lower).is_some() {
            d.note(format!(
                "parameter names are case-sensitive: did you mean `{lower}`?"
            ));
        } else if let Some(like) = catalogue::suggestion(name) {
            d.note(format!("did you mean `{like}`?"));
        }
        if !names.with_master {
            d.note("no master.cf beside this file: parameters of its services (`SERVICE_destination_recipient_limit`…) could not be recognised");
        }
        d.note(format!(
            "postconf: warning: {path}: unused parameter: {name}={value}"
        ));
    }
}
