//! The grant center's configuration file (TOML).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::ident::{is_name, is_privilege};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrantConfig {
    /// Where the lease ledger (SQLite) lives; relative to the config file.
    /// For one replica.
    #[serde(default = "default_ledger")]
    pub ledger: PathBuf,
    /// For several replicas: the instance whose server keeps the ledger,
    /// in the schema `ledger_schema` (created when missing), instead of the
    /// SQLite file.
    #[serde(default)]
    pub ledger_instance: Option<String>,
    #[serde(default = "default_ledger_schema")]
    pub ledger_schema: String,
    /// Where the audit log (JSON lines) is appended; relative to the config.
    #[serde(default = "default_audit")]
    pub audit_log: PathBuf,
    /// How long a lease lives without a renewal.
    #[serde(default = "default_ttl")]
    pub lease_ttl_seconds: u64,
    /// How often the reaper looks for expired leases.
    #[serde(default = "default_reap")]
    pub reaper_interval_seconds: u64,
    /// Requests waiting for one database instance beyond this get 429. The
    /// cap on statements protects the database; this bound protects the
    /// center's memory (a waiting request costs a few KiB: they are served
    /// together, in batches).
    #[serde(default = "default_queue")]
    pub queue_limit: usize,
    /// Request bodies larger than this are refused.
    #[serde(default = "default_body")]
    pub max_body_bytes: usize,
    /// Seconds a database statement may take.
    #[serde(default = "default_statement_timeout")]
    pub statement_timeout_seconds: u64,
    pub instances: Vec<InstanceConfig>,
    pub apps: Vec<AppConfig>,
    /// Kubernetes service accounts (`namespace:name`) and the app each
    /// authenticates as, for TokenReview authentication.
    #[serde(default)]
    pub service_accounts: BTreeMap<String, String>,
    /// SHA-256 (hex) of operator tokens, which may list every app's leases.
    #[serde(default)]
    pub operator_tokens_sha256: Vec<String>,
}

fn default_ledger() -> PathBuf {
    "podready-grant.sqlite".into()
}
fn default_ledger_schema() -> String {
    "podready_ledger".into()
}
fn default_audit() -> PathBuf {
    "podready-grant-audit.log".into()
}
fn default_ttl() -> u64 {
    900
}
fn default_reap() -> u64 {
    30
}
fn default_queue() -> usize {
    5000
}
fn default_body() -> usize {
    4096
}
fn default_statement_timeout() -> u64 {
    10
}

/// A MySQL/MariaDB instance the center administers.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstanceConfig {
    pub name: String,
    /// The environment variable holding the admin URL
    /// (`mysql://admin:password@host:3306`), never the URL itself.
    pub admin_url_env: String,
    /// At most this many statements run on the instance at once.
    #[serde(default = "default_concurrency")]
    pub max_concurrent: usize,
    /// How the admin connection is secured (the MySQL client's
    /// `--ssl-mode` values); the default verifies the server's certificate
    /// and name.
    #[serde(default)]
    pub tls: TlsMode,
    /// The CA certificate (PEM) the server's certificate must chain to;
    /// relative to the config file. Without it, the public web roots.
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
    /// The name the server's certificate must carry, when the admin URL
    /// names the server otherwise (an IP address, a tunnel).
    #[serde(default)]
    pub tls_server_name: Option<String>,
}

/// TLS on the admin connection, as the MySQL client's `--ssl-mode`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TlsMode {
    /// Plaintext: the admin password and every statement cross the network
    /// readable. For a database on the same host only.
    Disabled,
    /// Encrypted, the certificate not checked (anyone in the middle can
    /// pose as the server).
    Required,
    /// Encrypted, the certificate must chain to the CA and name the host
    /// (or `tls_server_name`). There is no `verify-ca` (any name): the
    /// MySQL driver's rustls path cannot skip only the name check
    /// (blackbeam/mysql_async#404, fixed after its 0.37.1 release);
    /// `tls_server_name` covers the case it is used for.
    #[default]
    VerifyIdentity,
}

fn default_concurrency() -> usize {
    4
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppConfig {
    pub name: String,
    /// SHA-256 of the app's token, hex. The token itself is never stored.
    pub token_sha256: String,
    pub databases: Vec<DatabaseGrant>,
}

/// What a pod of the app gets on one instance: an account for the app's
/// existing user at the pod's IP, with these privileges on these schemas.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseGrant {
    pub instance: String,
    /// The app's existing database user; the new account copies its
    /// password hash.
    pub user: String,
    pub schemas: Vec<String>,
    pub privileges: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: {message}", path.display())]
    Invalid { path: PathBuf, message: String },
}

impl GrantConfig {
    /// Loads and validates a config; relative paths are relative to it.
    pub fn load(path: &Path) -> Result<GrantConfig, ConfigError> {
        GrantConfig::load_with_state_dir(path, None)
    }

    /// As [`GrantConfig::load`], with a relative `ledger` and `audit_log`
    /// in `state_dir` instead (a pod whose config is read-only).
    pub fn load_with_state_dir(
        path: &Path,
        state_dir: Option<&Path>,
    ) -> Result<GrantConfig, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let invalid = |message: String| ConfigError::Invalid {
            path: path.to_path_buf(),
            message,
        };
        let mut c: GrantConfig = toml::from_str(&text).map_err(|e| {
            let line = e.span().map(|s| podready_rules::line_of(&text, s.start));
            invalid(format!(
                "{}{}",
                line.map(|l| format!("line {l}: ")).unwrap_or_default(),
                e.message()
            ))
        })?;
        c.validate().map_err(invalid)?;
        let base = path.parent().unwrap_or(Path::new("."));
        let state = state_dir.unwrap_or(base);
        if c.ledger.is_relative() {
            c.ledger = state.join(&c.ledger);
        }
        if c.audit_log.is_relative() {
            c.audit_log = state.join(&c.audit_log);
        }
        for i in &mut c.instances {
            if let Some(ca) = &mut i.ca_file {
                if ca.is_relative() {
                    *ca = base.join(&*ca);
                }
                if !ca.is_file() {
                    return Err(invalid(format!(
                        "instance `{}`: ca_file {} does not exist",
                        i.name,
                        ca.display()
                    )));
                }
            }
        }
        Ok(c)
    }

    fn validate(&self) -> Result<(), String> {
        let mut instances = std::collections::BTreeSet::new();
        if let Some(i) = self.instances.iter().find(|i| !instances.insert(&i.name)) {
            return Err(format!("instance `{}` is configured twice", i.name));
        }
        // A token must name one caller: a shared hash would let whichever
        // entry is found first win, silently.
        let mut tokens: BTreeMap<String, String> = BTreeMap::new();
        let callers = self
            .apps
            .iter()
            .map(|a| (format!("app `{}`", a.name), &a.token_sha256))
            .chain(
                self.operator_tokens_sha256
                    .iter()
                    .map(|t| ("an operator token".to_string(), t)),
            );
        for (caller, hash) in callers {
            if let Some(first) = tokens.insert(hash.to_ascii_lowercase(), caller.clone()) {
                return Err(format!(
                    "{first} and {caller} have the same token_sha256; give each its own token"
                ));
            }
        }
        if let Some(name) = &self.ledger_instance {
            if !self.instances.iter().any(|i| &i.name == name) {
                return Err(format!(
                    "ledger_instance `{name}` is not a configured instance"
                ));
            }
        }
        if !is_name(&self.ledger_schema) {
            return Err("ledger_schema must be letters, digits, `_` and `-`".into());
        }
        for i in &self.instances {
            if (i.ca_file.is_some() || i.tls_server_name.is_some())
                && i.tls != TlsMode::VerifyIdentity
            {
                return Err(format!(
                    "instance `{}`: ca_file and tls_server_name are used only with tls = \"verify-identity\"",
                    i.name
                ));
            }
            if let Some(name) = &i.tls_server_name {
                let host = |b: u8| b.is_ascii_alphanumeric() || b == b'.' || b == b'-';
                if name.is_empty() || name.len() > 253 || !name.bytes().all(host) {
                    return Err(format!(
                        "instance `{}`: tls_server_name must be a host name",
                        i.name
                    ));
                }
            }
            if !is_name(&i.name) || i.max_concurrent == 0 {
                return Err(format!(
                    "instance `{}`: a name of letters, digits, `_`, `-` and max_concurrent >= 1",
                    i.name
                ));
            }
        }
        let mut apps = std::collections::BTreeSet::new();
        if let Some(a) = self.apps.iter().find(|a| !apps.insert(&a.name)) {
            return Err(format!("app `{}` is configured twice", a.name));
        }
        for a in &self.apps {
            if !is_name(&a.name) {
                return Err(format!(
                    "app `{}`: the name must be letters, digits, `_` and `-`",
                    a.name
                ));
            }
            if a.token_sha256.len() != 64 || !a.token_sha256.bytes().all(|b| b.is_ascii_hexdigit())
            {
                return Err(format!(
                    "app `{}`: token_sha256 must be 64 hex digits (`podready grant hash-token`)",
                    a.name
                ));
            }
            for d in &a.databases {
                if !self.instances.iter().any(|i| i.name == d.instance) {
                    return Err(format!(
                        "app `{}`: unknown instance `{}`",
                        a.name, d.instance
                    ));
                }
                if !is_name(&d.user)
                    || d.schemas.iter().any(|s| !is_name(s))
                    || d.schemas.is_empty()
                {
                    return Err(format!(
                        "app `{}`: user and schemas must be letters, digits, `_` and `-`",
                        a.name
                    ));
                }
                if let Some(p) = d.privileges.iter().find(|p| !is_privilege(p)) {
                    return Err(format!(
                        "app `{}`: privilege `{p}` is not one podready grants",
                        a.name
                    ));
                }
            }
        }
        Ok(())
    }

    pub fn app(&self, name: &str) -> Option<&AppConfig> {
        self.apps.iter().find(|a| a.name == name)
    }

    pub fn instance(&self, name: &str) -> Option<&InstanceConfig> {
        self.instances.iter().find(|i| i.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<GrantConfig, ConfigError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("grant.toml");
        std::fs::write(&path, text).unwrap();
        GrantConfig::load(&path)
    }

    const INSTANCE: &str = "[[instances]]\nname = \"main\"\nadmin_url_env = \"DB\"\n";

    fn app(name: &str, hash: &str) -> String {
        format!("[[apps]]\nname = \"{name}\"\ntoken_sha256 = \"{hash}\"\n[[apps.databases]]\ninstance = \"main\"\nuser = \"u\"\nschemas = [\"s\"]\nprivileges = [\"SELECT\"]\n")
    }

    #[test]
    fn a_state_dir_holds_the_relative_ledger_and_audit_log() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("grant.toml");
        let text = format!(
            "audit_log = \"audit.log\"\n{INSTANCE}{}",
            app("x", &"a".repeat(64))
        );
        std::fs::write(&path, text).unwrap();
        let state = Path::new("/var/lib/podready");
        let c = GrantConfig::load_with_state_dir(&path, Some(state)).unwrap();
        assert_eq!(c.ledger, state.join("podready-grant.sqlite"));
        assert_eq!(c.audit_log, state.join("audit.log"));
        let c = GrantConfig::load(&path).unwrap();
        assert_eq!(c.audit_log, dir.path().join("audit.log"));
    }

    #[test]
    fn one_token_names_one_caller() {
        let a = "a".repeat(64);
        let b = "b".repeat(64);
        assert!(load(&format!("{INSTANCE}{}{}", app("x", &a), app("y", &b))).is_ok());
        let shared = load(&format!(
            "{INSTANCE}{}{}",
            app("x", &a),
            app("y", &a.to_uppercase())
        ));
        assert_eq!(
            shared.unwrap_err().to_string().split_once(": ").unwrap().1,
            "app `x` and app `y` have the same token_sha256; give each its own token"
        );
        let operator = load(&format!(
            "operator_tokens_sha256 = [\"{a}\"]\n{INSTANCE}{}",
            app("x", &a)
        ));
        assert!(operator
            .unwrap_err()
            .to_string()
            .contains("app `x` and an operator token"));
    }

    #[test]
    fn tls_settings_that_would_be_ignored_are_refused() {
        let app = app("x", &"a".repeat(64));
        let with = |lines: &str| load(&format!("{INSTANCE}{lines}\n{app}"));
        assert_eq!(with("").unwrap().instances[0].tls, TlsMode::VerifyIdentity);
        let ignored = with("tls = \"required\"\ntls_server_name = \"db.internal\"");
        assert!(ignored
            .unwrap_err()
            .to_string()
            .ends_with("ca_file and tls_server_name are used only with tls = \"verify-identity\""));
        let missing = with("ca_file = \"nowhere/ca.pem\"")
            .unwrap_err()
            .to_string();
        assert!(
            missing.contains("ca_file") && missing.ends_with("nowhere/ca.pem does not exist"),
            "{missing}"
        );
        let bad_name = with("tls_server_name = \"db internal\"");
        assert!(bad_name
            .unwrap_err()
            .to_string()
            .ends_with("tls_server_name must be a host name"));
    }

    #[test]
    fn names_are_unique() {
        let twice = load(&format!(
            "{INSTANCE}{}{}",
            app("x", &"a".repeat(64)),
            app("x", &"b".repeat(64))
        ));
        assert!(twice
            .unwrap_err()
            .to_string()
            .ends_with("app `x` is configured twice"));
        let instances = load(&format!(
            "{INSTANCE}{INSTANCE}{}",
            app("x", &"a".repeat(64))
        ));
        assert!(instances
            .unwrap_err()
            .to_string()
            .ends_with("instance `main` is configured twice"));
    }
}
