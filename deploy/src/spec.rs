//! The deploy spec (`deploy.yaml`): how every application is described so
//! that the platform can render and release it. Four parts — the app, its
//! environments, its release parameters, its dependencies — plus its hooks,
//! which can only be the three the standard allows.
//!
//! Loading validates everything and names the field (and its line) that is
//! wrong, because a person edits this file.

use std::fmt;

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

/// The one `apiVersion` this podready reads and writes.
pub const API_VERSION: &str = "podready/v1";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeploySpec {
    #[serde(rename = "apiVersion")]
    pub api_version: String,
    pub app: AppSpec,
    #[serde(default)]
    pub env: EnvSpec,
    #[serde(default)]
    pub release: ReleaseSpec,
    #[serde(default)]
    pub dependencies: DependenciesSpec,
    #[serde(default)]
    pub hooks: HooksSpec,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Packaging {
    /// A war deployed on Tomcat.
    War,
    /// An executable jar.
    Jar,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppSpec {
    pub name: String,
    #[serde(default)]
    pub owner: Option<String>,
    pub packaging: Packaging,
    /// The HTTP port: the standard one.
    pub port: u16,
    /// The deploy path: the standard one.
    pub path: String,
    /// The HTTP path of the health check.
    pub health: String,
    /// The liveness probe's path [default: `health`]; Spring Boot 2.3+
    /// with actuator serves `/actuator/health/liveness`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liveness: Option<String>,
    /// The readiness probe's path [default: `health`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub readiness: Option<String>,
    /// The larger application this one is part of
    /// (`app.kubernetes.io/part-of`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part_of: Option<String>,
}

impl AppSpec {
    /// The liveness probe's path.
    pub fn liveness_path(&self) -> &str {
        self.liveness.as_deref().unwrap_or(&self.health)
    }

    /// The readiness probe's path.
    pub fn readiness_path(&self) -> &str {
        self.readiness.as_deref().unwrap_or(&self.health)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Zones {
    /// Spread across zones (the default).
    #[default]
    Multi,
    Single,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resources {
    pub cpu: String,
    pub memory: String,
    pub cpu_limit: String,
    pub memory_limit: String,
}

impl Default for Resources {
    fn default() -> Self {
        Resources {
            cpu: "500m".into(),
            memory: "1Gi".into(),
            cpu_limit: "2".into(),
            memory_limit: "2Gi".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvSpec {
    #[serde(default = "default_environments")]
    pub environments: Vec<String>,
    #[serde(default)]
    pub zones: Zones,
    #[serde(default)]
    pub resources: Resources,
    #[serde(default)]
    pub security: Security,
}

/// How the pods run: the restricted Pod Security Standard by default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Security {
    /// The user every container runs as (never root).
    #[serde(default = "default_user")]
    pub run_as_user: u32,
    /// A read-only root filesystem (with a writable `/tmp`) [default: for
    /// a jar; a war's Tomcat writes under its own folder].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_only_root: Option<bool>,
    /// Mount the ServiceAccount's API token in the pods.
    #[serde(default)]
    pub service_account_token: bool,
}

fn default_user() -> u32 {
    10001
}

impl Default for Security {
    fn default() -> Self {
        Security {
            run_as_user: default_user(),
            read_only_root: None,
            service_account_token: false,
        }
    }
}

fn default_environments() -> Vec<String> {
    vec!["test".into(), "prod".into()]
}

impl Default for EnvSpec {
    fn default() -> Self {
        EnvSpec {
            environments: default_environments(),
            zones: Zones::Multi,
            resources: Resources::default(),
            security: Security::default(),
        }
    }
}

/// One release batch: a number of pods, or a share of the replicas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Batch {
    Pods(u32),
    Percent(u32),
}

impl Batch {
    /// The cumulative number of new pods after this batch.
    pub fn pods(self, replicas: u32) -> u32 {
        match self {
            Batch::Pods(n) => n.min(replicas),
            Batch::Percent(p) => (u64::from(replicas) * u64::from(p)).div_ceil(100) as u32,
        }
    }
}

impl fmt::Display for Batch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Batch::Pods(n) => write!(f, "{n}"),
            Batch::Percent(p) => write!(f, "{p}%"),
        }
    }
}

impl Serialize for Batch {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Batch::Pods(n) => s.serialize_u32(*n),
            Batch::Percent(_) => s.serialize_str(&self.to_string()),
        }
    }
}

impl<'de> Deserialize<'de> for Batch {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = Batch;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number of pods (2) or a percentage (\"25%\")")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Batch, E> {
                u32::try_from(v)
                    .map(Batch::Pods)
                    .map_err(|_| E::custom("batch too large"))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Batch, E> {
                Err(E::custom(format!("a batch must be positive, not {v}")))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Batch, E> {
                let t = v.trim();
                match t.strip_suffix('%') {
                    Some(p) => p
                        .trim()
                        .parse()
                        .map(Batch::Percent)
                        .map_err(|_| E::custom(format!("`{v}` is not a percentage"))),
                    None => t
                        .parse()
                        .map(Batch::Pods)
                        .map_err(|_| E::custom(format!("`{v}` is not a number of pods"))),
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// What happens when pods of a release fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "policy", rename_all = "lowercase", deny_unknown_fields)]
pub enum FailurePolicy {
    /// Delete a failed pod so it is rebuilt, up to `max_rebuilds` times per
    /// release; then the release fails (the migration's choice).
    Rebuild { max_rebuilds: u32 },
    /// The first failed pod fails the release.
    Fail,
    /// Go on while at most `max_failed_percent` of the new pods failed.
    Tolerate { max_failed_percent: u32 },
}

impl Default for FailurePolicy {
    fn default() -> Self {
        FailurePolicy::Rebuild { max_rebuilds: 3 }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomMetric {
    pub name: String,
    /// Target average value per pod.
    pub target: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Autoscaling {
    pub min: u32,
    pub max: u32,
    #[serde(default)]
    pub cpu_percent: Option<u32>,
    #[serde(default)]
    pub memory_percent: Option<u32>,
    #[serde(default)]
    pub custom: Option<CustomMetric>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleaseSpec {
    #[serde(default = "default_replicas")]
    pub replicas: u32,
    #[serde(default = "default_batches")]
    pub batches: Vec<Batch>,
    /// Seconds to wait between batches.
    #[serde(default)]
    pub pause_seconds: u32,
    #[serde(default)]
    pub failure: FailurePolicy,
    /// Seconds a batch may take to become ready.
    #[serde(default = "default_deadline")]
    pub progress_deadline_seconds: u32,
    #[serde(default)]
    pub autoscaling: Option<Autoscaling>,
}

fn default_replicas() -> u32 {
    2
}
fn default_batches() -> Vec<Batch> {
    vec![
        Batch::Pods(1),
        Batch::Percent(25),
        Batch::Percent(50),
        Batch::Percent(100),
    ]
}
fn default_deadline() -> u32 {
    600
}

impl Default for ReleaseSpec {
    fn default() -> Self {
        ReleaseSpec {
            replicas: default_replicas(),
            batches: default_batches(),
            pause_seconds: 0,
            failure: FailurePolicy::default(),
            progress_deadline_seconds: default_deadline(),
            autoscaling: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseDependency {
    /// The logical name the grant center knows the database by.
    pub name: String,
    pub schema: String,
    pub privileges: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MiddlewareDependency {
    pub kind: String,
    pub artifact: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DependenciesSpec {
    #[serde(default)]
    pub databases: Vec<DatabaseDependency>,
    #[serde(default)]
    pub middleware: Vec<MiddlewareDependency>,
}

/// Hook scripts, by the only three names the standard allows (paths
/// relative to the repository).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HooksSpec {
    #[serde(rename = "pre-start", default)]
    pub pre_start: Option<String>,
    #[serde(rename = "pre-online", default)]
    pub pre_online: Option<String>,
    #[serde(rename = "pre-offline", default)]
    pub pre_offline: Option<String>,
}

/// A deploy spec that cannot be used, with the field and line to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct SpecError {
    pub path: String,
    pub line: Option<usize>,
    pub message: String,
}

impl DeploySpec {
    /// Parses and validates a spec; `path` names it in errors.
    pub fn parse(path: &str, text: &str) -> Result<DeploySpec, SpecError> {
        let spec: DeploySpec = yaml_serde::from_str(text).map_err(|e| {
            let line = e.location().map(|l| l.line());
            SpecError {
                path: path.to_string(),
                line,
                message: clean_yaml_message(&e.to_string()),
            }
        })?;
        spec.validate().map_err(|(field, message)| SpecError {
            path: path.to_string(),
            line: line_of_key(text, field),
            message: format!("{field}: {message}"),
        })?;
        Ok(spec)
    }

    /// Checks what the types cannot; returns the dotted field and why.
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        if self.api_version != API_VERSION {
            return Err((
                "apiVersion",
                format!(
                    "`{}` is not supported; this podready reads `{API_VERSION}`",
                    self.api_version
                ),
            ));
        }
        if !is_dns_label(&self.app.name, 40)
            || !self.app.name.starts_with(|c: char| c.is_ascii_lowercase())
        {
            return Err((
                "app.name",
                format!(
                    "`{}` must be a DNS-1035 label: a lowercase letter, then lowercase letters, digits and `-`, at most 40 characters",
                    self.app.name
                ),
            ));
        }
        if let Some(p) = &self.app.part_of {
            if !is_label_value(p) {
                return Err((
                    "app.part_of",
                    format!("`{p}` must be a label value: letters, digits, `-`, `_` and `.`, at most 63 characters"),
                ));
            }
        }
        if self.app.port == 0 {
            return Err(("app.port", "must be between 1 and 65535".into()));
        }
        for (field, path) in [
            ("app.path", Some(&self.app.path)),
            ("app.health", Some(&self.app.health)),
            ("app.liveness", self.app.liveness.as_ref()),
            ("app.readiness", self.app.readiness.as_ref()),
        ] {
            if path.is_some_and(|p| !p.starts_with('/')) {
                return Err((field, "must start with `/`".into()));
            }
        }
        if self.env.environments.is_empty() {
            return Err(("env.environments", "name at least one environment".into()));
        }
        if let Some(e) = self.env.environments.iter().find(|e| !is_dns_label(e, 20)) {
            return Err((
                "env.environments",
                format!("`{e}` must be lowercase letters, digits and `-`, at most 20 characters (it is part of object names)"),
            ));
        }
        let res = &self.env.resources;
        for (field, value, kind) in [
            ("env.resources.cpu", &res.cpu, Quantity::Cpu),
            ("env.resources.cpu_limit", &res.cpu_limit, Quantity::Cpu),
            ("env.resources.memory", &res.memory, Quantity::Memory),
            (
                "env.resources.memory_limit",
                &res.memory_limit,
                Quantity::Memory,
            ),
        ] {
            if quantity(value).is_none_or(|q| q <= 0.0) {
                return Err((field, kind.explain(value)));
            }
            // `512m` is 0.512 bytes to Kubernetes, not megabytes.
            if matches!(kind, Quantity::Memory) && quantity(value).is_some_and(|q| q < 1048576.0) {
                return Err((
                    field,
                    format!("`{value}` is less than a mebibyte (`m` means thousandths); write `512Mi` or `512M`"),
                ));
            }
        }
        for (field, request, limit) in [
            ("env.resources.cpu_limit", &res.cpu, &res.cpu_limit),
            ("env.resources.memory_limit", &res.memory, &res.memory_limit),
        ] {
            if quantity(limit) < quantity(request) {
                return Err((
                    field,
                    format!("the limit `{limit}` is below the request `{request}`"),
                ));
            }
        }
        if self.env.security.run_as_user == 0 {
            return Err((
                "env.security.run_as_user",
                "must not be 0: pods never run as root".into(),
            ));
        }
        let r = &self.release;
        if r.replicas == 0 {
            return Err(("release.replicas", "must be at least 1".into()));
        }
        if r.batches.is_empty() {
            return Err(("release.batches", "name at least one batch".into()));
        }
        let mut previous = 0;
        let (mut last_pods, mut last_percent) = (0, 0);
        for b in &r.batches {
            match *b {
                Batch::Pods(0) | Batch::Percent(0) => {
                    return Err((
                        "release.batches",
                        format!("a batch of {b} releases nothing"),
                    ))
                }
                Batch::Percent(p) if p > 100 => {
                    return Err(("release.batches", format!("{b} is more than 100%")))
                }
                _ => {}
            }
            // Written batches grow: the same unit twice must increase.
            let (last, n) = match *b {
                Batch::Pods(n) => (&mut last_pods, n),
                Batch::Percent(p) => (&mut last_percent, p),
            };
            if n <= *last {
                return Err((
                    "release.batches",
                    format!(
                        "batches are cumulative and must increase ({b} after {})",
                        match b {
                            Batch::Pods(_) => last.to_string(),
                            Batch::Percent(_) => format!("{last}%"),
                        }
                    ),
                ));
            }
            *last = n;
            let pods = b.pods(r.replicas);
            if pods < previous {
                return Err((
                    "release.batches",
                    format!(
                        "batches are cumulative and must not shrink ({b} after {previous} pods)"
                    ),
                ));
            }
            previous = pods;
        }
        if previous < r.replicas {
            return Err((
                "release.batches",
                format!(
                    "the last batch reaches {previous} of {} pods; end with 100%",
                    r.replicas
                ),
            ));
        }
        if r.progress_deadline_seconds == 0 {
            return Err((
                "release.progress_deadline_seconds",
                "must be at least 1".into(),
            ));
        }
        if let FailurePolicy::Tolerate { max_failed_percent } = r.failure {
            if max_failed_percent > 100 {
                return Err((
                    "release.failure",
                    "max_failed_percent is more than 100".into(),
                ));
            }
        }
        if let Some(a) = &r.autoscaling {
            if a.min == 0 || a.min > a.max {
                return Err((
                    "release.autoscaling",
                    format!(
                        "min ({}) must be at least 1 and at most max ({})",
                        a.min, a.max
                    ),
                ));
            }
            if a.cpu_percent.is_none() && a.memory_percent.is_none() && a.custom.is_none() {
                return Err((
                    "release.autoscaling",
                    "name a cpu_percent, memory_percent or custom metric".into(),
                ));
            }
        }
        // Hook paths reach the pod's shell: a plain relative path only.
        for (hook, path) in self.hooks() {
            let safe = !path.is_empty()
                && !path.starts_with('/')
                && !path.split('/').any(|seg| seg == "..")
                && path
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "._-/".contains(c));
            if !safe {
                return Err((
                    "hooks",
                    format!("{hook}: `{path}` must be a relative path of letters, digits, `.`, `_`, `-` and `/`"),
                ));
            }
        }
        for d in &self.dependencies.databases {
            if d.privileges.is_empty() {
                return Err((
                    "dependencies.databases",
                    format!("database `{}` has no privileges", d.name),
                ));
            }
        }
        Ok(())
    }

    /// The hooks that are set, by name.
    pub fn hooks(&self) -> Vec<(&'static str, &str)> {
        let h = &self.hooks;
        [
            ("pre-start", &h.pre_start),
            ("pre-online", &h.pre_online),
            ("pre-offline", &h.pre_offline),
        ]
        .into_iter()
        .filter_map(|(n, v)| v.as_deref().map(|v| (n, v)))
        .collect()
    }
}

/// How a quantity is written wrong, for the message.
enum Quantity {
    Cpu,
    Memory,
}

impl Quantity {
    fn explain(&self, value: &str) -> String {
        match self {
            Quantity::Cpu => format!(
                "`{value}` is not a CPU quantity: cores (`2`, `0.5`) or millicores (`500m`)"
            ),
            Quantity::Memory => format!(
                "`{value}` is not a memory quantity: bytes with a suffix (`512Mi`, `2Gi`, `1G`)"
            ),
        }
    }
}

/// A Kubernetes quantity's value (`500m` → 0.5, `1Gi` → 2^30), or `None`
/// when it is not one.
pub fn quantity(text: &str) -> Option<f64> {
    let t = text.trim();
    let digits = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+'))
        .unwrap_or(t.len());
    let (number, suffix) = t.split_at(digits);
    let number = number.strip_prefix('+').unwrap_or(number);
    if number.is_empty() || number.starts_with('.') && number.len() == 1 {
        return None;
    }
    let value: f64 = number.parse().ok()?;
    let scale = match suffix {
        "" => 1.0,
        "m" => 1e-3,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "E" => 1e18,
        "Ki" => 1024f64,
        "Mi" => 1024f64.powi(2),
        "Gi" => 1024f64.powi(3),
        "Ti" => 1024f64.powi(4),
        "Pi" => 1024f64.powi(5),
        "Ei" => 1024f64.powi(6),
        exp => {
            let e = exp.strip_prefix(['e', 'E'])?;
            10f64.powi(e.parse::<i32>().ok()?)
        }
    };
    Some(value * scale)
}

/// A Kubernetes label value: at most 63 characters of letters, digits, `-`,
/// `_` and `.`, beginning and ending with a letter or digit.
pub fn is_label_value(s: &str) -> bool {
    s.len() <= 63
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        && s.starts_with(|c: char| c.is_ascii_alphanumeric())
        && s.ends_with(|c: char| c.is_ascii_alphanumeric())
}

/// A DNS-1123 label of at most `max` characters.
pub fn is_dns_label(s: &str, max: usize) -> bool {
    !s.is_empty()
        && s.len() <= max
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// The YAML library's message without its own "at line N column M" (the
/// line is reported separately).
fn clean_yaml_message(m: &str) -> String {
    match m.find(" at line ") {
        Some(i) => m[..i].to_string(),
        None => m.to_string(),
    }
}

/// The 1-based line of a dotted key (`release.batches`) in a YAML text,
/// found by indentation; `None` when the key is not written.
pub fn line_of_key(text: &str, dotted: &str) -> Option<usize> {
    let mut wanted = dotted.split('.');
    let mut want = wanted.next()?;
    let mut min_indent = 0;
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with('#') || trimmed.is_empty() {
            continue;
        }
        let indent = line.len() - trimmed.len();
        if indent < min_indent {
            return None;
        }
        let key = trimmed
            .split(':')
            .next()
            .unwrap_or("")
            .trim()
            .trim_matches('"');
        if key == want
            && trimmed[key.len()..]
                .trim_start_matches('"')
                .starts_with(':')
        {
            match wanted.next() {
                Some(next) => {
                    want = next;
                    min_indent = indent + 1;
                }
                None => return Some(n + 1),
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = "apiVersion: podready/v1\napp:\n  name: order-service\n  packaging: war\n  port: 8080\n  path: /app\n  health: /health\nrelease:\n  replicas: 4\n  batches: [1, \"25%\", \"100%\"]\nhooks:\n  pre-start: deploy/bin/pre-start.sh\n";

    fn error(text: &str) -> String {
        DeploySpec::parse("deploy.yaml", text)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn parses_with_defaults() {
        let s = DeploySpec::parse("deploy.yaml", SPEC).unwrap();
        assert_eq!(s.release.batches[1], Batch::Percent(25));
        assert_eq!(
            s.release.failure,
            FailurePolicy::Rebuild { max_rebuilds: 3 }
        );
        assert_eq!(s.env.environments, ["test", "prod"]);
        assert_eq!(s.hooks(), [("pre-start", "deploy/bin/pre-start.sh")]);
        let pods: Vec<u32> = s.release.batches.iter().map(|b| b.pods(4)).collect();
        assert_eq!(pods, [1, 1, 4]);
    }

    #[test]
    fn quantities_as_kubernetes_reads_them() {
        assert_eq!(quantity("500m"), Some(0.5));
        assert_eq!(quantity("2"), Some(2.0));
        assert_eq!(quantity(".5"), Some(0.5));
        assert_eq!(quantity("1Gi"), Some(1024f64.powi(3)));
        assert_eq!(quantity("1G"), Some(1e9));
        assert_eq!(quantity("1e3"), Some(1000.0));
        for bad in ["banana", "", "1 Gi", "1gi", "m", ".", "1.2.3"] {
            assert_eq!(quantity(bad), None, "{bad}");
        }
    }

    #[test]
    fn values_kubernetes_would_refuse_are_refused_here() {
        let e = error(&SPEC.replace("[1, \"25%\", \"100%\"]", "[2, 1, \"100%\"]"));
        assert_eq!(
            e,
            "deploy.yaml:10: release.batches: batches are cumulative and must increase (1 after 2)"
        );
        let e = error(&SPEC.replace("[1, \"25%\", \"100%\"]", "[\"50%\", \"50%\", \"100%\"]"));
        assert!(e.ends_with("must increase (50% after 50%)"), "{e}");
        let e = error(&SPEC.replace("name: order-service", "name: 2order"));
        assert!(
            e.starts_with("deploy.yaml:3: app.name: `2order` must be a DNS-1035 label"),
            "{e}"
        );
        let e = error(&format!("{SPEC}env:\n  environments: [Prod]\n"));
        assert!(
            e.starts_with("deploy.yaml:14: env.environments: `Prod` must be"),
            "{e}"
        );
        let e = error(&format!("{SPEC}env:\n  resources:\n    cpu: lots\n    memory: 1Gi\n    cpu_limit: \"2\"\n    memory_limit: 2Gi\n"));
        assert!(
            e.starts_with("deploy.yaml:15: env.resources.cpu: `lots` is not a CPU quantity"),
            "{e}"
        );
        let e = error(&format!("{SPEC}env:\n  resources:\n    cpu: 500m\n    memory: 512m\n    cpu_limit: \"2\"\n    memory_limit: 2Gi\n"));
        assert!(
            e.starts_with("deploy.yaml:16: env.resources.memory: `512m` is less than a mebibyte"),
            "{e}"
        );
        let e = error(&format!("{SPEC}env:\n  security:\n    run_as_user: 0\n"));
        assert!(
            e.starts_with("deploy.yaml:15: env.security.run_as_user: must not be 0"),
            "{e}"
        );
        let e = error(&SPEC.replace("health: /health", "health: /health\n  readiness: ready"));
        assert!(
            e.starts_with("deploy.yaml:8: app.readiness: must start with `/`"),
            "{e}"
        );
    }

    #[test]
    fn errors_name_the_field_and_line() {
        let e = error(&SPEC.replace("  pre-start:", "  post-start:"));
        assert!(
            e.starts_with("deploy.yaml:12: hooks: unknown field `post-start`"),
            "{e}"
        );
        let e = error(&SPEC.replace("\"100%\"", "\"50%\""));
        assert_eq!(
            e,
            "deploy.yaml:10: release.batches: the last batch reaches 2 of 4 pods; end with 100%"
        );
        let e = error(&SPEC.replace("[1, ", "[0, "));
        assert_eq!(
            e,
            "deploy.yaml:10: release.batches: a batch of 0 releases nothing"
        );
        let e = error(&SPEC.replace("[1, ", "[-1, "));
        assert!(e.contains("a batch must be positive, not -1"), "{e}");
        let e = error(&SPEC.replace("port: 8080", "port: 70000"));
        assert!(
            e.starts_with("deploy.yaml:5: app.port:") || e.starts_with("deploy.yaml:5:"),
            "{e}"
        );
        let e = error(
            &SPEC
                .replace("  owner", "  x")
                .replace("replicas: 4", "replicas: 4\n  colour: blue"),
        );
        assert!(e.contains("unknown field `colour`"), "{e}");
        let e = error(&SPEC.replace("port: 8080", "port: 0"));
        assert_eq!(e, "deploy.yaml:5: app.port: must be between 1 and 65535");
    }

    #[test]
    fn hook_paths_are_plain_relative_paths() {
        for bad in [
            "/etc/hook.sh",
            "../x.sh",
            "a b.sh",
            "x.sh; rm -rf /",
            "$(id).sh",
        ] {
            let e = error(&SPEC.replace("deploy/bin/pre-start.sh", bad));
            assert!(e.contains("hooks: pre-start:"), "{bad}: {e}");
        }
    }

    #[test]
    fn key_lines() {
        assert_eq!(line_of_key(SPEC, "release.batches"), Some(10));
        assert_eq!(line_of_key(SPEC, "app.port"), Some(5));
        assert_eq!(line_of_key(SPEC, "env.zones"), None);
    }
}
