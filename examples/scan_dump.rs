//! Prints the regions the PHP scanner finds in a file, one per line:
//! `cargo run --example scan_dump -- FILE`.

use etclint::formats::php::scan::scan;

fn main() {
    let path = std::env::args().nth(1).expect("usage: scan_dump FILE");
    let source = std::fs::read(&path).unwrap_or_else(|error| panic!("{path}: {error}"));
    for region in scan(&source).regions {
        let text = String::from_utf8_lossy(&source[region.span.clone()]);
        println!(
            "{:?} {}..{} {:?}",
            region.kind, region.span.start, region.span.end, text
        );
    }
}
