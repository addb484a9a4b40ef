//! APA002: a closing tag that does not close the section it is in (`Expected </Files> but saw
//! </Directory>`), or that lacks its `>` (`</Files >`). httpd refuses the file.

use crate::formats::apache::{ApacheFile, Problem};
use crate::rules::Reporter;

apache_rule! {
    code: "APA002",
    name: "mismatched-section-end",
    prefilter: &[&["</"]],
    run: run,
}

fn run(file: &ApacheFile, cx: &mut Reporter) {
    let refused = if file.htaccess {
        "every request under this directory gets HTTP 500"
    } else {
        "Apache refuses the whole configuration"
    };
    for problem in &file.problems {
        match *problem {
            Problem::Mismatched { close, open } => {
                let expected = &file.nodes[open].name;
                let saw = &file.nodes[close].name;
                cx.report(
                    file.nodes[close].name_span.clone(),
                    format!("`</{saw}>` closes `<{expected}>`: {refused}"),
                )
                .label(
                    file.nodes[open].name_span.clone(),
                    format!("`<{expected}>` opened here"),
                )
                .note(format!(
                    "Apache says: Expected </{expected}> but saw </{saw}>"
                ));
            }
            Problem::CloseWithoutBracket { close } => {
                let saw = &file.nodes[close].name;
                cx.report(
                    file.node_span(close),
                    format!("`</{saw}` must be one word ending in `>`: {refused}"),
                )
                .note(format!(
                    "Apache says: </{saw}> directive missing closing '>'"
                ));
            }
            Problem::SkippedMismatch {
                container,
                close,
                ref expected,
            } => {
                let container_name = &file.nodes[container].name;
                let saw = file.nodes[close].name.trim_end_matches('>');
                cx.report(
                    file.node_span(container),
                    format!(
                        "`</{saw}>` inside the skipped `<{container_name}>` closes `<{expected}>`: {refused} (where the condition is false)"
                    ),
                )
                .label(file.nodes[close].name_span.clone(), "this closing tag")
                .note(format!(
                    "Apache says: Expected </{expected}> but saw </{saw}> (on the <{container_name}> line)"
                ));
            }
            _ => {}
        }
    }
}
