//! The binary's one async runtime, started on first use: the Kubernetes
//! client of `deploy`, the grant center of `grant serve` and GitHub's
//! client run on it, called from the synchronous commands with
//! `block_on` (from any thread: a bulk run's workers share it).

use std::sync::OnceLock;

use anyhow::{Context, Result};
use tokio::runtime::Runtime;

static RUNTIME: OnceLock<Runtime> = OnceLock::new();

pub fn runtime() -> Result<&'static Runtime> {
    if let Some(rt) = RUNTIME.get() {
        return Ok(rt);
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    // Two threads may build one at once; the first kept wins.
    Ok(RUNTIME.get_or_init(|| rt))
}
