//! The client a pod runs (`podready grant request|renew|revoke`): retries
//! with jittered exponential backoff on 429, 502–504 and connection errors,
//! up to a deadline, then gives up with a message that says why, so an init
//! container fails visibly instead of starting an app without access.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::retry::{retry_after, Backoff};

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
        let mut backoff = Backoff::new(u32::MAX, self.deadline);
        loop {
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
            if !backoff.wait(retry_after) {
                return Err(ClientError::GaveUp {
                    attempts: backoff.attempts(),
                    seconds: backoff.elapsed().as_secs(),
                    last,
                });
            }
        }
    }
}
