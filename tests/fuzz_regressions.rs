//! Every input a fuzz target once failed on, kept under `fixtures/fuzz/<target>/`, still passes
//! that target's checks (the same code as the fuzz targets: `tests/common/invariants.rs`).

#[path = "common/invariants.rs"]
mod invariants;

use std::path::Path;

#[test]
fn fuzz_regressions() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/fuzz");
    let mut checked = 0;
    for (target, check) in invariants::TARGETS {
        let directory = root.join(target);
        let Ok(entries) = std::fs::read_dir(&directory) else {
            continue;
        };
        let mut inputs: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
        inputs.sort();
        for input in inputs {
            let bytes = std::fs::read(&input).unwrap();
            eprintln!("{target}: {}", input.display());
            check(&bytes);
            checked += 1;
        }
    }
    eprintln!("{checked} fuzz regression inputs checked");
}

/// The seeds pass too: a check that fails on the fixtures is a broken check.
#[test]
fn seeds_pass() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for row in invariants::formats() {
        let mut stack = vec![root.join(row.seeds)];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_none_or(|e| e != "snap") {
                    let bytes = std::fs::read(&path).unwrap();
                    (row.parse)(&bytes);
                    invariants::check_lint_fix(row.format, &bytes);
                    invariants::check_suppress(&bytes);
                }
            }
        }
    }
    for entry in std::fs::read_dir(root.join("fuzz/seeds/config")).unwrap() {
        invariants::check_config(&std::fs::read(entry.unwrap().path()).unwrap());
    }
}
