//! The link crawler of the site health board: walks our own public pages through the router itself
//! (no network, the same answers a reader gets), records every link it finds with the answer it got,
//! checks external links where the network allows, and refreshes the board's alarms.
use app::cms::health::{classify, extract_links, LinkState, Target};
use app::error::AppError;
use app::server::AppState;
use axum::body::{to_bytes, Body};
use axum::extract::ConnectInfo;
use axum::Router;
use http::{header, Request, StatusCode};
use sqlx::Row;
use std::collections::{BTreeMap, HashSet, VecDeque};
use std::net::SocketAddr;
use tower::ServiceExt;

pub const JOB: &str = app::cms::service::health::CRAWL_JOB;
/// Request header that marks the crawler's requests (they are not reader views).
pub const CRAWLER_HEADER: &str = "x-link-check";
const MAX_PAGES: usize = 3000;
const MAX_EXTERNAL: usize = 300;
const MAX_BODY: usize = 8 * 1024 * 1024;

/// Pages whose links are followed: the public portal's own pages.
fn followed(path: &str) -> bool {
    let p = path.split('?').next().unwrap_or(path);
    p == "/" || p.starts_with("/column/") || p.starts_with("/article/")
}

/// One GET through the router: (status, HTML body when it is a page).
async fn fetch(router: &Router, path: &str) -> (StatusCode, Option<String>) {
    let mut req = match Request::get(path)
        .header(CRAWLER_HEADER, "1")
        .body(Body::empty())
    {
        Ok(r) => r,
        Err(_) => return (StatusCode::BAD_REQUEST, None),
    };
    req.extensions_mut()
        .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 0))));
    let res = match router.clone().oneshot(req).await {
        Ok(r) => r,
        Err(e) => match e {},
    };
    let status = res.status();
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let body = if html {
        to_bytes(res.into_body(), MAX_BODY)
            .await
            .ok()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
    } else {
        None
    };
    (status, body)
}

fn answer(status: StatusCode) -> (bool, String) {
    let ok = status.is_success() || status.is_redirection();
    (ok, format!("HTTP {}", status.as_u16()))
}

/// Walks the portal from its home page, every visible column and every published article.
pub async fn crawl(router: &Router, state: &AppState) -> Result<usize, AppError> {
    let mut queue: VecDeque<String> = VecDeque::from(["/".to_string()]);
    for r in sqlx::query("SELECT code FROM site_columns WHERE visible = 1 AND link_path IS NULL")
        .fetch_all(&state.db.pool)
        .await?
    {
        queue.push_back(format!("/column/{}", r.try_get::<String, _>("code")?));
    }
    for r in sqlx::query("SELECT public_id FROM article_live")
        .fetch_all(&state.db.pool)
        .await?
    {
        queue.push_back(format!("/article/{}", r.try_get::<String, _>("public_id")?));
    }
    let own = state.config.public_origin.clone();
    let mut visited: HashSet<String> = HashSet::new();
    let mut answers: BTreeMap<String, (bool, String)> = BTreeMap::new();
    // Link → the first page it was found on.
    let mut found: BTreeMap<String, (bool, String)> = BTreeMap::new();
    let mut external: Vec<String> = vec![];
    while let Some(page) = queue.pop_front() {
        if visited.len() >= MAX_PAGES {
            tracing::warn!(pages = MAX_PAGES, "link check stopped at its page limit");
            break;
        }
        if !visited.insert(page.clone()) {
            continue;
        }
        let (status, body) = fetch(router, &page).await;
        answers.insert(page.clone(), answer(status));
        let Some(html) = body.filter(|_| status == StatusCode::OK) else {
            continue;
        };
        for link in extract_links(&html) {
            match classify(&link, own.as_deref()) {
                Some(Target::Internal(path)) => {
                    // The Leptos runtime files change name with every build and are not content.
                    if path.starts_with("/pkg/") {
                        continue;
                    }
                    found.entry(path.clone()).or_insert((true, page.clone()));
                    if followed(&path) && !visited.contains(&path) {
                        queue.push_back(path);
                    }
                }
                Some(Target::External(url)) if !found.contains_key(&url) => {
                    found.insert(url.clone(), (false, page.clone()));
                    external.push(url);
                }
                Some(Target::External(_)) | None => {}
            }
        }
    }
    // Internal links that were not crawled as pages (files, function pages) are fetched once.
    for (path, (internal, _)) in &found {
        if *internal && !answers.contains_key(path) {
            let (status, _) = fetch(router, path).await;
            answers.insert(path.clone(), answer(status));
        }
    }
    external.truncate(MAX_EXTERNAL);
    for (url, result) in app::cms::service::health::check_external(&external).await {
        answers.insert(url, result);
    }
    let results: Vec<LinkState> = found
        .into_iter()
        .filter_map(|(url, (internal, found_on))| {
            let (ok, detail) = answers.get(&url)?.clone();
            Some(LinkState {
                url,
                internal,
                found_on,
                ok,
                detail,
                failing_since: None,
            })
        })
        .collect();
    app::cms::service::health::record_links(state, &results).await?;
    app::cms::service::health::raise_alarms(state).await?;
    Ok(results.len())
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_portal_pages_are_followed() {
        assert!(super::followed("/"));
        assert!(super::followed("/column/news?page=2"));
        assert!(super::followed("/article/abc"));
        assert!(!super::followed("/login"));
        assert!(!super::followed("/files/ab.pdf"));
        assert!(!super::followed("/console/cms"));
    }
}
