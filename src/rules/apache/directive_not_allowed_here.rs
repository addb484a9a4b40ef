//! APA005: a directive where httpd does not allow it (`Listen not allowed in <Directory>
//! context`, `AllowOverride not allowed here` in a `.htaccess`, `<VirtualHost> cannot occur
//! within <VirtualHost> section`…), from the contexts `apache2 -L` gives each directive.

use crate::formats::apache::catalogue::{Context, Override};
use crate::formats::apache::{ApacheFile, NodeKind};
use crate::rules::Reporter;

apache_rule! {
    code: "APA005",
    name: "directive-not-allowed-here",
    prefilter: &[],
    run: run,
}

fn is(name: &str, names: &[&str]) -> bool {
    names.iter().any(|n| n.eq_ignore_ascii_case(name))
}

fn run(file: &ApacheFile, cx: &mut Reporter) {
    let refused = if file.htaccess {
        "every request under this directory gets HTTP 500"
    } else {
        "Apache refuses the whole configuration"
    };
    for (i, node, spec) in file.catalogued() {
        let Some(spec) = spec else {
            continue;
        };
        // httpd names the directive as its module spells it (`MimeMagicFile`, `Include`).
        let says = spec.name;
        let at = file.contexts()[i];
        let name_of = |n: Option<usize>| n.map(|n| file.nodes[n].name.as_str());
        let innermost = name_of(at.innermost);
        let in_dir = name_of(at.per_directory);
        let apache_says = if let Some(require) = innermost
            .filter(|n| is(n, &["RequireAll", "RequireAny", "RequireNone"]))
            .filter(|_| {
                !is(
                    &node.name,
                    &["Require", "RequireAll", "RequireAny", "RequireNone"],
                )
            }) {
            Some(format!("{says} not allowed in <{require}> context"))
        } else if node.kind == NodeKind::Open
            && node.name.eq_ignore_ascii_case("VirtualHost")
            && at.virtual_host.is_some()
        {
            Some("<VirtualHost> cannot occur within <VirtualHost> section".to_string())
        } else if node.kind == NodeKind::Open
            && is(&node.name, &["Files", "FilesMatch"])
            && at.location.is_some()
        {
            Some(format!("{says}> cannot occur within <Location> section"))
        } else if spec.context == Context::Server && in_dir.is_some() {
            Some(format!(
                "{says} not allowed in <{}> context",
                in_dir.unwrap_or_default()
            ))
        } else if file.htaccess
            && (spec.htaccess == Override::Never || spec.context == Context::Server)
        {
            Some(format!("{says} not allowed here"))
        } else if spec.context == Context::Directory && in_dir.is_none() && !file.htaccess {
            match at.virtual_host {
                Some(_) if node.name.eq_ignore_ascii_case("AllowOverride") => {
                    Some(format!("{says} not allowed in <VirtualHost> context"))
                }
                _ => Some(format!("{says} not allowed here")),
            }
        } else {
            None
        };
        let Some(apache_says) = apache_says else {
            continue;
        };
        let place = if file.htaccess && innermost.is_none() {
            "in a .htaccess".to_string()
        } else if let Some(section) = innermost {
            format!("inside `<{section}>`")
        } else {
            "at the top level".to_string()
        };
        let shown = if node.kind == NodeKind::Open {
            format!("<{}>", node.name)
        } else {
            node.name.clone()
        };
        let d = cx.report(
            node.name_span.clone(),
            format!("`{shown}` is not allowed {place}: {refused}"),
        );
        d.note(format!("Apache says: {apache_says}"));
        let allowed = match spec.context {
            Context::Server => "in the server configuration and <VirtualHost> only",
            Context::Directory => "inside <Directory>, <Files>, <Location> or <If> (and .htaccess where its AllowOverride class allows)",
            Context::Anywhere if spec.htaccess == Override::Never => "anywhere in the server configuration, never in .htaccess",
            Context::Anywhere => "anywhere",
        };
        d.note(format!("`{shown}` ({}) is allowed {allowed}", spec.module));
    }
}
