//! The command line: parsing, dispatch, exit codes. `main.rs` only calls [`main`].

use std::process::ExitCode;

pub fn main() -> ExitCode {
    todo!()
}
