//! APA008: database credentials in a `.htaccess`, or in any Apache file under a `DocumentRoot`
//! of the server configuration in the run (an included `site.conf` kept in the web tree):
//! anyone who can read the web tree (and the web server user, and a served backup such as
//! `.htaccess.bak`) reads them.

use std::path::Path;
use std::sync::Arc;

use crate::diagnostic::Label;
use crate::formats::apache::facts::{under_root, ServerIndex, WebRoot};
use crate::formats::apache::ApacheFile;
use crate::rules::Reporter;

apache_rule! {
    code: "APA008",
    name: "credentials-in-web-tree",
    prefilter: &[&["password", "_info", "dbdparams"]],
    uses_workspace: true,
    run: run,
}

/// The `DocumentRoot` of the run's server configuration that `file` (a workspace key) is under.
fn web_root(cx: &Reporter, file: &Path) -> Option<(Arc<Path>, Arc<WebRoot>)> {
    let workspace = cx.workspace();
    let under = under_root(workspace, file.parent()?)?;
    let index = ServerIndex::of(workspace);
    let roots = index.document_roots.covering(&under);
    roots
        .into_iter()
        // `DocumentRoot /` would make every file "in the web tree".
        .filter(|(depth, _, _)| *depth > 0)
        .min_by_key(|(_, order, _)| *order)
        .map(|(_, _, found)| found.clone())
}

fn run(file: &ApacheFile, cx: &mut Reporter) {
    let has_credentials = file.directives().any(|(_, n)| credential(n));
    if !has_credentials {
        return;
    }
    let served = if file.htaccess {
        None
    } else {
        match web_root(cx, cx.file()) {
            Some(found) => Some(found),
            None => return,
        }
    };
    let root_user = file.directives().find(|(_, n)| {
        ["AuthMySQLUser", "Auth_MySQL_User", "AuthMySQL_User"]
            .iter()
            .any(|d| n.name.eq_ignore_ascii_case(d))
            && n.args.first().is_some_and(|a| a.value == "root")
    });
    for (i, node) in file.directives() {
        if !credential(node) {
            continue;
        }
        let place = if served.is_some() {
            "a file under the DocumentRoot"
        } else {
            "a .htaccess"
        };
        let d = cx.report(
            file.node_span(i),
            format!(
                "`{}` puts a database password in {place}: whoever can read the web tree, or a served backup of this file, can read it",
                node.name
            ),
        );
        if let Some((path, root)) = &served {
            d.labels.push(Label {
                path: Some(path.to_path_buf()),
                span: root.span.clone(),
                message: "the web tree starts here".to_string(),
            });
        }
        if let Some((user, _)) = root_user {
            d.label(
                file.node_span(user),
                "and the account is MySQL's `root`: the password opens every database",
            );
        }
        d.note("move the credentials to the server configuration (`<Directory>` in /etc/apache2, readable by root only), or better to mod_authn_dbd's `DBDParams`, which is server-wide only");
    }
}

fn credential(node: &crate::formats::apache::Node) -> bool {
    match node.name.to_ascii_lowercase().as_str() {
        "authmysqlpassword" | "auth_mysql_password" | "authmysql_password" => true,
        "auth_mysql_info" | "authmysql_info" => node.args.len() >= 3,
        "dbdparams" => node.args.iter().any(|a| a.value.contains("pass=")),
        _ => false,
    }
}
