//! Throughput of each parser, in bytes per second: the PHP lexer-state scanner, the coarse
//! tokenizer on top of it, and tree-sitter-php. Input: the php-bench files of the real-world
//! corpus (`$ETCLINT_CORPUS`), else the repository's PHP fixtures. And php.ini's parser and
//! every rule on Debian's php.ini-production (issue 10: parsed at 200 MB/s or more, parsed and
//! linted in under 1 ms), else the demo's php.ini.
//!
//! `cargo bench --bench parsers`

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use etclint::formats::php::{parse, scan::scan, tokens::tokens};

/// At most this many bytes, so that one iteration stays short.
const SAMPLE_BYTES: usize = 8 * 1024 * 1024;

fn sample() -> (String, Vec<Vec<u8>>) {
    let corpus = PathBuf::from(
        std::env::var("ETCLINT_CORPUS").unwrap_or_else(|_| "/tmp/corpus/cache".into()),
    );
    let paths: Vec<PathBuf> = match std::fs::read(corpus.join("_lists/php-bench.nul")) {
        Ok(list) => list
            .split(|b| *b == 0)
            .filter(|p| !p.is_empty())
            .map(|p| corpus.join(String::from_utf8_lossy(p).as_ref()))
            .collect(),
        Err(_) => glob::glob("fixtures/php/**/*.php")
            .unwrap()
            .filter_map(Result::ok)
            .collect(),
    };
    let source = if paths.first().is_some_and(|p| p.starts_with(&corpus)) {
        "php-bench"
    } else {
        "fixtures"
    };
    let mut files = Vec::new();
    let mut total = 0;
    for path in paths {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        total += bytes.len();
        files.push(bytes);
        if total > SAMPLE_BYTES {
            break;
        }
    }
    (source.to_string(), files)
}

fn parsers(c: &mut Criterion) {
    let (source, files) = sample();
    let bytes: u64 = files.iter().map(|f| f.len() as u64).sum();
    let mut group = c.benchmark_group(format!(
        "php ({source}, {} files, {} KB)",
        files.len(),
        bytes / 1024
    ));
    group.throughput(Throughput::Bytes(bytes));
    group.sample_size(10);
    group.bench_function("scan", |b| {
        b.iter(|| {
            files
                .iter()
                .map(|f| scan(black_box(f)).regions.len())
                .sum::<usize>()
        })
    });
    group.bench_function("scan + tokens", |b| {
        b.iter(|| {
            files
                .iter()
                .map(|f| tokens(f, &scan(black_box(f))).len())
                .sum::<usize>()
        })
    });
    group.bench_function("tree-sitter-php", |b| {
        b.iter(|| {
            files
                .iter()
                .filter(|f| parse(black_box(f)).is_some_and(|t| t.root_node().has_error()))
                .count()
        })
    });
    group.finish();
}

fn php_ini(c: &mut Criterion) {
    use etclint::discover::Target;
    use etclint::engine::{self, Options};
    use etclint::formats::Format;
    use etclint::rules::Selection;
    use etclint::source::SourceFile;

    let corpus = PathBuf::from(
        std::env::var("ETCLINT_CORPUS").unwrap_or_else(|_| "/tmp/corpus/cache".into()),
    );
    let production = corpus.join("php8.2-common/usr/lib/php/8.2/php.ini-production");
    let path = if production.is_file() {
        production
    } else {
        PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/demo/etc/php/8.2/apache2/php.ini"
        ))
    };
    let bytes = std::fs::read(&path).unwrap();
    let mut group = c.benchmark_group(format!(
        "php-ini ({}, {} KB)",
        path.display(),
        bytes.len() / 1024
    ));
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("parse", |b| {
        b.iter(|| etclint::formats::php_ini::parse(black_box(&bytes)))
    });
    let source = SourceFile::new("php.ini", bytes.clone());
    let target = Target::new(PathBuf::from("php.ini"), Some(Format::PhpIni));
    let options = Options::new(Selection::new(Some(&["ALL".into()]), &[], &[]).unwrap());
    group.bench_function("parse + every rule", |b| {
        b.iter(|| {
            engine::lint(black_box(&source), Format::PhpIni, &target, &options)
                .diagnostics
                .len()
        })
    });
    group.finish();
}

criterion_group!(benches, parsers, php_ini);
criterion_main!(benches);
