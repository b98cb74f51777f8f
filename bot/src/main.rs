//! `podready`: the commands that work on the files at hand. The ones that
//! talk to a forge, a cluster or a database run in `podready-net`, which is
//! installed beside it: this binary becomes that one, same arguments.

use std::os::unix::process::CommandExt;
use std::process::ExitCode;

use anyhow::{anyhow, Context, Result};

fn main() -> ExitCode {
    podready::main_with(|_| become_net())
}

/// Replaces this process by `podready-net` with the same arguments, so its
/// exit status, signals and output are the command's own.
fn become_net() -> Result<ExitCode> {
    let exe = std::env::current_exe().context("cannot find where podready is installed")?;
    let net = exe.with_file_name("podready-net");
    let err = std::process::Command::new(&net)
        .args(std::env::args_os().skip(1))
        .exec();
    Err(anyhow!(
        "cannot run {}: {err}; the commands that talk to a forge, a cluster or a database are in podready-net, which goes beside podready (`cargo install --path bot` installs both)",
        net.display()
    ))
}
