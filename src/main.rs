use std::process::ExitCode;

// glibc's allocator spent a third of a large Apache run in malloc and free (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    etclint::cli::run()
}
