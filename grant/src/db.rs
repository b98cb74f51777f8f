//! Statements on one MySQL/MariaDB instance, behind a cap on how many run
//! at once and a bound on how many requests may wait for it, so that a
//! fleet-wide release cannot flood the database.
//!
//! Requests for accounts are coalesced: while every statement slot is busy
//! they queue, and the next free slot takes everything queued (up to
//! [`MAX_BATCH`]) and serves it with a few multi-account statements
//! (`CREATE USER a, b, …`, `GRANT … TO a, b, …`, `DROP USER a, b, …`). A
//! batch statement that fails is retried one account at a time, so one bad
//! account cannot fail the others.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use mysql_async::prelude::Queryable;
use mysql_async::{Conn, Opts, OptsBuilder, Pool, PoolConstraints, PoolOpts, SslOpts};
use tokio::sync::{mpsc, oneshot, OwnedSemaphorePermit, Semaphore};

use super::config::{InstanceConfig, TlsMode};
use super::ident::{account, identifier, literal};

/// The most accounts one batch serves (a statement stays far below any
/// `max_allowed_packet`).
pub const MAX_BATCH: usize = 500;

#[derive(Debug, Clone, thiserror::Error)]
pub enum DbError {
    /// Too many requests are already waiting for this instance.
    #[error("instance `{0}` is busy")]
    Busy(String),
    /// The instance cannot be reached, did not answer in time, or refused
    /// for a reason that passes (a deadlock, too many connections).
    #[error("instance `{instance}` is unavailable: {reason}")]
    Unavailable { instance: String, reason: String },
    /// The instance refused a statement, and would again.
    #[error("instance `{instance}` refused a statement: {reason}")]
    Refused {
        instance: String,
        code: u16,
        reason: String,
    },
    /// The account exists and the center did not create it: it is a DBA's,
    /// and the center never changes it.
    #[error("instance `{instance}`: the account {account} exists and podready did not create it; it is left unchanged (a DBA must drop it before a pod with this IP can be granted)")]
    Foreign { instance: String, account: String },
    /// The configuration asks for something the instance cannot give.
    #[error("instance `{instance}`: {reason}")]
    Misconfigured { instance: String, reason: String },
    /// The ledger could not record the accounts before their creation, so
    /// none was created.
    #[error("{0}")]
    Ledger(String),
}

impl DbError {
    /// Whether a retry may succeed without anyone changing anything.
    pub fn is_transient(&self) -> bool {
        matches!(self, DbError::Busy(_) | DbError::Unavailable { .. })
    }
}

/// Records accounts as the center's own before they are created, so that a
/// crash between the two leaves a record to reconcile, never an unknown
/// account.
pub trait AccountClaims: Send + Sync {
    /// A ledger that cannot record them answers [`DbError::Ledger`], or
    /// [`DbError::Unavailable`] when that passes.
    fn claim<'a>(
        &'a self,
        instance: &'a str,
        accounts: &'a [(String, String)],
    ) -> Pin<Box<dyn Future<Output = Result<(), DbError>> + Send + 'a>>;

    /// Takes back claims on accounts that turned out to be someone else's.
    fn release<'a>(
        &'a self,
        instance: &'a str,
        accounts: &'a [(String, String)],
    ) -> Pin<Box<dyn Future<Output = Result<(), DbError>> + Send + 'a>>;
}

/// What a pod gets on an instance: `'user'@'host'` with `privileges` on
/// each schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodAccount {
    pub user: String,
    pub host: String,
    pub schemas: Vec<String>,
    pub privileges: Vec<String>,
    /// The ledger says the center created this account; otherwise it must
    /// not exist yet.
    pub owned: bool,
}

enum Op {
    Grant(PodAccount),
    Drop { user: String, host: String },
}

struct Queued {
    op: Op,
    done: oneshot::Sender<Result<(), DbError>>,
}

/// One admin connection's worth of settings and counters, shared by the
/// dispatcher and the batches it runs.
struct Shared {
    name: String,
    pool: Pool,
    permits: Arc<Semaphore>,
    timeout: Duration,
    statements: AtomicU64,
    batches: AtomicU64,
    mariadb: tokio::sync::OnceCell<bool>,
    claims: Arc<dyn AccountClaims>,
}

pub struct Instance {
    shared: Arc<Shared>,
    queue: mpsc::Sender<Queued>,
}

impl Instance {
    /// `url` is the admin URL; it is never logged or put in an error. Must
    /// be called within a Tokio runtime (it starts the dispatcher).
    pub fn new(
        config: &InstanceConfig,
        url: &str,
        queue_limit: usize,
        timeout: Duration,
        claims: Arc<dyn AccountClaims>,
    ) -> Result<Instance, String> {
        let name = &config.name;
        let max_concurrent = config.max_concurrent;
        let opts = admin_options(config, url, max_concurrent)?;
        let shared = Arc::new(Shared {
            name: name.to_string(),
            pool: Pool::new(opts),
            permits: Arc::new(Semaphore::new(max_concurrent)),
            timeout,
            statements: AtomicU64::new(0),
            batches: AtomicU64::new(0),
            mariadb: tokio::sync::OnceCell::new(),
            claims,
        });
        let (queue, rx) = mpsc::channel(queue_limit.max(1));
        tokio::spawn(dispatch(shared.clone(), rx));
        Ok(Instance { shared, queue })
    }

    pub fn name(&self) -> &str {
        &self.shared.name
    }

    /// Statements run so far.
    pub fn statements(&self) -> u64 {
        self.shared.statements.load(Ordering::Relaxed)
    }

    /// Batches of account statements run so far.
    pub fn batches(&self) -> u64 {
        self.shared.batches.load(Ordering::Relaxed)
    }

    /// Whether a request queued now would be taken (not answered busy).
    pub fn has_room(&self) -> bool {
        self.queue.capacity() > 0
    }

    async fn submit(&self, op: Op) -> Result<(), DbError> {
        let (done, result) = oneshot::channel();
        self.queue
            .try_send(Queued { op, done })
            .map_err(|e| match e {
                mpsc::error::TrySendError::Full(_) => DbError::Busy(self.shared.name.clone()),
                mpsc::error::TrySendError::Closed(_) => self.shared.unavailable("shutting down"),
            })?;
        result
            .await
            .unwrap_or_else(|_| Err(self.shared.unavailable("the batch was interrupted")))
    }

    /// Creates the pod's account with the credentials of the user's
    /// existing account (another host) and grants its privileges. Refuses
    /// an existing account the ledger does not say the center created.
    pub async fn grant(&self, account: PodAccount) -> Result<(), DbError> {
        self.submit(Op::Grant(account)).await
    }

    /// Drops `'user'@'host'` (and so its grants).
    pub async fn drop_account(&self, user: &str, host: &str) -> Result<(), DbError> {
        self.submit(Op::Drop {
            user: user.to_string(),
            host: host.to_string(),
        })
        .await
    }

    /// The hosts of every account of these users.
    pub async fn hosts_of(&self, users: &[String]) -> Result<Vec<(String, String)>, DbError> {
        if users.is_empty() {
            return Ok(Vec::new());
        }
        let (_permit, mut conn) = self.shared.slot().await?;
        let sql = format!(
            "SELECT User, Host FROM mysql.user WHERE User IN ({}) ORDER BY User, Host",
            quoted_list(users)
        );
        self.shared.query(&mut conn, &sql).await
    }

    /// Of these users, those with no account whose credentials a pod's
    /// account could copy.
    pub async fn users_without_password(&self, users: &[String]) -> Result<Vec<String>, DbError> {
        if users.is_empty() {
            return Ok(Vec::new());
        }
        let (_permit, mut conn) = self.shared.slot().await?;
        let sql = format!(
            "SELECT DISTINCT User FROM mysql.user WHERE User IN ({}) AND authentication_string <> ''",
            quoted_list(users)
        );
        let with: Vec<String> = self.shared.query(&mut conn, &sql).await?;
        Ok(users
            .iter()
            .filter(|u| !with.contains(u))
            .cloned()
            .collect())
    }
}

/// Connection options for an instance's admin URL, with its TLS settings
/// and at most `connections` connections.
pub fn admin_options(
    config: &InstanceConfig,
    url: &str,
    connections: usize,
) -> Result<OptsBuilder, String> {
    let opts = Opts::from_url(url).map_err(|_| {
        format!(
            "instance `{}`: the admin URL is not a valid mysql:// URL",
            config.name
        )
    })?;
    Ok(OptsBuilder::from_opts(opts)
        .pool_opts(
            PoolOpts::default()
                .with_constraints(PoolConstraints::new(0, connections).unwrap_or_default()),
        )
        .ssl_opts(tls_options(config)?)
        // TLS means TLS: never switch to the server's socket behind it.
        .prefer_socket(config.tls == TlsMode::Disabled))
}

/// The TLS settings of an instance's admin connection (the config's
/// `tls` and `ca_file` win over anything in the URL).
fn tls_options(config: &InstanceConfig) -> Result<Option<SslOpts>, String> {
    let verify = match config.tls {
        TlsMode::Disabled => return Ok(None),
        TlsMode::Required => {
            return Ok(Some(
                SslOpts::default()
                    .with_danger_accept_invalid_certs(true)
                    .with_danger_skip_domain_validation(true),
            ))
        }
        TlsMode::VerifyIdentity => {
            SslOpts::default().with_danger_tls_hostname_override(config.tls_server_name.clone())
        }
    };
    let Some(ca) = &config.ca_file else {
        return Ok(Some(verify));
    };
    let pem = std::fs::read(ca).map_err(|e| {
        format!(
            "instance `{}`: cannot read ca_file {}: {e}",
            config.name,
            ca.display()
        )
    })?;
    // The configured CA alone: a public CA's certificate for the same name
    // must not pass.
    Ok(Some(
        verify
            .with_root_certs(vec![pem.into()])
            .with_disable_built_in_roots(true),
    ))
}

/// `'a', 'b', …`: names for an `IN (…)` list.
fn quoted_list(names: &[String]) -> String {
    names
        .iter()
        .map(|n| literal(n))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Takes queued requests as statement slots free up, each time everything
/// waiting, and runs them as one batch in its own task (so a request that
/// goes away cannot cancel the others' statements).
async fn dispatch(shared: Arc<Shared>, mut queue: mpsc::Receiver<Queued>) {
    while let Some(first) = queue.recv().await {
        let Ok(permit) = shared.permits.clone().acquire_owned().await else {
            return;
        };
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(q) => batch.push(q),
                Err(_) => break,
            }
        }
        let shared = shared.clone();
        tokio::spawn(async move { shared.run(batch, permit).await });
    }
}

/// A batch's outcome for each account it was asked about.
type Outcomes = HashMap<(String, String), Result<(), DbError>>;

impl Shared {
    fn unavailable(&self, reason: impl ToString) -> DbError {
        DbError::Unavailable {
            instance: self.name.clone(),
            reason: reason.to_string(),
        }
    }

    /// A connection, once a statement slot is free.
    async fn slot(&self) -> Result<(OwnedSemaphorePermit, Conn), DbError> {
        let permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| self.unavailable("shutting down"))?;
        let conn = self.connect().await?;
        Ok((permit, conn))
    }

    async fn connect(&self) -> Result<Conn, DbError> {
        tokio::time::timeout(self.timeout, self.pool.get_conn())
            .await
            .map_err(|_| self.unavailable("no connection within the timeout"))?
            .map_err(|e| self.classify(e))
    }

    fn classify(&self, e: mysql_async::Error) -> DbError {
        match e {
            mysql_async::Error::Server(s) if !is_transient_code(s.code) => DbError::Refused {
                instance: self.name.clone(),
                code: s.code,
                reason: format!("{} ({})", s.message, s.code),
            },
            e => self.unavailable(connection_reason(&e)),
        }
    }

    async fn exec(&self, conn: &mut Conn, sql: &str) -> Result<(), DbError> {
        self.statements.fetch_add(1, Ordering::Relaxed);
        match tokio::time::timeout(self.timeout, conn.query_drop(sql)).await {
            Err(_) => Err(self.unavailable("a statement timed out")),
            Ok(result) => result.map_err(|e| self.classify(e)),
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
            Ok(result) => result.map_err(|e| self.classify(e)),
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

    /// Runs a batch and answers every request in it.
    async fn run(&self, batch: Vec<Queued>, _permit: OwnedSemaphorePermit) {
        self.batches.fetch_add(1, Ordering::Relaxed);
        let mut grants = Vec::new();
        let mut drops = Vec::new();
        for q in &batch {
            match &q.op {
                Op::Grant(a) => grants.push(a.clone()),
                Op::Drop { user, host } => drops.push((user.clone(), host.clone())),
            }
        }
        let (granted, dropped) = match self.connect().await {
            Ok(mut conn) => (
                self.grant_all(&mut conn, &grants).await,
                self.drop_all(&mut conn, &drops).await,
            ),
            Err(e) => {
                let all = |keys: Vec<(String, String)>| -> Outcomes {
                    keys.into_iter().map(|k| (k, Err(e.clone()))).collect()
                };
                let grant_keys = grants.iter().map(|a| (a.user.clone(), a.host.clone()));
                (all(grant_keys.collect()), all(drops.clone()))
            }
        };
        for q in batch {
            let (outcomes, k) = match &q.op {
                Op::Grant(a) => (&granted, (a.user.clone(), a.host.clone())),
                Op::Drop { user, host } => (&dropped, (user.clone(), host.clone())),
            };
            let result = outcomes
                .get(&k)
                .cloned()
                .unwrap_or_else(|| Err(self.unavailable("the batch did not finish")));
            let _ = q.done.send(result);
        }
    }

    async fn grant_all(&self, conn: &mut Conn, grants: &[PodAccount]) -> Outcomes {
        let mut outcomes = Outcomes::new();
        let mut seen = BTreeSet::new();
        let grants: Vec<PodAccount> = grants
            .iter()
            .filter(|a| seen.insert((a.user.clone(), a.host.clone())))
            .cloned()
            .collect();
        if grants.is_empty() {
            return outcomes;
        }
        let existing = match self.existing(conn, &grants).await {
            Ok(e) => e,
            Err(e) => return fail_all(&grants, &e),
        };
        let mut to_create = Vec::new();
        let mut to_grant = Vec::new();
        for a in &grants {
            let k = (a.user.clone(), a.host.clone());
            match (existing.contains(&k), a.owned) {
                (true, false) => {
                    outcomes.insert(
                        k,
                        Err(DbError::Foreign {
                            instance: self.name.clone(),
                            account: account(&a.user, &a.host),
                        }),
                    );
                }
                (true, true) => to_grant.push(a),
                (false, _) => to_create.push(a),
            }
        }
        if !to_create.is_empty() {
            let created = self.create(conn, &to_create).await;
            for a in to_create {
                match created.get(&(a.user.clone(), a.host.clone())) {
                    Some(Err(e)) => {
                        outcomes.insert((a.user.clone(), a.host.clone()), Err(e.clone()));
                    }
                    _ => to_grant.push(a),
                }
            }
        }
        // One GRANT per schema and privilege list, to every account that
        // asks for exactly that.
        let mut groups: BTreeMap<(String, String), Vec<&PodAccount>> = BTreeMap::new();
        for a in &to_grant {
            for schema in &a.schemas {
                groups
                    .entry((schema.clone(), a.privileges.join(", ")))
                    .or_default()
                    .push(a);
            }
        }
        for ((schema, privileges), accounts) in groups {
            let sql = |accounts: &[&PodAccount]| {
                let to: Vec<String> = accounts.iter().map(|a| account(&a.user, &a.host)).collect();
                format!(
                    "GRANT {privileges} ON {}.* TO {}",
                    identifier(&schema),
                    to.join(", ")
                )
            };
            for (a, result) in self.each_or_all(conn, &accounts, sql).await {
                if let Err(e) = result {
                    outcomes.insert((a.user.clone(), a.host.clone()), Err(e));
                }
            }
        }
        for a in to_grant {
            outcomes
                .entry((a.user.clone(), a.host.clone()))
                .or_insert(Ok(()));
        }
        outcomes
    }

    /// Which of these accounts exist (one statement).
    async fn existing(
        &self,
        conn: &mut Conn,
        accounts: &[PodAccount],
    ) -> Result<BTreeSet<(String, String)>, DbError> {
        let pairs: BTreeSet<String> = accounts
            .iter()
            .map(|a| format!("({}, {})", literal(&a.user), literal(&a.host)))
            .collect();
        let sql = format!(
            "SELECT User, Host FROM mysql.user WHERE (User, Host) IN ({})",
            pairs.into_iter().collect::<Vec<_>>().join(", ")
        );
        let rows: Vec<(String, String)> = self.query(conn, &sql).await?;
        Ok(rows.into_iter().collect())
    }

    /// Creates the accounts, each copying the credentials of its user's
    /// existing account; claims them in the ledger first.
    async fn create(
        &self,
        conn: &mut Conn,
        accounts: &[&PodAccount],
    ) -> HashMap<(String, String), Result<(), DbError>> {
        let mut outcomes = HashMap::new();
        let users: BTreeSet<&str> = accounts.iter().map(|a| a.user.as_str()).collect();
        let credentials = match self.credentials(conn, &users).await {
            Ok(c) => c,
            Err(e) => {
                return accounts
                    .iter()
                    .map(|a| ((a.user.clone(), a.host.clone()), Err(e.clone())))
                    .collect()
            }
        };
        let mariadb = match self.is_mariadb(conn).await {
            Ok(m) => m,
            Err(e) => {
                return accounts
                    .iter()
                    .map(|a| ((a.user.clone(), a.host.clone()), Err(e.clone())))
                    .collect()
            }
        };
        let mut creatable = Vec::new();
        for a in accounts {
            let k = (a.user.clone(), a.host.clone());
            match credentials.get(a.user.as_str()) {
                Some(Ok(how)) => creatable.push((*a, how.clone())),
                Some(Err(e)) => {
                    outcomes.insert(k, Err(e.clone()));
                }
                None => {
                    outcomes.insert(k, Err(self.no_credentials(&a.user)));
                }
            }
        }
        let claimed: Vec<(String, String)> = creatable
            .iter()
            .map(|(a, _)| (a.user.clone(), a.host.clone()))
            .collect();
        if let Err(e) = self.claims.claim(&self.name, &claimed).await {
            for k in claimed {
                outcomes.insert(k, Err(e.clone()));
            }
            return outcomes;
        }
        let sql = |accounts: &[&(&PodAccount, Credentials)]| {
            let specs: Vec<String> = accounts
                .iter()
                .map(|(a, how)| format!("{} {}", account(&a.user, &a.host), how.clause(mariadb)))
                .collect();
            // Not `IF NOT EXISTS`: an account someone else created since
            // the existence check fails here instead of being taken over.
            format!("CREATE USER {}", specs.join(", "))
        };
        let refs: Vec<&(&PodAccount, Credentials)> = creatable.iter().collect();
        let mut not_ours = Vec::new();
        for ((a, _), result) in self.each_or_all(conn, &refs, sql).await {
            let k = (a.user.clone(), a.host.clone());
            let result = match result {
                // ER_CANNOT_USER: it appeared after the existence check.
                Err(DbError::Refused { code: 1396, .. }) => {
                    not_ours.push(k.clone());
                    Err(DbError::Foreign {
                        instance: self.name.clone(),
                        account: account(&a.user, &a.host),
                    })
                }
                other => other,
            };
            outcomes.insert(k, result);
        }
        if !not_ours.is_empty() {
            // Claimed before the creation failed: the claim goes again, so
            // nothing ever drops the account.
            if let Err(e) = self.claims.release(&self.name, &not_ours).await {
                for k in not_ours {
                    outcomes.insert(k, Err(e.clone()));
                }
            }
        }
        outcomes
    }

    fn no_credentials(&self, user: &str) -> DbError {
        DbError::Misconfigured {
            instance: self.name.clone(),
            reason: format!(
                "the database user `{user}` has no account with a password to copy; create it (e.g. '{user}'@'10.%') or correct the app's `user`"
            ),
        }
    }

    /// The credentials a new account of each user copies (one statement):
    /// those of the user's first account, by host, that has a password.
    async fn credentials(
        &self,
        conn: &mut Conn,
        users: &BTreeSet<&str>,
    ) -> Result<HashMap<String, Result<Credentials, DbError>>, DbError> {
        let parts: Vec<String> = users
            .iter()
            .map(|u| {
                format!(
                    "(SELECT User, plugin, authentication_string FROM mysql.user WHERE User = {} AND authentication_string <> '' ORDER BY Host LIMIT 1)",
                    literal(u)
                )
            })
            .collect();
        let rows: Vec<(String, String, String)> =
            self.query(conn, &parts.join(" UNION ALL ")).await?;
        Ok(rows
            .into_iter()
            .map(|(user, plugin, auth)| {
                let how = if plugin.is_empty()
                    || !plugin.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                {
                    Err(DbError::Misconfigured {
                        instance: self.name.clone(),
                        reason: format!(
                            "the account of `{user}` uses an authentication plugin podready cannot copy"
                        ),
                    })
                } else {
                    Ok(Credentials { plugin, auth })
                };
                (user, how)
            })
            .collect())
    }

    async fn drop_all(&self, conn: &mut Conn, drops: &[(String, String)]) -> Outcomes {
        let mut unique: Vec<&(String, String)> = drops.iter().collect();
        unique.sort();
        unique.dedup();
        let sql = |accounts: &[&(String, String)]| {
            let list: Vec<String> = accounts.iter().map(|(u, h)| account(u, h)).collect();
            format!("DROP USER IF EXISTS {}", list.join(", "))
        };
        self.each_or_all(conn, &unique, sql)
            .await
            .into_iter()
            .map(|(k, r)| ((*k).clone(), r))
            .collect()
    }

    /// Runs `sql` for all `items` in one statement; if that fails, for each
    /// alone, so the outcome of each is its own. A failure that concerns the
    /// instance, not an account, is everyone's.
    async fn each_or_all<'a, T>(
        &self,
        conn: &mut Conn,
        items: &'a [T],
        sql: impl Fn(&[T]) -> String,
    ) -> Vec<(&'a T, Result<(), DbError>)> {
        if items.is_empty() {
            return Vec::new();
        }
        match self.exec(conn, &sql(items)).await {
            Ok(()) => items.iter().map(|i| (i, Ok(()))).collect(),
            Err(e) if items.len() == 1 || e.is_transient() => {
                items.iter().map(|i| (i, Err(e.clone()))).collect()
            }
            Err(_) => {
                let mut out = Vec::new();
                for i in items {
                    let result = self.exec(conn, &sql(std::slice::from_ref(i))).await;
                    out.push((i, result));
                }
                out
            }
        }
    }
}

fn fail_all(grants: &[PodAccount], e: &DbError) -> Outcomes {
    grants
        .iter()
        .map(|a| ((a.user.clone(), a.host.clone()), Err(e.clone())))
        .collect()
}

/// How the app's existing account authenticates; the new account copies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub plugin: String,
    pub auth: String,
}

impl Credentials {
    /// The `IDENTIFIED …` clause that gives an account these credentials.
    fn clause(&self, mariadb: bool) -> String {
        // MariaDB takes only a quoted string after USING (its hashes are
        // printable); MySQL's binary salts go as hex.
        let auth = if self.auth.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            literal(&self.auth)
        } else {
            let hex: String = self.auth.bytes().map(|b| format!("{b:02X}")).collect();
            format!("X'{hex}'")
        };
        if mariadb {
            format!("IDENTIFIED VIA {} USING {auth}", self.plugin)
        } else {
            format!("IDENTIFIED WITH {} AS {auth}", self.plugin)
        }
    }
}

/// Server errors that pass by themselves: too many connections (also per
/// user), out of resources, shutting down, lock wait timeout, deadlock,
/// query interrupted, connection killed, read-only during a failover, a
/// Galera node not ready.
pub(crate) fn is_transient_code(code: u16) -> bool {
    matches!(
        code,
        1040 | 1041 | 1047 | 1053 | 1135 | 1203 | 1205 | 1213 | 1226 | 1290 | 1317 | 1836 | 1927
    )
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
