//! Security middleware: request-scoped access log, Origin check on mutations, security headers,
//! a CSP that allows inline scripts by hash only, and the cache policy of pages.
use app::server::AppState;
use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::{engine::general_purpose::STANDARD, Engine};
use http::{header, HeaderValue, Method, StatusCode};
use sha2::{Digest, Sha256};
use std::time::Duration;
use tracing::Span;

/// HTML larger than this is passed through without a script-hash CSP (none of ours is near it).
const MAX_HTML_FOR_CSP: usize = 8 * 1024 * 1024;

pub fn access_span(req: &Request<Body>) -> Span {
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.uri().path())
}

pub fn access_log<B>(res: &http::Response<B>, latency: Duration, _span: &Span) {
    tracing::info!(target: "access", status = res.status().as_u16(), latency_ms = latency.as_millis() as u64, "access");
}

/// A bug must not show a stack trace or a blank page: log it and answer with a Chinese error page.
pub fn panic_page(err: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = err
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| err.downcast_ref::<&str>().copied())
        .unwrap_or("unknown panic");
    tracing::error!(detail, "request handler panicked");
    let html = "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
        content=\"width=device-width, initial-scale=1\"><title>系统错误 - 湘西州公共信用信息平台</title></head><body \
        style=\"font-family:sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem\"><h1>系统暂时出错（500）</h1>\
        <p>服务器处理您的请求时出错，我们已记录此问题。请稍后重试，或返回<a href=\"/\">首页</a>。</p></body></html>";
    let mut res = (
        StatusCode::INTERNAL_SERVER_ERROR,
        axum::response::Html(html),
    )
        .into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// Rejects cross-site mutating requests: `Sec-Fetch-Site: cross-site`, or an `Origin` whose host
/// differs from the `Host` header.
pub async fn origin_check(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mutating = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let scheme = site_scheme(&state.config, req.headers());
    if mutating && is_cross_site(req.headers(), state.config.public_origin.as_deref(), scheme) {
        let body = serde_json::json!({ "code": "CROSS_SITE", "message": "拒绝跨站请求：请从本平台页面提交。" });
        return (StatusCode::FORBIDDEN, axum::Json(body)).into_response();
    }
    next.run(req).await
}

/// Forms posted without JavaScript (the browser navigates, so it asks for HTML) must carry the CSRF
/// token that matches the CSRF cookie. Requests from script are covered by `origin_check`.
pub async fn csrf_check(State(state): State<AppState>, req: Request, next: Next) -> Response {
    // The 长辈版 switch only flips a display cookie; it sits on cacheable public pages, which must
    // not carry a per-visitor token. The Origin check still covers it.
    // The upload is multipart: its handler checks the token itself (collect::upload).
    // Checking a report's file changes nothing, so it carries no token.
    let exempt = req.uri().path() == super::elder::PATH
        || req.uri().path() == super::collect::UPLOAD_PATH
        // The public case forms are multipart too: their handler checks the token (cases::public_form).
        || super::cases::MULTIPART_PATHS.contains(&req.uri().path())
        || req.uri().path() == super::credit::CHECK_PATH
        // The measures import is multipart: its handler checks the token (joint::import).
        || req.uri().path() == app::joint::pages::measures::IMPORT_PATH
        || req.uri().path() == app::joint::pages::matters::MATTERS_IMPORT_PATH
        || req.uri().path() == app::joint::pages::batch::CHECK_BATCH_PATH
        // The embedded check page is framed by units' systems, where our cookies are not sent: its
        // form carries the unit's ticket instead, a credential no other site holds.
        || req.uri().path() == app::joint::embed::PAGE_PATH;
    let plain_form = !exempt
        && req.method() == Method::POST
        && req
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"));
    if !plain_form {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let is_urlencoded = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let bytes = match to_bytes(body, 2 * 1024 * 1024).await {
        Ok(b) if is_urlencoded => b,
        _ => return csrf_refused(),
    };
    let token = form_urlencoded::parse(&bytes)
        .find(|(k, _)| k == app::server::csrf::FIELD)
        .map(|(_, v)| v.into_owned());
    let cookie = app::server::csrf::cookie_value(&parts.headers, app::server::csrf::COOKIE);
    if !app::server::csrf::valid(&state.secrets, cookie, token.as_deref()) {
        tracing::warn!(path = %parts.uri.path(), "form post without a valid CSRF token");
        return csrf_refused();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

fn csrf_refused() -> Response {
    let html = "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>页面已过期</title></head>\
        <body><h1>提交未被接受（403）</h1><p>表单已过期或不是从本平台页面提交的。请返回上一页，刷新后重新提交。</p>\
        <p><a href=\"/\">返回首页</a></p></body></html>";
    let mut res = (StatusCode::FORBIDDEN, axum::response::Html(html)).into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// The scheme the site is reached by when APP_PUBLIC_ORIGIN is unset: the proxy's
/// `X-Forwarded-Proto` when the proxy is trusted, else https in production (its cookies are
/// `Secure`, so it is only ever used over TLS) and http in demo mode (the bare server).
pub fn site_scheme(config: &app::server::config::Config, h: &http::HeaderMap) -> &'static str {
    let forwarded = config
        .trust_proxy
        .then(|| h.get("x-forwarded-proto"))
        .flatten()
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(',')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        });
    match forwarded.as_deref() {
        Some("https") => "https",
        Some("http") => "http",
        _ if config.is_production() => "https",
        _ => "http",
    }
}

/// `public_origin` (e.g. `https://credit.xxz.gov.cn`, from APP_PUBLIC_ORIGIN) is compared whole, scheme
/// included; behind a proxy that rewrites `Host` it is required. Without it the origin is `scheme`
/// (see `site_scheme`) with the `Host` header, compared whole too: `https://host` posting to a site
/// served as `http://host` is another origin.
pub fn is_cross_site(h: &http::HeaderMap, public_origin: Option<&str>, scheme: &str) -> bool {
    if h.get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == "cross-site")
    {
        return true;
    }
    let Some(origin) = h.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    if origin == "null" {
        return true;
    }
    let expected = match public_origin {
        Some(o) => o.trim_end_matches('/').to_string(),
        None => {
            let host = h
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            format!("{scheme}://{host}")
        }
    };
    !origin.trim_end_matches('/').eq_ignore_ascii_case(&expected)
}

/// Adds security headers to every response. HTML pages get a CSP with the hashes of their inline
/// scripts, and a public cache policy unless the page already chose one (e.g. private for 长辈版).
pub async fn headers_and_csp(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let is_get = req.method() == Method::GET;
    let path = req.uri().path().to_string();
    let csrf_slot = app::server::csrf::PageCsrf::default();
    let mut req = req;
    req.extensions_mut().insert(csrf_slot.clone());
    let res = next.run(req).await;
    let (mut parts, body) = res.into_parts();
    let is_html = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let mut script_hashes = Vec::new();
    let body = if is_html {
        match to_bytes(body, MAX_HTML_FOR_CSP).await {
            Ok(bytes) => {
                let html = match std::str::from_utf8(&bytes) {
                    Ok(text) => std::borrow::Cow::Borrowed(text),
                    Err(_) => String::from_utf8_lossy(&bytes),
                };
                script_hashes = trusted_script_hashes(&html);
                parts.headers.remove(header::CONTENT_LENGTH);
                Body::from(strip_nonce(&html))
            }
            Err(e) => {
                tracing::error!(path = %path, error = %e, "HTML response too large to hash its scripts");
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
        }
    } else {
        body
    };
    let h = &mut parts.headers;
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    if !h.contains_key("referrer-policy") {
        h.insert(
            "referrer-policy",
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        );
    }
    // A page that may be framed says by whom (the embedded check page, per unit); every other page
    // may not be framed at all.
    let frame_ancestors = parts
        .extensions
        .get::<FrameAncestors>()
        .map(|f| f.0.clone());
    if frame_ancestors.is_none() {
        h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    }
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    if state.config.is_production() {
        h.insert(
            "strict-transport-security",
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    if is_html {
        // Read after the whole body was rendered, so a form inside a late suspense still counts.
        let (minted, has_token) = csrf_slot.outcome();
        if let Some(cookie) = minted {
            let set = app::server::csrf::set_cookie(&cookie, state.config.is_production());
            if let Ok(v) = HeaderValue::from_str(&set) {
                h.append(header::SET_COOKIE, v);
            }
        }
        if has_token {
            // A page with a form token is this visitor's alone: no shared cache may keep it.
            h.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            );
        }
        let csp = content_security_policy(
            &script_hashes,
            frame_ancestors.as_deref().unwrap_or("'none'"),
        );
        if let Ok(v) = HeaderValue::from_str(&csp) {
            h.insert("content-security-policy", v);
        }
        if !h.contains_key(header::CACHE_CONTROL) {
            // A response that sets a cookie is for one visitor only.
            let sets_cookie = h.contains_key(header::SET_COOKIE);
            let policy = if is_get
                && parts.status == StatusCode::OK
                && !sets_cookie
                && !path.starts_with("/console")
            {
                "public, max-age=60"
            } else {
                "no-store"
            };
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
        }
    } else if path.starts_with("/api/") && !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    Response::from_parts(parts, body)
}

/// A response extension: the sources allowed to frame this page (`frame-ancestors`), instead of none.
#[derive(Debug, Clone)]
pub struct FrameAncestors(pub String);

pub fn content_security_policy(script_hashes: &[String], frame_ancestors: &str) -> String {
    let hashes: String = script_hashes
        .iter()
        .map(|h| format!(" 'sha256-{h}'"))
        .collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self'; img-src 'self' data:; \
         font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
         frame-ancestors {frame_ancestors}"
    )
}

/// leptos_axum puts a random per-request nonce on its scripts (and, oddly, into `crossorigin`). Our CSP
/// allows scripts by hash, so the nonce is dead weight that makes every response differ: remove it, so
/// that a public page is the same bytes for every visitor and a shared cache may keep it.
pub fn strip_nonce(html: &str) -> String {
    let Some(nonce) = page_nonce(html) else {
        return html.to_string();
    };
    // One pass over the page (it is rewritten on every response).
    const ATTR: &str = " nonce=\"";
    const CROSS: &str = "crossorigin=\"";
    let mut out = String::with_capacity(html.len());
    let mut copied = 0;
    for (at, _) in html.match_indices(nonce) {
        let end = at + nonce.len();
        if !html[end..].starts_with('"') || at < copied {
            continue;
        }
        if html[..at].ends_with(ATTR) {
            out.push_str(&html[copied..at - ATTR.len()]);
            copied = end + 1;
        } else if html[..at].ends_with(CROSS) {
            out.push_str(&html[copied..at]);
            copied = end;
        }
    }
    out.push_str(&html[copied..]);
    out
}

/// The request nonce Leptos wrote into the page: the first `nonce="…"` (our pre-paint script in
/// `<head>` carries it, before any content from the database).
fn page_nonce(html: &str) -> Option<&str> {
    let start = html.find(" nonce=\"")? + 8;
    let len = html[start..].find('"')?;
    Some(&html[start..start + len]).filter(|n| !n.is_empty())
}

/// Hashes of the inline scripts the server itself wrote: those carrying this response's random nonce.
/// A script that arrived with stored content cannot know the nonce, so it is not allowed.
pub fn trusted_script_hashes(html: &str) -> Vec<String> {
    match page_nonce(html) {
        Some(nonce) => inline_scripts(html, Some(&format!("nonce=\"{nonce}\""))),
        None => vec![],
    }
}

/// Base64 SHA-256 of the content of every inline `<script>` (those without `src`).
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    inline_scripts(html, None)
}

fn inline_scripts(html: &str, required_attr: Option<&str>) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(tag_end) = after.find('>') else {
            break;
        };
        let tag = &after[..tag_end];
        let content_start = tag_end + 1;
        let Some(close) = after[content_start..].find("</script>") else {
            break;
        };
        let content = &after[content_start..content_start + close];
        let trusted = required_attr.is_none_or(|a| tag.contains(a));
        if trusted && !tag.contains(" src=") && !content.is_empty() {
            let hash = STANDARD.encode(Sha256::digest(content.as_bytes()));
            if !out.contains(&hash) {
                out.push(hash);
            }
        }
        rest = &after[content_start + close + "</script>".len()..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_inline_scripts_only() {
        let html = r#"<head><script>a()</script><script src="/x.js"></script><script type="module">b()</script></head>"#;
        let hashes = inline_script_hashes(html);
        assert_eq!(hashes.len(), 2);
        assert_eq!(hashes[0], STANDARD.encode(Sha256::digest(b"a()")));
    }

    #[test]
    fn only_scripts_with_the_request_nonce_are_trusted() {
        let html = r#"<head><script nonce="n0nce">a()</script></head><body><article><script>evil()</script>
            <script nonce="guess">evil2()</script></article><script nonce="n0nce">b()</script></body>"#;
        let trusted = trusted_script_hashes(html);
        assert_eq!(trusted.len(), 2);
        assert_eq!(trusted[0], STANDARD.encode(Sha256::digest(b"a()")));
        assert_eq!(trusted[1], STANDARD.encode(Sha256::digest(b"b()")));
        assert!(
            trusted_script_hashes("<script>x()</script>").is_empty(),
            "no nonce, nothing trusted"
        );
    }

    #[test]
    fn nonce_is_stripped() {
        let html = r#"<link crossorigin="abc123"><script nonce="abc123">x()</script><p>nonce="abc123" in text</p>"#;
        assert_eq!(
            strip_nonce(html),
            r#"<link crossorigin=""><script>x()</script><p>nonce="abc123" in text</p>"#
        );
        assert_eq!(strip_nonce("<p>none</p>"), "<p>none</p>");
    }

    #[test]
    fn cross_site_detection() {
        let mut h = http::HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:3000"));
        assert!(!is_cross_site(&h, None, "http"));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://127.0.0.1:3000"),
        );
        assert!(!is_cross_site(&h, None, "http"));
        // A configured public origin wins over Host, scheme included.
        assert!(is_cross_site(
            &h,
            Some("https://credit.example.gov.cn"),
            "http"
        ));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://credit.example.gov.cn"),
        );
        assert!(!is_cross_site(
            &h,
            Some("https://credit.example.gov.cn"),
            "http"
        ));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://credit.example.gov.cn"),
        );
        assert!(is_cross_site(
            &h,
            Some("https://credit.example.gov.cn"),
            "http"
        ));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://evil.example"),
        );
        assert!(is_cross_site(&h, None, "http"));
        h.remove(header::ORIGIN);
        h.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(is_cross_site(&h, None, "http"));
    }

    #[test]
    fn without_a_public_origin_the_scheme_counts_too() {
        let mut h = http::HeaderMap::new();
        h.insert(
            header::HOST,
            HeaderValue::from_static("credit.example:3000"),
        );
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://credit.example:3000"),
        );
        assert!(is_cross_site(&h, None, "http"));
        assert!(!is_cross_site(&h, None, "https"));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("credit.example:3000"),
        );
        assert!(
            is_cross_site(&h, None, "https"),
            "an origin without a scheme"
        );
        let vars = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let demo = app::server::config::Config::from_vars(&vars(&[]), false).unwrap();
        assert_eq!(site_scheme(&demo, &h), "http");
        let prod =
            app::server::config::Config::from_vars(&vars(&[("APP_SECRET", &"k".repeat(40))]), true)
                .unwrap();
        assert_eq!(site_scheme(&prod, &h), "https");
        let proxied =
            app::server::config::Config::from_vars(&vars(&[("APP_TRUST_PROXY", "1")]), false)
                .unwrap();
        h.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        assert_eq!(site_scheme(&proxied, &h), "https");
        assert_eq!(
            site_scheme(&demo, &h),
            "http",
            "only a trusted proxy's header counts"
        );
    }
}
