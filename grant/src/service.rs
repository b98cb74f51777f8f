//! The grant center's logic, apart from HTTP: grant, renew, revoke, reap
//! and reconcile, with the ledger as the source of truth.
//!
//! Order of writes, so that a crash at any point leaves nothing unknown:
//! the lease is recorded (pending) before any statement runs; an account is
//! recorded before it is created; a lease becomes active only when every
//! statement succeeded. Revoking marks the lease, drops what the center
//! created and no other live lease on the same IP holds, then forgets it.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;

use super::audit::Audit;
use super::config::{GrantConfig, InstanceConfig};
use super::db::{admin_options, DbError, Instance, PodAccount};
use super::ident::{account, is_k8s_name, is_name, pod_ip};
use super::ledger::{
    IpLock, Lease, LeaseGrant, LeaseState, Ledger, LedgerError, MysqlLedger, SqliteLedger,
};
use super::metrics::Metrics;
use super::now;

pub use podready_pod::client::PodIdentity;

/// Connections a replica opens to a ledger on a database server.
const LEDGER_CONNECTIONS: usize = 4;

/// What a pod holds; the answer to a grant (the same for every repeat).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GrantAnswer {
    pub pod_uid: String,
    pub app: String,
    pub ip: String,
    pub expires_at: u64,
    pub grants: Vec<AccountGrant>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountGrant {
    pub instance: String,
    pub account: String,
    pub schemas: Vec<String>,
    pub privileges: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RevokeAnswer {
    pub pod_uid: String,
    /// Nothing was held (never granted, or already revoked).
    pub already_gone: bool,
    /// Accounts dropped.
    pub dropped: Vec<String>,
    /// Accounts kept because another pod on the same IP holds them, or
    /// because the center did not create them.
    pub kept: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum GrantError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    NotFound(String),
    /// Too many requests wait for a database: retry later.
    #[error("{0}")]
    Busy(String),
    /// A database is down or slow: retry later; nothing is half-recorded.
    #[error("{0}")]
    Unavailable(String),
    #[error("{0}")]
    Internal(String),
}

impl From<LedgerError> for GrantError {
    fn from(e: LedgerError) -> Self {
        match e {
            // A ledger server that is down, or an IP another replica is
            // changing: both pass.
            LedgerError::Mysql {
                transient: true, ..
            }
            | LedgerError::Locked(_) => GrantError::Unavailable(e.to_string()),
            LedgerError::Mysql { .. }
            | LedgerError::Sqlite(_)
            | LedgerError::Corrupt(_)
            | LedgerError::Poisoned => GrantError::Internal(e.to_string()),
        }
    }
}

impl From<DbError> for GrantError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::Busy(_) => GrantError::Busy(e.to_string()),
            DbError::Unavailable { .. } => GrantError::Unavailable(e.to_string()),
            DbError::Foreign { .. } => GrantError::Conflict(e.to_string()),
            DbError::Refused { .. } | DbError::Misconfigured { .. } | DbError::Ledger(_) => {
                GrantError::Internal(e.to_string())
            }
        }
    }
}

impl GrantError {
    /// Whether the same request may succeed later with nothing changed.
    pub fn is_transient(&self) -> bool {
        matches!(self, GrantError::Busy(_) | GrantError::Unavailable(_))
    }
}

/// Async locks by key (a pod UID, an IP), so that requests about the same
/// pod or address run one at a time and identical requests coalesce.
#[derive(Default)]
struct KeyLocks {
    map: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

impl KeyLocks {
    async fn lock(&self, key: &str) -> tokio::sync::OwnedMutexGuard<()> {
        let lock = {
            let mut map = self.map.lock().unwrap_or_else(|p| p.into_inner());
            if map.len() > 4096 {
                map.retain(|_, l| Arc::strong_count(l) > 1);
            }
            map.entry(key.to_string()).or_default().clone()
        };
        lock.lock_owned().await
    }
}

pub struct GrantCenter {
    pub config: GrantConfig,
    pub ledger: Ledger,
    pub instances: HashMap<String, Instance>,
    pub metrics: Metrics,
    audit: Audit,
    locks: KeyLocks,
}

/// What a reconcile or a revoke does with a lease it finds.
enum Revoke {
    /// Whatever its expiry (a pod's stop, an interrupted revoke).
    Now,
    /// Only if it has expired by then (the reaper).
    IfExpiredBy(u64),
}

impl GrantCenter {
    /// Opens the ledger the config names and connects to every configured
    /// instance (`admin_url` gives an instance's admin URL).
    pub async fn start(
        config: GrantConfig,
        audit: Audit,
        admin_url: impl Fn(&InstanceConfig) -> Result<String, String>,
    ) -> Result<GrantCenter, String> {
        let ledger =
            match &config.ledger_instance {
                None => Ledger::Sqlite(SqliteLedger::open(&config.ledger).map_err(|e| {
                    format!("cannot open the ledger {}: {e}", config.ledger.display())
                })?),
                Some(name) => {
                    let instance = config
                        .instance(name)
                        .ok_or_else(|| format!("ledger_instance `{name}` is not configured"))?;
                    let opts = admin_options(instance, &admin_url(instance)?, LEDGER_CONNECTIONS)?;
                    // How long a killed replica's IP locks hold those IPs
                    // up (a live holder keeps its locks alive).
                    let lock_ttl = 3 * config.statement_timeout_seconds + 5;
                    let timeout = Duration::from_secs(config.statement_timeout_seconds);
                    let ledger = MysqlLedger::open(opts, &config.ledger_schema, lock_ttl, timeout)
                        .await
                        .map_err(|e| {
                            format!(
                                "cannot open the ledger in schema `{}` on instance `{name}`: {e}",
                                config.ledger_schema
                            )
                        })?;
                    Ledger::Mysql(ledger)
                }
            };
        let mut instances = HashMap::new();
        for i in &config.instances {
            let instance = Instance::new(
                i,
                &admin_url(i)?,
                config.queue_limit,
                Duration::from_secs(config.statement_timeout_seconds),
                Arc::new(ledger.clone()),
            )?;
            instances.insert(i.name.clone(), instance);
        }
        Ok(GrantCenter {
            config,
            ledger,
            instances,
            metrics: Metrics::default(),
            audit,
            locks: KeyLocks::default(),
        })
    }

    /// Checks that every app's database user has an account a pod's account
    /// can copy, on every instance it is granted on. Returns the problems
    /// (a configuration that cannot work) and the warnings (an instance that
    /// cannot be reached now; each grant checks it again).
    pub async fn check_accounts(&self) -> (Vec<String>, Vec<String>) {
        let mut problems = Vec::new();
        let mut warnings = Vec::new();
        for (name, instance) in &self.instances {
            let mut users: Vec<String> = self
                .config
                .apps
                .iter()
                .flat_map(|a| &a.databases)
                .filter(|d| &d.instance == name)
                .map(|d| d.user.clone())
                .collect();
            users.sort();
            users.dedup();
            match instance.users_without_password(&users).await {
                Ok(missing) => {
                    for user in missing {
                        let apps: Vec<&str> = self
                            .config
                            .apps
                            .iter()
                            .filter(|a| {
                                a.databases
                                    .iter()
                                    .any(|d| &d.instance == name && d.user == user)
                            })
                            .map(|a| a.name.as_str())
                            .collect();
                        problems.push(format!(
                            "instance `{name}`: the database user `{user}` (app {}) has no account with a password for pods' accounts to copy; create one (e.g. '{user}'@'10.%') or correct the app's `user`",
                            apps.join(", ")
                        ));
                    }
                }
                Err(e) => warnings.push(format!("cannot check the apps' accounts now: {e}")),
            }
        }
        problems.sort();
        warnings.sort();
        (problems, warnings)
    }

    /// Serialises work on an IP: within this process, then with the other
    /// replicas sharing the ledger.
    async fn lock_ip(
        &self,
        ip: &str,
    ) -> Result<(tokio::sync::OwnedMutexGuard<()>, IpLock), GrantError> {
        let local = self.locks.lock(&format!("ip:{ip}")).await;
        let shared = self.ledger.lock_ip(ip).await?;
        Ok((local, shared))
    }

    fn instance(&self, name: &str) -> Result<&Instance, GrantError> {
        self.instances
            .get(name)
            .ok_or_else(|| GrantError::Internal(format!("instance `{name}` is not configured")))
    }

    fn answer(lease: &Lease) -> GrantAnswer {
        GrantAnswer {
            pod_uid: lease.pod_uid.clone(),
            app: lease.app.clone(),
            ip: lease.ip.clone(),
            expires_at: lease.expires_at,
            grants: lease
                .grants
                .iter()
                .map(|g| AccountGrant {
                    instance: g.instance.clone(),
                    account: account(&g.user, &lease.ip),
                    schemas: g.schemas.clone(),
                    privileges: g.privileges.clone(),
                })
                .collect(),
        }
    }

    /// Authorizes a pod's IP on its app's databases. `caller` is the app
    /// the request authenticated as.
    pub async fn grant(&self, caller: &str, req: PodIdentity) -> Result<GrantAnswer, GrantError> {
        if req.app != caller {
            return Err(GrantError::Forbidden(format!(
                "the token is for app `{caller}`, not `{}`",
                req.app
            )));
        }
        let ip = pod_ip(&req.ip).ok_or_else(|| {
            GrantError::BadRequest(
                "ip must be the pod's own unicast IPv4 or IPv6 address (not loopback, link-local, multicast, or IPv4 written as IPv6)".into(),
            )
        })?;
        for (field, value) in [
            ("namespace", &req.namespace),
            ("pod", &req.pod),
            ("pod_uid", &req.pod_uid),
        ] {
            if !is_k8s_name(value) {
                return Err(GrantError::BadRequest(format!(
                    "{field} must be lowercase letters, digits, `-` and `.`"
                )));
            }
        }
        if !is_name(&req.app) {
            return Err(GrantError::BadRequest(
                "app must be letters, digits, `_` and `-`".into(),
            ));
        }
        let app = self
            .config
            .app(&req.app)
            .ok_or_else(|| GrantError::NotFound(format!("no app `{}` is configured", req.app)))?;
        // A repeat is answered from the ledger without taking a lock: an
        // active lease only changes by being revoked, and a revoke that
        // starts now is as if it came after this answer.
        if let Some(l) = self.ledger.lease(&req.pod_uid).await? {
            if l.state == LeaseState::Active
                && l.ip == ip
                && l.app == req.app
                && l.expires_at > now()
            {
                self.metrics.ledger_answer();
                return Ok(Self::answer(&l));
            }
        }
        let _ip_lock = self.lock_ip(&ip).await?;
        let _pod_lock = self.locks.lock(&format!("pod:{}", req.pod_uid)).await;
        let now = now();
        // Whether this request wrote the lease (a retry finds it pending).
        let (lease, fresh) = match self.ledger.lease(&req.pod_uid).await? {
            Some(l) if l.ip != ip || l.app != req.app => {
                return Err(GrantError::Conflict(format!(
                    "pod {} already holds a lease for {} on {}",
                    req.pod_uid, l.app, l.ip
                )))
            }
            // A revoke under way (or one to be finished by the reaper):
            // once it is done, the pod's retry is granted afresh.
            Some(l) if l.state == LeaseState::Revoking => {
                return Err(GrantError::Unavailable(format!(
                    "the lease of pod {} is being revoked; retry",
                    req.pod_uid
                )))
            }
            Some(l) if l.state == LeaseState::Active => {
                self.metrics.ledger_answer();
                return Ok(Self::answer(&l));
            }
            Some(pending) => (pending, false),
            None => {
                // Busy is checked before anything is written; a lease
                // written before a later 429 is undone below.
                if let Some(d) = app.databases.iter().find(|d| {
                    self.instances
                        .get(&d.instance)
                        .is_some_and(|i| !i.has_room())
                }) {
                    return Err(GrantError::Busy(format!(
                        "instance `{}` is busy",
                        d.instance
                    )));
                }
                let lease = Lease {
                    pod_uid: req.pod_uid.clone(),
                    app: req.app.clone(),
                    namespace: req.namespace.clone(),
                    pod: req.pod.clone(),
                    ip: ip.clone(),
                    state: LeaseState::Pending,
                    created_at: now,
                    expires_at: now + self.config.lease_ttl_seconds,
                    grants: app
                        .databases
                        .iter()
                        .map(|d| LeaseGrant {
                            instance: d.instance.clone(),
                            user: d.user.clone(),
                            schemas: d.schemas.clone(),
                            privileges: d.privileges.clone(),
                        })
                        .collect(),
                };
                self.ledger.put(&lease).await?;
                (lease, true)
            }
        };
        let result = match self.apply(&lease).await {
            Ok(()) => {
                let expires = now + self.config.lease_ttl_seconds;
                if self.ledger.activate(&lease.pod_uid, expires).await? {
                    let mut active = lease.clone();
                    active.state = LeaseState::Active;
                    active.expires_at = expires;
                    Ok(Self::answer(&active))
                } else {
                    Err(GrantError::Conflict(format!(
                        "the lease of pod {} was revoked while it was being granted",
                        lease.pod_uid
                    )))
                }
            }
            // The pod retries; the pending lease carries on from here —
            // unless this request wrote it and was told to come back later:
            // then it is undone, so a 429 leaves nothing in the ledger.
            Err(e) if e.is_transient() && !(fresh && matches!(e, GrantError::Busy(_))) => Err(e),
            // Undo what this lease was given: a refusal (it would fail
            // again) or a 429 leaves no account and no lease behind.
            Err(e) => match self
                .revoke_locked(&lease.pod_uid, &lease.ip, Revoke::Now)
                .await
            {
                Ok(_) => Err(e),
                // Still busy: the pod retries, the reaper finishes the undo.
                Err(_) if e.is_transient() => Err(e),
                Err(undo) => Err(GrantError::Internal(format!(
                    "{e}; undoing the partial grant failed too ({undo}); the reaper retries it"
                ))),
            },
        };
        match &result {
            Ok(_) => self
                .audit
                .record(caller, "grant", &lease.pod_uid, &lease.ip, "ok", ""),
            Err(e) => self.audit.record(
                caller,
                "grant",
                &lease.pod_uid,
                &lease.ip,
                "failed",
                &e.to_string(),
            ),
        }
        result
    }

    /// Makes the databases hold what a lease says (idempotent).
    async fn apply(&self, lease: &Lease) -> Result<(), GrantError> {
        for g in &lease.grants {
            let db = self.instance(&g.instance)?;
            let owned = self
                .ledger
                .owns_account(&g.instance, &g.user, &lease.ip)
                .await?;
            db.grant(PodAccount {
                user: g.user.clone(),
                host: lease.ip.clone(),
                schemas: g.schemas.clone(),
                privileges: g.privileges.clone(),
                owned,
            })
            .await?;
        }
        Ok(())
    }

    /// Extends a pod's lease.
    pub async fn renew(&self, caller: &str, pod_uid: &str) -> Result<GrantAnswer, GrantError> {
        let _pod_lock = self.locks.lock(&format!("pod:{pod_uid}")).await;
        let lease = self
            .ledger
            .lease(pod_uid)
            .await?
            .ok_or_else(|| GrantError::NotFound(format!("pod {pod_uid} holds no lease")))?;
        if lease.app != caller {
            return Err(GrantError::Forbidden(format!(
                "the lease of pod {pod_uid} is not `{caller}`'s"
            )));
        }
        let expires = now() + self.config.lease_ttl_seconds;
        // Conditional on the lease still being active, in one statement:
        // the reaper may have begun revoking it since it was read.
        if !self.ledger.renew(pod_uid, expires).await? {
            return Err(GrantError::Conflict(format!(
                "the lease of pod {pod_uid} is not active (not yet granted, or being revoked)"
            )));
        }
        self.audit
            .record(caller, "renew", pod_uid, &lease.ip, "ok", "");
        let mut renewed = lease;
        renewed.expires_at = expires;
        Ok(Self::answer(&renewed))
    }

    /// Revokes what a pod holds. Revoking what is already gone succeeds.
    pub async fn revoke(&self, caller: &str, pod_uid: &str) -> Result<RevokeAnswer, GrantError> {
        let gone = || RevokeAnswer {
            pod_uid: pod_uid.to_string(),
            already_gone: true,
            dropped: Vec::new(),
            kept: Vec::new(),
        };
        let Some(lease) = self.ledger.lease(pod_uid).await? else {
            self.audit
                .record(caller, "revoke", pod_uid, "", "ok", "nothing held");
            return Ok(gone());
        };
        if lease.app != caller {
            return Err(GrantError::Forbidden(format!(
                "the lease of pod {pod_uid} is not `{caller}`'s"
            )));
        }
        let answer = self.revoke_lease(&lease, Revoke::Now).await;
        match &answer {
            Ok(_) => self
                .audit
                .record(caller, "revoke", pod_uid, &lease.ip, "ok", ""),
            Err(e) => self.audit.record(
                caller,
                "revoke",
                pod_uid,
                &lease.ip,
                "failed",
                &e.to_string(),
            ),
        }
        Ok(answer?.unwrap_or_else(gone))
    }

    async fn revoke_lease(
        &self,
        lease: &Lease,
        when: Revoke,
    ) -> Result<Option<RevokeAnswer>, GrantError> {
        let _ip_lock = self.lock_ip(&lease.ip).await?;
        let _pod_lock = self.locks.lock(&format!("pod:{}", lease.pod_uid)).await;
        self.revoke_locked(&lease.pod_uid, &lease.ip, when).await
    }

    /// Revokes the pod's lease on `ip`, with the IP and pod locks held.
    /// `None`: there was nothing to revoke (gone, or renewed in time).
    async fn revoke_locked(
        &self,
        pod_uid: &str,
        ip: &str,
        when: Revoke,
    ) -> Result<Option<RevokeAnswer>, GrantError> {
        let expired_by = match when {
            Revoke::Now => None,
            Revoke::IfExpiredBy(t) => Some(t),
        };
        let Some(lease) = self.ledger.begin_revoke(pod_uid, ip, expired_by).await? else {
            return Ok(None);
        };
        let mut dropped = Vec::new();
        let mut kept = Vec::new();
        for g in &lease.grants {
            let acct = account(&g.user, &lease.ip);
            let others = self
                .ledger
                .holders(&g.instance, &g.user, &lease.ip, &lease.pod_uid)
                .await?;
            let ours = self
                .ledger
                .owns_account(&g.instance, &g.user, &lease.ip)
                .await?;
            if others > 0 || !ours {
                kept.push(acct);
                continue;
            }
            self.instance(&g.instance)?
                .drop_account(&g.user, &lease.ip)
                .await?;
            self.ledger
                .forget_account(&g.instance, &g.user, &lease.ip)
                .await?;
            dropped.push(acct);
        }
        self.ledger.delete_lease(&lease.pod_uid).await?;
        Ok(Some(RevokeAnswer {
            pod_uid: lease.pod_uid.clone(),
            already_gone: false,
            dropped,
            kept,
        }))
    }

    /// Revokes every expired lease (a pod whose preStop never ran, a grant
    /// its pod gave up on). A lease renewed after it was read is left.
    pub async fn reap(&self) -> Result<usize, GrantError> {
        let now = now();
        let mut n = 0;
        for lease in self.ledger.expired(now).await? {
            match self.revoke_lease(&lease, Revoke::IfExpiredBy(now)).await {
                Ok(Some(_)) => {
                    n += 1;
                    self.audit.record(
                        "reaper",
                        "revoke",
                        &lease.pod_uid,
                        &lease.ip,
                        "ok",
                        "lease expired",
                    );
                }
                Ok(None) => {}
                Err(e) => {
                    self.audit.record(
                        "reaper",
                        "revoke",
                        &lease.pod_uid,
                        &lease.ip,
                        "failed",
                        &e.to_string(),
                    );
                }
            }
        }
        Ok(n)
    }

    /// After a restart: finishes what was interrupted and makes the ledger
    /// and the accounts agree, reading each instance's accounts once rather
    /// than re-applying every lease. A revoke that was under way is
    /// finished; a grant no pod was answered (pending) is undone, since its
    /// pod retries; an active lease whose account is missing gets it back.
    /// Every change is in the audit log. Returns what it could not do yet
    /// (a database that is down); run it again later.
    pub async fn reconcile(&self) -> Result<Vec<String>, GrantError> {
        let mut left = Vec::new();
        let leases = self.ledger.all_leases().await?;
        let created = self.ledger.created_accounts().await?;
        let mut present: HashMap<&str, BTreeSet<(String, String)>> = HashMap::new();
        for (name, instance) in &self.instances {
            let mut users: Vec<String> = leases
                .iter()
                .flat_map(|l| &l.grants)
                .filter(|g| &g.instance == name)
                .map(|g| g.user.clone())
                .chain(
                    created
                        .iter()
                        .filter(|(i, _, _)| i == name)
                        .map(|(_, u, _)| u.clone()),
                )
                .collect();
            users.sort();
            users.dedup();
            match instance.hosts_of(&users).await {
                Ok(accounts) => {
                    present.insert(name, accounts.into_iter().collect());
                }
                Err(e) => left.push(format!("instance `{name}`: {e}")),
            }
        }
        for lease in leases {
            if let Err(e) = self.reconcile_lease(&lease, &present).await {
                left.push(format!("pod {}: {e}", lease.pod_uid));
            }
        }
        // Accounts the center created that no lease holds any more.
        for (instance, user, host) in self.ledger.created_accounts().await? {
            let Some(accounts) = present.get(instance.as_str()) else {
                continue;
            };
            let present = accounts.contains(&(user.clone(), host.clone()));
            if let Err(e) = self
                .reconcile_account(&instance, &user, &host, present)
                .await
            {
                left.push(format!("account {}: {e}", account(&user, &host)));
            }
        }
        Ok(left)
    }

    /// Drops (when `present`) and forgets an account the center created,
    /// unless a lease holds it.
    async fn reconcile_account(
        &self,
        instance: &str,
        user: &str,
        host: &str,
        present: bool,
    ) -> Result<(), GrantError> {
        let _ip_lock = self.lock_ip(host).await?;
        if self.ledger.holders(instance, user, host, "").await? > 0 {
            return Ok(());
        }
        if present {
            self.instance(instance)?.drop_account(user, host).await?;
            self.audit.record(
                "reconcile",
                "drop",
                "",
                host,
                "ok",
                &format!(
                    "{} on `{instance}`: created by podready, held by no lease",
                    account(user, host)
                ),
            );
        }
        self.ledger.forget_account(instance, user, host).await?;
        Ok(())
    }

    async fn reconcile_lease(
        &self,
        seen: &Lease,
        present: &HashMap<&str, BTreeSet<(String, String)>>,
    ) -> Result<(), GrantError> {
        let _ip_lock = self.lock_ip(&seen.ip).await?;
        let _pod_lock = self.locks.lock(&format!("pod:{}", seen.pod_uid)).await;
        // Requests may have changed it since the listing.
        let Some(lease) = self.ledger.lease(&seen.pod_uid).await? else {
            return Ok(());
        };
        let now = now();
        let (when, why) = match lease.state {
            LeaseState::Revoking => (Revoke::Now, "finished an interrupted revoke"),
            // A request granting it holds the pod's lock until it is
            // active, so a pending lease seen here is one whose pod was
            // told to retry or never answered: it asks again.
            LeaseState::Pending => (
                Revoke::Now,
                "undid a grant whose pod was not answered with success (it asks again)",
            ),
            LeaseState::Active if lease.expires_at <= now => {
                (Revoke::IfExpiredBy(now), "lease expired")
            }
            LeaseState::Active => {
                let missing = lease.grants.iter().any(|g| {
                    present
                        .get(g.instance.as_str())
                        .is_some_and(|a| !a.contains(&(g.user.clone(), lease.ip.clone())))
                });
                if !missing {
                    return Ok(());
                }
                let result = self.apply(&lease).await;
                let (outcome, detail) = match &result {
                    Ok(()) => (
                        "ok",
                        "re-created an active lease's missing account".to_string(),
                    ),
                    Err(e) => ("failed", e.to_string()),
                };
                self.audit.record(
                    "reconcile",
                    "grant",
                    &lease.pod_uid,
                    &lease.ip,
                    outcome,
                    &detail,
                );
                return result;
            }
        };
        let result = self.revoke_locked(&lease.pod_uid, &lease.ip, when).await;
        let (outcome, detail) = match &result {
            Ok(_) => ("ok", why.to_string()),
            Err(e) => ("failed", e.to_string()),
        };
        self.audit.record(
            "reconcile",
            "revoke",
            &lease.pod_uid,
            &lease.ip,
            outcome,
            &detail,
        );
        result.map(|_| ())
    }

    pub async fn leases(&self, app: Option<&str>) -> Result<Vec<Lease>, GrantError> {
        Ok(match app {
            Some(a) => self.ledger.leases_of_app(a).await?,
            None => self.ledger.all_leases().await?,
        })
    }

    pub async fn metrics_text(&self) -> String {
        let instances: Vec<(String, u64, u64)> = self
            .instances
            .values()
            .map(|i| (i.name().to_string(), i.statements(), i.batches()))
            .collect();
        let active = self.ledger.count_active().await.unwrap_or(0);
        self.metrics.render(&instances, active)
    }
}
