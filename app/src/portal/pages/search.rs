//! Site search over published articles (GET form, works without JavaScript).
use super::parts::SocialMeta;
use crate::portal::api::site_search;
use crate::portal::model::SearchResults;
use crate::ui::status::await_view;
use crate::ui::table::{page_param, param, Pager};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

#[component]
pub fn SearchPage() -> impl IntoView {
    let (q, page) = (param("q"), page_param());
    let data = Resource::new(move || (q.get(), page.get()), |(q, p)| site_search(q, p));
    view! {
        <Title text="站内搜索" />
        <SocialMeta title="站内搜索".to_string() description="搜索平台发布的信用动态、通知公告和政策法规。".to_string() />
        // Result pages are not worth indexing.
        <Meta name="robots" content="noindex" />
        <section class="panel" aria-labelledby="search-title">
            <h1 id="search-title">"站内搜索"</h1>
            <form class="site-search" method="get" action="/search" role="search">
                <label for="site-q">"关键词"</label>
                <div class="input-row">
                    <input id="site-q" name="q" type="search" maxlength="100" value=move || q.get()
                        placeholder="例如：信用修复" aria-describedby="site-q-hint" />
                    <button type="submit" class="button">"搜索"</button>
                </div>
                <p id="site-q-hint" class="hint">"每个词至少两个字，多个词用空格分开。"</p>
            </form>
            {move || (!q.get().trim().is_empty()).then(|| await_view(data, |r| view! { <Results r /> }))}
        </section>
    }
}

#[component]
fn Results(r: SearchResults) -> impl IntoView {
    let pages = r.results.pages();
    let (page, total) = (r.results.page, r.results.total);
    if total == 0 {
        return view! {
            <p class="empty" role="status">{format!("没有找到与“{}”相关的文章。请换一个词，或检查每个词是否至少两个字。", r.query)}</p>
        }
        .into_any();
    }
    view! {
        <p role="status">{format!("找到 {total} 篇与“{}”相关的文章", r.query)}</p>
        <ul class="article-list search-results">
            {r.results.rows.into_iter().map(|h| view! {
                <li>
                    <div class="article-line">
                        <span class="tag">{h.item.column_name.clone()}</span>
                        <a class="title" href=format!("/article/{}", h.item.public_id)>{h.item.title.clone()}</a>
                        <time>{h.item.published_on.clone()}</time>
                    </div>
                    <p class="article-summary">{h.excerpt}</p>
                </li>
            }).collect_view()}
        </ul>
        <Pager page pages total />
    }
    .into_any()
}
