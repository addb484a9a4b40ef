//! APA007: `Options +Indexes FollowSymLinks`: httpd 2.4 refuses it ("Either all Options must
//! start with + or -, or no Option may.").

use crate::fix::{Edit, Fix};
use crate::formats::apache::ApacheFile;
use crate::rules::Reporter;

apache_rule! {
    code: "APA007",
    name: "options-mixed-signs",
    prefilter: &[&["options"]],
    run: run,
}

fn run(file: &ApacheFile, cx: &mut Reporter) {
    for (i, node) in file.directives() {
        if !node.name.eq_ignore_ascii_case("Options") {
            continue;
        }
        let signed = |v: &str| v.starts_with('+') || v.starts_with('-');
        let with = node.args.iter().filter(|a| signed(&a.value)).count();
        if with == 0 || with == node.args.len() {
            continue;
        }
        let refused = if file.htaccess {
            "every request under this directory gets HTTP 500"
        } else {
            "Apache refuses the whole configuration"
        };
        let edits: Vec<Edit> = node
            .args
            .iter()
            .filter(|a| !signed(&a.value) && !a.quoted)
            .map(|a| Edit::insert(a.span.start, "+"))
            .collect();
        let d = cx.report(
            file.node_span(i),
            format!("`Options` mixes options with and without `+`/`-`: {refused}"),
        );
        d.note("Apache says: Either all Options must start with + or -, or no Option may.");
        for arg in node.args.iter().filter(|a| !signed(&a.value)) {
            d.label(arg.span.clone(), "no sign");
        }
        if !edits.is_empty() && edits.len() == node.args.len() - with {
            d.fix(Fix::unsafe_("add `+` to the options without a sign", edits));
        }
    }
}
