//! The durable ledger of leases and of the accounts the center created.
//!
//! A lease records, before any statement runs, what a pod is to hold; an
//! account records that the center created it. Together they let a
//! restarted center finish or undo whatever a crash interrupted, and let a
//! revoke leave alone what another pod on the same IP still holds.
//!
//! Two stores: an embedded SQLite file for one replica (no setup), and a
//! schema of its own on a MySQL/MariaDB instance for several replicas, where
//! every change that replicas could race on is one conditional statement
//! and work on an IP is serialised across replicas by a lock row with an
//! expiry (a replica killed while holding one delays that IP, never blocks
//! it).

mod mysql;
mod sqlite;

use std::future::Future;
use std::pin::Pin;

use serde::{Deserialize, Serialize};

use super::db::{AccountClaims, DbError};

pub use mysql::MysqlLedger;
pub use sqlite::SqliteLedger;

/// What a lease grants on one instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaseGrant {
    pub instance: String,
    pub user: String,
    pub schemas: Vec<String>,
    pub privileges: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LeaseState {
    /// Recorded; its statements have not all run yet.
    Pending,
    Active,
    /// Being revoked.
    Revoking,
}

impl LeaseState {
    fn as_str(self) -> &'static str {
        match self {
            LeaseState::Pending => "pending",
            LeaseState::Active => "active",
            LeaseState::Revoking => "revoking",
        }
    }
    fn parse(s: &str) -> LeaseState {
        match s {
            "active" => LeaseState::Active,
            "revoking" => LeaseState::Revoking,
            _ => LeaseState::Pending,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lease {
    pub pod_uid: String,
    pub app: String,
    pub namespace: String,
    pub pod: String,
    pub ip: String,
    pub state: LeaseState,
    pub created_at: u64,
    pub expires_at: u64,
    pub grants: Vec<LeaseGrant>,
}

impl Lease {
    /// Whether the lease holds `user` on `instance` (and is not being
    /// revoked).
    fn holds(&self, instance: &str, user: &str) -> bool {
        self.state != LeaseState::Revoking
            && self
                .grants
                .iter()
                .any(|g| g.instance == instance && g.user == user)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("ledger: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("ledger: {reason}")]
    Mysql { reason: String, transient: bool },
    #[error("ledger: a stored lease is not valid: {0}")]
    Corrupt(#[from] serde_json::Error),
    #[error("ledger: its lock was poisoned by a panic")]
    Poisoned,
    /// Another replica holds the IP's lock for longer than an operation may
    /// take.
    #[error("ledger: IP {0} is being changed by another replica; retry")]
    Locked(String),
}

/// The ledger; cheap to clone.
#[derive(Clone)]
pub enum Ledger {
    Sqlite(SqliteLedger),
    Mysql(MysqlLedger),
}

/// Work on an IP, held until dropped (across replicas with the MySQL
/// ledger; within the process the center's own locks serialise it).
pub struct IpLock {
    /// Released when dropped.
    _row: Option<mysql::RowLock>,
}

impl Ledger {
    pub async fn lease(&self, pod_uid: &str) -> Result<Option<Lease>, LedgerError> {
        match self {
            Ledger::Sqlite(l) => l.lease(pod_uid),
            Ledger::Mysql(l) => l.timed(l.lease(pod_uid)).await,
        }
    }

    /// Records a lease (replacing one of the same pod).
    pub async fn put(&self, lease: &Lease) -> Result<(), LedgerError> {
        match self {
            Ledger::Sqlite(l) => l.put(lease),
            Ledger::Mysql(l) => l.timed(l.put(lease)).await,
        }
    }

    /// Makes a pending lease active until `expires_at`; false when it is
    /// no longer pending (revoked meanwhile).
    pub async fn activate(&self, pod_uid: &str, expires_at: u64) -> Result<bool, LedgerError> {
        match self {
            Ledger::Sqlite(l) => l.activate(pod_uid, expires_at),
            Ledger::Mysql(l) => l.timed(l.activate(pod_uid, expires_at)).await,
        }
    }

    /// Extends an active lease; false when it is not active (being
    /// revoked, or gone).
    pub async fn renew(&self, pod_uid: &str, expires_at: u64) -> Result<bool, LedgerError> {
        match self {
            Ledger::Sqlite(l) => l.renew(pod_uid, expires_at),
            Ledger::Mysql(l) => l.timed(l.renew(pod_uid, expires_at)).await,
        }
    }

    /// Marks the pod's lease on `ip` as being revoked and returns it — with
    /// `expired_by`, only if it expired by then, in the same statement, so a
    /// renewal that was answered can never be undone by a reaper that read
    /// the lease before it, and of replicas reaping at once one wins.
    /// `None`: no such lease (or it was renewed).
    pub async fn begin_revoke(
        &self,
        pod_uid: &str,
        ip: &str,
        expired_by: Option<u64>,
    ) -> Result<Option<Lease>, LedgerError> {
        let changed = match self {
            Ledger::Sqlite(l) => l.mark_revoking(pod_uid, ip, expired_by)?,
            Ledger::Mysql(l) => l.timed(l.mark_revoking(pod_uid, ip, expired_by)).await?,
        };
        if !changed {
            return Ok(None);
        }
        self.lease(pod_uid).await
    }

    pub async fn delete_lease(&self, pod_uid: &str) -> Result<(), LedgerError> {
        match self {
            Ledger::Sqlite(l) => l.delete_lease(pod_uid),
            Ledger::Mysql(l) => l.timed(l.delete_lease(pod_uid)).await,
        }
    }

    pub async fn leases_of_app(&self, app: &str) -> Result<Vec<Lease>, LedgerError> {
        match self {
            Ledger::Sqlite(l) => l.leases_of_app(app),
            Ledger::Mysql(l) => l.timed(l.leases_of_app(app)).await,
        }
    }

    pub async fn all_leases(&self) -> Result<Vec<Lease>, LedgerError> {
        match self {
            Ledger::Sqlite(l) => l.all_leases(),
            Ledger::Mysql(l) => l.timed(l.all_leases()).await,
        }
    }

    /// Leases past their expiry (pending ones too: a grant whose pod gave
    /// up).
    pub async fn expired(&self, now: u64) -> Result<Vec<Lease>, LedgerError> {
        match self {
            Ledger::Sqlite(l) => l.expired(now),
            Ledger::Mysql(l) => l.timed(l.expired(now)).await,
        }
    }

    /// Other leases on the same IP that hold `user` on `instance`.
    pub async fn holders(
        &self,
        instance: &str,
        user: &str,
        ip: &str,
        except: &str,
    ) -> Result<usize, LedgerError> {
        let on_ip = match self {
            Ledger::Sqlite(l) => l.leases_on_ip(ip)?,
            Ledger::Mysql(l) => l.timed(l.leases_on_ip(ip)).await?,
        };
        Ok(on_ip
            .iter()
            .filter(|l| l.pod_uid != except && l.holds(instance, user))
            .count())
    }

    pub async fn count_active(&self) -> Result<u64, LedgerError> {
        match self {
            Ledger::Sqlite(l) => l.count_active(),
            Ledger::Mysql(l) => l.timed(l.count_active()).await,
        }
    }

    /// Whether the center created the account.
    pub async fn owns_account(
        &self,
        instance: &str,
        user: &str,
        host: &str,
    ) -> Result<bool, LedgerError> {
        match self {
            Ledger::Sqlite(l) => l.owns_account(instance, user, host),
            Ledger::Mysql(l) => l.timed(l.owns_account(instance, user, host)).await,
        }
    }

    /// Records accounts as the center's, in one transaction, before they
    /// are created.
    pub async fn claim_accounts(
        &self,
        instance: &str,
        accounts: &[(String, String)],
    ) -> Result<(), LedgerError> {
        match self {
            Ledger::Sqlite(l) => l.claim_accounts(instance, accounts),
            Ledger::Mysql(l) => l.timed(l.claim_accounts(instance, accounts)).await,
        }
    }

    pub async fn forget_account(
        &self,
        instance: &str,
        user: &str,
        host: &str,
    ) -> Result<(), LedgerError> {
        match self {
            Ledger::Sqlite(l) => l.forget_account(instance, user, host),
            Ledger::Mysql(l) => l.timed(l.forget_account(instance, user, host)).await,
        }
    }

    /// Accounts the center created, by instance.
    pub async fn created_accounts(&self) -> Result<Vec<(String, String, String)>, LedgerError> {
        match self {
            Ledger::Sqlite(l) => l.created_accounts(),
            Ledger::Mysql(l) => l.timed(l.created_accounts()).await,
        }
    }

    /// Serialises work on `ip` with the other replicas sharing this ledger
    /// (nothing to do for SQLite: one replica).
    pub async fn lock_ip(&self, ip: &str) -> Result<IpLock, LedgerError> {
        match self {
            Ledger::Sqlite(_) => Ok(IpLock { _row: None }),
            Ledger::Mysql(l) => Ok(IpLock {
                _row: Some(l.lock_ip(ip).await?),
            }),
        }
    }
}

impl AccountClaims for Ledger {
    fn claim<'a>(
        &'a self,
        instance: &'a str,
        accounts: &'a [(String, String)],
    ) -> Pin<Box<dyn Future<Output = Result<(), DbError>> + Send + 'a>> {
        Box::pin(async move {
            self.claim_accounts(instance, accounts)
                .await
                .map_err(|e| claim_error(instance, e))
        })
    }

    fn release<'a>(
        &'a self,
        instance: &'a str,
        accounts: &'a [(String, String)],
    ) -> Pin<Box<dyn Future<Output = Result<(), DbError>> + Send + 'a>> {
        Box::pin(async move {
            for (user, host) in accounts {
                self.forget_account(instance, user, host)
                    .await
                    .map_err(|e| claim_error(instance, e))?;
            }
            Ok(())
        })
    }
}

/// A ledger error met while claiming, as the batch reports it: passing
/// ones are the instance's unavailability.
fn claim_error(instance: &str, e: LedgerError) -> DbError {
    match e {
        LedgerError::Mysql {
            transient: true, ..
        }
        | LedgerError::Locked(_) => DbError::Unavailable {
            instance: instance.to_string(),
            reason: e.to_string(),
        },
        e => DbError::Ledger(e.to_string()),
    }
}
