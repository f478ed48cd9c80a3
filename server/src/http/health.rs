//! Health endpoints for a load balancer: liveness and readiness (database round trip).
use super::Routes;
use app::server::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::Json;
use serde_json::{json, Value};

pub fn router() -> Routes {
    Routes::default()
        .route(&["GET"], "/healthz", get(healthz))
        .route(&["GET"], "/readyz", get(readyz))
}

pub async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    match state.db.ping().await {
        Ok(()) => (
            StatusCode::OK,
            Json(json!({ "status": "ready", "database": "ok" })),
        ),
        Err(e) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(
                json!({ "status": "not_ready", "database": "unreachable", "error": e.to_string() }),
            ),
        ),
    }
}
