//! An in-process cache of public portal pages. Portal pages are the same bytes for every visitor (no
//! token, no name, no nonce), so a page rendered once serves everyone until something is published:
//! entries carry the shared `cache_versions.portal` counter they were rendered under, and a newer
//! counter (bumped in the publishing transaction, on any instance) makes them stale. Entries also age
//! out after `MAX_AGE`, the same minute a shared proxy may keep them (counts and view figures move).
//!
//! Article views are counted here, for cached and rendered requests alike, and written in batches.
use app::server::AppState;
use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{header, HeaderMap, Method, StatusCode};
use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

const MAX_AGE: Duration = Duration::from_secs(60);
/// How often another instance's publication is looked for.
const VERSION_POLL: Duration = Duration::from_secs(1);
/// After a change in this process, the shared counter is read on every request for this long, so a
/// page is never served stale once the publishing transaction has committed.
const AFTER_LOCAL_CHANGE: Duration = Duration::from_secs(5);
const MAX_ENTRIES: usize = 4096;
const MAX_KEY: usize = 512;
const MAX_BODY: usize = 2 * 1024 * 1024;
const VIEW_FLUSH: Duration = Duration::from_secs(5);

/// Paths of public pages that may be cached (prefixes, besides the home page).
const CACHED_PREFIXES: &[&str] = &["/column/", "/article/", "/search", "/stats"];

struct Entry {
    version: i64,
    stored: Instant,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

#[derive(Default)]
pub struct PageCache {
    entries: Mutex<HashMap<String, Arc<Entry>>>,
    version: AtomicI64,
    /// Milliseconds since `epoch()` of the last read of the shared counter (0 = never).
    checked_ms: AtomicU64,
    views: Mutex<HashMap<String, i64>>,
}

fn epoch() -> Instant {
    static START: OnceLock<Instant> = OnceLock::new();
    *START.get_or_init(Instant::now)
}

fn now_ms() -> u64 {
    epoch().elapsed().as_millis() as u64 + 1
}

/// The request's cache key, when the page is one that may be shared.
fn cache_key(req: &Request) -> Option<String> {
    if req.method() != Method::GET {
        return None;
    }
    let path = req.uri().path();
    if path != "/" && !CACHED_PREFIXES.iter().any(|p| path.starts_with(p)) {
        return None;
    }
    // 长辈版 without JavaScript is rendered from the cookie: that page is the visitor's own.
    let elder = req
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(app::ui::elder::has_elder_cookie);
    let key = req.uri().path_and_query().map(|p| p.as_str())?;
    (!elder && key.len() <= MAX_KEY).then(|| key.to_string())
}

/// The published article a request reads, for the view count.
fn article_id(path: &str) -> Option<&str> {
    path.strip_prefix("/article/")
        .filter(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// A response that every visitor may get: a complete public HTML page.
fn shareable(res: &Response) -> bool {
    let h = res.headers();
    let public = h
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("public"));
    let html = h
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    res.status() == StatusCode::OK && public && html && !h.contains_key(header::SET_COOKIE)
}

impl PageCache {
    /// The shared counter, read from the database when it may have moved.
    async fn current_version(&self, state: &AppState) -> i64 {
        let now = now_ms();
        let checked = self.checked_ms.load(Ordering::Relaxed);
        let recent_local =
            app::server::cache::since_local_change().is_some_and(|d| d < AFTER_LOCAL_CHANGE);
        if checked != 0
            && !recent_local
            && now.saturating_sub(checked) < VERSION_POLL.as_millis() as u64
        {
            return self.version.load(Ordering::Relaxed);
        }
        match app::server::cache::version(&state.db.pool, "portal").await {
            Ok(v) => {
                self.version.store(v, Ordering::Relaxed);
                self.checked_ms.store(now, Ordering::Relaxed);
                v
            }
            // Without the counter nothing cached can be trusted: -1 matches no entry.
            Err(e) => {
                tracing::warn!(error = %e, "portal cache version unreadable");
                -1
            }
        }
    }

    fn get(&self, key: &str, version: i64) -> Option<Arc<Entry>> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(key)
            .filter(|e| e.version == version && e.stored.elapsed() < MAX_AGE)
            .cloned()
    }

    fn put(&self, key: String, entry: Entry) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= MAX_ENTRIES {
            // Searches can make many keys; starting over is cheap and keeps memory bounded.
            entries.clear();
        }
        entries.insert(key, Arc::new(entry));
    }

    fn count_view(&self, public_id: &str) {
        let mut views = self.views.lock().unwrap_or_else(|e| e.into_inner());
        *views.entry(public_id.to_string()).or_default() += 1;
    }

    /// Writes the views counted since the last flush.
    pub async fn flush_views(&self, state: &AppState) {
        let pending: Vec<(String, i64)> = {
            let mut views = self.views.lock().unwrap_or_else(|e| e.into_inner());
            views.drain().collect()
        };
        for (public_id, n) in pending {
            let res = sqlx::query(
                "UPDATE articles SET views = views + $2 \
                 WHERE id = (SELECT article_id FROM article_live WHERE public_id = $1)",
            )
            .bind(&public_id)
            .bind(n)
            .execute(&state.db.pool)
            .await;
            if let Err(e) = res {
                tracing::warn!(error = %e, public_id, "article views not written");
            }
        }
    }

    /// Writes counted views every few seconds, for as long as the router holding the cache lives.
    pub fn spawn_view_writer(self: &Arc<Self>, state: AppState) {
        let cache = Arc::downgrade(self);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(VIEW_FLUSH);
            loop {
                tick.tick().await;
                let Some(cache) = cache.upgrade() else { break };
                cache.flush_views(&state).await;
            }
        });
    }
}

/// The middleware: answers shareable portal pages from the cache, and keeps what it rendered.
pub async fn serve(
    State((state, cache)): State<(AppState, Arc<PageCache>)>,
    req: Request,
    next: Next,
) -> Response {
    if let Some(id) = article_id(req.uri().path()) {
        // The link crawler reads pages too; it is not a reader.
        if req.method() == Method::GET && !req.headers().contains_key(crate::crawl::CRAWLER_HEADER)
        {
            cache.count_view(id);
        }
    }
    let Some(key) = cache_key(&req) else {
        return next.run(req).await;
    };
    let version = cache.current_version(&state).await;
    if let Some(hit) = cache.get(&key, version) {
        let mut res = Response::new(Body::from(hit.body.clone()));
        *res.status_mut() = hit.status;
        *res.headers_mut() = hit.headers.clone();
        return res;
    }
    let res = next.run(req).await;
    if version < 0 || !shareable(&res) {
        return res;
    }
    let (parts, body) = res.into_parts();
    match to_bytes(body, MAX_BODY).await {
        Ok(bytes) => {
            cache.put(
                key,
                Entry {
                    version,
                    stored: Instant::now(),
                    status: parts.status,
                    headers: parts.headers.clone(),
                    body: bytes.clone(),
                },
            );
            Response::from_parts(parts, Body::from(bytes))
        }
        Err(e) => {
            tracing::error!(error = %e, "portal page too large to cache");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(uri: &str, cookie: Option<&str>) -> Request {
        let mut b = http::Request::builder().method(Method::GET).uri(uri);
        if let Some(c) = cookie {
            b = b.header(header::COOKIE, c);
        }
        b.body(Body::empty()).unwrap()
    }

    #[test]
    fn only_public_portal_pages_are_keyed() {
        assert_eq!(cache_key(&get("/", None)).as_deref(), Some("/"));
        assert_eq!(
            cache_key(&get("/search?q=%E5%87%A4%E5%87%B0", None)).as_deref(),
            Some("/search?q=%E5%87%A4%E5%87%B0")
        );
        assert!(cache_key(&get("/column/news?page=2", Some("csrf=x"))).is_some());
        assert!(cache_key(&get("/login", None)).is_none());
        assert!(cache_key(&get("/console/cms", None)).is_none());
        assert!(cache_key(&get("/", Some("a=b; elder=1"))).is_none());
        let mut post = get("/", None);
        *post.method_mut() = Method::POST;
        assert!(cache_key(&post).is_none());
    }

    #[test]
    fn article_ids_are_plain() {
        assert_eq!(article_id("/article/ab12"), Some("ab12"));
        assert_eq!(article_id("/article/"), None);
        assert_eq!(article_id("/article/a/b"), None);
        assert_eq!(article_id("/column/x"), None);
    }
}
