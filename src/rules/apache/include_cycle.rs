//! APA013: an `Include`/`IncludeOptional` chain that leads back to the file that starts it.
//! httpd follows it until its depth limit and refuses the configuration: "Exceeded maximum
//! include depth of 128, There appears to be a recursion." (Apache 2.4.71). The workspace reads
//! each file once, cycles included; this rule walks the references it resolved. Each cycle is
//! reported once, in its file whose name sorts first, with the other links as labels.

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::PathBuf;

use crate::diagnostic::Label;
use crate::formats::apache::ApacheFile;
use crate::formats::Format;
use crate::rules::Reporter;
use crate::workspace::Role;

apache_rule! {
    code: "APA013",
    name: "include-cycle",
    prefilter: &[&["include"]],
    uses_workspace: true,
    run: run,
}

/// One link of a chain: the file (its key) and which of its references.
type Hop = (PathBuf, usize);

fn run(_file: &ApacheFile, cx: &mut Reporter) {
    let workspace = cx.workspace();
    let me = cx.file().to_path_buf();
    if workspace.file(&me).is_none() {
        return;
    }
    // Apache references of a file: (reference index, target key).
    let links = |key: &PathBuf| -> Vec<(usize, PathBuf)> {
        let Some(entry) = workspace.file(key) else {
            return Vec::new();
        };
        (entry.facts.references.iter().enumerate())
            .filter(|(_, r)| r.role == Role::Check(Format::Apache))
            .map(|(n, _)| (n, workspace.key(&entry.resolved[n])))
            .collect()
    };
    // Breadth first from this file: each file reached, with the hop that reached it.
    let mut reached: HashMap<PathBuf, Hop> = HashMap::new();
    let mut queue = VecDeque::from([me.clone()]);
    let mut closing: Vec<Hop> = Vec::new();
    while let Some(at) = queue.pop_front() {
        for (n, target) in links(&at) {
            if target == me {
                closing.push((at.clone(), n));
            } else if !reached.contains_key(&target) {
                reached.insert(target.clone(), (at.clone(), n));
                queue.push_back(target);
            }
        }
    }
    let mut reported: HashSet<std::ops::Range<usize>> = HashSet::new();
    for last in closing {
        // me → … → last.0 → me, as hops from this file.
        let mut chain = vec![last];
        while chain.last().is_some_and(|(from, _)| *from != me) {
            let from = &chain.last().expect("not empty").0;
            chain.push(reached[from].clone());
        }
        chain.reverse();
        if chain.iter().any(|(from, _)| *from < me) {
            continue;
        }
        let entry_of = |key: &PathBuf| workspace.file(key).expect("reached files are in the run");
        let own = &entry_of(&me).facts.references[chain[0].1];
        if !reported.insert(own.span.clone()) {
            continue;
        }
        let names: Vec<String> = chain
            .iter()
            .map(|(from, _)| entry_of(from).path.display().to_string())
            .chain(std::iter::once(entry_of(&me).path.display().to_string()))
            .collect();
        let d = cx.report(
            own.span.clone(),
            format!(
                "this include leads back to this file ({}): httpd refuses the configuration",
                names.join(" → ")
            ),
        );
        for (from, n) in chain.iter().skip(1) {
            let entry = entry_of(from);
            d.labels.push(Label {
                path: Some(entry.path.clone()),
                span: entry.facts.references[*n].span.clone(),
                message: format!("includes `{}`", entry.facts.references[*n].written),
            });
        }
        d.note(
            "Apache says: Exceeded maximum include depth of 128, There appears to be a recursion.",
        );
    }
}
