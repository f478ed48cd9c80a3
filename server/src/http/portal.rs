//! Portal routes that are not pages: `sitemap.xml`, an RSS feed per column, and the files the CMS
//! stored (images and attachments, named by their content hash, so they never change and cache forever).
use super::Routes;
use app::error::AppError;
use app::portal::service::feeds;
use app::server::AppState;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use http::{header, HeaderMap, HeaderValue, StatusCode};
use std::collections::HashMap;
use tower::ServiceExt;

pub const SITEMAP_PATH: &str = "/sitemap.xml";
pub const FEED_PATH: &str = "/rss/{feed}";
pub const FILES_PATH: &str = "/files/{name}";

pub fn router() -> Routes {
    Routes::default()
        .route(&["GET"], SITEMAP_PATH, get(sitemap))
        .route(&["GET"], FEED_PATH, get(feed))
        .route(&["GET"], FILES_PATH, get(file))
}

/// Where the CMS keeps uploaded files (`{sha256}.{ext}`).
pub fn uploads_dir(state: &AppState) -> std::path::PathBuf {
    state
        .config
        .data_path(app::cms::service::uploads::PUBLIC_DIR)
}

fn origin(state: &AppState, headers: &HeaderMap) -> String {
    app::server::config::site_origin(&state.config, Some(headers))
}

fn xml(body: Result<String, AppError>, kind: &'static str) -> Response {
    match body {
        Ok(text) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(kind)),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=300"),
                ),
            ],
            text,
        )
            .into_response(),
        Err(e) => plain_error(&e),
    }
}

fn plain_error(e: &AppError) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, [(header::CACHE_CONTROL, "no-store")], e.to_string()).into_response()
}

pub async fn sitemap(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let origin = origin(&state, &headers);
    xml(
        feeds::sitemap(&state, &origin).await,
        "application/xml; charset=utf-8",
    )
}

/// `/rss/{code}.xml`
pub async fn feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(feed): Path<String>,
) -> Response {
    let Some(code) = feed.strip_suffix(".xml") else {
        return plain_error(&AppError::NotFound("该订阅".into()));
    };
    let origin = origin(&state, &headers);
    xml(
        feeds::column_feed(&state, &origin, code).await,
        "application/rss+xml; charset=utf-8",
    )
}

/// A stored name: 64 lower-case hex digits, a dot, a known extension.
fn stored_name(name: &str) -> Option<&'static str> {
    app::cms::files::stored_ext(name).map(app::cms::files::mime)
}

/// `/files/{sha256}.{ext}[?name=…]`: images shown inline, documents downloaded under the given name.
/// Streamed from disk with range requests (a training video of 30 MB resumes and seeks; it is never
/// read into memory whole).
pub async fn file(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    request: axum::extract::Request,
) -> Response {
    let Some(mime) = stored_name(&name) else {
        return plain_error(&AppError::NotFound("该文件".into()));
    };
    let path = uploads_dir(&state).join(&name);
    let Ok(served) = tower_http::services::ServeFile::new(&path)
        .oneshot(request)
        .await;
    if served.status() == StatusCode::NOT_FOUND {
        return plain_error(&AppError::NotFound("该文件".into()));
    }
    let disposition = if mime.starts_with("image/") {
        "inline".to_string()
    } else {
        let given = query
            .get("name")
            .map(|n| {
                n.chars()
                    .filter(|c| !c.is_control() && !matches!(c, '/' | '\\' | '"'))
                    .take(120)
                    .collect::<String>()
            })
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| name.clone());
        format!(
            "attachment; filename*=UTF-8''{}",
            app::ui::url::encode(&given)
        )
    };
    let mut res = served.map(axum::body::Body::new);
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    // A stored file never runs anything, even if a browser were tricked into rendering it.
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
        ),
    );
    res
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_content_addressed_names_of_known_kinds_are_served() {
        let hash = "a".repeat(64);
        assert!(super::stored_name(&format!("{hash}.pdf")).is_some());
        assert!(super::stored_name(&format!("{hash}.exe")).is_none());
        assert!(super::stored_name("../secret.key").is_none());
        assert!(super::stored_name(&format!("{}.png", "A".repeat(64))).is_none());
    }
}
