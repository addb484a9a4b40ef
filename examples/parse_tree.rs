//! The floor for PHP000: parse every file of a NUL-separated list with tree-sitter-php, on
//! all cores, and nothing else. `benches/run.sh` compares `etclint --select PHP000` with it.

use rayon::prelude::*;

fn main() {
    let list = std::env::args().nth(1).expect("usage: parse_tree LIST.nul");
    let names = std::fs::read(&list).expect("the list");
    let files: Vec<&[u8]> = names.split(|b| *b == 0).filter(|n| !n.is_empty()).collect();
    let errors: usize = files
        .par_iter()
        .map(|name| {
            let path = std::str::from_utf8(name).expect("UTF-8 paths");
            let bytes = std::fs::read(path).unwrap_or_default();
            usize::from(
                etclint::formats::php::parse(&bytes).is_none_or(|t| t.root_node().has_error()),
            )
        })
        .sum();
    println!("{} files, {errors} with a tree-sitter error", files.len());
}
