use std::process::ExitCode;

fn main() -> ExitCode {
    etclint::cli::run()
}
