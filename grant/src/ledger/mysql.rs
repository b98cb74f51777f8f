//! The ledger in a schema of its own on a MySQL/MariaDB instance, shared by
//! several replicas of the center.
//!
//! What replicas could race on is decided by the database in one statement:
//! a lease row per pod (primary key), state changes conditional on the
//! state they start from (`… WHERE state = 'pending'`), the reaper's revoke
//! conditional on the lease still being expired. Work on one IP (creating
//! or dropping its accounts) is serialised by a lock row that its holder
//! keeps alive while it works and that expires otherwise, so a replica
//! killed while holding one holds up that IP for `lock_ttl` seconds, never
//! for ever.
//!
//! A pod's lease is looked up on every request, repeats included, so the
//! lookups waiting at one moment go out in one statement.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use mysql_async::prelude::{Query, Queryable, WithParams};
use mysql_async::{Conn, OptsBuilder, Pool, Row};
use tokio::sync::{mpsc, oneshot};

use super::{Lease, LeaseState, LedgerError};
use crate::db::is_transient_code;
use crate::ident::identifier;
use crate::now;

const TABLES: [&str; 3] = [
    "CREATE TABLE IF NOT EXISTS leases (
        pod_uid    VARCHAR(253) NOT NULL PRIMARY KEY,
        app        VARCHAR(64)  NOT NULL,
        namespace  VARCHAR(253) NOT NULL,
        pod        VARCHAR(253) NOT NULL,
        ip         VARCHAR(45)  NOT NULL,
        state      VARCHAR(10)  NOT NULL,
        created_at BIGINT       NOT NULL,
        expires_at BIGINT       NOT NULL,
        grants     TEXT         NOT NULL,
        KEY leases_ip (ip),
        KEY leases_app (app),
        KEY leases_expiry (expires_at)
    ) ENGINE = InnoDB",
    "CREATE TABLE IF NOT EXISTS accounts (
        instance      VARCHAR(64) NOT NULL,
        user          VARCHAR(80) NOT NULL,
        host          VARCHAR(45) NOT NULL,
        created_by_us TINYINT     NOT NULL,
        PRIMARY KEY (instance, user, host)
    ) ENGINE = InnoDB",
    "CREATE TABLE IF NOT EXISTS ip_locks (
        ip    VARCHAR(45) NOT NULL PRIMARY KEY,
        owner VARCHAR(96) NOT NULL,
        until BIGINT      NOT NULL
    ) ENGINE = InnoDB",
];

const LEASE_COLUMNS: &str =
    "pod_uid, app, namespace, pod, ip, state, created_at, expires_at, grants";

/// A lookup of a pod's lease, waiting for the next lookup statement.
type LeaseLookup = (String, oneshot::Sender<Result<Option<Lease>, LedgerError>>);

/// The most pods one lookup statement asks about.
const LOOKUP_BATCH: usize = 500;

/// Cheap to clone (a connection pool).
#[derive(Clone)]
pub struct MysqlLedger {
    pool: Pool,
    /// This replica, in the lock rows it takes.
    owner: String,
    /// Numbers each lock taken, so a release that arrives late never frees
    /// the same IP locked again since.
    locks_taken: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// Seconds a lock row lasts unless its holder keeps it alive.
    lock_ttl: u64,
    /// How long one ledger call may take.
    timeout: Duration,
    /// Where lease lookups wait for [`answer_lookups`].
    lookups: mpsc::UnboundedSender<LeaseLookup>,
}

fn mysql(e: mysql_async::Error) -> LedgerError {
    match &e {
        mysql_async::Error::Server(s) => LedgerError::Mysql {
            reason: format!("{} ({})", s.message, s.code),
            transient: is_transient_code(s.code),
        },
        mysql_async::Error::Io(io) => LedgerError::Mysql {
            reason: format!("connection failed ({io})"),
            transient: true,
        },
        // Other errors may quote the URL, which holds a password.
        _ => LedgerError::Mysql {
            reason: "connection failed".to_string(),
            transient: true,
        },
    }
}

/// A lock row on an IP, kept alive while held and deleted when dropped.
pub struct RowLock {
    pool: Pool,
    ip: String,
    owner: String,
    /// Extends the row while the work goes on, so a slow operation never
    /// outlives its lock; a killed replica stops extending it.
    keeper: tokio::task::JoinHandle<()>,
}

impl Drop for RowLock {
    fn drop(&mut self) {
        self.keeper.abort();
        let (pool, ip, owner) = (self.pool.clone(), self.ip.clone(), self.owner.clone());
        // Dropped inside the runtime the center runs in; if the release is
        // lost, the row expires.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                if let Ok(mut conn) = pool.get_conn().await {
                    let _ = "DELETE FROM ip_locks WHERE ip = ? AND owner = ?"
                        .with((ip, owner))
                        .ignore(&mut conn)
                        .await;
                }
            });
        }
    }
}

impl MysqlLedger {
    /// Creates the schema and its tables when missing. `opts` are the
    /// instance's admin connection options.
    pub async fn open(
        opts: OptsBuilder,
        schema: &str,
        lock_ttl: u64,
        timeout: Duration,
    ) -> Result<MysqlLedger, LedgerError> {
        let mut conn = Conn::new(opts.clone()).await.map_err(mysql)?;
        conn.query_drop(format!(
            "CREATE DATABASE IF NOT EXISTS {}",
            identifier(schema)
        ))
        .await
        .map_err(mysql)?;
        let _ = conn.disconnect().await;
        // Found rows, not changed rows: a renewal to the same second is
        // still a renewal.
        let pool = Pool::new(opts.db_name(Some(schema)).client_found_rows(true));
        let mut conn = pool.get_conn().await.map_err(mysql)?;
        for table in TABLES {
            conn.query_drop(table).await.map_err(mysql)?;
        }
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let (lookups, waiting) = mpsc::unbounded_channel();
        tokio::spawn(answer_lookups(pool.clone(), waiting));
        Ok(MysqlLedger {
            lookups,
            pool,
            owner: format!("pid {} at {}.{nanos:09}", std::process::id(), now()),
            locks_taken: Default::default(),
            lock_ttl,
            timeout,
        })
    }

    /// A ledger call, bounded: a hung ledger must not hold a statement slot
    /// (claims run inside a batch) or a request for ever.
    pub(super) async fn timed<T>(
        &self,
        call: impl std::future::Future<Output = Result<T, LedgerError>>,
    ) -> Result<T, LedgerError> {
        tokio::time::timeout(self.timeout, call)
            .await
            .unwrap_or_else(|_| {
                Err(LedgerError::Mysql {
                    reason: "no answer within the statement timeout".into(),
                    transient: true,
                })
            })
    }

    async fn conn(&self) -> Result<Conn, LedgerError> {
        self.pool.get_conn().await.map_err(mysql)
    }

    async fn leases_where(
        &self,
        condition: &str,
        params: mysql_async::Params,
    ) -> Result<Vec<Lease>, LedgerError> {
        let mut conn = self.conn().await?;
        let sql = format!("SELECT {LEASE_COLUMNS} FROM leases WHERE {condition} ORDER BY pod_uid");
        let rows: Vec<Row> = sql.with(params).fetch(&mut conn).await.map_err(mysql)?;
        rows.into_iter().map(lease_from_row).collect()
    }

    /// A pod's lease, looked up with the other lookups waiting now.
    pub(super) async fn lease(&self, pod_uid: &str) -> Result<Option<Lease>, LedgerError> {
        let (reply, answer) = oneshot::channel();
        let stopped = || LedgerError::Mysql {
            reason: "the ledger's lookups stopped".into(),
            transient: true,
        };
        self.lookups
            .send((pod_uid.to_string(), reply))
            .map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }

    pub(super) async fn put(&self, lease: &Lease) -> Result<(), LedgerError> {
        let grants = serde_json::to_string(&lease.grants)?;
        let mut conn = self.conn().await?;
        format!(
            "INSERT INTO leases ({LEASE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON DUPLICATE KEY UPDATE app = VALUES(app), namespace = VALUES(namespace),
                 pod = VALUES(pod), ip = VALUES(ip), state = VALUES(state),
                 expires_at = VALUES(expires_at), grants = VALUES(grants)"
        )
        .with((
            &lease.pod_uid,
            &lease.app,
            &lease.namespace,
            &lease.pod,
            &lease.ip,
            lease.state.as_str(),
            lease.created_at,
            lease.expires_at,
            grants,
        ))
        .ignore(&mut conn)
        .await
        .map_err(mysql)
    }

    /// Runs a statement; the rows it matched.
    async fn update(
        &self,
        sql: &str,
        params: impl Into<mysql_async::Params> + Send,
    ) -> Result<u64, LedgerError> {
        let mut conn = self.conn().await?;
        sql.with(params.into())
            .ignore(&mut conn)
            .await
            .map_err(mysql)?;
        Ok(conn.affected_rows())
    }

    pub(super) async fn activate(
        &self,
        pod_uid: &str,
        expires_at: u64,
    ) -> Result<bool, LedgerError> {
        let sql = "UPDATE leases SET state = 'active', expires_at = ? WHERE pod_uid = ? AND state = 'pending'";
        Ok(self.update(sql, (expires_at, pod_uid)).await? == 1)
    }

    pub(super) async fn renew(&self, pod_uid: &str, expires_at: u64) -> Result<bool, LedgerError> {
        let sql = "UPDATE leases SET expires_at = ? WHERE pod_uid = ? AND state = 'active'";
        Ok(self.update(sql, (expires_at, pod_uid)).await? == 1)
    }

    pub(super) async fn mark_revoking(
        &self,
        pod_uid: &str,
        ip: &str,
        expired_by: Option<u64>,
    ) -> Result<bool, LedgerError> {
        let sql = "UPDATE leases SET state = 'revoking' WHERE pod_uid = ? AND ip = ? AND (? IS NULL OR expires_at <= ?)";
        Ok(self
            .update(sql, (pod_uid, ip, expired_by, expired_by))
            .await?
            == 1)
    }

    pub(super) async fn delete_lease(&self, pod_uid: &str) -> Result<(), LedgerError> {
        self.update("DELETE FROM leases WHERE pod_uid = ?", (pod_uid,))
            .await
            .map(|_| ())
    }

    pub(super) async fn leases_of_app(&self, app: &str) -> Result<Vec<Lease>, LedgerError> {
        self.leases_where("app = ?", (app,).into()).await
    }

    pub(super) async fn all_leases(&self) -> Result<Vec<Lease>, LedgerError> {
        self.leases_where("TRUE", mysql_async::Params::Empty).await
    }

    pub(super) async fn expired(&self, now: u64) -> Result<Vec<Lease>, LedgerError> {
        self.leases_where("expires_at <= ?", (now,).into()).await
    }

    pub(super) async fn leases_on_ip(&self, ip: &str) -> Result<Vec<Lease>, LedgerError> {
        self.leases_where("ip = ?", (ip,).into()).await
    }

    pub(super) async fn count_active(&self) -> Result<u64, LedgerError> {
        let mut conn = self.conn().await?;
        let n: Option<u64> = conn
            .query_first("SELECT COUNT(*) FROM leases WHERE state = 'active'")
            .await
            .map_err(mysql)?;
        Ok(n.unwrap_or(0))
    }

    pub(super) async fn owns_account(
        &self,
        instance: &str,
        user: &str,
        host: &str,
    ) -> Result<bool, LedgerError> {
        let mut conn = self.conn().await?;
        let row: Option<i64> =
            "SELECT created_by_us FROM accounts WHERE instance = ? AND user = ? AND host = ?"
                .with((instance, user, host))
                .first(&mut conn)
                .await
                .map_err(mysql)?;
        Ok(row == Some(1))
    }

    pub(super) async fn claim_accounts(
        &self,
        instance: &str,
        accounts: &[(String, String)],
    ) -> Result<(), LedgerError> {
        if accounts.is_empty() {
            return Ok(());
        }
        let mut conn = self.conn().await?;
        let rows = vec!["(?, ?, ?, 1)"; accounts.len()].join(", ");
        let params: Vec<mysql_async::Value> = accounts
            .iter()
            .flat_map(|(user, host)| [instance.into(), user.as_str().into(), host.as_str().into()])
            .collect();
        format!(
            "INSERT INTO accounts (instance, user, host, created_by_us) VALUES {rows}
             ON DUPLICATE KEY UPDATE created_by_us = 1"
        )
        .with(params)
        .ignore(&mut conn)
        .await
        .map_err(mysql)
    }

    pub(super) async fn forget_account(
        &self,
        instance: &str,
        user: &str,
        host: &str,
    ) -> Result<(), LedgerError> {
        self.update(
            "DELETE FROM accounts WHERE instance = ? AND user = ? AND host = ?",
            (instance, user, host),
        )
        .await
        .map(|_| ())
    }

    pub(super) async fn created_accounts(
        &self,
    ) -> Result<Vec<(String, String, String)>, LedgerError> {
        let mut conn = self.conn().await?;
        conn.query(
            "SELECT instance, user, host FROM accounts WHERE created_by_us = 1 ORDER BY instance, user, host",
        )
        .await
        .map_err(mysql)
    }

    /// Takes the IP's lock row: inserts it, or takes it over once it has
    /// expired; waits while another replica holds it, as long as a dead
    /// holder's row would take to expire.
    pub(super) async fn lock_ip(&self, ip: &str) -> Result<RowLock, LedgerError> {
        let taken = self
            .locks_taken
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let owner = format!("{} #{taken}", self.owner);
        let started = Instant::now();
        let mut wait = Duration::from_millis(5);
        loop {
            let mut conn = self.conn().await?;
            // The server's clock, not each replica's: replicas whose clocks
            // disagree still agree on what has expired.
            // Free (the usual case): one insert. Held: taken over only if
            // its holder let it expire.
            let inserted = "INSERT IGNORE INTO ip_locks (ip, owner, until) VALUES (?, ?, UNIX_TIMESTAMP() + ?)"
                .with((ip, &owner, self.lock_ttl))
                .ignore(&mut conn)
                .await
                .map_err(mysql)
                .map(|()| conn.affected_rows() == 1)?;
            let taken = inserted
                || "UPDATE ip_locks SET owner = ?, until = UNIX_TIMESTAMP() + ? WHERE ip = ? AND until < UNIX_TIMESTAMP()"
                    .with((&owner, self.lock_ttl, ip))
                    .ignore(&mut conn)
                    .await
                    .map_err(mysql)
                    .map(|()| conn.affected_rows() == 1)?;
            if taken {
                let keeper = tokio::spawn(keep_alive(
                    self.pool.clone(),
                    ip.to_string(),
                    owner.clone(),
                    self.lock_ttl,
                ));
                return Ok(RowLock {
                    pool: self.pool.clone(),
                    ip: ip.to_string(),
                    owner,
                    keeper,
                });
            }
            drop(conn);
            // A dead holder's row can be taken over a second after it
            // expires (whole seconds).
            if started.elapsed() > Duration::from_secs(self.lock_ttl + 2) {
                return Err(LedgerError::Locked(ip.to_string()));
            }
            tokio::time::sleep(wait).await;
            wait = (wait * 2).min(Duration::from_millis(200));
        }
    }
}

/// Extends a held lock row every third of its lifetime until aborted.
async fn keep_alive(pool: Pool, ip: String, owner: String, ttl: u64) {
    let every = Duration::from_secs((ttl / 3).max(1));
    loop {
        tokio::time::sleep(every).await;
        if let Ok(mut conn) = pool.get_conn().await {
            let _ = "UPDATE ip_locks SET until = UNIX_TIMESTAMP() + ? WHERE ip = ? AND owner = ?"
                .with((ttl, &ip, &owner))
                .ignore(&mut conn)
                .await;
        }
    }
}

fn lease_from_row(row: Row) -> Result<Lease, LedgerError> {
    type Columns = (
        String,
        String,
        String,
        String,
        String,
        String,
        u64,
        u64,
        String,
    );
    let (pod_uid, app, namespace, pod, ip, state, created_at, expires_at, grants): Columns =
        mysql_async::from_row_opt(row).map_err(|_| LedgerError::Mysql {
            reason: "a lease row has unexpected columns".into(),
            transient: false,
        })?;
    Ok(Lease {
        pod_uid,
        app,
        namespace,
        pod,
        ip,
        state: LeaseState::parse(&state),
        created_at,
        expires_at,
        grants: serde_json::from_str(&grants)?,
    })
}

/// Answers lease lookups, one statement at a time: each asks for every pod
/// whose lookup waits when it is sent, so the lookups that arrive while one
/// statement runs go out together in the next. A lookup never gets an
/// answer read before it was asked.
async fn answer_lookups(pool: Pool, mut waiting: mpsc::UnboundedReceiver<LeaseLookup>) {
    while let Some(first) = waiting.recv().await {
        let mut batch = vec![first];
        while batch.len() < LOOKUP_BATCH {
            match waiting.try_recv() {
                Ok(lookup) => batch.push(lookup),
                Err(_) => break,
            }
        }
        let pods: Vec<&str> = batch.iter().map(|(pod, _)| pod.as_str()).collect();
        match rows_of_pods(&pool, &pods).await {
            Ok(rows) => {
                for (pod, reply) in batch {
                    // A pod asked twice in one batch gets its row twice.
                    let row = rows.get(&pod).cloned();
                    let _ = reply.send(row.map(lease_from_row).transpose());
                }
            }
            Err(e) => {
                let (reason, transient) = match e {
                    LedgerError::Mysql { reason, transient } => (reason, transient),
                    other => (other.to_string(), false),
                };
                for (_, reply) in batch {
                    let _ = reply.send(Err(LedgerError::Mysql {
                        reason: reason.clone(),
                        transient,
                    }));
                }
            }
        }
    }
}

/// The lease rows of these pods, by pod.
async fn rows_of_pods(pool: &Pool, pods: &[&str]) -> Result<HashMap<String, Row>, LedgerError> {
    let mut conn = pool.get_conn().await.map_err(mysql)?;
    let marks = vec!["?"; pods.len()].join(", ");
    let sql = format!("SELECT {LEASE_COLUMNS} FROM leases WHERE pod_uid IN ({marks})");
    let params: Vec<mysql_async::Value> = pods.iter().map(|p| (*p).into()).collect();
    let rows: Vec<Row> = sql.with(params).fetch(&mut conn).await.map_err(mysql)?;
    Ok(rows
        .into_iter()
        .filter_map(|row| Some((row.get::<String, _>(0)?, row)))
        .collect())
}
