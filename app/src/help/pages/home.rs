//! The help centre's home (`/help`): where to go for answers, and the newest public answers.
use super::qa::QaList;
use crate::help::api::get_help_home;
use crate::portal::pages::parts::Breadcrumbs;
use crate::ui::status::await_fetch;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

/// The entries of the help centre (href, title, what it is for).
pub const ENTRIES: &[(&str, &str, &str)] = &[
    (
        "/help/faq",
        "常见问题",
        "信用查询、修复、异议、报告的常见问答",
    ),
    ("/help/consult", "我要咨询", "在线留言，5 个工作日内答复"),
    ("/help/track", "咨询查询", "凭查询码查看办理进度和答复"),
    ("/help/qa", "公开问答", "已公开的咨询及答复"),
    (
        "/help/training",
        "培训",
        "平台使用、数据报送和信用修复培训的安排与资料",
    ),
    ("/column/guide", "办事指南", "信用修复、异议申诉等办事流程"),
    ("/column/download", "下载", "申请表格和文书下载"),
];

#[component]
pub fn HelpHomePage() -> impl IntoView {
    view! {
        <Title text="帮助中心" />
        <Meta name="description" content="湘西州公共信用信息平台帮助中心：常见问题、在线咨询、咨询查询、公开问答、办事指南和表格下载。" />
        <Breadcrumbs trail=vec![] here="帮助中心".to_string() />
        <section class="panel" aria-labelledby="help-title">
            <h1 id="help-title">"帮助中心"</h1>
            <p class="hint">"查询、修复、异议、报告等信用业务有疑问，可先看常见问题；没有找到答案，请在线咨询，信用办和有关部门将在 5 个工作日内答复。"</p>
            <ul class="help-cards" data-testid="help-entries">
                {ENTRIES.iter().map(|(href, title, text)| view! {
                    <li><a href=*href><strong>{*title}</strong><span>{*text}</span></a></li>
                }).collect_view()}
            </ul>
        </section>
        <section class="panel" aria-labelledby="help-latest">
            <h2 id="help-latest">"最新公开答复"</h2>
            {await_fetch(get_help_home, |home| {
                if home.latest.is_empty() {
                    view! { <p class="empty">"暂无公开的答复。"</p> }.into_any()
                } else {
                    view! {
                        <QaList items=home.latest />
                        <p><a href="/help/qa">"查看全部公开问答"</a></p>
                    }.into_any()
                }
            })}
        </section>
    }
}
