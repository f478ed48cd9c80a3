//! A column: its sub-columns and its articles, newest first, with pages and an RSS feed.
use super::parts::{ArticleList, Breadcrumbs, SocialMeta};
use crate::portal::api::get_column_page;
use crate::portal::model::ColumnPageData;
use crate::ui::status::await_view;
use crate::ui::table::{page_param, Pager};
use leptos::prelude::*;
use leptos_meta::{Link, Title};
use leptos_router::hooks::use_params_map;

#[component]
pub fn ColumnPage() -> impl IntoView {
    let params = use_params_map();
    let page = page_param();
    let data = Resource::new(
        move || (params.read().get("code").unwrap_or_default(), page.get()),
        |(code, page)| get_column_page(code, page),
    );
    view! { {await_view(data, |d| view! { <ColumnContent d /> })} }
}

#[component]
fn ColumnContent(d: ColumnPageData) -> impl IntoView {
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
    let pages = d.articles.pages();
    let (page, total) = (d.articles.page, d.articles.total);
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
            {if d.articles.rows.is_empty() {
                view! { <p class="empty">"本栏目暂无文章"</p> }.into_any()
            } else {
                view! { <ArticleList items=d.articles.rows with_summary=true /> }.into_any()
            }}
            <Pager page pages total />
        </section>
    }
}
