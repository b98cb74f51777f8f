//! A private MariaDB server for tests and benchmarks: `mariadb-install-db`
//! and `mariadbd` in a temporary directory on a free port, bootstrapped with
//! the admin account the grant center uses and the app's existing user.
//! `scripts/test.sh` installs Debian's `mariadb-server` when it is missing;
//! a test that cannot find it fails, it is never skipped.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::free_port;
use crate::pki::Pki;

/// The admin account the grant center connects with.
pub const ADMIN_USER: &str = "podready_admin";
pub const ADMIN_PASSWORD: &str = "admin-secret";
/// The app's existing account: `order_rw` at the old VM subnet.
pub const APP_USER: &str = "order_rw";
pub const APP_PASSWORD: &str = "order-secret";
pub const APP_HOST: &str = "10.99.%";

pub struct MariaDb {
    dir: tempfile::TempDir,
    pub port: u16,
    child: Option<Child>,
    /// Set when the server speaks TLS (see [`MariaDb::start_with_tls`]).
    pub tls: Option<TlsFiles>,
}

fn find(binary: &str) -> PathBuf {
    for dir in ["/usr/sbin", "/usr/bin", "/usr/local/bin", "/usr/local/sbin"] {
        let p = Path::new(dir).join(binary);
        if p.is_file() {
            return p;
        }
    }
    panic!("{binary} is not installed: install Debian's mariadb-server (scripts/test.sh does)");
}

impl MariaDb {
    /// Installs a data directory and starts the server.
    pub fn start() -> MariaDb {
        MariaDb::start_with(false)
    }

    /// A server with a certificate for `localhost` (not for `127.0.0.1`)
    /// signed by a CA of its own, and the admin account required to use TLS
    /// (`REQUIRE SSL`): a plaintext admin connection is refused.
    pub fn start_with_tls() -> MariaDb {
        MariaDb::start_with(true)
    }

    fn start_with(tls: bool) -> MariaDb {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let data = dir.path().join("data");
        // Its own temporary directory: a starting mariadbd deletes stale
        // temporary tables in its tmpdir, including another server's.
        let tmp = dir.path().join("tmp");
        std::fs::create_dir_all(&tmp).expect("a temporary directory");
        let out = Command::new(find("mariadb-install-db"))
            .env("TMPDIR", &tmp)
            .args([
                "--no-defaults",
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
                "--user=root",
            ])
            .arg(format!("--datadir={}", data.display()))
            .output()
            .expect("mariadb-install-db runs");
        assert!(
            out.status.success(),
            "mariadb-install-db failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let tls = tls.then(|| TlsFiles::make(&dir.path().join("tls")));
        let mut db = MariaDb {
            dir,
            port: free_port(),
            child: None,
            tls,
        };
        db.run();
        db.root_sql(&format!(
            "CREATE USER '{ADMIN_USER}'@'127.0.0.1' IDENTIFIED BY '{ADMIN_PASSWORD}';
             GRANT ALL PRIVILEGES ON *.* TO '{ADMIN_USER}'@'127.0.0.1' WITH GRANT OPTION;
             CREATE DATABASE `order`;
             CREATE USER '{APP_USER}'@'{APP_HOST}' IDENTIFIED BY '{APP_PASSWORD}';
             GRANT SELECT, INSERT, UPDATE, DELETE ON `order`.* TO '{APP_USER}'@'{APP_HOST}';"
        ));
        if db.tls.is_some() {
            db.root_sql(&format!(
                "ALTER USER '{ADMIN_USER}'@'127.0.0.1' REQUIRE SSL"
            ));
        }
        db
    }

    pub fn socket(&self) -> PathBuf {
        self.dir.path().join("mysqld.sock")
    }

    fn run(&mut self) {
        let data = self.dir.path().join("data");
        let mut command = Command::new(find("mariadbd"));
        // `--no-defaults` must come first.
        command.arg("--no-defaults");
        if let Some(tls) = &self.tls {
            command
                .arg(format!("--ssl-ca={}", tls.ca.display()))
                .arg(format!("--ssl-cert={}", tls.server_cert.display()))
                .arg(format!("--ssl-key={}", tls.server_key.display()));
        }
        let child = command
            .env("TMPDIR", self.dir.path().join("tmp"))
            .arg(format!("--datadir={}", data.display()))
            .arg(format!("--socket={}", self.socket().display()))
            .arg(format!("--port={}", self.port))
            .arg(format!(
                "--pid-file={}",
                self.dir.path().join("mysqld.pid").display()
            ))
            .arg(format!(
                "--log-error={}",
                self.dir.path().join("error.log").display()
            ))
            .args([
                "--bind-address=127.0.0.1",
                "--user=root",
                "--skip-log-bin",
                "--innodb-buffer-pool-size=64M",
                "--max-connections=1000",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("mariadbd starts");
        self.child = Some(child);
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(60) {
            if self.try_root_sql("SELECT 1").is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let log = std::fs::read_to_string(self.dir.path().join("error.log")).unwrap_or_default();
        panic!("mariadbd did not start within 60s:\n{log}");
    }

    /// Stops the server (as a crash would: SIGKILL).
    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
        let _ = std::fs::remove_file(self.socket());
    }

    /// Starts it again on the same data and port.
    pub fn restart(&mut self) {
        self.stop();
        self.run();
    }

    /// The admin URL the grant center reads from its environment.
    pub fn admin_url(&self) -> String {
        self.admin_url_via("127.0.0.1")
    }

    /// The admin URL with another name for this host (`localhost`).
    pub fn admin_url_via(&self, host: &str) -> String {
        format!("mysql://{ADMIN_USER}:{ADMIN_PASSWORD}@{host}:{}", self.port)
    }

    fn try_root_sql(&self, sql: &str) -> Result<Vec<Vec<String>>, String> {
        let out = Command::new(find("mariadb"))
            .args(["--no-defaults", "-uroot", "-N", "-B"])
            .arg(format!("--socket={}", self.socket().display()))
            .arg("-e")
            .arg(sql)
            .output()
            .map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).into_owned());
        }
        Ok(String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| l.split('\t').map(str::to_string).collect())
            .collect())
    }

    /// Runs SQL as root over the socket; rows of tab-separated columns.
    pub fn root_sql(&self, sql: &str) -> Vec<Vec<String>> {
        self.try_root_sql(sql)
            .unwrap_or_else(|e| panic!("SQL failed: {e}\n{sql}"))
    }

    /// The hosts of `user`'s accounts, sorted.
    pub fn hosts(&self, user: &str) -> Vec<String> {
        let rows = self.root_sql(&format!(
            "SELECT Host FROM mysql.user WHERE User = '{user}' ORDER BY Host"
        ));
        rows.into_iter()
            .filter_map(|r| r.into_iter().next())
            .collect()
    }

    /// `SHOW GRANTS FOR 'user'@'host'`, or nothing when it does not exist.
    pub fn grants(&self, user: &str, host: &str) -> Vec<String> {
        self.try_root_sql(&format!("SHOW GRANTS FOR '{user}'@'{host}'"))
            .map(|rows| rows.into_iter().map(|r| r.join("\t")).collect())
            .unwrap_or_default()
    }
}

impl Drop for MariaDb {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Certificates for a TLS test server.
pub struct TlsFiles {
    /// The CA that signed the server's certificate.
    pub ca: PathBuf,
    /// A CA that signed nothing the server has.
    pub other_ca: PathBuf,
    server_cert: PathBuf,
    server_key: PathBuf,
}

impl TlsFiles {
    fn make(dir: &Path) -> TlsFiles {
        let pki = Pki::new(dir);
        let ca = pki.ca("ca", "/CN=podready test CA");
        let other_ca = pki.ca("other-ca", "/CN=another CA");
        let (server_cert, server_key) = pki.sign(
            "server",
            "/CN=localhost",
            "ca",
            "subjectAltName=DNS:localhost",
        );
        TlsFiles {
            ca,
            other_ca,
            server_cert,
            server_key,
        }
    }
}
