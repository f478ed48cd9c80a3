//! An article: title, source, date, views, body, attachments, previous and next; prints cleanly.
use super::parts::{Breadcrumbs, SocialMeta};
use crate::portal::api::get_article;
use crate::portal::model::{ArticleItem, ArticleView};
use crate::ui::status::await_view;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ArticlePage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        get_article,
    );
    view! { {await_view(data, |a| view! { <PublishedArticle a /> })} }
}

/// The article as readers see it; the CMS preview shows a saved version through the same component.
#[component]
pub fn PublishedArticle(a: ArticleView) -> impl IntoView {
    let description = if a.summary.is_empty() {
        a.title.clone()
    } else {
        a.summary.clone()
    };
    let column = a.column.clone();
    let neighbour = |label: &'static str, item: Option<ArticleItem>| {
        view! {
            <p>
                <span class="label">{label}</span>
                {match item {
                    Some(i) => view! { <a href=format!("/article/{}", i.public_id)>{i.title}</a> }.into_any(),
                    None => view! { <span class="hint">"没有了"</span> }.into_any(),
                }}
            </p>
        }
    };
    view! {
        <Title text=a.title.clone() />
        <SocialMeta title=a.title.clone() description=description kind="article" />
        <Breadcrumbs trail=vec![(column.href(), column.name.clone())] here="正文".to_string() />
        <article class="panel article" aria-labelledby="article-title">
            <header class="article-head">
                <h1 id="article-title">{a.title.clone()}</h1>
                {(!a.subtitle.is_empty()).then(|| view! { <p class="article-subtitle">{a.subtitle.clone()}</p> })}
                <p class="article-meta">
                    {(!a.source.is_empty()).then(|| view! { <span>"来源：" {a.source.clone()}</span> })}
                    {(!a.author.is_empty()).then(|| view! { <span>"作者：" {a.author.clone()}</span> })}
                    <span>"发布时间：" <time>{a.published_at.clone()}</time></span>
                    <span data-testid="views">{format!("浏览次数：{}", a.views)}</span>
                </p>
                <PrintButton />
            </header>
            {a.cover.clone().map(|file| view! {
                <img class="article-cover" src=format!("/files/{file}") alt=a.cover_alt.clone() loading="lazy" />
            })}
            {a.policy.clone().map(|doc| view! { <super::policy::PolicyDocTable doc /> })}
            <div class="article-body" inner_html=a.body_html.clone()></div>
            {(!a.attachments.is_empty()).then(|| view! {
                <section class="attachments" aria-labelledby="attachments-title">
                    <h2 id="attachments-title">"附件"</h2>
                    <ul>
                        {a.attachments.iter().map(|f| view! {
                            <li>
                                <a href=format!("/files/{}?name={}", f.file, crate::ui::url::encode(&f.name)) download=f.name.clone()>{f.name.clone()}</a>
                                <span class="hint">{format!("（{}）", f.size_text())}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
            })}
            {(!a.tags.is_empty()).then(|| view! {
                <p class="article-tags">"标签：" {a.tags.iter().map(|t| view! { <span class="tag">{t.clone()}</span> }).collect_view()}</p>
            })}
            <nav class="article-neighbours" aria-label="上一篇和下一篇">
                {neighbour("上一篇：", a.prev.clone())}
                {neighbour("下一篇：", a.next.clone())}
            </nav>
        </article>
    }
}

/// 打印 calls the browser's print dialog once the page runs in the browser (hydrated, or the static
/// page script via `data-print`); the print stylesheet leaves only the article. Without JavaScript the
/// browser's own print does the same.
#[component]
fn PrintButton() -> impl IntoView {
    let (ready, set_ready) = signal(false);
    Effect::new(move |_| set_ready.set(true));
    view! {
        <button type="button" class="button no-print" data-print="true" hidden=move || !ready.get()
            on:click=move |_| {
                #[cfg(feature = "hydrate")]
                if let Some(w) = web_sys::window() {
                    let _ = w.print();
                }
            }>
            "打印本页"
        </button>
    }
}
