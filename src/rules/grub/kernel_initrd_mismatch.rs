//! GRB004: an entry whose kernel and initrd are of different kernel versions.

use crate::formats::grub::system::{boot_file, version};
use crate::formats::grub::GrubFile;
use crate::rules::Reporter;

grub_rule! {
    code: "GRB004",
    name: "kernel-initrd-mismatch",
    prefilter: &[&["initrd"]],
    uses_workspace: false,
    run: run,
}

fn run(file: &GrubFile, cx: &mut Reporter) {
    for entry in &file.menu().entries {
        let (Some(kernel), Some(initrd)) =
            (file.command(entry, "kernel"), file.command(entry, "initrd"))
        else {
            continue;
        };
        let (Some(k), Some(i)) = (boot_file(kernel), boot_file(initrd)) else {
            continue;
        };
        let kernel_name = String::from_utf8_lossy(&kernel.seen()[k.clone()]).into_owned();
        let initrd_name = String::from_utf8_lossy(&initrd.seen()[i.clone()]).into_owned();
        let (Some(kv), Some(iv)) = (version(&kernel_name), version(&initrd_name)) else {
            continue;
        };
        if kv == iv {
            continue;
        }
        cx.report(
            initrd.source_span(i),
            format!("the initrd is for kernel {iv} but `{}` boots kernel {kv}: its modules do not load, and the root file system may not mount", file.title(entry)),
        )
        .label(kernel.source_span(k), format!("kernel {kv}"));
    }
}
