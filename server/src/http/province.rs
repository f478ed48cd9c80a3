//! Province routes outside the server functions: a range of the push log as an XLSX or CSV file (for
//! provinces that take files). POST forms with the CSRF token, audited like every export.
use super::export::{error_response, xlsx, xlsx_download};
use super::extract::{read_form, SignedIn};
use super::Routes;
use app::auth::policy::Action;
use app::error::AppError;
use app::province::model::PushFilter;
use app::province::service::export;
use app::server::AppState;
use axum::body::Body;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use http::{header, HeaderValue, StatusCode};

use app::province::pages::push_log::{EXPORT_CSV, EXPORT_XLSX};

pub fn router() -> Routes {
    Routes::default()
        .route(
            &["POST"],
            EXPORT_XLSX,
            post(
                |s: State<AppState>, c: Result<SignedIn, AppError>, b: Body| async move {
                    download(s, c, b, false).await
                },
            ),
        )
        .route(
            &["POST"],
            EXPORT_CSV,
            post(
                |s: State<AppState>, c: Result<SignedIn, AppError>, b: Body| async move {
                    download(s, c, b, true).await
                },
            ),
        )
}

async fn download(
    State(state): State<AppState>,
    signed_in: Result<SignedIn, AppError>,
    body: Body,
    csv: bool,
) -> Response {
    match file(&state, signed_in, body, csv).await {
        Ok(r) => r,
        Err(e) => error_response(&e),
    }
}

async fn file(
    state: &AppState,
    signed_in: Result<SignedIn, AppError>,
    body: Body,
    csv: bool,
) -> Result<Response, AppError> {
    let caller = signed_in?.require(Action::PushView)?;
    let form = read_form(body).await?;
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let f = PushFilter {
        kind: get("kind"),
        state: get("state"),
        from: get("from"),
        to: get("to"),
        unit: get("unit"),
        q: get("q"),
    };
    let sheet = export::sheet(state, &f).await?;
    let mut tx = state.db.begin().await?;
    caller
        .event("province.push_export", "success")
        .with(serde_json::json!({ "rows": sheet.rows.len(), "filter": f, "csv": csv }))
        .record(&mut tx, state)
        .await?;
    tx.commit().await?;
    let stem = format!("{}-{}", sheet.name, state.clock.today().iso());
    if csv {
        let bytes = export::csv_bytes(&sheet)?;
        let disposition = format!(
            "attachment; filename=\"push.csv\"; filename*=UTF-8''{}",
            app::ui::url::encode(&format!("{stem}.csv"))
        );
        let mut res = (StatusCode::OK, bytes).into_response();
        let h = res.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/csv; charset=utf-8"),
        );
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if let Ok(v) = HeaderValue::from_str(&disposition) {
            h.insert(header::CONTENT_DISPOSITION, v);
        }
        Ok(res)
    } else {
        let headers: Vec<&str> = sheet.headers.iter().map(String::as_str).collect();
        let file = xlsx(&sheet.name, &headers, &sheet.rows)?;
        Ok(xlsx_download(file, &format!("{stem}.xlsx")))
    }
}
