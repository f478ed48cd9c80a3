//! The public Q&A (`/help/qa`): published consultations, newest first, searchable by a fragment;
//! filters and paging in the URL (works without JavaScript).
use crate::help::api::list_public_qa;
use crate::help::model::PublicQa;
use crate::portal::pages::parts::Breadcrumbs;
use crate::ui::status::await_fetch;
use crate::ui::table::{page_param, param, Pager};
use leptos::prelude::*;
use leptos_meta::Title;

/// Questions and answers as a list of expandable entries.
#[component]
pub fn QaList(items: Vec<PublicQa>) -> impl IntoView {
    view! {
        <ul class="qa-list" data-testid="qa-list">
            {items.into_iter().map(|qa| view! {
                <li>
                    <details>
                        <summary>
                            <span class="tag">{qa.topic.clone()}</span>
                            <span class="qa-question">{qa.question.clone()}</span>
                        </summary>
                        <div class="qa-answer">
                            <p class="small muted">
                                {format!("咨询日期 {} · 答复日期 {}", qa.asked_on, qa.answered_on)}
                                {qa.department.clone().map(|d| format!(" · 答复单位 {d}"))}
                            </p>
                            <p class="pre-line">{qa.answer.clone()}</p>
                        </div>
                    </details>
                </li>
            }).collect_view()}
        </ul>
    }
}

#[component]
pub fn QaPage() -> impl IntoView {
    let (q, page) = (param("q"), page_param());
    view! {
        <Title text="公开问答" />
        <Breadcrumbs trail=vec![("/help".to_string(), "帮助中心".to_string())] here="公开问答".to_string() />
        <section class="panel" aria-labelledby="qa-title">
            <h1 id="qa-title">"公开问答"</h1>
            <p class="hint">"经咨询人同意公开的咨询及答复，个人信息已作脱敏处理。"</p>
            <form method="get" action="/help/qa" class="filters" role="search">
                <label>"关键词"
                    <input name="q" type="search" maxlength="50" value=move || q.get() placeholder="例如：信用修复" />
                </label>
                <button type="submit" class="button">"搜索"</button>
            </form>
            {await_fetch(move || list_public_qa(q.get(), page.get()), move |p| {
                let pages = p.pages();
                if p.rows.is_empty() {
                    return view! { <p class="empty">"没有找到相关的问答。"</p> }.into_any();
                }
                view! {
                    <QaList items=p.rows />
                    <Pager page=p.page pages total=p.total />
                }.into_any()
            })}
            <p><a class="button button-light" href="/help/consult">"没有找到答案？我要咨询"</a></p>
        </section>
    }
}
