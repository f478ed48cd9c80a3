//! A column: its sub-columns and its articles, newest first, with pages and an RSS feed. A policy-kind
//! column lists its documents with their filters instead (`policy`).
use super::parts::{ArticleList, Breadcrumbs, SocialMeta};
use super::policy::{self, PolicyList};
use crate::portal::api::{get_column_page, get_policy_page};
use crate::portal::model::{ArticleItem, ColumnPageData, PolicyFilter, PolicyPageData};
use crate::ui::status::await_view;
use crate::ui::table::{page_param, Pager};
use leptos::prelude::*;
use leptos_meta::{Link, Title};
use leptos_router::hooks::use_params_map;

#[component]
pub fn ColumnPage() -> impl IntoView {
    let params = use_params_map();
    let page = page_param();
    let filter = policy::filter_params();
    // One resource for the page: a policy-kind column also loads its document list.
    let data = Resource::new(
        move || {
            (
                params.read().get("code").unwrap_or_default(),
                page.get(),
                filter.get(),
            )
        },
        |(code, page, f)| async move {
            let mut d = get_column_page(code.clone(), page).await?;
            let docs = if d.column.kind == "policy" {
                // The document list replaces the article list (not sent to the browser twice).
                d.articles.rows.clear();
                let PolicyFilter {
                    level,
                    status,
                    issuer,
                    year,
                    q,
                } = f.clone();
                Some((
                    get_policy_page(code, level, status, issuer, year, q, page).await?,
                    f,
                ))
            } else {
                None
            };
            Ok((d, docs))
        },
    );
    view! { {await_view(data, |(d, docs)| view! { <ColumnContent d docs /> })} }
}

#[component]
fn ColumnContent(d: ColumnPageData, docs: Option<(PolicyPageData, PolicyFilter)>) -> impl IntoView {
    let c = d.column;
    let trail: Vec<(String, String)> = d
        .parent
        .iter()
        .map(|p| (p.href(), p.name.clone()))
        .collect();
    let description = if c.description.is_empty() {
        format!("{}的{}栏目", crate::SITE_NAME, c.name)
    } else {
        c.description.clone()
    };
    view! {
        <Title text=c.name.clone() />
        <SocialMeta title=c.name.clone() description=description />
        <Link rel="alternate" type_="application/rss+xml" title=format!("{} RSS", c.name) href=format!("/rss/{}.xml", c.code) />
        <Breadcrumbs trail here=c.name.clone() />
        <section class="panel column-page" aria-labelledby="column-title">
            <div class="column-head">
                <h1 id="column-title">{c.name.clone()}</h1>
                <a class="feed-link" href=format!("/rss/{}.xml", c.code)>"RSS 订阅"</a>
            </div>
            {(!c.description.is_empty()).then(|| view! { <p class="hint">{c.description.clone()}</p> })}
            {(!d.children.is_empty()).then(|| view! {
                <nav class="sub-columns" aria-label="子栏目">
                    <ul>{d.children.iter().map(|s| view! { <li><a href=s.href()>{s.name.clone()}</a></li> }).collect_view()}</ul>
                </nav>
            })}
            {match docs {
                Some((data, filter)) => view! { <PolicyList code=c.code.clone() data filter /> }.into_any(),
                None => view! { <ArticleLines d=d.articles /> }.into_any(),
            }}
        </section>
    }
}

/// One page of the column's articles, newest first.
#[component]
fn ArticleLines(d: crate::paging::Page<ArticleItem>) -> impl IntoView {
    let pages = d.pages();
    let (page, total) = (d.page, d.total);
    view! {
        {if d.rows.is_empty() {
            view! { <p class="empty">"本栏目暂无文章"</p> }.into_any()
        } else {
            view! { <ArticleList items=d.rows with_summary=true /> }.into_any()
        }}
        <Pager page pages total />
    }
}
