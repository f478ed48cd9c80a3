//! 网站健康检查: what an inspector would fail the site for, each problem with its deadline, before
//! the inspector comes. The same problems are raised as alarms.
use crate::cms::api::{get_health, CheckLinks};
use crate::cms::health::Level;
use crate::cms::model::HealthBoard;
use crate::ui::form::{CsrfField, FormAlert};
use crate::ui::status::await_view;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HealthPage() -> impl IntoView {
    let check = ServerAction::<CheckLinks>::new();
    let data = Resource::new(move || check.version().get(), |_| get_health());
    let error = Signal::derive(move || check.value().get().and_then(Result::err));
    view! {
        <Title text="网站健康检查" />
        <p><a href="/console/cms">"← 返回文章列表"</a></p>
        <div class="page-head">
            <h1>"网站健康检查"</h1>
            <ActionForm action=check attr:class="inline-form">
                <CsrfField />
                <button type="submit" class="button button-secondary">"立即检查链接"</button>
            </ActionForm>
        </div>
        <FormAlert error />
        {move || check.value().get().and_then(Result::ok).map(|_| view! {
            <p class="notice notice-info" role="status">"已安排链接检查，通常一两分钟内完成，请稍后刷新本页查看结果。"</p>
        })}
        {await_view(data, |b: HealthBoard| view! { <Board b /> })}
    }
}

#[component]
fn Board(b: HealthBoard) -> impl IntoView {
    let errors = b
        .problems
        .iter()
        .filter(|p| p.level == Level::Error)
        .count();
    let warnings = b.problems.len() - errors;
    let errors_class = if errors > 0 {
        "stat result-bad"
    } else {
        "stat"
    };
    view! {
        <div class="stats" data-testid="health-summary">
            <div class=errors_class>
                <span class="stat-value">{errors}</span><span class="stat-label">"不合格项"</span>
            </div>
            <div class="stat"><span class="stat-value">{warnings}</span><span class="stat-label">"提醒"</span></div>
            <div class="stat"><span class="stat-value">{b.links_checked}</span><span class="stat-label">"已检查链接"</span></div>
            <div class="stat"><span class="stat-value">{b.links_failing}</span><span class="stat-label">"失效链接"</span></div>
        </div>
        <p class="hint">
            {b.crawled_at.map_or("链接尚未检查。".to_string(), |t| format!("链接最近检查于 {t}。"))}
            {b.rules_text}
        </p>
        {if b.problems.is_empty() {
            view! { <p class="result-good">"未发现问题。"</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="data-table" data-testid="health-problems">
                        <caption class="sr-only">"问题清单"</caption>
                        <thead><tr>
                            <th scope="col">"级别"</th><th scope="col">"对象"</th><th scope="col">"问题"</th><th scope="col">"期限"</th>
                        </tr></thead>
                        <tbody>
                            {b.problems.into_iter().map(|p| view! {
                                <tr>
                                    <td data-label="级别">
                                        <span class=if p.level == Level::Error { "result-bad" } else { "result-warn" }>
                                            {if p.level == Level::Error { "不合格" } else { "提醒" }}
                                        </span>
                                    </td>
                                    <td data-label="对象">{match p.href {
                                        Some(h) => view! { <a href=h>{p.subject}</a> }.into_any(),
                                        None => view! { <span>{p.subject}</span> }.into_any(),
                                    }}</td>
                                    <td data-label="问题">{p.message}</td>
                                    <td data-label="期限">{p.deadline.unwrap_or_else(|| "—".into())}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}
