//! The ledger's contract, the same for both stores: the SQLite file and a
//! schema on a real MariaDB (a private `mariadbd`).

use std::path::Path;

use podready_grant::config::GrantConfig;
use podready_grant::db::admin_options;
use podready_grant::ledger::{Lease, LeaseGrant, LeaseState, Ledger, MysqlLedger, SqliteLedger};
use podready_testkit::MariaDb;

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

/// A ledger on the private MariaDB, in `schema`, through the grant config's
/// own connection options.
async fn mysql_ledger(db: &MariaDb, dir: &Path, schema: &str) -> Ledger {
    let path = dir.join("grant.toml");
    std::fs::write(
        &path,
        "[[instances]]\nname = \"main\"\nadmin_url_env = \"X\"\ntls = \"disabled\"\n[[apps]]\nname = \"a\"\ntoken_sha256 = \"0000000000000000000000000000000000000000000000000000000000000000\"\ndatabases = []\n",
    )
    .unwrap();
    let config = GrantConfig::load(&path).unwrap();
    let opts = admin_options(&config.instances[0], &db.admin_url(), 4).unwrap();
    let timeout = std::time::Duration::from_secs(5);
    Ledger::Mysql(MysqlLedger::open(opts, schema, 2, timeout).await.unwrap())
}

/// Runs `check` against a fresh SQLite ledger and a fresh MariaDB one.
fn on_both<F, Fut>(check: F)
where
    F: Fn(Ledger) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let rt = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let sqlite = Ledger::Sqlite(SqliteLedger::open(&dir.path().join("l.sqlite")).unwrap());
    rt.block_on(check(sqlite));
    let db = MariaDb::start();
    rt.block_on(async {
        let ledger = mysql_ledger(&db, dir.path(), "podready_ledger").await;
        check(ledger).await;
    });
}

#[test]
fn leases_accounts_and_holders() {
    on_both(|l| async move {
        l.put(&lease("a", "10.0.0.1", 100)).await.unwrap();
        l.put(&lease("b", "10.0.0.1", 200)).await.unwrap();
        l.claim_accounts("db1", &[("order_rw".into(), "10.0.0.1".into())])
            .await
            .unwrap();
        assert_eq!(
            l.lease("a").await.unwrap().unwrap(),
            lease("a", "10.0.0.1", 100)
        );
        assert!(l.owns_account("db1", "order_rw", "10.0.0.1").await.unwrap());
        assert!(!l.owns_account("db1", "order_rw", "10.0.0.2").await.unwrap());
        assert_eq!(l.count_active().await.unwrap(), 2);
        assert_eq!(
            l.holders("db1", "order_rw", "10.0.0.1", "a").await.unwrap(),
            1
        );
        assert_eq!(l.holders("db1", "other", "10.0.0.1", "a").await.unwrap(), 0);
        assert!(l
            .begin_revoke("b", "10.0.0.1", None)
            .await
            .unwrap()
            .is_some());
        assert_eq!(
            l.holders("db1", "order_rw", "10.0.0.1", "a").await.unwrap(),
            0
        );
        assert!(
            !l.renew("b", 300).await.unwrap(),
            "a lease being revoked is not renewed"
        );
        assert_eq!(l.expired(150).await.unwrap().len(), 1);
        l.delete_lease("a").await.unwrap();
        assert!(l.lease("a").await.unwrap().is_none());
        l.forget_account("db1", "order_rw", "10.0.0.1")
            .await
            .unwrap();
        assert!(l.created_accounts().await.unwrap().is_empty());
    });
}

#[test]
fn lookups_at_once_each_get_their_own_lease_as_it_is_then() {
    on_both(|l| async move {
        for i in 0..40 {
            l.put(&lease(&format!("p{i}"), &format!("10.0.1.{i}"), 100))
                .await
                .unwrap();
        }
        // 160 lookups at once, each pod asked twice, half of them unknown:
        // the MySQL ledger answers them in a few statements.
        let lookups: Vec<_> = (0..160)
            .map(|n| {
                let (l, uid) = (l.clone(), format!("p{}", n % 80));
                tokio::spawn(async move { (uid.clone(), l.lease(&uid).await.unwrap()) })
            })
            .collect();
        for lookup in lookups {
            let (uid, found) = lookup.await.unwrap();
            let i: u32 = uid[1..].parse().unwrap();
            match found {
                Some(found) if i < 40 => {
                    assert_eq!(found, lease(&uid, &format!("10.0.1.{i}"), 100))
                }
                None if i >= 40 => {}
                other => panic!("{uid}: {other:?}"),
            }
        }
        // A lookup asked after a write reads it.
        l.put(&lease("p3", "10.0.1.3", 900)).await.unwrap();
        assert_eq!(l.lease("p3").await.unwrap().unwrap().expires_at, 900);
    });
}

#[test]
fn a_reaper_revokes_only_what_is_still_expired() {
    on_both(|l| async move {
        l.put(&lease("a", "10.0.0.1", 100)).await.unwrap();
        // Read as expired at 150, renewed before the reaper acts on it.
        assert_eq!(l.expired(150).await.unwrap().len(), 1);
        assert!(l.renew("a", 400).await.unwrap());
        // A renewal to the same second is still a renewal.
        assert!(l.renew("a", 400).await.unwrap());
        assert!(l
            .begin_revoke("a", "10.0.0.1", Some(150))
            .await
            .unwrap()
            .is_none());
        assert_eq!(
            l.lease("a").await.unwrap().unwrap().state,
            LeaseState::Active
        );
        // The wrong IP is not this lease.
        assert!(l
            .begin_revoke("a", "10.0.0.9", None)
            .await
            .unwrap()
            .is_none());
        let revoking = l
            .begin_revoke("a", "10.0.0.1", Some(400))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(revoking.state, LeaseState::Revoking);
        // A pending lease is made active once.
        let mut pending = lease("p", "10.0.0.2", 100);
        pending.state = LeaseState::Pending;
        l.put(&pending).await.unwrap();
        assert!(l.activate("p", 500).await.unwrap());
        assert!(!l.activate("p", 500).await.unwrap());
    });
}

#[test]
fn replicas_on_one_mysql_ledger_take_an_ip_in_turn() {
    let db = MariaDb::start();
    let dir = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        // Two replicas: two ledgers on the same schema.
        let a = mysql_ledger(&db, dir.path(), "shared").await;
        let b = mysql_ledger(&db, dir.path(), "shared").await;
        let held = a.lock_ip("10.0.0.1").await.unwrap();
        // Another IP is free.
        drop(b.lock_ip("10.0.0.2").await.unwrap());
        // B waits for A's lock, and takes it once A releases it.
        let waiting = tokio::spawn({
            let b = b.clone();
            async move {
                let started = std::time::Instant::now();
                let lock = b.lock_ip("10.0.0.1").await.unwrap();
                (started.elapsed(), lock)
            }
        });
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert!(!waiting.is_finished(), "B took a held lock");
        drop(held);
        let (waited, _lock) = waiting.await.unwrap();
        assert!(waited >= std::time::Duration::from_millis(300));
        // A lock held longer than its TTL stays held while its holder
        // lives (it keeps the row alive)...
        let slow = a.lock_ip("10.0.0.3").await.unwrap();
        let contender = tokio::spawn({
            let b = b.clone();
            async move { b.lock_ip("10.0.0.3").await.map(|_| ()) }
        });
        // Past the TTL (2 s), within how long a contender waits (TTL + 2).
        tokio::time::sleep(std::time::Duration::from_secs(3)).await;
        assert!(!contender.is_finished(), "a live holder's lock was taken over");
        drop(slow);
        contender.await.unwrap().unwrap();
        // ...and one whose holder died (a row nobody extends) expires and is
        // taken over.
        db.root_sql(
            "INSERT INTO shared.ip_locks (ip, owner, until) VALUES ('10.0.0.4', 'a killed replica', UNIX_TIMESTAMP() + 2)",
        );
        let started = std::time::Instant::now();
        let _taken = b.lock_ip("10.0.0.4").await.unwrap();
        assert!(started.elapsed() >= std::time::Duration::from_secs(1));
    });
}
