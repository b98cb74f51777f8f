//! The HTTP face of the grant center (axum).
//!
//! `POST /v1/grants`, `POST /v1/grants/{pod_uid}/renew`,
//! `DELETE /v1/grants/{pod_uid}`, `GET /v1/grants?app=…`, `GET /healthz`,
//! `GET /metrics`. Every `/v1` request needs `Authorization: Bearer TOKEN`.

// Handlers return early with ready-made responses; boxing them buys nothing.
#![allow(clippy::result_large_err)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use super::auth::{Authenticator, Caller};
use super::service::{GrantCenter, GrantError, PodIdentity};

/// Seconds a client is told to wait after a 429 or 503.
const RETRY_AFTER: &str = "2";

pub struct AppState<A> {
    pub center: Arc<GrantCenter>,
    pub auth: A,
}

fn error(status: StatusCode, message: &str) -> Response {
    let mut r = (status, Json(json!({ "error": message }))).into_response();
    if matches!(
        status,
        StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE
    ) {
        r.headers_mut().insert(
            header::RETRY_AFTER,
            header::HeaderValue::from_static(RETRY_AFTER),
        );
    }
    r
}

fn grant_error(e: &GrantError) -> Response {
    let status = match e {
        GrantError::BadRequest(_) => StatusCode::BAD_REQUEST,
        GrantError::Forbidden(_) => StatusCode::FORBIDDEN,
        GrantError::Conflict(_) => StatusCode::CONFLICT,
        GrantError::NotFound(_) => StatusCode::NOT_FOUND,
        GrantError::Busy(_) => StatusCode::TOO_MANY_REQUESTS,
        GrantError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        GrantError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    };
    error(status, &e.to_string())
}

async fn caller<A: Authenticator>(
    state: &AppState<A>,
    headers: &HeaderMap,
) -> Result<Caller, Response> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let Some(token) = token else {
        return Err(error(StatusCode::UNAUTHORIZED, "missing bearer token"));
    };
    match state.auth.authenticate(token).await {
        Some(c) => Ok(c),
        None => Err(error(StatusCode::UNAUTHORIZED, "invalid token")),
    }
}

fn app_of(caller: &Caller) -> Result<String, Response> {
    match caller {
        Caller::App(a) => Ok(a.clone()),
        Caller::Operator => Err(error(
            StatusCode::FORBIDDEN,
            "operators may list leases, not change them",
        )),
    }
}

async fn post_grant<A: Authenticator>(
    State(state): State<Arc<AppState<A>>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let limit = state.center.config.max_body_bytes;
    let body = match body {
        Ok(b) => b,
        Err(r) if r.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return error(
                StatusCode::PAYLOAD_TOO_LARGE,
                &format!("the body is larger than {limit} bytes"),
            )
        }
        Err(r) => return error(r.status(), &format!("body: {}", r.body_text())),
    };
    let center = state.center.clone();
    for_app(&state, &headers, |app| async move {
        let req: PodIdentity = serde_json::from_slice(&body)
            .map_err(|e| GrantError::BadRequest(format!("body: {e}")))?;
        detached(async move { center.grant(&app, req).await }).await
    })
    .await
}

/// Runs a call on the center in a task of its own: a client that goes away
/// mid-call must not cancel it halfway, its locks released while its
/// statements still run.
async fn detached<T: Send + 'static>(
    call: impl std::future::Future<Output = Result<T, GrantError>> + Send + 'static,
) -> Result<T, GrantError> {
    tokio::spawn(call).await.unwrap_or_else(|e| {
        Err(GrantError::Internal(format!(
            "the request's task failed: {e}"
        )))
    })
}

/// Authenticates an app, runs `action` for it and answers with its result.
async fn for_app<A, F, Fut, T>(state: &AppState<A>, headers: &HeaderMap, action: F) -> Response
where
    A: Authenticator,
    F: FnOnce(String) -> Fut,
    Fut: std::future::Future<Output = Result<T, GrantError>>,
    T: serde::Serialize,
{
    async {
        let caller = caller(state, headers).await?;
        let app = app_of(&caller)?;
        match action(app).await {
            Ok(answer) => Ok((StatusCode::OK, Json(answer)).into_response()),
            Err(e) => Err(grant_error(&e)),
        }
    }
    .await
    .unwrap_or_else(|r| r)
}

async fn post_renew<A: Authenticator>(
    State(state): State<Arc<AppState<A>>>,
    Path(pod_uid): Path<String>,
    headers: HeaderMap,
) -> Response {
    let center = state.center.clone();
    for_app(&state, &headers, |app| async move {
        detached(async move { center.renew(&app, &pod_uid).await }).await
    })
    .await
}

async fn delete_grant<A: Authenticator>(
    State(state): State<Arc<AppState<A>>>,
    Path(pod_uid): Path<String>,
    headers: HeaderMap,
) -> Response {
    let center = state.center.clone();
    for_app(&state, &headers, |app| async move {
        detached(async move { center.revoke(&app, &pod_uid).await }).await
    })
    .await
}

#[derive(Deserialize)]
struct ListQuery {
    app: Option<String>,
}

async fn list_grants<A: Authenticator>(
    State(state): State<Arc<AppState<A>>>,
    Query(q): Query<ListQuery>,
    headers: HeaderMap,
) -> Response {
    async {
        let caller = caller(&state, &headers).await?;
        let app = match (&caller, q.app) {
            (Caller::Operator, app) => app,
            (Caller::App(own), Some(asked)) if *own != asked => {
                return Err(error(
                    StatusCode::FORBIDDEN,
                    "an app may list only its own leases",
                ));
            }
            (Caller::App(own), _) => Some(own.clone()),
        };
        match state.center.leases(app.as_deref()).await {
            Ok(leases) => Ok((StatusCode::OK, Json(json!({ "leases": leases }))).into_response()),
            Err(e) => Err(grant_error(&e)),
        }
    }
    .await
    .unwrap_or_else(|r| r)
}

/// The route a request is counted under in the metrics.
fn route_of(method: &Method, path: &str) -> &'static str {
    let pod = path.strip_prefix("/v1/grants/");
    match (method.as_str(), path, pod) {
        ("POST", "/v1/grants", _) => "grant",
        ("GET", "/v1/grants", _) => "list",
        ("POST", _, Some(rest)) if rest.ends_with("/renew") => "renew",
        ("DELETE", _, Some(_)) => "revoke",
        _ => "other",
    }
}

/// The reason a refused request is counted under.
fn rejection_reason(status: StatusCode) -> Option<&'static str> {
    Some(match status.as_u16() {
        400 | 422 => "bad-request",
        401 => "unauthenticated",
        403 => "forbidden",
        404 => "not-found",
        405 => "method-not-allowed",
        409 => "conflict",
        413 => "too-large",
        429 => "queue-full",
        400..=499 => "other",
        _ => return None,
    })
}

/// Times every API request and counts every refusal, whichever layer
/// refused it (routing, body limit, authentication, validation, queue).
async fn observe(State(center): State<Arc<GrantCenter>>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let path = req.uri().path().to_string();
    let route = route_of(req.method(), &path);
    let response = next.run(req).await;
    if let Some(reason) = rejection_reason(response.status()) {
        center.metrics.rejection(reason);
    }
    if path != "/healthz" && path != "/metrics" {
        center
            .metrics
            .request(route, response.status().as_u16(), started.elapsed());
    }
    response
}

async fn healthz() -> &'static str {
    "ok\n"
}

async fn metrics<A: Authenticator>(State(state): State<Arc<AppState<A>>>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.center.metrics_text().await,
    )
        .into_response()
}

/// The router, with a body limit (larger bodies get 413).
pub fn router<A: Authenticator + 'static>(state: Arc<AppState<A>>) -> Router {
    let limit = state.center.config.max_body_bytes;
    let center = state.center.clone();
    Router::new()
        .route("/v1/grants", post(post_grant::<A>).get(list_grants::<A>))
        .route(
            "/v1/grants/{pod_uid}",
            axum::routing::delete(delete_grant::<A>),
        )
        .route("/v1/grants/{pod_uid}/renew", post(post_renew::<A>))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics::<A>))
        .fallback(|| async { error(StatusCode::NOT_FOUND, "no such route") })
        .method_not_allowed_fallback(|| async {
            error(
                StatusCode::METHOD_NOT_ALLOWED,
                "this route does not take that method",
            )
        })
        .layer(DefaultBodyLimit::max(limit))
        .layer(middleware::from_fn_with_state(center, observe))
        .with_state(state)
}

/// Connections the kernel may hold for the center before it accepts them.
/// A fleet-wide release opens thousands at once; with the usual 1,024 the
/// rest are dropped and their pods wait a second for the SYN to be resent.
const ACCEPT_BACKLOG: u32 = 4096;

/// A listening socket for the center, with room for a release's burst of
/// connections (the kernel caps it at `net.core.somaxconn`).
pub fn listen(addr: SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(ACCEPT_BACKLOG)
}

/// Runs the reaper every `interval` until the process ends.
pub fn spawn_reaper(center: Arc<GrantCenter>, interval: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(interval);
        loop {
            tick.tick().await;
            if let Err(e) = center.reap().await {
                eprintln!("warning: reaper: {e}");
            }
        }
    })
}
