//! Statements on one MySQL/MariaDB instance, behind a cap on how many run
//! at once and a bound on how many requests may wait for it, so that a
//! fleet-wide release cannot flood the database.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use mysql_async::prelude::Queryable;
use mysql_async::{Conn, Opts, OptsBuilder, Pool, PoolConstraints, PoolOpts};
use tokio::sync::Semaphore;

use super::ident::{account, identifier, literal};

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// Too many requests are already waiting for this instance.
    #[error("instance `{0}` is busy")]
    Busy(String),
    /// The instance cannot be reached or did not answer in time.
    #[error("instance `{instance}` is unavailable: {reason}")]
    Unavailable { instance: String, reason: String },
    /// The instance refused a statement.
    #[error("instance `{instance}` refused a statement: {reason}")]
    Refused { instance: String, reason: String },
}

/// How the app's existing account authenticates; the new account copies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub plugin: String,
    pub auth: String,
}

pub struct Instance {
    pub name: String,
    pool: Pool,
    permits: Arc<Semaphore>,
    waiting: AtomicUsize,
    queue_limit: usize,
    timeout: Duration,
    pub statements: AtomicU64,
    mariadb: tokio::sync::OnceCell<bool>,
}

impl Instance {
    /// `url` is the admin URL; it is never logged or put in an error.
    pub fn new(
        name: &str,
        url: &str,
        max_concurrent: usize,
        queue_limit: usize,
        timeout: Duration,
    ) -> Result<Instance, String> {
        let opts = Opts::from_url(url)
            .map_err(|_| format!("instance `{name}`: the admin URL is not a valid mysql:// URL"))?;
        let opts = OptsBuilder::from_opts(opts).pool_opts(
            PoolOpts::default()
                .with_constraints(PoolConstraints::new(0, max_concurrent).unwrap_or_default()),
        );
        Ok(Instance {
            name: name.to_string(),
            pool: Pool::new(opts),
            permits: Arc::new(Semaphore::new(max_concurrent)),
            waiting: AtomicUsize::new(0),
            queue_limit,
            timeout,
            statements: AtomicU64::new(0),
            mariadb: tokio::sync::OnceCell::new(),
        })
    }

    fn unavailable(&self, reason: impl ToString) -> DbError {
        DbError::Unavailable {
            instance: self.name.clone(),
            reason: reason.to_string(),
        }
    }

    /// A connection, once a statement slot is free.
    async fn slot(&self) -> Result<(tokio::sync::OwnedSemaphorePermit, Conn), DbError> {
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.queue_limit {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(DbError::Busy(self.name.clone()));
        }
        let permit = self.permits.clone().acquire_owned().await;
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        let permit = permit.map_err(|_| self.unavailable("shutting down"))?;
        let conn = tokio::time::timeout(self.timeout, self.pool.get_conn())
            .await
            .map_err(|_| self.unavailable("no connection within the timeout"))?
            .map_err(|e| self.unavailable(connection_reason(&e)))?;
        Ok((permit, conn))
    }

    async fn exec(&self, conn: &mut Conn, sql: &str) -> Result<(), DbError> {
        self.statements.fetch_add(1, Ordering::Relaxed);
        match tokio::time::timeout(self.timeout, conn.query_drop(sql)).await {
            Err(_) => Err(self.unavailable("a statement timed out")),
            Ok(Err(mysql_async::Error::Server(e))) => Err(DbError::Refused {
                instance: self.name.clone(),
                reason: format!("{} ({})", e.message, e.code),
            }),
            Ok(Err(e)) => Err(self.unavailable(connection_reason(&e))),
            Ok(Ok(())) => Ok(()),
        }
    }

    async fn query<T: mysql_async::prelude::FromRow + Send + 'static>(
        &self,
        conn: &mut Conn,
        sql: &str,
    ) -> Result<Vec<T>, DbError> {
        self.statements.fetch_add(1, Ordering::Relaxed);
        match tokio::time::timeout(self.timeout, conn.query::<T, _>(sql)).await {
            Err(_) => Err(self.unavailable("a statement timed out")),
            Ok(Err(mysql_async::Error::Server(e))) => Err(DbError::Refused {
                instance: self.name.clone(),
                reason: format!("{} ({})", e.message, e.code),
            }),
            Ok(Err(e)) => Err(self.unavailable(connection_reason(&e))),
            Ok(Ok(rows)) => Ok(rows),
        }
    }

    async fn is_mariadb(&self, conn: &mut Conn) -> Result<bool, DbError> {
        if let Some(v) = self.mariadb.get() {
            return Ok(*v);
        }
        let version: Vec<String> = self.query(conn, "SELECT VERSION()").await?;
        let m = version.first().is_some_and(|v| v.contains("MariaDB"));
        let _ = self.mariadb.set(m);
        Ok(m)
    }

    /// Whether `'user'@'host'` exists.
    pub async fn account_exists(&self, user: &str, host: &str) -> Result<bool, DbError> {
        let (_permit, mut conn) = self.slot().await?;
        let sql = format!(
            "SELECT COUNT(*) FROM mysql.user WHERE User = {} AND Host = {}",
            literal(user),
            literal(host)
        );
        let n: Vec<u64> = self.query(&mut conn, &sql).await?;
        Ok(n.first().copied().unwrap_or(0) > 0)
    }

    /// Creates `'user'@'host'` with the credentials of the user's existing
    /// account (another host), and grants `privileges` on each schema. Every
    /// statement is idempotent.
    pub async fn create_and_grant(
        &self,
        user: &str,
        host: &str,
        create: bool,
        schemas: &[String],
        privileges: &[String],
    ) -> Result<(), DbError> {
        let (_permit, mut conn) = self.slot().await?;
        if create {
            let creds = self.credentials(&mut conn, user, host).await?;
            let auth = if creds.auth.bytes().all(|b| (0x20..0x7f).contains(&b)) {
                literal(&creds.auth)
            } else {
                format!(
                    "X'{}'",
                    creds
                        .auth
                        .bytes()
                        .map(|b| format!("{b:02X}"))
                        .collect::<String>()
                )
            };
            let how = if self.is_mariadb(&mut conn).await? {
                format!("IDENTIFIED VIA {} USING {auth}", creds.plugin)
            } else {
                format!("IDENTIFIED WITH {} AS {auth}", creds.plugin)
            };
            let sql = format!("CREATE USER IF NOT EXISTS {} {how}", account(user, host));
            self.exec(&mut conn, &sql).await?;
        }
        for schema in schemas {
            let sql = format!(
                "GRANT {} ON {}.* TO {}",
                privileges.join(", "),
                identifier(schema),
                account(user, host)
            );
            self.exec(&mut conn, &sql).await?;
        }
        Ok(())
    }

    async fn credentials(
        &self,
        conn: &mut Conn,
        user: &str,
        host: &str,
    ) -> Result<Credentials, DbError> {
        let sql = format!(
            "SELECT plugin, authentication_string FROM mysql.user WHERE User = {} AND Host <> {} AND authentication_string <> '' ORDER BY Host LIMIT 1",
            literal(user),
            literal(host)
        );
        let rows: Vec<(String, String)> = self.query(conn, &sql).await?;
        let (plugin, auth) = rows.into_iter().next().ok_or_else(|| DbError::Refused {
            instance: self.name.clone(),
            reason: format!("the database user `{user}` has no account with a password to copy"),
        })?;
        if plugin.is_empty()
            || !plugin
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            return Err(DbError::Refused {
                instance: self.name.clone(),
                reason: format!(
                    "the account of `{user}` uses an authentication plugin podready cannot copy"
                ),
            });
        }
        Ok(Credentials { plugin, auth })
    }

    /// Drops `'user'@'host'` (and so its grants).
    pub async fn drop_account(&self, user: &str, host: &str) -> Result<(), DbError> {
        let (_permit, mut conn) = self.slot().await?;
        self.exec(
            &mut conn,
            &format!("DROP USER IF EXISTS {}", account(user, host)),
        )
        .await
    }

    /// The hosts of every account of these users.
    pub async fn hosts_of(&self, users: &[String]) -> Result<Vec<(String, String)>, DbError> {
        if users.is_empty() {
            return Ok(Vec::new());
        }
        let (_permit, mut conn) = self.slot().await?;
        let list: Vec<String> = users.iter().map(|u| literal(u)).collect();
        let sql = format!(
            "SELECT User, Host FROM mysql.user WHERE User IN ({}) ORDER BY User, Host",
            list.join(", ")
        );
        self.query(&mut conn, &sql).await
    }

    pub async fn disconnect(self) {
        let _ = self.pool.disconnect().await;
    }
}

/// A connection error, without anything from the URL (it holds a
/// password): I/O errors say what failed, not where.
fn connection_reason(e: &mysql_async::Error) -> String {
    match e {
        mysql_async::Error::Io(io) => format!("connection failed ({io})"),
        mysql_async::Error::Server(s) => format!("{} ({})", s.message, s.code),
        _ => "connection failed".to_string(),
    }
}
