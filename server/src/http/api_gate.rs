//! The gate of keyed API requests (docs/domain.md §12, §15): a request that presents an API key
//! (`Authorization: Bearer xxc_…`) is held to the key's rate limit — over it, 429 `RATE_LIMITED` with
//! `Retry-After` before any work — and leaves a line in the key's access log (who, what, when, the
//! status, how many rows). The key is verified once here; the handler's `ApiKey` takes the holder from
//! the request. A request without a valid key passes on untouched: its handler answers 401.
use super::api_v1::ApiFailure;
use app::collect::service::api_keys::{self, KeyHolder};
use app::partner::service::access_log::{self, Access};
use app::server::session::RequestMeta;
use app::server::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue, StatusCode};
use std::time::{Duration, Instant};

/// How many rows (records, subjects, changes) an answer carried; handlers add it to their response.
#[derive(Debug, Clone, Copy)]
pub struct RowsOut(pub i64);

/// Marks an answer whose request is already logged with who, what and when (an answered check, in
/// the check log): the access log reads that line instead of writing a second (`access_log`).
#[derive(Debug, Clone, Copy)]
pub struct InCheckLog;

fn presented_key(req: &Request) -> Option<String> {
    req.headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .filter(|k| k.trim().starts_with("xxc_"))
        .map(|k| k.trim().to_string())
}

/// 429 with the seconds until the key's next request is allowed (at least one).
fn too_many(wait: Duration) -> Response {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let secs = secs.max(1);
    let mut res = ApiFailure::own(
        StatusCode::TOO_MANY_REQUESTS,
        "RATE_LIMITED",
        format!("超过该密钥的每分钟请求上限：请 {secs} 秒后重试，或请安全管理员调整上限。"),
    )
    .into_response();
    if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
        res.headers_mut().insert(header::RETRY_AFTER, v);
    }
    res
}

pub async fn key_gate(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let Some(presented) = presented_key(&req) else {
        return next.run(req).await;
    };
    let holder: KeyHolder = match api_keys::verify(&state, &presented).await {
        Ok(Some(h)) => h,
        Ok(None) => return next.run(req).await,
        Err(e) => return ApiFailure::App(e).into_response(),
    };
    let started = Instant::now();
    let (mut parts, body) = req.into_parts();
    let ip = RequestMeta::from_parts(&parts, state.config.trust_proxy).ip;
    let method = parts.method.to_string();
    let path = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_default();
    let key_id = holder.key_id;
    let response = match state.limits.allow_key(key_id, holder.rate_per_min) {
        Err(wait) => too_many(wait),
        Ok(()) => {
            parts.extensions.insert(holder);
            next.run(Request::from_parts(parts, body)).await
        }
    };
    if response.extensions().get::<InCheckLog>().is_some() {
        return response;
    }
    let rows_out = response.extensions().get::<RowsOut>().map_or(0, |r| r.0);
    access_log::record(
        &state,
        Access {
            key_id,
            method,
            path,
            status: response.status().as_u16(),
            rows_out,
            ip,
            millis: i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX),
        },
    );
    response
}
