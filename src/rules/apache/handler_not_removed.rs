//! APA012: `RemoveHandler .php`, meant to show a PHP file as text, does nothing where PHP is
//! mapped by `SetHandler` inside `<FilesMatch>` (Debian's `mods-available/php8.2.conf`): the
//! file is still executed. `SetHandler None` is what stops it (observed with Apache 2.4.71 and
//! mod_php on Debian 12). The same holds for `.cgi`/`.pl` under `SetHandler cgi-script`.

use crate::diagnostic::{Label, Severity};
use crate::fix::{Edit, Fix};
use crate::formats::apache::facts::ServerIndex;
use crate::formats::apache::ApacheFile;
use crate::rules::Reporter;

apache_rule! {
    code: "APA012",
    name: "handler-not-removed",
    prefilter: &[&["removehandler"]],
    uses_workspace: true,
    run: run,
}

const PHP: &[&str] = &[".php", ".phtml", ".phar", ".php5", ".php7"];
const CGI: &[&str] = &[".cgi", ".pl"];

fn run(file: &ApacheFile, cx: &mut Reporter) {
    for (i, node) in file.directives() {
        if !node.name.eq_ignore_ascii_case("RemoveHandler") {
            continue;
        }
        let Some(ext) = node.args.iter().find_map(|a| {
            let e = a.value.to_ascii_lowercase();
            let e = if e.starts_with('.') {
                e
            } else {
                format!(".{e}")
            };
            (PHP.contains(&e.as_str()) || CGI.contains(&e.as_str())).then_some(e)
        }) else {
            continue;
        };
        let php = PHP.contains(&ext.as_str());
        // The server configuration in the run that maps it with SetHandler; a file that is
        // not a .htaccess is server configuration itself.
        let index = ServerIndex::of(cx.workspace());
        let server_config_seen = !file.htaccess || index.server_config;
        let mapping = index.set_handlers.iter().find(|(_, m)| {
            let h = m.handler.to_ascii_lowercase();
            if php {
                h.contains("php")
            } else {
                h == "cgi-script"
            }
        });
        if server_config_seen && mapping.is_none() {
            continue;
        }
        let handler = if php {
            "application/x-httpd-php"
        } else {
            "cgi-script"
        };
        let d = cx.report(
            file.node_span(i),
            format!(
                "`RemoveHandler {ext}` does not stop `SetHandler {handler}` set inside `<FilesMatch>`: the file is still executed, not shown as text"
            ),
        );
        match &mapping {
            Some((path, m)) => {
                d.labels.push(Label {
                    path: Some(path.to_path_buf()),
                    span: m.span.clone(),
                    message: format!("`SetHandler {}` maps it here", m.handler),
                });
            }
            None => {
                d.severity = Severity::Warning;
                d.note(format!(
                    "no server configuration in this run: Debian's default (mods-available/{}) maps it with `SetHandler` inside `<FilesMatch>`",
                    if php { "php8.2.conf" } else { "serve-cgi-bin.conf" }
                ));
            }
        }
        d.note("`SetHandler None` in the same section stops the handler (`ForceType text/plain` then serves the source)");
        let end = node.args.last().map_or(node.name_span.end, |a| a.span.end);
        d.fix(Fix::unsafe_(
            "write `SetHandler None`",
            vec![Edit::replace(node.name_span.start..end, "SetHandler None")],
        ));
    }
}
