//! GRB006: `password` without `--md5`: the password is readable in the file.

use crate::fix::{Edit, Fix};
use crate::formats::grub::GrubFile;
use crate::rules::Reporter;

grub_rule! {
    code: "GRB006",
    name: "plaintext-menu-password",
    prefilter: &[&["password"]],
    uses_workspace: false,
    run: run,
}

fn run(file: &GrubFile, cx: &mut Reporter) {
    for line in file.lines.iter().filter(|l| l.is("password")) {
        let seen = line.seen();
        let words = line.words();
        let Some(first) = words.first() else {
            continue;
        };
        if &seen[first.clone()] == b"--md5" || seen[first.clone()].starts_with(b"--") {
            continue;
        }
        let span = line.source_span(first.clone());
        let d = cx.report(
            span.clone(),
            "`password` in plain text: whoever can read this file (or its backups) can unlock the menu and edit the kernel line",
        );
        // GRUB compares the hash of what is typed with the `$1$` md5-crypt string.
        let Ok(password) = std::str::from_utf8(&seen[first.clone()]) else {
            continue;
        };
        // GRUB legacy knows no other scheme than md5-crypt.
        #[allow(deprecated)]
        let hash = pwhash::md5_crypt::hash(password);
        if let Ok(hash) = hash {
            d.fix(Fix::safe(
                "store the password as an md5-crypt hash (`password --md5`)",
                vec![Edit::replace(span, format!("--md5 {hash}"))],
            ));
        }
        d.note("`grub-md5-crypt` (or `md5crypt` in the grub shell) makes the hash by hand");
    }
}
