//! The HTTP face of the grant center (axum).
//!
//! `POST /v1/grants`, `POST /v1/grants/{pod_uid}/renew`,
//! `DELETE /v1/grants/{pod_uid}`, `GET /v1/grants?app=…`, `GET /healthz`,
//! `GET /metrics`. Every `/v1` request needs `Authorization: Bearer TOKEN`.

// Handlers return early with ready-made responses; boxing them buys nothing.
#![allow(clippy::result_large_err)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
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

fn grant_error(center: &GrantCenter, e: &GrantError) -> Response {
    let status = match e {
        GrantError::BadRequest(_) => StatusCode::BAD_REQUEST,
        GrantError::Forbidden(_) => StatusCode::FORBIDDEN,
        GrantError::Conflict(_) => StatusCode::CONFLICT,
        GrantError::NotFound(_) => StatusCode::NOT_FOUND,
        GrantError::Busy(_) => StatusCode::TOO_MANY_REQUESTS,
        GrantError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        GrantError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    };
    if status == StatusCode::TOO_MANY_REQUESTS {
        center.metrics.rejection("queue-full");
    }
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
        state.center.metrics.rejection("unauthenticated");
        return Err(error(StatusCode::UNAUTHORIZED, "missing bearer token"));
    };
    match state.auth.authenticate(token).await {
        Some(c) => Ok(c),
        None => {
            state.center.metrics.rejection("unauthenticated");
            Err(error(StatusCode::UNAUTHORIZED, "invalid token"))
        }
    }
}

fn app_of(caller: &Caller, center: &GrantCenter) -> Result<String, Response> {
    match caller {
        Caller::App(a) => Ok(a.clone()),
        Caller::Operator => {
            center.metrics.rejection("forbidden");
            Err(error(
                StatusCode::FORBIDDEN,
                "operators may list leases, not change them",
            ))
        }
    }
}

async fn timed<A: Authenticator>(
    state: &AppState<A>,
    route: &str,
    started: Instant,
    response: Response,
) -> Response {
    state
        .center
        .metrics
        .request(route, response.status().as_u16(), started.elapsed());
    response
}

async fn post_grant<A: Authenticator>(
    State(state): State<Arc<AppState<A>>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let center = state.center.clone();
    for_app(&state, &headers, "grant", |app| async move {
        let req: PodIdentity = serde_json::from_slice(&body).map_err(|e| {
            center.metrics.rejection("bad-request");
            GrantError::BadRequest(format!("body: {e}"))
        })?;
        center.grant(&app, req).await
    })
    .await
}

/// Authenticates an app, runs `action` for it and answers with its result.
async fn for_app<A, F, Fut, T>(
    state: &AppState<A>,
    headers: &HeaderMap,
    route: &str,
    action: F,
) -> Response
where
    A: Authenticator,
    F: FnOnce(String) -> Fut,
    Fut: std::future::Future<Output = Result<T, GrantError>>,
    T: serde::Serialize,
{
    let started = Instant::now();
    let response = async {
        let caller = caller(state, headers).await?;
        let app = app_of(&caller, &state.center)?;
        match action(app).await {
            Ok(answer) => Ok((StatusCode::OK, Json(answer)).into_response()),
            Err(e) => Err(grant_error(&state.center, &e)),
        }
    }
    .await
    .unwrap_or_else(|r| r);
    timed(state, route, started, response).await
}

async fn post_renew<A: Authenticator>(
    State(state): State<Arc<AppState<A>>>,
    Path(pod_uid): Path<String>,
    headers: HeaderMap,
) -> Response {
    let center = state.center.clone();
    for_app(&state, &headers, "renew", |app| async move {
        center.renew(&app, &pod_uid).await
    })
    .await
}

async fn delete_grant<A: Authenticator>(
    State(state): State<Arc<AppState<A>>>,
    Path(pod_uid): Path<String>,
    headers: HeaderMap,
) -> Response {
    let center = state.center.clone();
    for_app(&state, &headers, "revoke", |app| async move {
        center.revoke(&app, &pod_uid).await
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
    let started = Instant::now();
    let response = async {
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
        match state.center.leases(app.as_deref()) {
            Ok(leases) => Ok((StatusCode::OK, Json(json!({ "leases": leases }))).into_response()),
            Err(e) => Err(grant_error(&state.center, &e)),
        }
    }
    .await
    .unwrap_or_else(|r| r);
    timed(&state, "list", started, response).await
}

async fn healthz() -> &'static str {
    "ok\n"
}

async fn metrics<A: Authenticator>(State(state): State<Arc<AppState<A>>>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.center.metrics_text(),
    )
        .into_response()
}

/// The router, with a body limit (larger bodies get 413).
pub fn router<A: Authenticator + 'static>(state: Arc<AppState<A>>) -> Router {
    let limit = state.center.config.max_body_bytes;
    Router::new()
        .route("/v1/grants", post(post_grant::<A>).get(list_grants::<A>))
        .route(
            "/v1/grants/{pod_uid}",
            axum::routing::delete(delete_grant::<A>),
        )
        .route("/v1/grants/{pod_uid}/renew", post(post_renew::<A>))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics::<A>))
        .layer(DefaultBodyLimit::max(limit))
        .with_state(state)
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
