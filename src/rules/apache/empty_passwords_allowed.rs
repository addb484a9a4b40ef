//! APA010: mod_auth_mysql letting a user in without checking any password
//! (`AuthMySQLNoPasswd On`; `Auth_MySQL_Empty_Passwords`, whose default is on).

use crate::fix::{Edit, Fix};
use crate::formats::apache::ApacheFile;
use crate::rules::Reporter;

apache_rule! {
    code: "APA010",
    name: "empty-passwords-allowed",
    prefilter: &[&["mysql"]],
    run: run,
}

fn run(file: &ApacheFile, cx: &mut Reporter) {
    let mut family_4 = None;
    let mut empty_said = false;
    for (i, node) in file.directives() {
        let name = node.name.to_ascii_lowercase();
        let value = node.args.first();
        let on = value.is_some_and(|a| !a.value.eq_ignore_ascii_case("off"));
        match name.as_str() {
            "authmysqlnopasswd" if on => {
                let value = value.expect("on");
                cx.report(
                    file.node_span(i),
                    "`AuthMySQLNoPasswd On` lets a user with an empty password in: anyone who knows a user name gets in",
                )
                .fix(Fix::unsafe_("set it `Off`", vec![Edit::replace(value.span.clone(), "Off")]));
            }
            "auth_mysql_empty_passwords" | "authmysql_empty_passwords" => {
                empty_said = true;
                if on {
                    let value = value.expect("on");
                    cx.report(
                        file.node_span(i),
                        format!("`{} {}` lets a user whose stored password is empty in with any password", node.name, value.value),
                    )
                    .fix(Fix::unsafe_("set it `off`", vec![Edit::replace(value.span.clone(), "off")]));
                }
            }
            _ if family_4.is_none()
                && (name.starts_with("auth_mysql") || name.starts_with("authmysql_")) =>
            {
                family_4 = Some(i);
            }
            _ => {}
        }
    }
    if let (Some(i), false) = (family_4, empty_said) {
        cx.report(
            file.node_span(i),
            "mod-auth-mysql's `Auth_MySQL_Empty_Passwords` is on when not set: a user whose stored password is empty gets in with any password",
        )
        .note("add `Auth_MySQL_Empty_Passwords off`");
    }
}
