//! Measures the PHP scanner's throughput over a list of files.
//!
//! ```text
//! cargo run --release --example scan_speed -- [LIST] [ROUNDS]
//! ```
//!
//! LIST holds one path per line, relative to the list's parent's parent directory (the
//! corpus layout: `CACHE/_lists/php-bench.txt`); it defaults to
//! `/tmp/corpus/cache/_lists/php-bench.txt`. All files are read into memory first, so only
//! scanning is timed; the best of ROUNDS (default 5) rounds is reported.

use std::path::PathBuf;
use std::time::{Duration, Instant};
use std::{env, fs};

use etclint::formats::php::scan::scan;

fn main() {
    let mut args = env::args().skip(1);
    let list = PathBuf::from(
        args.next()
            .unwrap_or_else(|| "/tmp/corpus/cache/_lists/php-bench.txt".into()),
    );
    let rounds: usize = args
        .next()
        .map_or(5, |rounds| rounds.parse().expect("ROUNDS is a number"));
    let root = list
        .parent()
        .and_then(|lists| lists.parent())
        .expect("LIST is inside a directory");

    let names =
        fs::read_to_string(&list).unwrap_or_else(|error| panic!("{}: {error}", list.display()));
    let files: Vec<Vec<u8>> = names
        .lines()
        .filter(|line| !line.is_empty())
        .map(|name| fs::read(root.join(name)).unwrap_or_else(|error| panic!("{name}: {error}")))
        .collect();
    let bytes: usize = files.iter().map(Vec::len).sum();

    let mut best = Duration::MAX;
    let mut regions = 0;
    for _ in 0..rounds {
        let start = Instant::now();
        regions = files
            .iter()
            .map(|file| scan(file).regions.len())
            .sum::<usize>();
        best = best.min(start.elapsed());
    }
    let megabytes = bytes as f64 / 1e6;
    println!(
        "{} files, {megabytes:.1} MB, {regions} regions: best of {rounds} rounds {:.1} ms, {:.0} MB/s",
        files.len(),
        best.as_secs_f64() * 1e3,
        megabytes / best.as_secs_f64()
    );
}
