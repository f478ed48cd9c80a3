//! Pieces several portal pages share: the article list, breadcrumbs and social-card meta tags.
use crate::portal::model::ArticleItem;
use leptos::prelude::*;
use leptos_meta::Meta;

/// A list of articles: title link, column and date; the summary under it when `with_summary`.
#[component]
pub fn ArticleList(
    items: Vec<ArticleItem>,
    #[prop(optional)] with_summary: bool,
    #[prop(optional)] with_column: bool,
) -> impl IntoView {
    view! {
        <ul class="article-list">
            {items.into_iter().map(|a| {
                let summary = (with_summary && !a.summary.is_empty()).then(|| view! { <p class="article-summary">{a.summary.clone()}</p> });
                view! {
                    <li>
                        <div class="article-line">
                            {with_column.then(|| view! { <span class="tag">{a.column_name.clone()}</span> })}
                            <a class="title" href=format!("/article/{}", a.public_id)>{a.title}</a>
                            <time datetime=a.published_on.clone()>{a.published_on.clone()}</time>
                        </div>
                        {summary}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// 首页 › … › here. The last entry is the current page (not a link).
#[component]
pub fn Breadcrumbs(trail: Vec<(String, String)>, here: String) -> impl IntoView {
    view! {
        <nav class="breadcrumbs" aria-label="当前位置">
            <ol>
                <li><a href="/">"首页"</a></li>
                {trail.into_iter().map(|(href, name)| view! { <li><a href=href>{name}</a></li> }).collect_view()}
                <li aria-current="page">{here}</li>
            </ol>
        </nav>
    }
}

/// Open Graph tags, so that a shared link shows the title and summary.
#[component]
pub fn SocialMeta(
    title: String,
    description: String,
    #[prop(optional)] kind: &'static str,
) -> impl IntoView {
    let kind = if kind.is_empty() { "website" } else { kind };
    view! {
        <Meta property="og:site_name" content=crate::SITE_NAME />
        <Meta property="og:type" content=kind />
        <Meta property="og:title" content=title />
        <Meta property="og:description" content=description.clone() />
        <Meta name="description" content=description />
    }
}
