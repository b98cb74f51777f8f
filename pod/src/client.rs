//! The client a pod runs (`podready grant request|renew|revoke`): retries
//! with jittered exponential backoff on 429, 502–504 and connection errors,
//! up to a deadline, then gives up with a message that says why, so an init
//! container fails visibly instead of starting an app without access.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Who a pod says it is: the body of a grant request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PodIdentity {
    pub app: String,
    pub namespace: String,
    pub pod: String,
    pub pod_uid: String,
    pub ip: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("the grant center refused: {status} {message}")]
    Refused { status: u16, message: String },
    #[error("gave up after {attempts} attempts in {seconds}s; last: {last}")]
    GaveUp {
        attempts: u32,
        seconds: u64,
        last: String,
    },
}

pub struct GrantClient {
    base: String,
    token: String,
    agent: ureq::Agent,
    deadline: Duration,
}

/// A small jitter source: the pods of a release must not retry in step.
struct Jitter(u64);

impl Jitter {
    fn new() -> Jitter {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64)
            ^ u64::from(std::process::id()).rotate_left(32);
        Jitter(seed | 1)
    }
    /// A uniform value in `0..max`.
    fn below(&mut self, max: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        if max == 0 {
            0
        } else {
            self.0 % max
        }
    }
}

impl GrantClient {
    pub fn new(base: &str, token: &str, deadline: Duration) -> GrantClient {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(15)))
            .http_status_as_error(false)
            .build()
            .into();
        GrantClient {
            base: base.trim_end_matches('/').to_string(),
            token: token.to_string(),
            agent,
            deadline,
        }
    }

    pub fn request(&self, identity: &PodIdentity) -> Result<Value, ClientError> {
        self.call("POST", "/v1/grants", Some(serde_json::json!(identity)))
    }

    pub fn renew(&self, pod_uid: &str) -> Result<Value, ClientError> {
        self.call("POST", &format!("/v1/grants/{pod_uid}/renew"), None)
    }

    pub fn revoke(&self, pod_uid: &str) -> Result<Value, ClientError> {
        self.call("DELETE", &format!("/v1/grants/{pod_uid}"), None)
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, ClientError> {
        let url = format!("{}{path}", self.base);
        let started = Instant::now();
        let mut jitter = Jitter::new();
        let mut attempts = 0;
        loop {
            attempts += 1;
            let auth = format!("Bearer {}", self.token);
            let result = match (method, &body) {
                ("POST", Some(b)) => self
                    .agent
                    .post(&url)
                    .header("Authorization", &auth)
                    .send_json(b),
                ("POST", None) => self
                    .agent
                    .post(&url)
                    .header("Authorization", &auth)
                    .send_empty(),
                _ => self
                    .agent
                    .delete(&url)
                    .header("Authorization", &auth)
                    .call(),
            };
            let (retry_after, last) = match result {
                Ok(mut resp) => {
                    let status = resp.status().as_u16();
                    let retry_after = retry_after(resp.headers());
                    let text = resp.body_mut().read_to_string().unwrap_or_default();
                    // A proxy's HTML page is not a reason: one line of it.
                    let message = serde_json::from_str::<Value>(&text)
                        .ok()
                        .and_then(|v| v["error"].as_str().map(str::to_string))
                        .unwrap_or_else(|| {
                            let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
                            line.chars().take(200).collect()
                        });
                    match status {
                        200 => {
                            return serde_json::from_str(&text).map_err(|e| ClientError::Refused {
                                status,
                                message: format!("the answer is not JSON: {e}"),
                            })
                        }
                        // Busy, or a database or proxy that is down: it passes.
                        429 | 502 | 503 | 504 => (retry_after, format!("{status} {message}")),
                        // A refusal or a configuration error: asking again
                        // gives the same answer, so the pod fails now.
                        _ => return Err(ClientError::Refused { status, message }),
                    }
                }
                Err(e) => (None, format!("cannot reach {}: {e}", self.base)),
            };
            // Exponential backoff with full jitter, at least Retry-After.
            let cap = 200u64.saturating_mul(1 << attempts.min(6)).min(10_000);
            let wait_ms = (jitter.below(cap) + 50).max(retry_after.unwrap_or(0) * 1000);
            let wait = Duration::from_millis(wait_ms);
            if started.elapsed() + wait > self.deadline {
                return Err(ClientError::GaveUp {
                    attempts,
                    seconds: started.elapsed().as_secs(),
                    last,
                });
            }
            std::thread::sleep(wait);
        }
    }
}

/// The seconds a `Retry-After` header asks a client to wait (the
/// delta-seconds form, which the grant center, GitLab and GitHub send).
pub fn retry_after(headers: &ureq::http::HeaderMap) -> Option<u64> {
    headers
        .get("retry-after")?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
}
