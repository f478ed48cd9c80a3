//! Test hooks, served only in demo mode with APP_TEST_HOOKS=1 (never in production).
use app::server::clock::{parse_rfc3339, rfc3339};
use app::server::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Deserialize)]
pub struct ClockChange {
    set: Option<String>,
    advance_seconds: Option<i64>,
}

pub async fn clock(
    State(state): State<AppState>,
    Json(change): Json<ClockChange>,
) -> (StatusCode, Json<Value>) {
    let result = (|| {
        if let Some(at) = change.set.as_deref() {
            let t = parse_rfc3339(at).ok_or_else(|| {
                app::error::AppError::field("set", "BAD_TIME", "时间格式应为 RFC 3339")
            })?;
            state.clock.set(t)?;
        }
        if let Some(s) = change.advance_seconds {
            state.clock.advance(time::Duration::seconds(s))?;
        }
        Ok::<(), app::error::AppError>(())
    })();
    match result {
        Ok(()) => (
            StatusCode::OK,
            Json(json!({ "now": rfc3339(state.clock.now()) })),
        ),
        Err(e) => (
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST),
            Json(json!({ "code": e.code(), "message": e.to_string() })),
        ),
    }
}
