//! The FAQ page (常见问题, `/help/faq`): questions managed in the CMS column `faq`, grouped, with a
//! GET search box; each answer opens in a `<details>`, so the page works without JavaScript.
use crate::error::AppError;
use crate::portal::pages::parts::{Breadcrumbs, SocialMeta};
use crate::ui::status::await_view;
use crate::ui::table::param;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

/// One question with its answer (sanitised when it was published).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaqEntry {
    pub public_id: String,
    pub question: String,
    pub answer_html: String,
}

/// Questions sharing a first tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaqGroup {
    pub name: String,
    pub entries: Vec<FaqEntry>,
}

/// The FAQ as the page shows it: every question, or those matching the search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaqData {
    /// The search as used (empty: everything).
    pub q: String,
    pub total: i64,
    pub groups: Vec<FaqGroup>,
}

/// The FAQ, searched by the words of `q` (every word must appear in the question or the answer).
#[server(endpoint = "help/faq")]
pub async fn get_faq(#[server(default)] q: String) -> Result<FaqData, AppError> {
    let state = crate::server::AppState::get()?;
    super::faq_service::faq(&state, &q).await
}

#[component]
pub fn FaqPage() -> impl IntoView {
    let q = param("q");
    let data = Resource::new(move || q.get(), get_faq);
    let description =
        "湘西州公共信用信息平台常见问题：信用查询、双公示、信用修复、异议申诉和信用报告。";
    view! {
        <Title text="常见问题" />
        <SocialMeta title="常见问题".to_string() description=description.to_string() />
        <Breadcrumbs trail=vec![("/help".to_string(), "帮助中心".to_string())] here="常见问题".to_string() />
        <section class="panel faq-page" aria-labelledby="faq-title">
            <h1 id="faq-title">"常见问题"</h1>
            <form class="site-search" method="get" action="/help/faq" role="search">
                <label for="faq-q">"搜索问题"</label>
                <div class="input-row">
                    <input id="faq-q" name="q" type="search" maxlength="60" value=move || q.get()
                        placeholder="例如：信用修复" />
                    <button type="submit" class="button">"搜索"</button>
                </div>
            </form>
            {await_view(data, |f| view! { <FaqList f /> })}
            <p class="hint">"没有找到答案？" <a href="/help/consult">"在线咨询"</a> "，我们在 5 个工作日内答复。"</p>
        </section>
    }
}

#[component]
fn FaqList(f: FaqData) -> impl IntoView {
    let searching = !f.q.is_empty();
    let status = if searching {
        format!("找到 {} 个与“{}”相关的问题", f.total, f.q)
    } else {
        format!("共 {} 个问题", f.total)
    };
    view! {
        <p role="status" data-testid="faq-total">{status}</p>
        {(f.total == 0 && searching).then(|| view! { <p class="empty">"请换一个词再搜，或浏览全部问题。"</p> <p><a href="/help/faq">"查看全部问题"</a></p> })}
        {f.groups.into_iter().map(|g| view! {
            <section class="faq-group" aria-label=g.name.clone()>
                <h2>{g.name.clone()}</h2>
                {g.entries.into_iter().map(|e| view! {
                    <details class="faq-entry" id=format!("q-{}", e.public_id) open=searching>
                        <summary>{e.question}</summary>
                        <div class="faq-answer article-body" inner_html=e.answer_html></div>
                    </details>
                }).collect_view()}
            </section>
        }).collect_view()}
    }
}
