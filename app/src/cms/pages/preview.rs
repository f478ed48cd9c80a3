//! 预览: a saved version through the portal's own article component, so editors and reviewers see
//! exactly what readers will see. The page is under /console, so no cache keeps it.
use crate::cms::api::preview_revision;
use crate::portal::pages::article::PublishedArticle;
use crate::ui::status::await_view;
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ArticlePreviewPage() -> impl IntoView {
    let params = use_params_map();
    let key = move || {
        let p = params.read();
        (
            p.get("id").unwrap_or_default(),
            p.get("version")
                .and_then(|v| v.parse::<i64>().ok())
                .unwrap_or(0),
        )
    };
    let data = Resource::new(key, |(id, version)| preview_revision(id, version));
    view! {
        <Meta name="robots" content="noindex" />
        {move || {
            let (id, version) = key();
            view! {
                <div class="notice notice-info preview-banner no-print" role="note">
                    <strong>{format!("预览：第 {version} 版")}</strong>
                    <span>"。这是发布后读者将看到的样子，发布前仅工作人员可见。"</span>
                    <a href=format!("/console/cms/{id}")>"返回编辑"</a>
                </div>
            }
        }}
        {await_view(data, |a| view! { <PublishedArticle a /> })}
    }
}
