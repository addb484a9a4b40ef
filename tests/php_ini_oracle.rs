//! PHP itself judges every php.ini of the fixtures, the demo tree and the real-world corpus:
//! for each key a file sets, `etclint dump`'s `value` is what `get_cfg_var()` returns under
//! `php -n -c FILE` (one call per file for all its keys, files in parallel threads); a file
//! etclint calls fatal (an INI001/INI002 error) is exactly one where `php -n -c FILE -r 'echo
//! "ok";'` does not print ok; after `--fix` PHP starts. The CLI injects a few settings of its
//! own after the file (`html_errors`, `register_argc_argv`, `implicit_flush`,
//! `output_buffering`, `max_execution_time`, `max_input_time`): those keys are not compared.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use etclint::diagnostic::Severity;
use etclint::discover::Target;
use etclint::engine::{self, FixMode, Options};
use etclint::formats::Format;
use etclint::rules::Selection;
use etclint::source::SourceFile;

mod common;

const CLI_OVERRIDES: &[&str] = &[
    "html_errors",
    "register_argc_argv",
    "implicit_flush",
    "output_buffering",
    "max_execution_time",
    "max_input_time",
];

/// Prints, for each key given in hex, `@@F` (not set), `@@S<hex>` or `@@A<k>=<v>,…` (hex), then
/// `@@ok`: a file that stops PHP at start-up never gets to run it.
const SCRIPT: &str = r#"
foreach (array_slice($argv, 1) as $h) {
    $v = get_cfg_var(hex2bin($h));
    if ($v === false) { echo "@@F\n"; }
    elseif (is_array($v)) {
        $parts = [];
        foreach ($v as $k => $x) { $parts[] = bin2hex((string) $k) . "=" . bin2hex((string) $x); }
        echo "@@A", implode(",", $parts), "\n";
    } else { echo "@@S", bin2hex($v), "\n"; }
}
echo "@@ok\n";
"#;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// PHP's syntax error for `path` (`PHP:  MESSAGE in FILE on line N` on stderr).
fn php_syntax_error(stderr: &str, path: &Path) -> Option<(String, u64)> {
    let line = stderr.lines().find_map(|l| l.strip_prefix("PHP:  "))?;
    let (message, rest) = line.split_once(&format!(" in {} on line ", path.display()))?;
    Some((message.to_string(), rest.trim().parse().ok()?))
}

/// What PHP answers for `keys`, or `None` when it did not start; and its syntax error.
fn php_run(path: &Path, keys: &[String]) -> (Option<Vec<String>>, Option<(String, u64)>) {
    let output = Command::new("php")
        .arg("-n")
        .arg("-c")
        .arg(path)
        .arg("-r")
        .arg(SCRIPT)
        .arg("--")
        .args(keys.iter().map(|k| hex(k.as_bytes())))
        .output()
        .expect("php runs (tests/setup.sh installs php-cli)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let error = php_syntax_error(&String::from_utf8_lossy(&output.stderr), path);
    let answers: Vec<String> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("@@"))
        .map(str::to_string)
        .collect();
    if answers.last().map(String::as_str) != Some("ok") {
        return (None, error);
    }
    (Some(answers[..answers.len() - 1].to_vec()), error)
}

fn php_values(path: &Path, keys: &[String]) -> Option<Vec<String>> {
    php_run(path, keys).0
}

/// etclint's syntax error for `path`, as `etclint dump` gives it.
fn dumped_error(path: &Path) -> Option<(String, u64)> {
    let source = SourceFile::new(path, std::fs::read(path).unwrap());
    let dump = Format::PhpIni.handler().unwrap().dump(&source);
    let error = dump.get("error")?;
    Some((
        error["message"].as_str()?.to_string(),
        error["line"].as_u64()?,
    ))
}

/// PHP's array keys: a decimal integer string becomes an integer.
fn is_int_key(k: &str) -> bool {
    k == "0"
        || k.strip_prefix('-')
            .unwrap_or(k)
            .bytes()
            .next()
            .is_some_and(|b| (b'1'..=b'9').contains(&b))
            && k.strip_prefix('-')
                .unwrap_or(k)
                .bytes()
                .all(|b| b.is_ascii_digit())
            && k.len() < 19
}

/// What etclint's dump says PHP stores for each key, in PHP's answer format.
fn expected(path: &Path) -> BTreeMap<String, String> {
    let source = SourceFile::new(path, std::fs::read(path).unwrap());
    let dump = Format::PhpIni.handler().unwrap().dump(&source);
    assert_eq!(dump["format"], "php-ini");
    enum V {
        S(String),
        A(Vec<(String, String)>),
    }
    let mut values: BTreeMap<String, Option<V>> = BTreeMap::new();
    for row in dump["settings"].as_array().unwrap() {
        let key = row["key"].as_str().unwrap().to_string();
        let value = row["value"].as_str().unwrap().to_string();
        let slot = values.entry(key).or_insert(None);
        if row["visible"] == false {
            continue;
        }
        match row["offset"].as_str() {
            None => *slot = Some(V::S(value)),
            Some(offset) => {
                if !matches!(slot, Some(V::A(_))) {
                    *slot = Some(V::A(Vec::new()));
                }
                let Some(V::A(items)) = slot else {
                    unreachable!()
                };
                let key = if offset.is_empty() {
                    let next = items
                        .iter()
                        .filter(|(k, _)| is_int_key(k))
                        .filter_map(|(k, _)| k.parse::<i64>().ok())
                        .max()
                        .map_or(0, |m| (m + 1).max(0));
                    next.to_string()
                } else {
                    offset.to_string()
                };
                match items.iter_mut().find(|(k, _)| *k == key) {
                    Some(item) => item.1 = value,
                    None => items.push((key, value)),
                }
            }
        }
    }
    values
        .into_iter()
        .filter(|(k, _)| !CLI_OVERRIDES.contains(&k.as_str()))
        .map(|(k, v)| {
            let answer = match v {
                None => "F".to_string(),
                Some(V::S(s)) => format!("S{}", hex(s.as_bytes())),
                Some(V::A(items)) => {
                    let parts: Vec<String> = items
                        .iter()
                        .map(|(k, v)| format!("{}={}", hex(k.as_bytes()), hex(v.as_bytes())))
                        .collect();
                    format!("A{}", parts.join(","))
                }
            };
            (k, answer)
        })
        .collect()
}

/// Whether etclint says PHP stops at start-up (an INI001/INI002 error).
fn etclint_fatal(path: &Path) -> bool {
    let selection = Selection::new(Some(&["INI001".into(), "INI002".into()]), &[], &[]).unwrap();
    let report = engine::run(
        &[Target::new(path.to_path_buf(), Some(Format::PhpIni))],
        &Options::new(selection),
    )
    .remove(0);
    report
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error)
}

/// The file after `etclint --fix` (every INI rule's safe fixes), in `scratch` (the engine
/// gives the fixed bytes; the command line writes them).
fn fixed_copy(path: &Path, scratch: &Path) -> PathBuf {
    let copy = scratch.join("php.ini");
    std::fs::copy(path, &copy).unwrap();
    let mut options = Options::new(Selection::new(Some(&["INI".into()]), &[], &[]).unwrap());
    options.fix = FixMode::Diff;
    let report =
        engine::run(&[Target::new(copy.clone(), Some(Format::PhpIni))], &options).remove(0);
    assert!(
        report.error.is_none(),
        "{}: {:?}",
        path.display(),
        report.error
    );
    if let Some(fixed) = report.fixed {
        std::fs::write(&copy, fixed).unwrap();
    }
    copy
}

/// Checks one file; the disagreements as messages.
fn judge(path: &Path) -> Vec<String> {
    // PHP reads a `.user.ini` per request, never through the start-up check: `php -c` can only
    // load it as a php.ini, so it is judged as one (same scanner, same values).
    let scratch = tempfile::tempdir().unwrap();
    let path = &if path.file_name().is_some_and(|n| n == ".user.ini") {
        let copy = scratch.path().join("php.ini");
        std::fs::copy(path, &copy).unwrap();
        copy
    } else {
        // PHP names the file by its absolute path.
        path.canonicalize().unwrap()
    };
    let mut problems = Vec::new();
    let expected = expected(path);
    let keys: Vec<String> = expected.keys().cloned().collect();
    let fatal = etclint_fatal(path);
    let (values, php_error) = php_run(path, &keys);
    let ours = dumped_error(path);
    // PHP parses the whole file before its start-up check: the error is reported either way.
    if ours != php_error {
        problems.push(format!(
            "{}: syntax error: etclint {ours:?}, PHP {php_error:?}",
            path.display()
        ));
    }
    match values {
        None => {
            if !fatal {
                problems.push(format!(
                    "{}: PHP does not start, etclint saw nothing fatal",
                    path.display()
                ));
            }
            let scratch = tempfile::tempdir().unwrap();
            let fixed = fixed_copy(path, scratch.path());
            if php_values(&fixed, &[]).is_none() {
                problems.push(format!(
                    "{}: PHP still does not start after --fix",
                    path.display()
                ));
            }
        }
        Some(answers) => {
            if fatal {
                problems.push(format!(
                    "{}: etclint calls it fatal, PHP starts",
                    path.display()
                ));
            }
            for (key, answer) in keys.iter().zip(answers) {
                if expected[key] != answer {
                    problems.push(format!(
                        "{}: `{key}`: etclint {}, PHP {answer}",
                        path.display(),
                        expected[key]
                    ));
                }
            }
        }
    }
    problems
}

/// Judges the files in parallel threads; returns how many agreed.
fn agree(files: &[PathBuf]) -> usize {
    common::require_program("php");
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .max(2);
    let chunks: Vec<&[PathBuf]> = files.chunks(files.len().div_ceil(threads).max(1)).collect();
    let problems: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = chunks
            .iter()
            .map(|chunk| s.spawn(move || chunk.iter().flat_map(|f| judge(f)).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert!(
        problems.is_empty(),
        "{} disagreements:\n{}",
        problems.len(),
        problems.join("\n")
    );
    files.len()
}

fn ini_files(directory: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(directory).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            ini_files(&path, out);
        } else if Format::detect(&path) == Some(Format::PhpIni) {
            out.push(path);
        }
    }
}

#[test]
#[ignore = "needs php-cli (tests/setup.sh installs it)"]
fn fixtures_and_demo_agree_with_php() {
    let mut files = Vec::new();
    ini_files(Path::new("fixtures/php-ini"), &mut files);
    ini_files(Path::new("fixtures/demo"), &mut files);
    files.sort();
    assert!(files.len() >= 20, "only {} fixtures", files.len());
    let n = agree(&files);
    eprintln!("{n} fixture files agree with PHP");
}

#[test]
#[ignore = "needs php-cli and the corpus (tests/setup.sh installs them)"]
fn the_real_world_corpus_agrees_with_php() {
    let root = common::require_corpus();
    let list = std::fs::read_to_string(root.join("_lists/php-ini.txt")).unwrap();
    let files: Vec<PathBuf> = list
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| root.join(l))
        .collect();
    assert!(
        files.len() >= 3,
        "the corpus lists {} php.ini files",
        files.len()
    );
    let n = agree(&files);
    eprintln!("{n} corpus files agree with PHP");
}

/// Odd inputs written for the oracle: each line of the table is a file of its own.
#[test]
#[ignore = "needs php-cli (tests/setup.sh installs it)"]
fn odd_files_agree_with_php() {
    let cases: &[&str] = &[
        "a = foo;bar\nb = foo # c\n#c = 2\n",
        "a = \"On\"\nb = on\nc = TRUE\nd = none\ne = null\n",
        "a = foo\"bar\"'baz'\nb = foo \"bar\" baz\nc = \"x\ny\"\n",
        "a = E_ALL & ~E_NOTICE\nb = E_ALL ^ E_DEPRECATED\nc = ~1 | 2 & 3\nd = !0\ne = (1|2)\n",
        "a = M_PI\nb = PHP_EOL\nc = DEFAULT_INCLUDE_PATH\n",
        "b = 2\na = ${b}x\nc = \"${b} y\"\nd = ${NOPE_NOT_SET}\n",
        "a[] = 1\na[] = 2\na[k] = 3\nb[x] = 1\nb = 2\n",
        "\u{feff}a = 1\r\nb = 2\r\n",
        "a = 1\rb = 2\r",
        "[PHP]\na = 1\n[pathology]\nb = 2\n[other]\nc = 3\n",
        "[PATH]\na = 1\n[HOST=x]\nb = 2\n",
        "a = 1 |\nb = 2\n",
        "a = On x\nb = 1\n",
        "on = 1\na = 2\n",
        "a = b = c\nd = 1\n",
        "a = (1\nb = 2\n",
        "[sec\na = 1\n",
        "a = \"x\n",
        "a = ${}\nb = 1\n",
        "a = 'x\ny'\nb = 1\n",
        "a = \"C:\\path\\\"\nb = \"\\\"q\\\" \\\\ \\$ \\n\"\n",
        "a = $foo\nb = x$\nc = 1\n",
        "a = 1 ",
        "a =\nb = \nc = ;x\n",
        "a = 0x1\nb = 1abc\nc = 0.5\n",
        "register_globals = On\n",
        "register_globals = \"On\"\n",
        "register_globals = 0x1\nsafe_mode = 0.5\n",
        "register_globals = \" 1\"\n",
        "magic_quotes_gpc = 1\nsafe_mode = On\ntrack_errors = 1\n",
        "asp_tags = Off\nmagic_quotes_gpc = \"On\"\ny2k_compliance = 1\n",
        "[pathology]\nregister_globals = On\n",
        "a = 1\n[b] c = 2\nd = 3 |\n",
        "# Turn on (default)\na = 1\n",
        "a = foo;\nb = 'x';'\n",
        "key with spaces = 1\na]b = 2\n",
        "a = 1\0b\nc = 2\n",
        "extension = calendar\na = 1\n",
        "a = -1\nb = .5\nc = 1.\nd = --1\n",
        "a = \"\"\nb = ''\nc = 'x'\n",
    ];
    // Bison's 10,000 states: the deepest nesting PHP reads, and one more.
    let deep: Vec<String> = [
        ("(", 9993),
        ("(", 9994),
        ("~", 9994),
        ("~", 9995),
        ("(", 9995),
    ]
    .iter()
    .map(|(open, n)| {
        let close = if *open == "(" { ")" } else { "" };
        format!("a = {}1{}\nb = 2\n", open.repeat(*n), close.repeat(*n))
    })
    .collect();
    let cases: Vec<&str> = cases
        .iter()
        .copied()
        .chain(deep.iter().map(String::as_str))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<PathBuf> = cases
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let sub = dir.path().join(format!("case{i}"));
            std::fs::create_dir(&sub).unwrap();
            let path = sub.join("php.ini");
            std::fs::write(&path, text).unwrap();
            path
        })
        .collect();
    agree(&files);
}
