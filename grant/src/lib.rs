//! The grant center: database access for a pod's IP, granted at start and
//! revoked at stop, as leases the pod renews and a reaper expires.

pub mod audit;
pub mod auth;
pub mod config;
pub mod db;
pub mod ident;
pub mod ledger;
pub mod manifests;
pub mod metrics;
pub mod server;
pub mod service;

/// Seconds since the Unix epoch.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
