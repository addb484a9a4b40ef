//! WGT006: a password stored in the wgetrc, an error when the file lets every user read it.

use std::os::unix::fs::PermissionsExt;

use crate::diagnostic::Severity;
use crate::formats::wgetrc::WgetrcFile;
use crate::rules::Reporter;

wgetrc_rule! {
    code: "WGT006",
    name: "plaintext-password",
    prefilter: &[],
    run: run,
}

/// wget's names of the password commands (aliases included).
const PASSWORDS: &[&str] = &[
    "password",
    "httppassword",
    "httppasswd",
    "ftppassword",
    "ftppasswd",
    "passwd",
    "proxypassword",
    "proxypasswd",
];

fn run(file: &WgetrcFile, cx: &mut Reporter) {
    let mut mode = None;
    for (_, command, spec, _) in file.known() {
        if !PASSWORDS.contains(&spec.name) || command.value.is_empty() {
            continue;
        }
        // The file system is asked once, and only for a file that has a password.
        let mode = *mode.get_or_insert_with(|| {
            std::fs::metadata(file.source.path())
                .ok()
                .filter(|m| m.is_file())
                .map(|m| m.permissions().mode())
        });
        let name = file.text(&command.name);
        let readable_by_all = mode.is_some_and(|m| m & 0o004 != 0);
        let message = if readable_by_all {
            format!(
                "`{name}` stores a password in plain text in a file every user can read (mode {:04o})",
                mode.unwrap_or_default() & 0o7777
            )
        } else {
            format!("`{name}` stores a password in plain text: whoever can read this file or its backups can use it")
        };
        let diagnostic = cx.report(command.value.clone(), message);
        if readable_by_all {
            diagnostic.severity = Severity::Error;
            diagnostic.note("make the file readable by its owner only: chmod 600");
        }
        diagnostic.note(
            "`ask_password = on` makes wget ask for it instead; a mode-600 ~/.netrc keeps it out of the wgetrc",
        );
    }
}
