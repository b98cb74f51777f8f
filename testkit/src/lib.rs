//! Test infrastructure: real servers the tests start and stop, never mocks
//! of them.
//!
//! - [`MariaDb`]: a private MariaDB server per test.
//! - [`cluster()`]: a real Kubernetes control plane (etcd, kube-apiserver,
//!   controller-manager, scheduler, kwok's nodes), one per test binary.
//! - [`copy_dir`], which tests and benchmarks use to copy a fixture, and
//!   [`oracle`], a fixture's expected findings from its markers.

mod cluster;
mod copy;
mod mariadb;
pub mod oracle;
mod pki;

use std::net::TcpListener;

pub use cluster::{cluster, deployments, ready_endpoints, Cluster, NODES};
pub use copy::copy_dir;
pub use mariadb::{
    MariaDb, TlsFiles, ADMIN_PASSWORD, ADMIN_USER, APP_HOST, APP_PASSWORD, APP_USER,
};

/// A port nothing listens on now, on 127.0.0.1.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free local port")
}
