//! Lists: a page of rows with its total, pagination links and sortable column headers. Filters and
//! paging live in the URL, so every list works without JavaScript and can be bookmarked.
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

pub const PER_PAGE: i64 = 20;

/// The highest page a list serves. A page number comes from the URL, anyone's to send: bounded, the
/// `(page - 1) * per_page` offset cannot overflow (a huge `page` was a panic, or a negative OFFSET).
pub const MAX_PAGE: i64 = 100_000;

/// A requested page number made safe for `LIMIT per_page OFFSET (page - 1) * per_page`.
pub fn clamp_page(page: i64) -> i64 {
    page.clamp(1, MAX_PAGE)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub total: i64,
    /// 1-based.
    pub page: i64,
    pub per_page: i64,
}

impl<T> Page<T> {
    pub fn pages(&self) -> i64 {
        ((self.total + self.per_page - 1) / self.per_page).max(1)
    }
}

/// The current query string with one key replaced (and the page reset unless it is the page).
pub fn with_param(key: &str, value: &str) -> String {
    let query = use_query_map().get_untracked();
    let mut pairs: Vec<(String, String)> = query
        .into_iter()
        .filter(|(k, _)| k != key && (key == "page" || k != "page"))
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    if !value.is_empty() {
        pairs.push((key.to_string(), value.to_string()));
    }
    let q: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}={}", super::url::encode(k), super::url::encode(v)))
        .collect();
    if q.is_empty() {
        "?".into()
    } else {
        format!("?{}", q.join("&"))
    }
}

/// A query parameter of the current URL, or "".
pub fn param(key: &'static str) -> Memo<String> {
    let query = use_query_map();
    Memo::new(move |_| query.read().get(key).unwrap_or_default())
}

pub fn page_param() -> Memo<i64> {
    let query = use_query_map();
    Memo::new(move |_| {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse().ok())
            .filter(|p: &i64| *p >= 1)
            .unwrap_or(1)
    })
}

#[component]
pub fn Pager(page: i64, pages: i64, total: i64) -> impl IntoView {
    let prev = (page > 1).then(|| with_param("page", &(page - 1).to_string()));
    let next = (page < pages).then(|| with_param("page", &(page + 1).to_string()));
    view! {
        <nav class="pager" aria-label="分页">
            <span>{format!("共 {total} 条，第 {page} / {pages} 页")}</span>
            {prev.map(|href| view! { <a href=href rel="prev">"上一页"</a> })}
            {next.map(|href| view! { <a href=href rel="next">"下一页"</a> })}
        </nav>
    }
}

/// A column header that sorts by `key` (click again for descending).
#[component]
pub fn SortHeader(key: &'static str, label: &'static str) -> impl IntoView {
    let current = use_query_map()
        .get_untracked()
        .get("sort")
        .unwrap_or_default();
    let (href, state) = if current == key {
        (with_param("sort", &format!("-{key}")), "ascending")
    } else if current == format!("-{key}") {
        (with_param("sort", key), "descending")
    } else {
        (with_param("sort", key), "none")
    };
    view! {
        <th scope="col" aria-sort=state>
            // One text node: an empty adjacent one would not survive into the HTML and breaks hydration.
            <a href=href>{format!("{label}{}", match state { "ascending" => " ▲", "descending" => " ▼", _ => "" })}</a>
        </th>
    }
}

/// Picks a whitelisted ORDER BY clause from a `sort` parameter (`key` or `-key`).
pub fn order_by<'a>(sort: &str, allowed: &[(&str, &'a str)], default: &'a str) -> String {
    let (key, desc) = match sort.strip_prefix('-') {
        Some(k) => (k, true),
        None => (sort, false),
    };
    match allowed.iter().find(|(k, _)| *k == key) {
        Some((_, col)) => format!("{col} {}", if desc { "DESC" } else { "ASC" }),
        None => default.to_string(),
    }
}

/// A LIKE pattern for a user's search text, with `%`, `_` and `\` escaped (use `ESCAPE '\'`).
pub fn like_pattern(text: &str) -> String {
    let escaped: String = text
        .trim()
        .to_lowercase()
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    format!("%{escaped}%")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_by_is_whitelisted() {
        let allowed = [("name", "u.username"), ("at", "u.created_at")];
        assert_eq!(order_by("name", &allowed, "u.id"), "u.username ASC");
        assert_eq!(order_by("-at", &allowed, "u.id"), "u.created_at DESC");
        assert_eq!(order_by("1; DROP TABLE users", &allowed, "u.id"), "u.id");
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like_pattern(" Ab%_ "), "%ab\\%\\_%");
        assert_eq!(like_pattern("x'--"), "%x'--%");
    }
}
