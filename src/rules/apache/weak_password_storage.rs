//! APA009: mod_auth_mysql told to compare passwords stored as plaintext, DES crypt, old MySQL
//! hashes or unsalted MD5/SHA1, including its default (`crypt`) when nothing is said.

use crate::formats::apache::ApacheFile;
use crate::rules::Reporter;

apache_rule! {
    code: "APA009",
    name: "weak-password-storage",
    prefilter: &[&["mysql"]],
    run: run,
}

const WEAK_3: &[&str] = &["none", "crypt", "scrambled", "md5", "sha1"];
const WEAK_4: &[&str] = &["plaintext", "crypt_des", "mysql", "php_md5", "sha1sum"];

fn run(file: &ApacheFile, cx: &mut Reporter) {
    let mut said = false;
    let mut enabled = None;
    for (i, node) in file.directives() {
        let name = node.name.to_ascii_lowercase();
        match name.as_str() {
            "authmysqlpwencryption" => {
                said = true;
                if let Some(arg) = node.args.first() {
                    if WEAK_3.contains(&arg.value.to_ascii_lowercase().as_str()) {
                        cx.report(
                            arg.span.clone(),
                            format!("`AuthMySQLPwEncryption {}` stores passwords a stolen table gives away", arg.value),
                        )
                        .note(explain());
                    }
                }
            }
            "auth_mysql_encryption_types" | "authmysql_encryption_types" => {
                said = true;
                for arg in &node.args {
                    if WEAK_4.contains(&arg.value.to_ascii_lowercase().as_str()) {
                        cx.report(
                            arg.span.clone(),
                            format!("`{}` accepts passwords stored as `{}`, which a stolen table gives away", node.name, arg.value),
                        )
                        .note(explain());
                    }
                }
            }
            "authmysqlenable"
                if node
                    .args
                    .first()
                    .is_some_and(|a| a.value.eq_ignore_ascii_case("on")) =>
            {
                enabled = Some(i);
            }
            _ => {}
        }
    }
    if let (Some(i), false) = (enabled, said) {
        cx.report(
            file.node_span(i),
            "mod_auth_mysql without `AuthMySQLPwEncryption` compares DES `crypt` hashes: only the first 8 characters of a password count",
        )
        .note(explain());
    }
}

fn explain() -> &'static str {
    "Apache's Password Formats page: CRYPT uses only the first 8 characters, SHA1 and MD5 without salt are insecure, bcrypt (`$2y$`, `htpasswd -B`) is the strong choice; a CHAR(20) password column cannot hold it"
}
