//! End-to-end tests: they run the built `podready` binary on the fixture
//! repositories and compare its output with what the fixtures' expectation
//! markers say (see fixtures/README.md) and with reviewed snapshots.

mod bulk;
mod check;
mod check_mr;
mod deploy;
mod fix;
mod forge;
mod forge_github;
mod formats;
mod gate;
mod grant;
mod oracle;
mod upgrade;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures")
}

pub fn podready(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_podready"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("the podready binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
