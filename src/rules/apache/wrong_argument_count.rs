//! APA020: a directive with a number of arguments httpd refuses before the directive's own code
//! runs (`ServerName a b`: "ServerName takes one argument, …"; `ExpiresActive yes`:
//! "ExpiresActive must be On or Off"), from `arity.tsv`, which `scripts/apache-arity.sh` probes
//! out of the installed httpd.

use crate::formats::apache::catalogue::ArgKind;
use crate::formats::apache::{ApacheFile, NodeKind};
use crate::rules::Reporter;

apache_rule! {
    code: "APA020",
    name: "wrong-argument-count",
    prefilter: &[],
    run: run,
}

fn run(file: &ApacheFile, cx: &mut Reporter) {
    for (i, node, spec) in file.catalogued() {
        let Some(arity) = spec.and_then(|spec| spec.arity) else {
            continue;
        };
        if !arity.kind.refuses(&node.args) {
            continue;
        }
        // `${VAR}` is replaced before httpd splits the line: its words are not known here.
        let line = file.text(&file.node_span(i));
        if line.contains("${") {
            continue;
        }
        let words: Vec<&str> = node.args.iter().map(|a| a.value.as_str()).collect();
        let refused = if file.htaccess {
            "every request under this directory gets HTTP 500"
        } else {
            "Apache refuses the whole configuration"
        };
        let expected = match arity.kind {
            ArgKind::NoArgs => "takes no argument",
            ArgKind::Take1 => "takes one argument",
            ArgKind::Take2 => "takes two arguments",
            ArgKind::Take3 => "takes three arguments",
            ArgKind::Take12 => "takes one or two arguments",
            ArgKind::Take23 => "takes two or three arguments",
            ArgKind::Take123 => "takes one to three arguments",
            ArgKind::Take13 => "takes one or three arguments",
            ArgKind::Iterate => "needs at least one argument",
            ArgKind::Iterate2 => "needs at least two arguments",
            ArgKind::Flag => "must be `On` or `Off`",
            ArgKind::Handler => "needs an argument",
        };
        let filled: Vec<&str> = words
            .iter()
            .map(|w| if w.is_empty() { "x" } else { w })
            .collect();
        let empty_is_why = !arity.kind.refuses(&filled);
        let given = match (arity.kind, words.len()) {
            _ if empty_is_why => ", and `\"\"` is empty".to_string(),
            (ArgKind::Flag, 0) | (ArgKind::Handler, _) => ", and has none".to_string(),
            (ArgKind::Flag, _) if words[0].is_empty() => ", not an empty `\"\"`".to_string(),
            (ArgKind::Flag, _) => format!(", not `{}`", shortened(words[0])),
            (_, 0) => ", and has none".to_string(),
            (_, 1) => ", not 1".to_string(),
            (_, n) => format!(", not {n}"),
        };
        let written = if node.kind == NodeKind::Open {
            format!("<{}>", node.name)
        } else {
            node.name.clone()
        };
        let d = cx.report(
            file.node_span(i),
            format!("`{written}` {expected}{given}: {refused}"),
        );
        d.note(format!("Apache says: {}", arity.message));
        if empty_is_why {
            d.note("`\"\"` is an empty argument: httpd counts it as missing");
        }
        if let Some(hash) = node
            .args
            .iter()
            .find(|a| !a.quoted && a.value.starts_with('#'))
        {
            d.label(
                hash.span.clone(),
                "not a comment: httpd reads it as an argument",
            );
            d.note("a comment must stand on its own line: after a directive, `#` and what follows are arguments");
        }
    }
}

/// A value short enough for a message (a hostile file's 10 MB word is not repeated).
fn shortened(value: &str) -> String {
    const MAX: usize = 40;
    match value.char_indices().nth(MAX) {
        Some((end, _)) => format!("{}…", &value[..end]),
        None => value.to_string(),
    }
}
