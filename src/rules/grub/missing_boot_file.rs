//! GRB005: a kernel or initrd that is not under the root, when the grub.conf is that root's.

use crate::formats::grub::system::{boot_file, candidates};
use crate::formats::grub::GrubFile;
use crate::rules::Reporter;

grub_rule! {
    code: "GRB005",
    name: "missing-boot-file",
    prefilter: &[&["kernel", "initrd"]],
    uses_workspace: true,
    run: run,
}

fn run(file: &GrubFile, cx: &mut Reporter) {
    let ws = cx.workspace();
    let here = cx.file().to_path_buf();
    // Only a grub.conf that is the root's own (ROOT/boot/grub/…) says what that root boots: a
    // sample in a repository names files of another machine.
    let root = ws.key(&ws.resolve(&here, "/"));
    let own = ["boot/grub", "grub"]
        .iter()
        .any(|dir| here.parent() == Some(root.join(dir).as_path()));
    if !own {
        return;
    }
    for entry in &file.menu().entries {
        for name in ["kernel", "initrd"] {
            let Some(line) = file.command(entry, name) else {
                continue;
            };
            let Some(word) = boot_file(line) else {
                continue;
            };
            let written = String::from_utf8_lossy(&line.seen()[word.clone()]).into_owned();
            let tried = candidates(ws, &here, &written);
            if tried.is_empty() || tried.iter().any(|(p, _)| p.is_file()) {
                continue;
            }
            let places: Vec<String> = tried.iter().map(|(_, s)| format!("`{s}`")).collect();
            cx.report(
                line.source_span(word),
                format!(
                    "the {name} of `{}` is not there ({} under the root): booting it fails",
                    file.title(entry),
                    places.join(" nor ")
                ),
            );
        }
    }
}
