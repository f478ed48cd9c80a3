//! Partner routes outside the server functions: the API keys' access log as XLSX for the security
//! admin (a POST form with the CSRF token, audited like every export).
use super::export::{error_response, xlsx, xlsx_download};
use super::extract::{read_form, SignedIn};
use super::Routes;
use app::auth::policy::Action;
use app::error::AppError;
use app::partner::model::AccessFilter;
use app::partner::pages::access_log::EXPORT_XLSX;
use app::partner::service::access_log;
use app::server::AppState;
use axum::body::Body;
use axum::extract::State;
use axum::response::Response;
use axum::routing::post;

pub fn router() -> Routes {
    Routes::default().route(&["POST"], EXPORT_XLSX, post(download))
}

async fn download(
    State(state): State<AppState>,
    signed_in: Result<SignedIn, AppError>,
    body: Body,
) -> Response {
    match file(&state, signed_in, body).await {
        Ok(r) => r,
        Err(e) => error_response(&e),
    }
}

async fn file(
    state: &AppState,
    signed_in: Result<SignedIn, AppError>,
    body: Body,
) -> Result<Response, AppError> {
    let caller = signed_in?.require(Action::ApiAccessView)?;
    let form = read_form(body).await?;
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let f = AccessFilter {
        key: get("key"),
        from: get("from"),
        to: get("to"),
        outcome: get("outcome"),
    };
    let rows = access_log::sheet(state, &f).await?;
    let mut tx = state.db.begin().await?;
    caller
        .event("apikey.access_export", "success")
        .with(serde_json::json!({ "rows": rows.len(), "filter": f }))
        .record(&mut tx, state)
        .await?;
    tx.commit().await?;
    let file = xlsx("接口访问日志", &access_log::HEADERS, &rows)?;
    Ok(xlsx_download(
        file,
        &format!("接口访问日志-{}.xlsx", state.clock.today().iso()),
    ))
}
