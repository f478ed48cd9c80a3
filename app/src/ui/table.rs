//! Lists in the browser: pagination links and sortable column headers (the rows come as a
//! `crate::paging::Page`; its SQL side is `server::db::sql`). Filters and paging
//! live in the URL, so every list works without JavaScript and can be bookmarked.
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

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

/// A console list's unit filter (`name="unit"`, a unit's public id; empty = 全部), shown only when the
/// caller may pick among several units.
#[component]
pub fn UnitFilter(
    label: &'static str,
    units: Vec<(String, String)>,
    selected: Memo<String>,
) -> impl IntoView {
    (units.len() > 1).then(|| {
        view! {
            <label>{label}
                <select name="unit">
                    <option value="">"全部"</option>
                    {units.into_iter().map(|(id, name)| {
                        let sel = id.clone();
                        view! { <option value=id selected=move || selected.get() == sel>{name}</option> }
                    }).collect_view()}
                </select>
            </label>
        }
    })
}
