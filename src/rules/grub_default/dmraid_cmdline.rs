//! GRB010: GRUB 2 on a system with md RAID whose initrd (dracut) carries dmraid, without
//! `rd.dm=0` or `nodmraid` on the kernel command line.

use crate::diagnostic::Label;
use crate::fix::{Edit, Fix};
use crate::formats::grub::{disables_dmraid, initrd, system};
use crate::formats::grub_default::GrubDefaultFile;
use crate::rules::Reporter;

crate::rule! {
    code: "GRB010",
    name: "dmraid-cmdline",
    folder: "grub-default",
    formats: &[crate::formats::Format::GrubDefault],
    prefilter: &[],
    uses_workspace: true,
    check: crate::rules::grub_default::GrubDefaultCheck { run },
}

/// The initrd images of /boot: dracut's `initramfs-*.img`, Debian's `initrd.img-*`.
fn images(boot: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out: Vec<std::path::PathBuf> = std::fs::read_dir(boot)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                (n.starts_with("initramfs-") || n.starts_with("initrd")) && !n.contains("kdump")
            })
        })
        .filter(|p| p.is_file())
        .collect();
    out.sort();
    out
}

fn run(file: &GrubDefaultFile, cx: &mut Reporter) {
    let cmdline = file.last("GRUB_CMDLINE_LINUX");
    let words: Vec<&str> = cmdline.map_or(Vec::new(), |a| a.value.split_whitespace().collect());
    if disables_dmraid(words.iter().copied()) {
        return;
    }
    let ws = cx.workspace();
    let here = cx.file().to_path_buf();
    let evidence = system::md_raid(ws, &here);
    if evidence.is_empty() {
        return;
    }
    let boot = ws.resolve(&here, "/boot");
    let found = images(&boot).into_iter().find_map(|image| {
        let inspected = initrd::inspect(&image);
        let shows = inspected.as_ref().as_ref().ok()?.dmraid.clone()?;
        Some((image, shows))
    });
    let Some((image, shows)) = found else {
        return;
    };
    let name = image
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (span, edit) = match cmdline {
        Some(a) => {
            let sep = if a.value.trim().is_empty() { "" } else { " " };
            let edit = match a.quote {
                Some(_) => Edit::insert(a.append_at, format!("{sep}rd.dm=0")),
                None if a.raw.is_empty() => Edit::replace(a.raw.clone(), "\"rd.dm=0\""),
                None => Edit::replace(a.raw.clone(), format!("\"{}{sep}rd.dm=0\"", a.value)),
            };
            (a.name.start..a.raw.end, edit)
        }
        None => {
            let end = file.source.bytes().len();
            let newline = if end == 0 || file.source.bytes()[end - 1] == b'\n' {
                ""
            } else {
                "\n"
            };
            (
                0..0,
                Edit::insert(end, format!("{newline}GRUB_CMDLINE_LINUX=\"rd.dm=0\"\n")),
            )
        }
    };
    let d = cx.report(
        span,
        format!("md RAID is in use and the initrd `/boot/{name}` carries dmraid ({shows}), but GRUB_CMDLINE_LINUX has no `rd.dm=0`: dmraid may claim the disks before mdadm"),
    );
    for ev in &evidence {
        d.labels.push(Label {
            path: Some(ev.path.clone()),
            span: ev.span.clone(),
            message: format!("md RAID in use: `{}` in {}", ev.line, ev.system_path),
        });
    }
    d.note("then regenerate grub.cfg: `grub2-mkconfig -o /boot/grub2/grub.cfg` (RHEL) or `update-grub` (Debian)");
    d.fix(Fix::safe("add `rd.dm=0` to GRUB_CMDLINE_LINUX", vec![edit]));
}
