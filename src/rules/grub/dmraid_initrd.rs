//! GRB001: md software RAID is in use, and the entry GRUB boots has an initrd that starts
//! dmraid, which claims the disks first (mdadm: "Device or resource busy"), with no entry
//! booting an initrd without it.

use std::collections::BTreeMap;

use crate::diagnostic::{Label, Severity};
use crate::fix::{Edit, Fix};
use crate::formats::grub::system::{self, boot_file, locate, version};
use crate::formats::grub::{disables_dmraid, initrd, DefaultEntry, Entry, GrubFile, Line};
use crate::rules::Reporter;

grub_rule! {
    code: "GRB001",
    name: "dmraid-initrd",
    prefilter: &[&["initrd"]],
    uses_workspace: true,
    run: run,
}

fn words(line: &Line) -> Vec<String> {
    let seen = line.seen();
    (line.words().into_iter())
        .map(|w| String::from_utf8_lossy(&seen[w]).into_owned())
        .collect()
}

fn run(file: &GrubFile, cx: &mut Reporter) {
    let menu = file.menu();
    let Some(selected) = file.selected() else {
        return;
    };
    let entry = &menu.entries[selected];
    let Some(initrd_line) = file.command(entry, "initrd") else {
        return;
    };
    let kernel_line = file.command(entry, "kernel");
    let params = kernel_line.map(words).unwrap_or_default();
    if disables_dmraid(params.iter().map(String::as_str)) {
        return;
    }
    let ws = cx.workspace();
    let here = cx.file().to_path_buf();
    let evidence = system::md_raid(ws, &here);
    let md_root = kernel_line.and_then(|line| {
        let seen = line.seen();
        (line.words().into_iter())
            .find(|w| seen[w.clone()].starts_with(b"root=/dev/md"))
            .map(|w| line.source_span(w))
    });
    if evidence.is_empty() && md_root.is_none() {
        return;
    }
    let Some(word) = boot_file(initrd_line) else {
        return;
    };
    let written = String::from_utf8_lossy(&initrd_line.seen()[word.clone()]).into_owned();
    let span = initrd_line.source_span(word.clone());
    let title = file.title(entry);
    let Some((path, system_path)) = locate(ws, &here, &written) else {
        let tried: Vec<String> = (system::candidates(ws, &here, &written).into_iter())
            .map(|(_, s)| format!("`{s}`"))
            .collect();
        let d = cx.report(
            span,
            format!(
                "md RAID is in use, and whether the initrd of `{title}` starts dmraid could not be checked: it is not under the root ({})",
                tried.join(" nor ")
            ),
        );
        d.severity = Severity::Info;
        return;
    };
    let inspected = initrd::inspect(&path);
    let shows = match inspected.as_ref() {
        Ok(found) => match &found.dmraid {
            Some(shows) => shows.clone(),
            None => return,
        },
        Err(why) => {
            let d = cx.report(
                span,
                format!("md RAID is in use, and whether `{system_path}` starts dmraid could not be checked: {why}"),
            );
            d.severity = Severity::Info;
            return;
        }
    };
    if another_without_dmraid(file, cx, selected) {
        return;
    }
    let d = cx.report(
        span,
        format!(
            "md RAID is in use, but `{title}` (the entry GRUB boots) has the initrd `{system_path}`, which starts dmraid ({shows}): dmraid claims the disks at boot and removes their partitions, so mdadm finds them busy"
        ),
    );
    for ev in &evidence {
        d.labels.push(Label {
            path: Some(ev.path.clone()),
            span: ev.span.clone(),
            message: format!("md RAID in use: `{}` in {}", ev.line, ev.system_path),
        });
    }
    if let Some(root) = md_root {
        d.label(root, "the root file system is an md array");
    }
    let kernel_file = kernel_line
        .and_then(|k| boot_file(k).map(|w| String::from_utf8_lossy(&k.seen()[w]).into_owned()));
    let Some(v) = kernel_file
        .as_deref()
        .and_then(version)
        .or_else(|| version(&written))
    else {
        d.note("build an initrd without dmraid (`mkinitrd --omit-dmraid`) and boot it first, the old entry as fallback; or add `nodmraid` to the kernel line");
        return;
    };
    let dir = &written[..written.rfind('/').map_or(0, |i| i + 1)];
    let new_written = format!("{dir}NO_DMRAID_initrd-{v}.img");
    let system_dir = &system_path[..system_path.rfind('/').map_or(0, |i| i + 1)];
    let new_system = format!("{system_dir}NO_DMRAID_initrd-{v}.img");
    d.note(format!(
        "build the initrd without dmraid first: `mkinitrd --omit-dmraid {new_system} {v}`"
    ));
    d.note("or add `nodmraid` to the kernel line, which also keeps rc.sysinit from activating the sets");
    let ready = locate(ws, &here, &new_written)
        .is_some_and(|(p, _)| matches!(initrd::inspect(&p).as_ref(), Ok(i) if i.dmraid.is_none()));
    if let Some(edits) = new_entry(file, entry, selected, initrd_line, word, &new_written) {
        let title = format!(
            "boot a copy of `{title}` with `{new_written}` first, the old entry as fallback"
        );
        d.fix(if ready {
            Fix::safe(title, edits)
        } else {
            Fix::unsafe_(title, edits)
        });
    }
}

/// Whether another entry boots an initrd that was read and has no dmraid.
fn another_without_dmraid(file: &GrubFile, cx: &Reporter, selected: usize) -> bool {
    let ws = cx.workspace();
    let here = cx.file();
    file.menu().entries.iter().any(|entry| {
        entry.number != selected
            && file.command(entry, "initrd").is_some_and(|line| {
                boot_file(line).is_some_and(|w| {
                    let written = String::from_utf8_lossy(&line.seen()[w]).into_owned();
                    locate(ws, here, &written).is_some_and(|(p, _)| {
                        matches!(initrd::inspect(&p).as_ref(), Ok(i) if i.dmraid.is_none())
                    })
                })
            })
    })
}

/// The edits that insert the new entry before `entry`, make it the default and the old one
/// its first fallback (the later fallbacks renumbered).
fn new_entry(
    file: &GrubFile,
    entry: &Entry,
    selected: usize,
    initrd_line: &Line,
    initrd_word: std::ops::Range<usize>,
    new_initrd: &str,
) -> Option<Vec<Edit>> {
    let menu = file.menu();
    let bytes = file.bytes();
    let title_line = &file.lines[entry.title];
    let last = &file.lines[*entry.commands.last()?];
    let start = file.line_start(title_line.span.start);
    let end = file.line_end(last.span.end);
    let mut replaced = vec![
        (
            title_line.args_span(),
            format!("{} WITHOUT DMRAID", file.title(entry)),
        ),
        (initrd_line.source_span(initrd_word), new_initrd.to_string()),
    ];
    replaced.sort_by_key(|(span, _)| span.start);
    let mut text = String::new();
    let mut at = start;
    for (span, replacement) in replaced {
        text.push_str(&String::from_utf8_lossy(&bytes[at..span.start]));
        text.push_str(&replacement);
        at = span.end;
    }
    text.push_str(&String::from_utf8_lossy(&bytes[at..end]));
    if !text.ends_with('\n') {
        text.push('\n');
    }
    let mut inserts: BTreeMap<usize, String> = BTreeMap::new();
    let mut edits = Vec::new();
    // The new entry takes the old one's number; the old one and every later one move by one.
    let shifted = |n: usize| if n >= selected { n + 1 } else { n };
    let mut fallbacks = vec![selected + 1];
    for n in file.fallbacks() {
        let n = shifted(n);
        if !fallbacks.contains(&n) && fallbacks.len() < crate::formats::grub::MAX_FALLBACK {
            fallbacks.push(n);
        }
    }
    let fallback_text: Vec<String> = fallbacks.iter().map(usize::to_string).collect();
    let fallback_text = fallback_text.join(" ");
    match menu.default {
        Some((_, DefaultEntry::Saved)) => return None,
        Some((line, DefaultEntry::Number(n))) if n != selected => {
            edits.push(Edit::replace(
                file.lines[line].args_span(),
                selected.to_string(),
            ));
        }
        _ => {}
    }
    match &menu.fallback {
        Some((line, _)) => {
            edits.push(Edit::replace(file.lines[*line].args_span(), fallback_text));
        }
        None => {
            let at = match menu.default {
                Some((line, _)) => file.line_end(file.lines[line].span.end),
                None => file.line_start(file.lines[menu.entries[0].title].span.start),
            };
            let mut line = format!("fallback {fallback_text}\n");
            if at > 0 && bytes.get(at - 1) != Some(&b'\n') {
                line.insert(0, '\n');
            }
            inserts.entry(at).or_default().push_str(&line);
        }
    }
    inserts.entry(start).or_default().push_str(&text);
    edits.extend(inserts.into_iter().map(|(at, text)| Edit::insert(at, text)));
    edits.sort_by_key(|e| e.span.start);
    Some(edits)
}
