//! The grant center's logic, apart from HTTP: grant, renew, revoke, reap
//! and reconcile, with the ledger as the source of truth.
//!
//! Order of writes, so that a crash at any point leaves nothing unknown:
//! the lease is recorded (pending) before any statement runs; an account is
//! recorded before it is created; a lease becomes active only when every
//! statement succeeded. Revoking marks the lease, drops what the center
//! created and no other live lease on the same IP holds, then forgets it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde::Serialize;

use super::audit::Audit;
use super::config::GrantConfig;
use super::db::{DbError, Instance};
use super::ident::{account, is_k8s_name, is_name, pod_ip};
use super::ledger::{Lease, LeaseGrant, LeaseState, Ledger, LedgerError};
use super::metrics::Metrics;
use super::now;

/// Who a pod says it is.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PodIdentity {
    pub app: String,
    pub namespace: String,
    pub pod: String,
    pub pod_uid: String,
    pub ip: String,
}

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
        GrantError::Internal(e.to_string())
    }
}

impl From<DbError> for GrantError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::Busy(_) => GrantError::Busy(e.to_string()),
            DbError::Unavailable { .. } | DbError::Refused { .. } => {
                GrantError::Unavailable(e.to_string())
            }
        }
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

impl GrantCenter {
    pub fn new(
        config: GrantConfig,
        ledger: Ledger,
        instances: HashMap<String, Instance>,
        audit: Audit,
    ) -> GrantCenter {
        GrantCenter {
            config,
            ledger,
            instances,
            metrics: Metrics::default(),
            audit,
            locks: KeyLocks::default(),
        }
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
            GrantError::BadRequest("ip must be a unicast IPv4 or IPv6 address".into())
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
        let _ip_lock = self.locks.lock(&format!("ip:{ip}")).await;
        let _pod_lock = self.locks.lock(&format!("pod:{}", req.pod_uid)).await;
        let now = now();
        let lease = match self.ledger.lease(&req.pod_uid)? {
            Some(l) if l.ip != ip || l.app != req.app => {
                return Err(GrantError::Conflict(format!(
                    "pod {} already holds a lease for {} on {}",
                    req.pod_uid, l.app, l.ip
                )))
            }
            Some(l) if l.state == LeaseState::Revoking => {
                return Err(GrantError::Conflict(format!(
                    "the lease of pod {} is being revoked",
                    req.pod_uid
                )))
            }
            Some(l) if l.state == LeaseState::Active => {
                self.metrics.ledger_answer();
                return Ok(Self::answer(&l));
            }
            Some(pending) => pending,
            None => {
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
                self.ledger.put(&lease)?;
                lease
            }
        };
        match self.apply(&lease).await {
            Ok(()) => {
                let expires = now + self.config.lease_ttl_seconds;
                self.ledger
                    .set_state(&lease.pod_uid, LeaseState::Active, expires)?;
                let mut active = lease;
                active.state = LeaseState::Active;
                active.expires_at = expires;
                self.audit
                    .record(caller, "grant", &active.pod_uid, &active.ip, "ok", "");
                Ok(Self::answer(&active))
            }
            Err(e) => {
                self.audit.record(
                    caller,
                    "grant",
                    &lease.pod_uid,
                    &lease.ip,
                    "failed",
                    &e.to_string(),
                );
                Err(e)
            }
        }
    }

    /// Makes the databases hold what a lease says (idempotent).
    async fn apply(&self, lease: &Lease) -> Result<(), GrantError> {
        for g in &lease.grants {
            let db = self.instance(&g.instance)?;
            let exists = db.account_exists(&g.user, &lease.ip).await?;
            let create = match self.ledger.account(&g.instance, &g.user, &lease.ip)? {
                // Ours, whether or not a crash interrupted its creation.
                Some(true) => true,
                Some(false) => false,
                None if exists => {
                    self.ledger
                        .record_account(&g.instance, &g.user, &lease.ip, false)?;
                    false
                }
                None => {
                    self.ledger
                        .record_account(&g.instance, &g.user, &lease.ip, true)?;
                    true
                }
            };
            db.create_and_grant(
                &g.user,
                &lease.ip,
                create && !exists,
                &g.schemas,
                &g.privileges,
            )
            .await?;
        }
        Ok(())
    }

    /// Extends a pod's lease.
    pub async fn renew(&self, caller: &str, pod_uid: &str) -> Result<GrantAnswer, GrantError> {
        let _pod_lock = self.locks.lock(&format!("pod:{pod_uid}")).await;
        let lease = self
            .ledger
            .lease(pod_uid)?
            .ok_or_else(|| GrantError::NotFound(format!("pod {pod_uid} holds no lease")))?;
        if lease.app != caller {
            return Err(GrantError::Forbidden(format!(
                "the lease of pod {pod_uid} is not `{caller}`'s"
            )));
        }
        if lease.state != LeaseState::Active {
            return Err(GrantError::Conflict(format!(
                "the lease of pod {pod_uid} is not active"
            )));
        }
        let expires = now() + self.config.lease_ttl_seconds;
        self.ledger
            .set_state(pod_uid, LeaseState::Active, expires)?;
        self.audit
            .record(caller, "renew", pod_uid, &lease.ip, "ok", "");
        let mut renewed = lease;
        renewed.expires_at = expires;
        Ok(Self::answer(&renewed))
    }

    /// Revokes what a pod holds. Revoking what is already gone succeeds.
    pub async fn revoke(&self, caller: &str, pod_uid: &str) -> Result<RevokeAnswer, GrantError> {
        let Some(lease) = self.ledger.lease(pod_uid)? else {
            self.audit
                .record(caller, "revoke", pod_uid, "", "ok", "nothing held");
            return Ok(RevokeAnswer {
                pod_uid: pod_uid.to_string(),
                already_gone: true,
                dropped: Vec::new(),
                kept: Vec::new(),
            });
        };
        if lease.app != caller {
            return Err(GrantError::Forbidden(format!(
                "the lease of pod {pod_uid} is not `{caller}`'s"
            )));
        }
        let answer = self.revoke_lease(&lease).await;
        let result = if answer.is_ok() { "ok" } else { "failed" };
        self.audit
            .record(caller, "revoke", pod_uid, &lease.ip, result, "");
        answer
    }

    async fn revoke_lease(&self, lease: &Lease) -> Result<RevokeAnswer, GrantError> {
        let _ip_lock = self.locks.lock(&format!("ip:{}", lease.ip)).await;
        let _pod_lock = self.locks.lock(&format!("pod:{}", lease.pod_uid)).await;
        // Someone may have revoked it while this request waited.
        if self.ledger.lease(&lease.pod_uid)?.is_none() {
            return Ok(RevokeAnswer {
                pod_uid: lease.pod_uid.clone(),
                already_gone: true,
                dropped: Vec::new(),
                kept: Vec::new(),
            });
        }
        self.ledger
            .set_state(&lease.pod_uid, LeaseState::Revoking, lease.expires_at)?;
        let mut dropped = Vec::new();
        let mut kept = Vec::new();
        for g in &lease.grants {
            let acct = account(&g.user, &lease.ip);
            let others = self
                .ledger
                .holders(&g.instance, &g.user, &lease.ip, &lease.pod_uid)?;
            let ours = self.ledger.account(&g.instance, &g.user, &lease.ip)? == Some(true);
            if others > 0 || !ours {
                kept.push(acct);
                continue;
            }
            self.instance(&g.instance)?
                .drop_account(&g.user, &lease.ip)
                .await?;
            self.ledger
                .forget_account(&g.instance, &g.user, &lease.ip)?;
            dropped.push(acct);
        }
        self.ledger.delete_lease(&lease.pod_uid)?;
        Ok(RevokeAnswer {
            pod_uid: lease.pod_uid.clone(),
            already_gone: false,
            dropped,
            kept,
        })
    }

    /// Revokes every expired lease (a pod whose preStop never ran).
    pub async fn reap(&self) -> Result<usize, GrantError> {
        let mut n = 0;
        for lease in self.ledger.expired(now())? {
            match self.revoke_lease(&lease).await {
                Ok(_) => {
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
    /// and the accounts agree. Returns what it could not do yet (a database
    /// that is down); run it again later.
    pub async fn reconcile(&self) -> Result<Vec<String>, GrantError> {
        let mut pending = Vec::new();
        let now = now();
        for lease in self.ledger.all_leases()? {
            let result = match lease.state {
                LeaseState::Revoking => self.revoke_lease(&lease).await.map(|_| ()),
                _ if lease.expires_at <= now => self.revoke_lease(&lease).await.map(|_| ()),
                LeaseState::Pending | LeaseState::Active => {
                    let _pod_lock = self.locks.lock(&format!("pod:{}", lease.pod_uid)).await;
                    match self.apply(&lease).await {
                        Ok(()) => self
                            .ledger
                            .set_state(&lease.pod_uid, LeaseState::Active, lease.expires_at)
                            .map_err(GrantError::from),
                        Err(e) => Err(e),
                    }
                }
            };
            if let Err(e) = result {
                pending.push(format!("pod {}: {e}", lease.pod_uid));
            }
        }
        // Accounts the center created that no lease holds any more.
        for (instance, user, host) in self.ledger.created_accounts()? {
            let held = self.ledger.holders(&instance, &user, &host, "")? > 0;
            if held {
                continue;
            }
            let result = match self.instance(&instance) {
                Ok(db) => db
                    .drop_account(&user, &host)
                    .await
                    .map_err(GrantError::from),
                Err(e) => Err(e),
            };
            match result {
                Ok(()) => self.ledger.forget_account(&instance, &user, &host)?,
                Err(e) => pending.push(format!("account {}: {e}", account(&user, &host))),
            }
        }
        Ok(pending)
    }

    pub fn leases(&self, app: Option<&str>) -> Result<Vec<Lease>, GrantError> {
        Ok(match app {
            Some(a) => self.ledger.leases_of_app(a)?,
            None => self.ledger.all_leases()?,
        })
    }

    pub fn metrics_text(&self) -> String {
        let statements: Vec<(String, u64)> = self
            .instances
            .values()
            .map(|i| {
                (
                    i.name.clone(),
                    i.statements.load(std::sync::atomic::Ordering::Relaxed),
                )
            })
            .collect();
        let active = self.ledger.count_active().unwrap_or(0);
        self.metrics.render(&statements, active)
    }
}
