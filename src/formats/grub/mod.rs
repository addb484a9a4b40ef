//! GRUB legacy (0.97) `grub.conf` / `menu.lst`, read as `stage2/stage2.c` reads it
//! (`get_line_from_config`, `cmain`): `\r` dropped, tabs as spaces, `\` + newline as a space,
//! `#` a comment only as a line's first non-space character, lines cut at 1500 bytes, the
//! command name ending at a space or `=`, matched case-sensitively, unknown commands dropped
//! silently, and a `title` without commands dropped without taking a number.

pub mod commands;
mod handler;
pub mod initrd;
pub mod system;

pub use handler::Handler;

use std::cell::OnceCell;
use std::ops::Range;

use crate::source::SourceFile;
use commands::CommandSpec;

/// GRUB's `NEW_HEAPSIZE`: what a line may hold; the rest is dropped.
pub const MAX_LINE: usize = 1500;
/// GRUB's `MAX_FALLBACK_ENTRIES`.
pub const MAX_FALLBACK: usize = 8;

/// One command line as GRUB reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The 1-based line of its first character.
    pub number: usize,
    /// From its first character to its end (continuations included, the `\n` not).
    pub span: Range<usize>,
    /// What GRUB reads: continuations joined, `\r` dropped, tabs as spaces, cut at 1500.
    pub text: Vec<u8>,
    /// The offset in the file of each byte of `text`.
    pub at: Vec<usize>,
    /// Longer than GRUB keeps.
    pub cut: bool,
    /// The command name, in `text`.
    pub name: Range<usize>,
    /// Where the arguments start in `text` (after spaces and `=`).
    pub args: usize,
    pub spec: Option<&'static CommandSpec>,
}

impl Line {
    /// What GRUB sees of the line: up to a NUL byte, which ends its string.
    pub fn seen(&self) -> &[u8] {
        let end = memchr::memchr(0, &self.text).unwrap_or(self.text.len());
        &self.text[..end]
    }

    pub fn name_text(&self) -> String {
        String::from_utf8_lossy(&self.seen()[self.name.clone()]).into_owned()
    }

    /// The arguments, as the command's function gets them.
    pub fn args_text(&self) -> String {
        let seen = self.seen();
        String::from_utf8_lossy(&seen[self.args.min(seen.len())..]).into_owned()
    }

    /// The file span of `text[range]`.
    pub fn source_span(&self, range: Range<usize>) -> Range<usize> {
        let start = self.at.get(range.start).copied().unwrap_or(self.span.end);
        let end = match range.end {
            0 => start,
            end => self.at.get(end - 1).map_or(self.span.end, |&a| a + 1),
        };
        start..end.max(start)
    }

    /// The span of the arguments in the file.
    pub fn args_span(&self) -> Range<usize> {
        self.source_span(self.args.min(self.seen().len())..self.seen().len())
    }

    /// The words of the arguments with their places in `text`.
    pub fn words(&self) -> Vec<Range<usize>> {
        let seen = self.seen();
        let mut out = Vec::new();
        let mut i = self.args.min(seen.len());
        while i < seen.len() {
            while i < seen.len() && seen[i] == b' ' {
                i += 1;
            }
            let start = i;
            while i < seen.len() && seen[i] != b' ' {
                i += 1;
            }
            if start < i {
                out.push(start..i);
            }
        }
        out
    }

    pub fn is(&self, name: &str) -> bool {
        self.spec.is_some_and(|s| s.name == name)
    }
}

/// An entry as GRUB numbers it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Its place in the menu.
    pub number: usize,
    /// The `title` line, in [`GrubFile::lines`].
    pub title: usize,
    /// Its known commands, in [`GrubFile::lines`].
    pub commands: Vec<usize>,
}

/// What `default` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefaultEntry {
    Number(usize),
    /// `default saved`: the number in the file `default` beside the config.
    Saved,
}

/// Where a line stands in GRUB's reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Before the first title: a menu command runs, another known one is ignored.
    Menu,
    /// In the entry whose title is this line (possibly dropped).
    Entry { title: usize },
}

/// The file as GRUB reads it.
#[derive(Debug, Default)]
pub struct Menu {
    pub entries: Vec<Entry>,
    /// Titles without commands: dropped, each with the number the next entry gets instead.
    pub dropped: Vec<(usize, usize)>,
    /// Each line's place.
    pub places: Vec<Place>,
    /// The menu commands that ran (lines).
    pub menu_commands: Vec<usize>,
    /// What `default` set: the line and the value, when one parsed.
    pub default: Option<(usize, DefaultEntry)>,
    /// The fallback line that counts, and GRUB's list as it set it (before range checks).
    pub fallback: Option<(usize, Vec<usize>)>,
    pub timeout: Option<(usize, usize)>,
}

/// One grub.conf, parsed.
pub struct GrubFile<'a> {
    pub source: &'a SourceFile,
    pub lines: Vec<Line>,
    /// Comment spans (`#` to the end of the line, continuations included).
    pub comments: Vec<Range<usize>>,
    menu: OnceCell<Menu>,
}

impl<'a> GrubFile<'a> {
    pub fn new(source: &'a SourceFile) -> Self {
        let (lines, comments) = lex(source.bytes());
        Self {
            source,
            lines,
            comments,
            menu: OnceCell::new(),
        }
    }

    pub fn bytes(&self) -> &'a [u8] {
        self.source.bytes()
    }

    pub fn menu(&self) -> &Menu {
        self.menu.get_or_init(|| read_menu(&self.lines))
    }

    /// The title as the menu shows it.
    pub fn title(&self, entry: &Entry) -> String {
        self.lines[entry.title].args_text()
    }

    /// The number of `default saved`: the `default` file beside the config (GRUB reads at most
    /// 10 bytes of it), else 0.
    pub fn saved_default(&self) -> usize {
        let path = self.source.path().with_file_name("default");
        let mut text = std::fs::read(path).unwrap_or_default();
        text.truncate(9);
        parse_number(&text).map_or(0, |(n, _)| n)
    }

    /// The fallback list GRUB keeps: out-of-range numbers removed.
    pub fn fallbacks(&self) -> Vec<usize> {
        let menu = self.menu();
        let count = menu.entries.len();
        (menu.fallback.as_ref())
            .map(|(_, list)| list.iter().copied().filter(|&n| n < count).collect())
            .unwrap_or_default()
    }

    /// The written default number (before GRUB's range check).
    pub fn written_default(&self) -> usize {
        match self.menu().default {
            Some((_, DefaultEntry::Number(n))) => n,
            Some((_, DefaultEntry::Saved)) => self.saved_default(),
            None => 0,
        }
    }

    /// The entry GRUB selects: the default when in range, else the first fallback, else 0.
    pub fn selected(&self) -> Option<usize> {
        let count = self.menu().entries.len();
        if count == 0 {
            return None;
        }
        let written = self.written_default();
        Some(if written < count {
            written
        } else {
            self.fallbacks().first().copied().unwrap_or(0)
        })
    }

    /// The first line of `entry` named `name`.
    pub fn command(&self, entry: &Entry, name: &str) -> Option<&Line> {
        (entry.commands.iter())
            .map(|&i| &self.lines[i])
            .find(|l| l.is(name))
    }

    /// Where the physical line holding `offset` starts.
    pub fn line_start(&self, offset: usize) -> usize {
        memchr::memrchr(b'\n', &self.bytes()[..offset.min(self.bytes().len())]).map_or(0, |i| i + 1)
    }

    /// Where the physical line holding `offset` ends, its `\n` included.
    pub fn line_end(&self, offset: usize) -> usize {
        let bytes = self.bytes();
        memchr::memchr(b'\n', &bytes[offset.min(bytes.len())..])
            .map_or(bytes.len(), |i| offset + i + 1)
    }
}

/// `safe_parse_maxint`: decimal or `0x` hex, stopping at the first other character; `None`
/// without a digit or past `0x7fffffff`. Returns the number and where it stopped.
pub fn parse_number(text: &[u8]) -> Option<(usize, usize)> {
    let (mut i, radix) = match text {
        [b'0', b'x' | b'X', ..] => (2, 16u64),
        _ => (0, 10),
    };
    let mut value: u64 = 0;
    let mut found = false;
    while let Some(digit) = text
        .get(i)
        .and_then(|&c| (c as char).to_digit(radix as u32))
    {
        found = true;
        value = value * radix + u64::from(digit);
        if value > 0x7fff_ffff {
            return None;
        }
        i += 1;
    }
    found.then_some((value as usize, i))
}

/// `get_line_from_config`, called until it returns nothing: the command lines and comments.
pub fn lex(bytes: &[u8]) -> (Vec<Line>, Vec<Range<usize>>) {
    let mut lines = Vec::new();
    let mut comments = Vec::new();
    let mut newlines = 0usize;
    let mut i = 0;
    loop {
        let mut text: Vec<u8> = Vec::new();
        let mut at: Vec<usize> = Vec::new();
        let mut literal = false;
        let mut comment: Option<usize> = None;
        let mut cut = false;
        let mut first_line = 0;
        let mut end = bytes.len();
        while i < bytes.len() {
            let offset = i;
            let mut c = bytes[i];
            i += 1;
            if c == b'\n' {
                newlines += 1;
            }
            if c == b'\r' {
                continue;
            }
            if c == b'\t' {
                c = b' ';
            }
            if literal {
                if c == b'\n' {
                    c = b' ';
                    // The backslash is overwritten (whatever is last, as GRUB does).
                    if text.pop().is_some() {
                        at.pop();
                    }
                }
                literal = false;
            }
            if c == b'\\' && !literal {
                literal = true;
            }
            if let Some(start) = comment {
                if c == b'\n' {
                    comments.push(start..offset);
                    comment = None;
                }
            } else if text.is_empty() {
                if c == b'#' {
                    comment = Some(offset);
                } else if c != b' ' && c != b'\n' {
                    first_line = newlines + 1;
                    text.push(c);
                    at.push(offset);
                }
            } else {
                if c == b'\n' {
                    end = offset;
                    break;
                }
                if text.len() < MAX_LINE {
                    text.push(c);
                    at.push(offset);
                } else {
                    cut = true;
                }
            }
        }
        if let Some(start) = comment {
            comments.push(start..bytes.len());
        }
        if text.is_empty() {
            break;
        }
        let start = at[0];
        let end = end.max(start + 1);
        lines.push(command_line(first_line, start..end, text, at, cut));
        if i >= bytes.len() {
            break;
        }
    }
    (lines, comments)
}

fn command_line(
    number: usize,
    span: Range<usize>,
    text: Vec<u8>,
    at: Vec<usize>,
    cut: bool,
) -> Line {
    let seen_len = memchr::memchr(0, &text).unwrap_or(text.len());
    let seen = &text[..seen_len];
    let name_end = seen
        .iter()
        .position(|&c| c == b' ' || c == b'=')
        .unwrap_or(seen.len());
    let mut args = name_end;
    while args < seen.len() && matches!(seen[args], b' ' | b'=') {
        args += 1;
    }
    let spec = std::str::from_utf8(&seen[..name_end])
        .ok()
        .and_then(commands::lookup);
    Line {
        number,
        span,
        text,
        at,
        cut,
        name: 0..name_end,
        args,
        spec,
    }
}

/// `cmain`'s reading of the lines: entries, dropped titles, and the menu commands' effect.
fn read_menu(lines: &[Line]) -> Menu {
    let mut menu = Menu::default();
    // GRUB's state: 0 before any title, 1 after a title, >1 once it has commands.
    let mut state = 0usize;
    let mut current: Option<Entry> = None;
    let mut fallback = Fallback::default();
    for (index, line) in lines.iter().enumerate() {
        let Some(spec) = line.spec else {
            menu.places.push(match &current {
                Some(entry) => Place::Entry { title: entry.title },
                None => Place::Menu,
            });
            continue;
        };
        if spec.name == "title" {
            match current.take() {
                Some(entry) if state > 1 => menu.entries.push(entry),
                Some(entry) => menu.dropped.push((entry.title, menu.entries.len())),
                None => {}
            }
            state = 1;
            current = Some(Entry {
                number: menu.entries.len(),
                title: index,
                commands: Vec::new(),
            });
            menu.places.push(Place::Entry { title: index });
        } else if let Some(entry) = current.as_mut() {
            state += 1;
            entry.commands.push(index);
            menu.places.push(Place::Entry { title: entry.title });
        } else {
            menu.places.push(Place::Menu);
            if !spec.menu {
                continue;
            }
            menu.menu_commands.push(index);
            let args = &line.seen()[line.args.min(line.seen().len())..];
            match spec.name {
                "default" => {
                    if args == b"saved" {
                        menu.default = Some((index, DefaultEntry::Saved));
                    } else if let Some((n, _)) = parse_number(args) {
                        menu.default = Some((index, DefaultEntry::Number(n)));
                    }
                }
                "timeout" => {
                    if let Some((n, _)) = parse_number(args) {
                        menu.timeout = Some((index, n));
                    }
                }
                "fallback" => {
                    fallback.run(args);
                    menu.fallback = fallback.list().map(|list| (index, list));
                }
                _ => {}
            }
        }
    }
    match current {
        Some(entry) if state > 1 => menu.entries.push(entry),
        Some(entry) => menu.dropped.push((entry.title, menu.entries.len())),
        None => {}
    }
    menu
}

/// `fallback_func`'s globals, its quirks kept: a repeated number stops the parse without
/// ending the list.
struct Fallback {
    entries: [i64; MAX_FALLBACK],
    entryno: i64,
}

impl Default for Fallback {
    fn default() -> Self {
        let mut entries = [0; MAX_FALLBACK];
        entries[0] = -1;
        Self {
            entries,
            entryno: -1,
        }
    }
}

impl Fallback {
    fn run(&mut self, mut arg: &[u8]) {
        let mut i = 0;
        while !arg.is_empty() {
            let Some((entry, used)) = parse_number(arg) else {
                return;
            };
            arg = &arg[used..];
            let entry = entry as i64;
            if self.entries[..i].contains(&entry) {
                continue;
            }
            self.entries[i] = entry;
            i += 1;
            if i == MAX_FALLBACK {
                break;
            }
            // skip_to (0, arg): to the next space, then past the spaces.
            let word = arg.iter().position(|&c| c == b' ').unwrap_or(arg.len());
            arg = &arg[word..];
            let spaces = arg.iter().take_while(|&&c| c == b' ').count();
            arg = &arg[spaces..];
        }
        if i < MAX_FALLBACK {
            self.entries[i] = -1;
        }
        self.entryno = if i == 0 { -1 } else { 0 };
    }

    fn list(&self) -> Option<Vec<usize>> {
        if self.entryno < 0 {
            return None;
        }
        Some(
            self.entries
                .iter()
                .take_while(|&&e| e >= 0)
                .map(|&e| e as usize)
                .collect(),
        )
    }
}

/// Kernel parameters that keep dmraid from claiming disks (spec: dracut's `parse-dm.sh`,
/// RHEL's rc.sysinit).
pub const DMRAID_OFF: &[&str] = &["nodmraid", "rd.dm=0", "rd_NO_DM"];

/// Whether the kernel parameters turn dmraid off.
pub fn disables_dmraid<'w>(words: impl IntoIterator<Item = &'w str>) -> bool {
    words.into_iter().any(|w| DMRAID_OFF.contains(&w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> (Vec<Line>, Menu) {
        let (lines, _) = lex(text.as_bytes());
        let menu = read_menu(&lines);
        (lines, menu)
    }

    #[test]
    fn lines_as_grub_reads_them() {
        let (lines, _) = lex(b"  # c \\\nswallowed\n\ttimeout=5 # x\r\nkernel /v \\\n  ro\n");
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].text, b"timeout=5 # x");
        assert_eq!(lines[0].number, 3);
        assert_eq!(lines[0].args_text(), "5 # x");
        assert_eq!(lines[1].text, b"kernel /v    ro");
        assert!(lines[1].is("kernel"));
        let (lines, _) = lex(b"Title x\ntitle= = y\n");
        assert!(lines[0].spec.is_none());
        assert_eq!(lines[1].args_text(), "y");
    }

    #[test]
    fn entries_as_grub_numbers_them() {
        let (lines, menu) =
            file("default 0x2\nfallback 1 0\ntitle A\ntitle B\nroot (hd0)\nbogus\ntitle C\nKernel /x\ntitle D\nboot\n");
        assert_eq!(menu.entries.len(), 2);
        assert_eq!(lines[menu.entries[0].title].args_text(), "B");
        assert_eq!(lines[menu.entries[1].title].args_text(), "D");
        assert_eq!(menu.dropped.len(), 2);
        assert_eq!(menu.default.unwrap().1, DefaultEntry::Number(2));
        assert_eq!(menu.fallback.as_ref().unwrap().1, vec![1, 0]);
    }

    #[test]
    fn fallback_quirks() {
        let mut f = Fallback::default();
        f.run(b"1 1 2");
        assert_eq!(
            f.list(),
            None,
            "a repeat stops the parse before the list is made"
        );
        let mut f = Fallback::default();
        f.run(b"2 x");
        assert_eq!(f.list(), None);
        assert_eq!(parse_number(b"12junk"), Some((12, 2)));
        assert_eq!(parse_number(b"0x"), None);
        assert_eq!(parse_number(b"99999999999"), None);
    }
}
