//! The ledger in an embedded SQLite file: one replica, no setup, survives
//! restarts.

use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::{params, Connection, OptionalExtension};

use super::{Lease, LeaseState, LedgerError};

/// Cheap to clone, one connection behind a mutex (SQLite serialises
/// writers anyway).
#[derive(Clone)]
pub struct SqliteLedger {
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

impl SqliteLedger {
    pub fn open(path: &Path) -> Result<SqliteLedger, LedgerError> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.execute_batch(SCHEMA)?;
        Ok(SqliteLedger {
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

    pub(super) fn lease(&self, pod_uid: &str) -> Result<Option<Lease>, LedgerError> {
        let sql = format!("SELECT {LEASE_COLUMNS} FROM leases WHERE pod_uid = ?1");
        Ok(self.query_leases(&sql, &[&pod_uid])?.into_iter().next())
    }

    pub(super) fn put(&self, lease: &Lease) -> Result<(), LedgerError> {
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

    pub(super) fn activate(&self, pod_uid: &str, expires_at: u64) -> Result<bool, LedgerError> {
        self.with(|c| {
            Ok(c.execute(
                "UPDATE leases SET state = 'active', expires_at = ?2 WHERE pod_uid = ?1 AND state = 'pending'",
                params![pod_uid, expires_at as i64],
            )? == 1)
        })
    }

    pub(super) fn renew(&self, pod_uid: &str, expires_at: u64) -> Result<bool, LedgerError> {
        self.with(|c| {
            Ok(c.execute(
                "UPDATE leases SET expires_at = ?2 WHERE pod_uid = ?1 AND state = 'active'",
                params![pod_uid, expires_at as i64],
            )? == 1)
        })
    }

    /// Marks the pod's lease on `ip` as revoking, if it expired by
    /// `expired_by` (when given); whether it did.
    pub(super) fn mark_revoking(
        &self,
        pod_uid: &str,
        ip: &str,
        expired_by: Option<u64>,
    ) -> Result<bool, LedgerError> {
        self.with(|c| {
            Ok(c.execute(
                "UPDATE leases SET state = 'revoking' WHERE pod_uid = ?1 AND ip = ?2 AND (?3 IS NULL OR expires_at <= ?3)",
                params![pod_uid, ip, expired_by.map(|t| t as i64)],
            )? == 1)
        })
    }

    pub(super) fn delete_lease(&self, pod_uid: &str) -> Result<(), LedgerError> {
        self.with(|c| {
            c.execute("DELETE FROM leases WHERE pod_uid = ?1", params![pod_uid])?;
            Ok(())
        })
    }

    pub(super) fn leases_of_app(&self, app: &str) -> Result<Vec<Lease>, LedgerError> {
        let sql = format!("SELECT {LEASE_COLUMNS} FROM leases WHERE app = ?1 ORDER BY pod_uid");
        self.query_leases(&sql, &[&app])
    }

    pub(super) fn all_leases(&self) -> Result<Vec<Lease>, LedgerError> {
        let sql = format!("SELECT {LEASE_COLUMNS} FROM leases ORDER BY pod_uid");
        self.query_leases(&sql, &[])
    }

    pub(super) fn expired(&self, now: u64) -> Result<Vec<Lease>, LedgerError> {
        let sql = format!(
            "SELECT {LEASE_COLUMNS} FROM leases WHERE expires_at <= ?1 ORDER BY expires_at"
        );
        self.query_leases(&sql, &[&(now as i64)])
    }

    pub(super) fn leases_on_ip(&self, ip: &str) -> Result<Vec<Lease>, LedgerError> {
        let sql = format!("SELECT {LEASE_COLUMNS} FROM leases WHERE ip = ?1");
        self.query_leases(&sql, &[&ip])
    }

    pub(super) fn count_active(&self) -> Result<u64, LedgerError> {
        self.with(|c| {
            let n: i64 = c.query_row(
                "SELECT COUNT(*) FROM leases WHERE state = 'active'",
                [],
                |r| r.get(0),
            )?;
            Ok(n as u64)
        })
    }

    pub(super) fn owns_account(
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

    pub(super) fn claim_accounts(
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

    pub(super) fn forget_account(
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

    pub(super) fn created_accounts(&self) -> Result<Vec<(String, String, String)>, LedgerError> {
        self.with(|c| {
            let mut stmt = c.prepare(
                "SELECT instance, user, host FROM accounts WHERE created_by_us = 1 ORDER BY instance, user, host",
            )?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
    }
}
