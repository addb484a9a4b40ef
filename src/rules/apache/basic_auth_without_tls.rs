//! APA011: `AuthType Basic` where the password can travel over plain http (RFC 7617 §4: Basic
//! sends it in clear text). In a `<VirtualHost>` without `SSLEngine on` or a redirect to https;
//! in a `.htaccess` or a `<Directory>` of the main server that only virtual hosts without TLS
//! serve (from the server configuration in the run). Where the run does not say how the
//! directory is served, it says nothing: a `.htaccess` alone may well be served over https.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostic::Label;
use crate::formats::apache::facts::{has_tls, under_root, ServerIndex, VhostRoot};
use crate::formats::apache::ApacheFile;
use crate::rules::Reporter;

apache_rule! {
    code: "APA011",
    name: "basic-auth-without-tls",
    prefilter: &[&["basic"]],
    uses_workspace: true,
    run: run,
}

fn run(file: &ApacheFile, cx: &mut Reporter) {
    for (i, node) in file.directives() {
        if !node.name.eq_ignore_ascii_case("AuthType")
            || !node
                .args
                .first()
                .is_some_and(|a| a.value.eq_ignore_ascii_case("Basic"))
        {
            continue;
        }
        let at = file.contexts()[i];
        // The section it is in may itself require TLS (`SSLRequireSSL`).
        let section = at.per_directory.map_or(0..file.nodes.len(), |d| {
            d + 1..file.nodes[d].end.unwrap_or(file.nodes.len())
        });
        if has_tls(file, section) {
            continue;
        }
        let plain: Label = if let Some(v) = at.virtual_host {
            let end = file.nodes[v].end.unwrap_or(file.nodes.len());
            if has_tls(file, v + 1..end) {
                continue;
            }
            Label {
                path: None,
                span: file.node_span(v),
                message: "this virtual host has neither `SSLEngine on` nor a redirect to https"
                    .to_string(),
            }
        } else {
            let dir: PathBuf = if file.htaccess {
                cx.file().parent().unwrap_or(Path::new("/")).to_path_buf()
            } else {
                let Some(path) = at
                    .per_directory
                    .map(|d| &file.nodes[d])
                    .filter(|d| d.name.eq_ignore_ascii_case("Directory"))
                    .and_then(|d| d.args.first())
                    .filter(|a| a.value.starts_with('/'))
                else {
                    continue;
                };
                let workspace = cx.workspace();
                workspace.key(&workspace.resolve(Path::new("/"), &path.value))
            };
            let Some((path, root)) = only_plain(cx, &dir) else {
                continue;
            };
            Label {
                path: Some(path.to_path_buf()),
                span: root.vhost_span.clone(),
                message: format!(
                    "serves `{}` without TLS, and no virtual host with TLS serves it",
                    root.path
                ),
            }
        };
        let d = cx.report(
            file.node_span(i),
            "`AuthType Basic` over plain http: the password crosses the network in clear text (base64) with every request",
        );
        d.labels.push(plain);
        d.note("serve it over https only: `SSLEngine on` in the virtual host, or redirect http to https (`Redirect permanent / https://…/`), or `SSLRequireSSL` beside `AuthType`");
    }
}

/// A virtual host without TLS that serves `dir` (the first in the configuration's order), when
/// no virtual host with TLS does.
fn only_plain(cx: &Reporter, dir: &Path) -> Option<(Arc<Path>, Arc<VhostRoot>)> {
    let workspace = cx.workspace();
    let under = under_root(workspace, dir)?;
    let index = ServerIndex::of(workspace);
    if !index.tls_roots.covering(&under).is_empty() {
        return None;
    }
    let plain = index.plain_roots.covering(&under);
    plain
        .into_iter()
        .min_by_key(|(_, order, _)| *order)
        .map(|(_, _, found)| found.clone())
}
