//! APA008: database credentials in a `.htaccess`: anyone who can read the web tree (and the
//! web server user, and a served backup such as `.htaccess.bak`) reads them.

use crate::formats::apache::ApacheFile;
use crate::rules::Reporter;

apache_rule! {
    code: "APA008",
    name: "credentials-in-web-tree",
    prefilter: &[&["password", "_info", "dbdparams"]],
    run: run,
}

fn run(file: &ApacheFile, cx: &mut Reporter) {
    if !file.htaccess {
        return;
    }
    let root_user = file.directives().find(|(_, n)| {
        ["AuthMySQLUser", "Auth_MySQL_User", "AuthMySQL_User"]
            .iter()
            .any(|d| n.name.eq_ignore_ascii_case(d))
            && n.args.first().is_some_and(|a| a.value == "root")
    });
    for (i, node) in file.directives() {
        let name = node.name.to_ascii_lowercase();
        let credential = match name.as_str() {
            "authmysqlpassword" | "auth_mysql_password" | "authmysql_password" => true,
            "auth_mysql_info" | "authmysql_info" => node.args.len() >= 3,
            "dbdparams" => node.args.iter().any(|a| a.value.contains("pass=")),
            _ => false,
        };
        if !credential {
            continue;
        }
        let d = cx.report(
            file.node_span(i),
            format!(
                "`{}` puts a database password in a .htaccess: whoever can read the web tree, or a served backup of this file, can read it",
                node.name
            ),
        );
        if let Some((user, _)) = root_user {
            d.label(
                file.node_span(user),
                "and the account is MySQL's `root`: the password opens every database",
            );
        }
        d.note("move the credentials to the server configuration (`<Directory>` in /etc/apache2, readable by root only), or better to mod_authn_dbd's `DBDParams`, which is server-wide only");
    }
}
