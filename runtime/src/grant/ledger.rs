//! The durable ledger of leases (embedded SQLite, so the center runs with no
//! setup and survives restarts).
//!
//! A lease records, before any statement runs, what a pod is to hold; an
//! account records whether the center created it. Together they let a
//! restarted center finish or undo whatever a crash interrupted, and let a
//! revoke leave alone what another pod on the same IP still holds.

use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::db::AccountClaims;

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

#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("ledger: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("ledger: a stored lease is not valid: {0}")]
    Corrupt(#[from] serde_json::Error),
    #[error("ledger: its lock was poisoned by a panic")]
    Poisoned,
}

/// The ledger; cheap to clone, one connection behind a mutex (SQLite
/// serialises writers anyway).
#[derive(Clone)]
pub struct Ledger {
    conn: Arc<Mutex<Connection>>,
}

const SCHEMA: &str = "
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
CREATE TABLE IF NOT EXISTS leases (
    pod_uid    TEXT PRIMARY KEY,
    app        TEXT NOT NULL,
    namespace  TEXT NOT NULL,
    pod        TEXT NOT NULL,
    ip         TEXT NOT NULL,
    state      TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    grants     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS leases_ip ON leases(ip);
CREATE INDEX IF NOT EXISTS leases_app ON leases(app);
CREATE TABLE IF NOT EXISTS accounts (
    instance      TEXT NOT NULL,
    user          TEXT NOT NULL,
    host          TEXT NOT NULL,
    created_by_us INTEGER NOT NULL,
    PRIMARY KEY (instance, user, host)
);
";

fn lease_from_row(row: &rusqlite::Row) -> rusqlite::Result<(Lease, String)> {
    Ok((
        Lease {
            pod_uid: row.get(0)?,
            app: row.get(1)?,
            namespace: row.get(2)?,
            pod: row.get(3)?,
            ip: row.get(4)?,
            state: LeaseState::parse(&row.get::<_, String>(5)?),
            created_at: row.get::<_, i64>(6)? as u64,
            expires_at: row.get::<_, i64>(7)? as u64,
            grants: Vec::new(),
        },
        row.get(8)?,
    ))
}

const LEASE_COLUMNS: &str =
    "pod_uid, app, namespace, pod, ip, state, created_at, expires_at, grants";

impl Ledger {
    pub fn open(path: &Path) -> Result<Ledger, LedgerError> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.execute_batch(SCHEMA)?;
        Ok(Ledger {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    fn with<T>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, LedgerError>,
    ) -> Result<T, LedgerError> {
        let conn = self.conn.lock().map_err(|_| LedgerError::Poisoned)?;
        f(&conn)
    }

    fn query_leases(
        &self,
        sql: &str,
        args: &[&dyn rusqlite::ToSql],
    ) -> Result<Vec<Lease>, LedgerError> {
        self.with(|c| {
            let mut stmt = c.prepare(sql)?;
            let rows = stmt.query_map(args, lease_from_row)?;
            let mut out = Vec::new();
            for r in rows {
                let (mut lease, grants) = r?;
                lease.grants = serde_json::from_str(&grants)?;
                out.push(lease);
            }
            Ok(out)
        })
    }

    pub fn lease(&self, pod_uid: &str) -> Result<Option<Lease>, LedgerError> {
        let sql = format!("SELECT {LEASE_COLUMNS} FROM leases WHERE pod_uid = ?1");
        Ok(self.query_leases(&sql, &[&pod_uid])?.into_iter().next())
    }

    /// Records a lease (replacing one of the same pod).
    pub fn put(&self, lease: &Lease) -> Result<(), LedgerError> {
        let grants = serde_json::to_string(&lease.grants)?;
        self.with(|c| {
            c.execute(
                "INSERT INTO leases (pod_uid, app, namespace, pod, ip, state, created_at, expires_at, grants)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                 ON CONFLICT(pod_uid) DO UPDATE SET app = ?2, namespace = ?3, pod = ?4, ip = ?5,
                     state = ?6, expires_at = ?8, grants = ?9",
                params![
                    lease.pod_uid,
                    lease.app,
                    lease.namespace,
                    lease.pod,
                    lease.ip,
                    lease.state.as_str(),
                    lease.created_at as i64,
                    lease.expires_at as i64,
                    grants
                ],
            )?;
            Ok(())
        })
    }

    /// Makes a pending lease active until `expires_at`; false when it is
    /// no longer pending (revoked meanwhile).
    pub fn activate(&self, pod_uid: &str, expires_at: u64) -> Result<bool, LedgerError> {
        self.with(|c| {
            Ok(c.execute(
                "UPDATE leases SET state = 'active', expires_at = ?2 WHERE pod_uid = ?1 AND state = 'pending'",
                params![pod_uid, expires_at as i64],
            )? == 1)
        })
    }

    /// Extends an active lease; false when it is not active (being
    /// revoked, or gone).
    pub fn renew(&self, pod_uid: &str, expires_at: u64) -> Result<bool, LedgerError> {
        self.with(|c| {
            Ok(c.execute(
                "UPDATE leases SET expires_at = ?2 WHERE pod_uid = ?1 AND state = 'active'",
                params![pod_uid, expires_at as i64],
            )? == 1)
        })
    }

    /// Marks the pod's lease on `ip` as being revoked and returns it — with
    /// `expired_by`, only if it expired by then, in the same statement, so a
    /// renewal that was answered can never be undone by a reaper that read
    /// the lease before it. `None`: no such lease (or it was renewed).
    pub fn begin_revoke(
        &self,
        pod_uid: &str,
        ip: &str,
        expired_by: Option<u64>,
    ) -> Result<Option<Lease>, LedgerError> {
        let changed = self.with(|c| {
            Ok(c.execute(
                "UPDATE leases SET state = 'revoking' WHERE pod_uid = ?1 AND ip = ?2 AND (?3 IS NULL OR expires_at <= ?3)",
                params![pod_uid, ip, expired_by.map(|t| t as i64)],
            )?)
        })?;
        if changed == 0 {
            return Ok(None);
        }
        self.lease(pod_uid)
    }

    pub fn delete_lease(&self, pod_uid: &str) -> Result<(), LedgerError> {
        self.with(|c| {
            c.execute("DELETE FROM leases WHERE pod_uid = ?1", params![pod_uid])?;
            Ok(())
        })
    }

    pub fn leases_of_app(&self, app: &str) -> Result<Vec<Lease>, LedgerError> {
        let sql = format!("SELECT {LEASE_COLUMNS} FROM leases WHERE app = ?1 ORDER BY pod_uid");
        self.query_leases(&sql, &[&app])
    }

    pub fn all_leases(&self) -> Result<Vec<Lease>, LedgerError> {
        let sql = format!("SELECT {LEASE_COLUMNS} FROM leases ORDER BY pod_uid");
        self.query_leases(&sql, &[])
    }

    /// Leases past their expiry, and pending ones nobody finished.
    pub fn expired(&self, now: u64) -> Result<Vec<Lease>, LedgerError> {
        let sql = format!(
            "SELECT {LEASE_COLUMNS} FROM leases WHERE expires_at <= ?1 ORDER BY expires_at"
        );
        self.query_leases(&sql, &[&(now as i64)])
    }

    /// Other leases on the same IP that hold `user` on `instance`.
    pub fn holders(
        &self,
        instance: &str,
        user: &str,
        ip: &str,
        except: &str,
    ) -> Result<usize, LedgerError> {
        let sql = format!("SELECT {LEASE_COLUMNS} FROM leases WHERE ip = ?1 AND pod_uid != ?2");
        let leases = self.query_leases(&sql, &[&ip, &except])?;
        Ok(leases
            .iter()
            .filter(|l| l.state != LeaseState::Revoking)
            .filter(|l| {
                l.grants
                    .iter()
                    .any(|g| g.instance == instance && g.user == user)
            })
            .count())
    }

    pub fn count_active(&self) -> Result<u64, LedgerError> {
        self.with(|c| {
            let n: i64 = c.query_row(
                "SELECT COUNT(*) FROM leases WHERE state = 'active'",
                [],
                |r| r.get(0),
            )?;
            Ok(n as u64)
        })
    }

    /// Whether the center created the account.
    pub fn owns_account(
        &self,
        instance: &str,
        user: &str,
        host: &str,
    ) -> Result<bool, LedgerError> {
        self.with(|c| {
            Ok(c.query_row(
                "SELECT created_by_us FROM accounts WHERE instance = ?1 AND user = ?2 AND host = ?3",
                params![instance, user, host],
                |r| r.get::<_, i64>(0),
            )
            .optional()?
                == Some(1))
        })
    }

    /// Records accounts as the center's, in one transaction, before they
    /// are created.
    pub fn claim_accounts(
        &self,
        instance: &str,
        accounts: &[(String, String)],
    ) -> Result<(), LedgerError> {
        self.with(|c| {
            let tx = c.unchecked_transaction()?;
            {
                let mut stmt = tx.prepare(
                    "INSERT INTO accounts (instance, user, host, created_by_us) VALUES (?1, ?2, ?3, 1)
                     ON CONFLICT(instance, user, host) DO UPDATE SET created_by_us = 1",
                )?;
                for (user, host) in accounts {
                    stmt.execute(params![instance, user, host])?;
                }
            }
            tx.commit()?;
            Ok(())
        })
    }

    pub fn forget_account(
        &self,
        instance: &str,
        user: &str,
        host: &str,
    ) -> Result<(), LedgerError> {
        self.with(|c| {
            c.execute(
                "DELETE FROM accounts WHERE instance = ?1 AND user = ?2 AND host = ?3",
                params![instance, user, host],
            )?;
            Ok(())
        })
    }

    /// Accounts the center created, by instance.
    pub fn created_accounts(&self) -> Result<Vec<(String, String, String)>, LedgerError> {
        self.with(|c| {
            let mut stmt = c.prepare(
                "SELECT instance, user, host FROM accounts WHERE created_by_us = 1 ORDER BY instance, user, host",
            )?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
    }
}

impl AccountClaims for Ledger {
    fn claim(&self, instance: &str, accounts: &[(String, String)]) -> Result<(), String> {
        self.claim_accounts(instance, accounts)
            .map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lease(uid: &str, ip: &str, expires: u64) -> Lease {
        Lease {
            pod_uid: uid.into(),
            app: "order-service".into(),
            namespace: "orders".into(),
            pod: format!("pod-{uid}"),
            ip: ip.into(),
            state: LeaseState::Active,
            created_at: 1,
            expires_at: expires,
            grants: vec![LeaseGrant {
                instance: "db1".into(),
                user: "order_rw".into(),
                schemas: vec!["order".into()],
                privileges: vec!["SELECT".into()],
            }],
        }
    }

    #[test]
    fn leases_survive_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.sqlite");
        {
            let l = Ledger::open(&path).unwrap();
            l.put(&lease("a", "10.0.0.1", 100)).unwrap();
            l.claim_accounts("db1", &[("order_rw".into(), "10.0.0.1".into())])
                .unwrap();
        }
        let l = Ledger::open(&path).unwrap();
        assert_eq!(l.lease("a").unwrap().unwrap(), lease("a", "10.0.0.1", 100));
        assert!(l.owns_account("db1", "order_rw", "10.0.0.1").unwrap());
        assert!(!l.owns_account("db1", "order_rw", "10.0.0.2").unwrap());
        assert_eq!(l.count_active().unwrap(), 1);
    }

    #[test]
    fn holders_expiry_and_state() {
        let dir = tempfile::tempdir().unwrap();
        let l = Ledger::open(&dir.path().join("l.sqlite")).unwrap();
        l.put(&lease("a", "10.0.0.1", 100)).unwrap();
        l.put(&lease("b", "10.0.0.1", 200)).unwrap();
        assert_eq!(l.holders("db1", "order_rw", "10.0.0.1", "a").unwrap(), 1);
        assert_eq!(l.holders("db1", "other", "10.0.0.1", "a").unwrap(), 0);
        assert!(l.begin_revoke("b", "10.0.0.1", None).unwrap().is_some());
        assert_eq!(l.holders("db1", "order_rw", "10.0.0.1", "a").unwrap(), 0);
        assert!(
            !l.renew("b", 300).unwrap(),
            "a lease being revoked is not renewed"
        );
        assert_eq!(l.expired(150).unwrap().len(), 1);
        l.delete_lease("a").unwrap();
        assert!(l.lease("a").unwrap().is_none());
    }

    #[test]
    fn a_reaper_revokes_only_what_is_still_expired() {
        let dir = tempfile::tempdir().unwrap();
        let l = Ledger::open(&dir.path().join("l.sqlite")).unwrap();
        l.put(&lease("a", "10.0.0.1", 100)).unwrap();
        // Read as expired at 150, renewed before the reaper acts on it.
        assert_eq!(l.expired(150).unwrap().len(), 1);
        assert!(l.renew("a", 400).unwrap());
        assert!(l
            .begin_revoke("a", "10.0.0.1", Some(150))
            .unwrap()
            .is_none());
        assert_eq!(l.lease("a").unwrap().unwrap().state, LeaseState::Active);
        // The wrong IP is not this lease.
        assert!(l.begin_revoke("a", "10.0.0.9", None).unwrap().is_none());
        let revoking = l.begin_revoke("a", "10.0.0.1", Some(400)).unwrap().unwrap();
        assert_eq!(revoking.state, LeaseState::Revoking);
    }
}
