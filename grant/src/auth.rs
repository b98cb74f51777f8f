//! Who is asking. Every request carries a bearer token; an authenticator
//! maps it to the app it may act for. The default compares the SHA-256 of
//! the token with the per-app hashes in the config, in constant time;
//! Kubernetes service-account tokens are checked with a TokenReview.

use std::collections::BTreeMap;

use k8s_openapi::api::authentication::v1::{TokenReview, TokenReviewSpec};
use kube::api::PostParams;
use kube::{Api, Client};
use sha2::{Digest, Sha256};

/// The caller a token stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    App(String),
    Operator,
}

/// Maps a bearer token to a caller.
pub trait Authenticator: Send + Sync {
    fn authenticate(&self, token: &str)
        -> impl std::future::Future<Output = Option<Caller>> + Send;
}

/// The SHA-256 of a token, as hex (what the config stores).
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Equality that takes the same time wherever the inputs differ.
fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Per-app tokens, stored as SHA-256 hashes.
pub struct TokenAuthenticator {
    /// (hash bytes, caller).
    tokens: Vec<([u8; 32], Caller)>,
}

fn hex32(hex: &str) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    if hex.len() != 64 {
        return None;
    }
    for (i, chunk) in hex.as_bytes().chunks(2).enumerate() {
        let s = std::str::from_utf8(chunk).ok()?;
        out[i] = u8::from_str_radix(s, 16).ok()?;
    }
    Some(out)
}

impl TokenAuthenticator {
    /// `apps`: app name → token hash (hex); `operators`: hashes of tokens
    /// that may list every app's leases.
    pub fn new(apps: &BTreeMap<String, String>, operators: &[String]) -> TokenAuthenticator {
        let mut tokens = Vec::new();
        for (app, hash) in apps {
            if let Some(h) = hex32(hash) {
                tokens.push((h, Caller::App(app.clone())));
            }
        }
        for hash in operators {
            if let Some(h) = hex32(hash) {
                tokens.push((h, Caller::Operator));
            }
        }
        TokenAuthenticator { tokens }
    }
}

impl Authenticator for TokenAuthenticator {
    async fn authenticate(&self, token: &str) -> Option<Caller> {
        let digest: [u8; 32] = Sha256::digest(token.as_bytes()).into();
        // Compare with every entry, so the time does not tell which matched.
        let mut found = None;
        for (hash, caller) in &self.tokens {
            if ct_eq(hash, &digest) && found.is_none() {
                found = Some(caller.clone());
            }
        }
        found
    }
}

/// Kubernetes service-account tokens, checked by the API server
/// (TokenReview); the service account `namespace:name` maps to an app.
pub struct TokenReviewAuthenticator {
    pub client: Client,
    /// `namespace:name` → app.
    pub accounts: BTreeMap<String, String>,
    /// The audience the tokens are minted for.
    pub audience: Option<String>,
}

impl Authenticator for TokenReviewAuthenticator {
    async fn authenticate(&self, token: &str) -> Option<Caller> {
        let api: Api<TokenReview> = Api::all(self.client.clone());
        let review = TokenReview {
            spec: TokenReviewSpec {
                token: Some(token.to_string()),
                audiences: self.audience.clone().map(|a| vec![a]),
            },
            ..Default::default()
        };
        let answer = api.create(&PostParams::default(), &review).await.ok()?;
        let status = answer.status?;
        if status.authenticated != Some(true) {
            return None;
        }
        let user = status.user?.username?;
        let sa = user.strip_prefix("system:serviceaccount:")?;
        self.accounts.get(sa).cloned().map(Caller::App)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn tokens_map_to_apps() {
        let apps: BTreeMap<String, String> = [(
            "order-service".to_string(),
            token_hash("dev-token-order-service"),
        )]
        .into();
        let auth = TokenAuthenticator::new(&apps, &[token_hash("ops")]);
        assert_eq!(
            auth.authenticate("dev-token-order-service").await,
            Some(Caller::App("order-service".into()))
        );
        assert_eq!(auth.authenticate("ops").await, Some(Caller::Operator));
        assert_eq!(auth.authenticate("dev-token-order-servicE").await, None);
        assert_eq!(auth.authenticate("").await, None);
    }
}

#[cfg(test)]
mod token_review_tests {
    use super::*;
    use http::{Request, Response};
    use http_body_util::BodyExt;
    use kube::client::Body;
    use std::pin::pin;
    use tower_test::mock;

    /// The TokenReview authenticator against kube's HTTP mock: the review is
    /// POSTed as the API defines it, and the answer's service account maps
    /// to an app.
    #[tokio::test]
    async fn token_review_maps_service_accounts_to_apps() {
        let (service, handle) = mock::pair::<Request<Body>, Response<Body>>();
        let server = tokio::spawn(async move {
            let mut handle = pin!(handle);
            for (token, user, authenticated) in [
                (
                    "sa-token",
                    "system:serviceaccount:orders:order-service",
                    true,
                ),
                ("stranger", "system:serviceaccount:other:thing", true),
                ("forged", "", false),
            ] {
                let (req, send) = handle.next_request().await.unwrap();
                assert_eq!(req.method(), http::Method::POST);
                assert_eq!(
                    req.uri().path(),
                    "/apis/authentication.k8s.io/v1/tokenreviews"
                );
                let body = req.into_body().collect().await.unwrap().to_bytes();
                let review: serde_json::Value = serde_json::from_slice(&body).unwrap();
                assert_eq!(review["kind"], "TokenReview");
                assert_eq!(review["spec"]["token"], token);
                assert_eq!(
                    review["spec"]["audiences"],
                    serde_json::json!(["podready-grant"])
                );
                let answer = serde_json::json!({
                    "apiVersion": "authentication.k8s.io/v1", "kind": "TokenReview",
                    "metadata": {}, "spec": review["spec"],
                    "status": { "authenticated": authenticated, "user": { "username": user } }
                });
                send.send_response(Response::new(Body::from(
                    serde_json::to_vec(&answer).unwrap(),
                )));
            }
        });
        let auth = TokenReviewAuthenticator {
            client: Client::new(service, "default"),
            accounts: [(
                "orders:order-service".to_string(),
                "order-service".to_string(),
            )]
            .into(),
            audience: Some("podready-grant".into()),
        };
        assert_eq!(
            auth.authenticate("sa-token").await,
            Some(Caller::App("order-service".into()))
        );
        assert_eq!(auth.authenticate("stranger").await, None);
        assert_eq!(auth.authenticate("forged").await, None);
        server.await.unwrap();
    }
}
