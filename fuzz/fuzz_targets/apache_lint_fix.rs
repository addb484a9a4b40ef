#![no_main]

// The invariants live in one place, shared with tests/fuzz_regressions.rs.
#[path = "../../tests/common/invariants.rs"]
mod invariants;

libfuzzer_sys::fuzz_target!(|data: &[u8]| invariants::check_apache_lint_fix(data));
