//! 接口访问日志 (`/console/api-access`, security admin): every request the API keys made — which key,
//! what, when, the answer and how many rows it carried — filtered by key, day and outcome, with each
//! key's totals over the range and the range as XLSX.
use crate::partner::api::list_api_access;
use crate::partner::model::{AccessFilter, AccessPage, SHOWN};
use crate::rules::date::beijing_minute;
use crate::ui::form::CsrfField;
use crate::ui::status::await_view;
use crate::ui::table::param;
use leptos::prelude::*;
use leptos_meta::Title;

pub const PATH: &str = "/console/api-access";
/// The filtered range as XLSX (POST with the filter's fields).
pub const EXPORT_XLSX: &str = "/console/export/api_access.xlsx";

#[component]
pub fn ApiAccessPage() -> impl IntoView {
    let (key, from, to, outcome) = (param("key"), param("from"), param("to"), param("outcome"));
    let filter = Memo::new(move |_| AccessFilter {
        key: key.get(),
        from: from.get(),
        to: to.get(),
        outcome: outcome.get(),
    });
    let data = Resource::new(move || filter.get(), list_api_access);
    view! {
        <Title text="接口访问日志" />
        <h1>"接口访问日志"</h1>
        <p class="hint">"信源单位和智慧办等合作系统凭接口密钥调用平台接口。每次调用都记录密钥、时间、请求、结果和返回条数；超过密钥每分钟请求上限的调用被拒绝（429）。"</p>
        {await_view(data, move |p| view! {
            <Filters p=p.clone() filter=filter.get_untracked() />
            <Usage p=p.clone() />
            <Export filter=filter.get_untracked() />
            <Requests p />
        })}
    }
}

#[component]
fn Filters(p: AccessPage, filter: AccessFilter) -> impl IntoView {
    view! {
        <form class="filters" method="get" action=PATH>
            <label>"密钥"
                <select name="key">
                    <option value="">"全部"</option>
                    {p.keys.iter().map(|(prefix, name)| view! {
                        <option value=prefix.clone() selected=filter.key == *prefix>{format!("{name} xxc_{prefix}")}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>"日期自"<input type="date" name="from" value=filter.from.clone() /></label>
            <label>"至"<input type="date" name="to" value=filter.to.clone() /></label>
            <label>"结果"
                <select name="outcome">
                    <option value="" selected=filter.outcome.is_empty()>"全部"</option>
                    <option value="refused" selected=filter.outcome == "refused">"被拒绝或出错（4xx/5xx）"</option>
                </select>
            </label>
            <button type="submit" class="button">"查询"</button>
        </form>
    }
}

/// Each key's requests, refusals and rows over the range.
#[component]
fn Usage(p: AccessPage) -> impl IntoView {
    if p.usage.is_empty() {
        return view! { <p class="empty">"所选范围内没有接口调用。"</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="data-table" data-testid="api-usage">
                <caption>"各密钥调用统计"</caption>
                <thead><tr>
                    <th scope="col">"密钥"</th><th scope="col">"单位"</th><th scope="col">"调用次数"</th>
                    <th scope="col">"被拒绝或出错"</th><th scope="col">"返回条数"</th>
                </tr></thead>
                <tbody>
                    {p.usage.into_iter().map(|u| view! {
                        <tr>
                            <th scope="row">{format!("{}（xxc_{}）", u.key_name, u.key_prefix)}</th>
                            <td data-label="单位">{u.unit}</td>
                            <td data-label="调用次数">{u.requests}</td>
                            <td data-label="被拒绝或出错">{u.refused}</td>
                            <td data-label="返回条数">{u.rows_out}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn Export(filter: AccessFilter) -> impl IntoView {
    view! {
        <form method="post" action=EXPORT_XLSX class="inline-form" data-testid="api-access-export">
            <CsrfField />
            <input type="hidden" name="key" value=filter.key />
            <input type="hidden" name="from" value=filter.from />
            <input type="hidden" name="to" value=filter.to />
            <input type="hidden" name="outcome" value=filter.outcome />
            <button type="submit" class="button button-secondary">"导出所选范围（XLSX）"</button>
        </form>
    }
}

#[component]
fn Requests(p: AccessPage) -> impl IntoView {
    if p.rows.is_empty() {
        return ().into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="data-table" data-testid="api-access">
                <caption>{format!("最近的调用（最多 {SHOWN} 条；完整记录请导出）")}</caption>
                <thead><tr>
                    <th scope="col">"时间"</th><th scope="col">"密钥"</th><th scope="col">"请求"</th>
                    <th scope="col">"状态码"</th><th scope="col">"返回条数"</th><th scope="col">"来源地址"</th><th scope="col">"耗时"</th>
                </tr></thead>
                <tbody>
                    {p.rows.into_iter().map(|r| {
                        let bad = r.status >= 400;
                        view! {
                            <tr>
                                <td data-label="时间">{beijing_minute(&r.at)}</td>
                                <td data-label="密钥">{format!("{}（xxc_{}）", r.key_name, r.key_prefix)}</td>
                                <td data-label="请求"><code>{format!("{} {}", r.method, r.path)}</code></td>
                                <td data-label="状态码" class:result-bad=bad>{r.status}</td>
                                <td data-label="返回条数">{r.rows_out}</td>
                                <td data-label="来源地址">{r.ip}</td>
                                <td data-label="耗时">{if r.millis < 0 { "—".to_string() } else { format!("{} 毫秒", r.millis) }}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
