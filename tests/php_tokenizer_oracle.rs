//! Checks the PHP scanner against PHP's own tokenizer.
//!
//! `tests/oracle/php_tags.php` runs `token_get_all()` over a list of files in one `php`
//! process and prints, per file, where the open and close tags, inline HTML, comments and
//! string literals are (see its header for the format). This test computes the same items
//! from `scan()` and demands that they agree exactly, on:
//!
//! * every file under `fixtures/php/` (hand-written cases in `fixtures/php/scanner/`);
//! * the real corpus when it is there: `$ETCLINT_CORPUS` (default `/tmp/corpus/cache`) with
//!   the lists `_lists/php.nul` and `_lists/php-inc-phtml.nul`;
//! * generated files: random sequences of fragments that stress the lexer states (quotes,
//!   interpolations, heredoc labels, tags, comments, numbers, `__halt_compiler`),
//!   `ETCLINT_ORACLE_GENERATED` of them (default 10,000) from the seed
//!   `ETCLINT_ORACLE_SEED`, in a temporary directory or in `ETCLINT_ORACLE_KEEP`.
//!
//! Compared: `T_OPEN_TAG`, `T_OPEN_TAG_WITH_ECHO`, `T_CLOSE_TAG` and `T_INLINE_HTML` tokens
//! with the scanner's tag and inline HTML regions; `T_COMMENT` and `T_DOC_COMMENT` with its
//! Comment regions; string literals (`T_CONSTANT_ENCAPSED_STRING`, or from the opening to
//! the closing token of an interpolating string, heredoc or nowdoc) with its String
//! regions. Code regions are what is left, so the whole file is compared.
//!
//! All parts skip with a message when `php` is not installed. The first 20 disagreeing
//! files are listed (`ETCLINT_ORACLE_SHOW=N` lists N).

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;

mod common;

use etclint::formats::php::scan::{scan, RegionKind};

const ORACLE_SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/oracle/php_tags.php");

/// How many disagreeing files to list; `ETCLINT_ORACLE_SHOW` may ask for more.
fn disagreements_shown() -> usize {
    env_number("ETCLINT_ORACLE_SHOW").unwrap_or(20) as usize
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
}

#[test]
#[ignore = "needs php-cli (tests/setup.sh installs it)"]
fn scanner_agrees_with_token_get_all_on_fixtures() {
    let php = Php::require();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/php");
    let mut files = Vec::new();
    collect_files(&root, &root, &mut files);
    files.sort();
    assert!(!files.is_empty(), "no fixtures under {}", root.display());
    let report = php.compare(&root, &files);
    report.print("fixtures/php");
    report.assert_agreement();
}

#[test]
#[ignore = "needs php-cli and the corpus (tests/setup.sh brings them)"]
fn scanner_agrees_with_token_get_all_on_corpus() {
    let php = Php::require();
    let root = common::require_corpus();
    for list in ["_lists/php.nul", "_lists/php-inc-phtml.nul"] {
        let Ok(names) = fs::read(root.join(list)) else {
            let message = format!(
                "corpus list {} absent: that part skipped",
                root.join(list).display()
            );
            println!("{message}");
            eprintln!("{message}");
            continue;
        };
        let files: Vec<String> = names
            .split(|&byte| byte == 0)
            .filter(|name| !name.is_empty())
            .map(|name| String::from_utf8_lossy(name).into_owned())
            .collect();
        let report = php.compare(&root, &files);
        report.print(list);
        report.assert_agreement();
    }
}

/// Fragments that generated files are made of, chosen to stress the lexer states.
#[rustfmt::skip]
const FRAGMENTS: &[&str] = &[
    "<?php", "<?php ", "<?php\n", "<?PHP\r\n", "<?=", "<?", "?>", "?>\n", "?>\r\n",
    "\"", "'", "`", "{$", "${", "{", "}",
    "<<<EOT\n", "<<<'EOT'\n", "<<<\"EOT\"\n", "<<< EOT\r\n", "<<<A\n", "EOT", "  EOT", "EOT;", "A\n",
    "\n", "\r", "\r\n", " ", "//", "#", "/*", "*/", "/**", "/*c*/",
    "\\", "\\n", "\\$", "\\{", "$", "$a", "$a[0]", "$a->b", "->", "?->", "->x",
    "?", "??", "-", "=", ">", "<", "<<", ";", "b", "B", "b'", "b\"", "x", "A", "php",
    "0", "1e", "0x1F", "1.5e3", "'x'", "\"$a\"", "\"{$a}\"", "${a}", "{$a->b['c']}", "(int)",
    "\\u{41}", "fn", "yield from", ".5", "...", ".0x1", "1..2",
    "__halt_compiler", "__HALT_COMPILER();", "__halt_compiler() ?>\n",
    // What makes PHP's heredoc look-ahead give up (see `IndentationLookahead` in the scanner).
    "(", ")", "[", "]", "#[", "$b[", "08", "\\u{zz", "\\u{}", "\t", "\tEOT", " \tA",
];

/// Writes `count` generated files into `dir`, reproducibly from `seed`.
fn generate_files(dir: &Path, count: usize, seed: u64) -> Vec<String> {
    // Any seed but one that leaves xorshift stuck at zero.
    let mut state = (seed ^ 0x9e37_79b9_7f4a_7c15).max(1);
    let mut random = move |below: usize| {
        // xorshift64*: plenty for picking fragments.
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        (state.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % below
    };
    (0..count)
        .map(|index| {
            let mut source = String::new();
            if random(10) < 7 {
                source.push_str("<?php ");
            }
            for _ in 0..=random(30) {
                source.push_str(FRAGMENTS[random(FRAGMENTS.len())]);
            }
            let name = format!("case-{index}.php");
            fs::write(dir.join(&name), source).expect("generated file written");
            name
        })
        .collect()
}

#[test]
#[ignore = "needs php-cli (tests/setup.sh installs it)"]
fn scanner_agrees_with_token_get_all_on_generated_files() {
    let php = Php::require();
    let count = env_number("ETCLINT_ORACLE_GENERATED").unwrap_or(10_000) as usize;
    let seed = env_number("ETCLINT_ORACLE_SEED").unwrap_or(0x5eed_e7c1);
    let temporary = tempfile::tempdir().expect("temporary directory");
    // `ETCLINT_ORACLE_KEEP=DIR` writes the files there and leaves them, to look into.
    let dir =
        std::env::var_os("ETCLINT_ORACLE_KEEP").map_or(temporary.path().to_owned(), PathBuf::from);
    fs::create_dir_all(&dir).expect("directory for generated files");
    let files = generate_files(&dir, count, seed);
    let report = php.compare(&dir, &files);
    report.print(&format!("generated (seed {seed:#x})"));
    report.assert_agreement();
}

/// How to run PHP with the tokenizer and short open tags on, and nothing from php.ini.
struct Php {
    args: Vec<&'static str>,
}

impl Php {
    /// PHP with its tokenizer; fails the test without it.
    fn require() -> Php {
        common::require_program("php");
        Self::find().expect("php has no tokenizer extension (apt-get install php-cli)")
    }

    fn find() -> Option<Php> {
        // Debian builds the tokenizer as a shared extension that `-n` leaves out.
        for extra in [&[][..], &["-d", "extension=tokenizer"][..]] {
            let mut args = vec!["-n", "-d", "memory_limit=-1", "-d", "short_open_tag=1"];
            args.extend_from_slice(extra);
            let probe = Command::new("php")
                .args(&args)
                .args([
                    "-r",
                    "echo function_exists('token_get_all') ? 'yes' : 'no';",
                ])
                .stderr(Stdio::null())
                .output();
            match probe {
                Err(_) => break,
                Ok(output) if output.stdout == b"yes" => return Some(Php { args }),
                Ok(_) => {}
            }
        }
        let message = "skipped: php not installed (apt-get install php-cli)";
        println!("{message}");
        eprintln!("{message}");
        None
    }

    /// Runs the oracle over `files` (relative to `root`) in one process and compares each
    /// file's items with the scanner's while PHP works on the next ones.
    fn compare(&self, root: &Path, files: &[String]) -> Report {
        let mut child = Command::new("php")
            .args(&self.args)
            .arg(ORACLE_SCRIPT)
            .arg(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("php runs");
        let mut stdin = child.stdin.take().expect("piped stdin");
        let list: Vec<u8> = files
            .iter()
            .flat_map(|file| file.bytes().chain([0]))
            .collect();
        let writer = thread::spawn(move || stdin.write_all(&list));

        let mut report = Report::default();
        for line in BufReader::new(child.stdout.take().expect("piped stdout")).lines() {
            let line = line.expect("oracle output is UTF-8");
            let mut fields = line.splitn(3, '\t');
            let index: usize = fields
                .next()
                .and_then(|index| index.parse().ok())
                .expect("file index");
            let php_items = fields.next().expect("items");
            let path = &files[index];
            let source =
                fs::read(root.join(path)).unwrap_or_else(|error| panic!("{path}: {error}"));
            report.add(path, parse_items(php_items), scanner_items(&source));
        }
        writer
            .join()
            .expect("writer thread")
            .expect("list written to php");
        let status = child.wait().expect("php exits");
        assert!(status.success(), "the oracle script failed: {status}");
        assert_eq!(report.files, files.len(), "the oracle skipped files");
        report
    }
}

/// One tag, inline HTML, comment or string region: kind letter (as the oracle prints it),
/// offset and length.
type Item = (char, usize, usize);

fn parse_items(text: &str) -> Vec<Item> {
    assert_ne!(text, "!unreadable", "the oracle could not read a file");
    text.split_whitespace()
        .map(|item| {
            let mut parts = item.split(',');
            let mut next = || parts.next().expect("kind,offset,length");
            let kind = next().chars().next().expect("kind letter");
            (
                kind,
                next().parse().expect("offset"),
                next().parse().expect("length"),
            )
        })
        .collect()
}

fn scanner_items(source: &[u8]) -> Vec<Item> {
    scan(source)
        .regions
        .iter()
        .filter_map(|region| {
            let letter = match region.kind {
                RegionKind::OpenTag => 'O',
                RegionKind::OpenTagWithEcho => 'E',
                RegionKind::CloseTag => 'C',
                RegionKind::InlineHtml => 'H',
                RegionKind::Comment => 'M',
                RegionKind::String => 'S',
                RegionKind::Code => return None,
            };
            Some((letter, region.span.start, region.span.len()))
        })
        .collect()
}

/// Agreement figures over a set of files.
#[derive(Default)]
struct Report {
    files: usize,
    agreeing: usize,
    /// Items compared, by kind letter.
    compared: BTreeMap<char, usize>,
    disagreements: Vec<String>,
}

impl Report {
    fn add(&mut self, path: &str, php: Vec<Item>, scanner: Vec<Item>) {
        self.files += 1;
        for &(kind, ..) in &php {
            *self.compared.entry(kind).or_default() += 1;
        }
        if php == scanner {
            self.agreeing += 1;
            return;
        }
        if self.disagreements.len() < disagreements_shown() {
            let first = php
                .iter()
                .zip(&scanner)
                .position(|(a, b)| a != b)
                .unwrap_or(php.len().min(scanner.len()));
            let show = |items: &[Item]| match items.get(first) {
                Some((kind, offset, len)) => format!("{kind} at {offset} length {len}"),
                None => "nothing".to_string(),
            };
            self.disagreements.push(format!(
                "{path}: item {first}: token_get_all has {}, scan has {}",
                show(&php),
                show(&scanner)
            ));
        }
    }

    fn print(&self, what: &str) {
        let tokens: usize = self.compared.values().sum();
        let by_kind: Vec<String> = self
            .compared
            .iter()
            .map(|(kind, count)| format!("{kind}={count}"))
            .collect();
        let summary = format!(
            "{what}: {} files compared, {} agree; {tokens} tokens compared ({}) \
             [O open tag, E open tag with echo, C close tag, H inline HTML, M comment, S string]",
            self.files,
            self.agreeing,
            by_kind.join(" ")
        );
        println!("{summary}");
        eprintln!("{summary}");
    }

    fn assert_agreement(&self) {
        assert!(
            self.agreeing == self.files,
            "{} of {} files disagree with token_get_all; the first ones:\n{}",
            self.files - self.agreeing,
            self.files,
            self.disagreements.join("\n")
        );
    }
}

fn collect_files(root: &Path, dir: &Path, files: &mut Vec<String>) {
    for entry in fs::read_dir(dir).unwrap_or_else(|error| panic!("{}: {error}", dir.display())) {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            collect_files(root, &path, files);
        } else {
            let relative = path.strip_prefix(root).expect("under the root");
            files.push(relative.to_string_lossy().into_owned());
        }
    }
}
