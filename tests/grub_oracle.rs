//! The GRUB legacy shell is the oracle for `etclint dump`: for every grub fixture, the demo and
//! the corpus's menu.lst files (grub-legacy's example, the manual's and augeas's snippets), the
//! menu titles, their numbering, the selected entry and the default entry's commands are
//! what GRUB shows. The file is put on an ext2 image, which the shell reads with GRUB's own
//! file system code (spec: specs/grub.md, "Oracle"); files are checked in parallel threads.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use etclint::formats::Format;
use etclint::source::SourceFile;

mod common;
use common::{corpus_files, files_detected_as, require_program};

/// What the shell shows: the titles by number, the selected entry, the selected entry's
/// commands (`e`); `None` when it shows no menu (no entries: the `grub>` prompt).
#[derive(Debug, PartialEq)]
struct Shown {
    titles: Vec<String>,
    selected: usize,
    locked: bool,
    commands: Vec<String>,
}

fn grub_shows(config: &Path, scratch: &Path) -> Option<Shown> {
    let root = scratch.join("R/boot/grub");
    std::fs::create_dir_all(&root).unwrap();
    // Quirk of the shell, not of GRUB at boot: a `device` line of the global section remaps
    // the shell's drives and it loses the config (it shows the `grub>` prompt). At boot
    // `device` does nothing, so the shell is asked without those lines.
    let text = std::fs::read(config).unwrap();
    let mut in_menu = true;
    let mut kept = Vec::new();
    for line in text.split_inclusive(|&b| b == b'\n') {
        let word: Vec<u8> = line
            .iter()
            .copied()
            .skip_while(|b| b.is_ascii_whitespace())
            .take_while(|b| !b" \t=\r\n".contains(b))
            .collect();
        in_menu &= word != b"title";
        if !(in_menu && word == b"device") {
            kept.extend_from_slice(line);
        }
    }
    std::fs::write(root.join("menu.lst"), kept).unwrap();
    let image = scratch.join("fd.img");
    let status = Command::new("mke2fs")
        .args(["-q", "-F", "-t", "ext2", "-d"])
        .arg(scratch.join("R"))
        .arg(&image)
        .arg("1440")
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "mke2fs failed");
    let devmap = scratch.join("devmap");
    std::fs::write(&devmap, format!("(fd0) {}\n", image.display())).unwrap();
    let mut child = Command::new("timeout")
        .args(["10", "grub", "--no-curses", "--no-floppy"])
        .arg(format!("--device-map={}", devmap.display()))
        .arg("--config-file=(fd0)/boot/grub/menu.lst")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    use std::io::Write;
    // ESC shows a hidden menu (and is ignored by a shown one), `e` opens the selected entry,
    // ESC goes back and `q` leaves the shell.
    child.stdin.take().unwrap().write_all(b"\x1be\x1bq").ok();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).replace('\r', "");
    let menus: Vec<&str> = text.split("GNU GRUB  version").collect();
    let main = menus.get(1)?;
    if !main.contains("The selected entry is") {
        assert!(
            text.contains("grub>"),
            "{}: neither a menu nor the prompt:\n{text}",
            config.display()
        );
        return None;
    }
    let list = |screen: &str| -> Vec<String> {
        let body = screen
            .lines()
            .skip_while(|l| !l.starts_with("-----"))
            .skip(1)
            .take_while(|l| !l.starts_with("-----"));
        body.filter_map(|l| l.trim_start().split_once(": "))
            .filter(|(n, _)| n.trim().parse::<usize>().is_ok())
            .map(|(_, t)| t.to_string())
            .collect()
    };
    let selected = main
        .split("The selected entry is ")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .expect("the selected entry");
    // A menu `password` locks `e`: the entry's commands are not shown.
    let locked = main.contains("'p' to enter a");
    Some(Shown {
        titles: list(main),
        selected,
        locked,
        // GRUB stores an entry's lines as written: its name, then the arguments after the
        // spaces and `=` that follow it.
        commands: (menus.get(2).map(|s| list(s)).unwrap_or_default().iter())
            .map(|line| {
                let end = line.find([' ', '=']).unwrap_or(line.len());
                let args = line[end..].trim_start_matches([' ', '=']);
                format!("{} {args}", &line[..end])
            })
            .collect(),
    })
}

/// The same, from `etclint dump`.
fn dumped(config: &Path) -> Option<Shown> {
    let source = SourceFile::new(config, std::fs::read(config).unwrap());
    let dump = Format::Grub.handler().unwrap().dump(&source);
    let entries = dump["entries"].as_array().unwrap();
    let selected = dump["default"].as_u64()? as usize;
    let locked = std::fs::read(config).is_ok_and(|b| {
        etclint::formats::grub::lex(&b)
            .0
            .iter()
            .take_while(|l| !l.is("title"))
            .any(|l| l.is("password"))
    });
    let titles = entries
        .iter()
        .map(|e| e["title"].as_str().unwrap().to_string())
        .collect();
    let commands = entries[selected]["commands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            format!(
                "{} {}",
                c["name"].as_str().unwrap(),
                c["args"].as_str().unwrap()
            )
        })
        .collect();
    Some(Shown {
        titles,
        selected,
        locked,
        commands: if locked { Vec::new() } else { commands },
    })
}

/// Asks GRUB about every file, in parallel; returns how many showed a menu.
fn agree(files: &[PathBuf]) -> usize {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get()) * 2;
    let chunks: Vec<&[PathBuf]> = files.chunks(files.len().div_ceil(threads).max(1)).collect();
    let results: Vec<(usize, Vec<String>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .iter()
            .map(|chunk| {
                scope.spawn(move || {
                    let mut menus = 0;
                    let mut disagreements = Vec::new();
                    for path in chunk.iter() {
                        let scratch = tempfile::tempdir().unwrap();
                        let theirs = grub_shows(path, scratch.path());
                        let ours = dumped(path);
                        menus += usize::from(theirs.is_some());
                        if theirs != ours {
                            disagreements.push(format!(
                                "{}:\n  grub    {theirs:?}\n  etclint {ours:?}",
                                path.display()
                            ));
                        }
                    }
                    (menus, disagreements)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let menus = results.iter().map(|(m, _)| m).sum();
    let disagreements: Vec<&String> = results.iter().flat_map(|(_, d)| d).collect();
    assert!(
        disagreements.is_empty(),
        "{} of {} files disagree with the GRUB shell:\n{}",
        disagreements.len(),
        files.len(),
        disagreements
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    menus
}

#[test]
#[ignore = "needs grub-legacy and e2fsprogs (tests/setup.sh installs them)"]
fn fixtures_and_demo_agree_with_the_grub_shell() {
    require_program("grub");
    require_program("mke2fs");
    let files = files_detected_as(Format::Grub, &["fixtures/grub", "fixtures/demo"]);
    let menus = agree(&files);
    eprintln!(
        "GRUB and etclint agree on {} grub files ({menus} with a menu)",
        files.len()
    );
    assert!(files.len() >= 15 && menus > 0);
}

#[test]
#[ignore = "needs grub-legacy, e2fsprogs (tests/setup.sh installs them) and the corpus (tests/corpus/fetch.sh)"]
fn the_real_world_corpus_agrees_with_the_grub_shell() {
    require_program("grub");
    require_program("mke2fs");
    let files = corpus_files("grub-menu-lst", "grub");
    let menus = agree(&files);
    eprintln!(
        "GRUB and etclint agree on {} corpus menu.lst files ({menus} with a menu)",
        files.len()
    );
    assert!(files.len() >= 30);
}
