//! APA003: a closing tag with no open section to close (`</Files> without matching <Files>
//! section`). httpd refuses the file.

use crate::formats::apache::{ApacheFile, Problem};
use crate::rules::Reporter;

apache_rule! {
    code: "APA003",
    name: "unmatched-section-end",
    prefilter: &[&["</"]],
    run: run,
}

fn run(file: &ApacheFile, cx: &mut Reporter) {
    for problem in &file.problems {
        let Problem::Unmatched { close } = *problem else {
            continue;
        };
        let node = &file.nodes[close];
        let word = file.text(&node.name_span);
        let bare = word.trim_start_matches("</").trim_end_matches('>');
        let refused = if file.htaccess {
            "every request under this directory gets HTTP 500"
        } else {
            "Apache refuses the whole configuration"
        };
        let d = cx.report(
            node.name_span.clone(),
            format!("`{word}` closes no open section: {refused}"),
        );
        d.note(format!(
            "Apache says: {word} without matching <{bare}{} section",
            if word.ends_with('>') { ">" } else { "" }
        ));
        if let Some((open, _)) = file.ancestors(close).next() {
            d.label(
                file.nodes[open].name_span.clone(),
                format!(
                    "`<{}>` is read on its own: a tag inside it cannot close what is open outside",
                    file.nodes[open].name
                ),
            );
        }
    }
}
