//! `podready-net`: every `podready` command, with the ones that talk to a
//! forge, a cluster or a database, which `podready` hands over to it.

use std::process::ExitCode;

fn main() -> ExitCode {
    podready::main_with(podready::run_remote)
}
