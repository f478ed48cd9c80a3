//! No-JavaScript fallback of the 长辈版 switch: flips the cookie and goes back to the page.
use axum::extract::Form;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde::Deserialize;

pub const PATH: &str = "/elder";

pub fn router() -> super::Routes {
    super::Routes::default().route(&["POST"], PATH, post(toggle))
}

#[derive(Deserialize)]
pub struct Toggle {
    back: Option<String>,
}

pub async fn toggle(headers: HeaderMap, Form(form): Form<Toggle>) -> Response {
    let on = headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(app::ui::elder::has_elder_cookie);
    // Only same-site paths: not "//host", and nothing a browser would strip into one (backslash, tab, newline).
    let back = form.back.filter(|b| {
        b.starts_with('/')
            && !b.starts_with("//")
            && !b.chars().any(|c| c == '\\' || c.is_control())
    });
    let location = back.unwrap_or_else(|| "/".into());
    let cookie = if on {
        "elder=0; Path=/; Max-Age=0; SameSite=Lax"
    } else {
        "elder=1; Path=/; Max-Age=31536000; SameSite=Lax"
    };
    let mut res = StatusCode::SEE_OTHER.into_response();
    let h = res.headers_mut();
    h.insert(header::SET_COOKIE, HeaderValue::from_static(cookie));
    h.insert(
        header::LOCATION,
        HeaderValue::from_str(&location).unwrap_or(HeaderValue::from_static("/")),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}
