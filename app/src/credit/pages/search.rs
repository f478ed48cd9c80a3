//! 信用信息查询: search subjects by name fragment or code, with filters (GET form, no JavaScript needed).
use super::{CountySelect, DateRange, UnitSelect};
use crate::credit::api::credit_search;
use crate::credit::model::{SearchFilters, SearchResults};
use crate::portal::pages::parts::SocialMeta;
use crate::ui::status::await_fetch;
use crate::ui::table::{page_param, param, with_param};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

#[component]
pub fn CreditSearchPage() -> impl IntoView {
    let (q, page) = (param("q"), page_param());
    let (kind, county, unit, record, from, to) = (
        param("kind"),
        param("county"),
        param("unit"),
        param("record"),
        param("from"),
        param("to"),
    );
    let filters = Memo::new(move |_| SearchFilters {
        kind: kind.get(),
        county: county.get(),
        unit: unit.get(),
        record: record.get(),
        from: from.get(),
        to: to.get(),
    });
    view! {
        <Title text="信用信息查询" />
        <SocialMeta title="信用信息查询".to_string() description="按企业名称或统一社会信用代码查询湘西州信用主体的行政许可、行政处罚和红黑名单信息。".to_string() />
        <Meta name="robots" content="noindex" />
        <section class="panel" aria-labelledby="credit-search-title">
            <h1 id="credit-search-title">"信用信息查询"</h1>
            {await_fetch(
                move || credit_search(q.get(), filters.get(), page.get()),
                move |r: SearchResults| view! {
                    <SearchForm q=q.get_untracked() filters=filters.get_untracked() units=r.units.clone() />
                    <Found r />
                },
            )}
        </section>
    }
}

#[component]
fn SearchForm(q: String, filters: SearchFilters, units: Vec<(String, String)>) -> impl IntoView {
    view! {
        <form class="credit-search" method="get" action="/credit" role="search">
            <label for="credit-q">"企业名称或统一社会信用代码"</label>
            <div class="input-row">
                <input id="credit-q" name="q" type="search" maxlength="60" value=q
                    placeholder="例如：凤凰 或 代码后几位" aria-describedby="credit-q-hint" />
                <button type="submit" class="button">"查询"</button>
            </div>
            <p id="credit-q-hint" class="hint">"名称至少输入 2 个字；代码可输入完整的 18 位，也可只输入开头或末尾的 4 位以上。"</p>
            <Filters filters units />
        </form>
    }
}

#[component]
fn Filters(filters: SearchFilters, units: Vec<(String, String)>) -> impl IntoView {
    let open = !filters.is_empty();
    view! {
        <details class="search-filters" open=open>
            <summary>"筛选条件"</summary>
            <div class="filters">
                <label>"主体类别"
                    <select name="kind">
                        {[("", "全部"), ("organisation", "法人及非法人组织"), ("individual_business", "个体工商户")].into_iter()
                            .map(|(v, l)| view! { <option value=v selected=filters.kind == v>{l}</option> }).collect_view()}
                    </select>
                </label>
                <CountySelect selected=filters.county.clone() />
                <label>"信息类别"
                    <select name="record">
                        {[("", "不限"), ("licence", "有行政许可"), ("penalty", "有行政处罚")].into_iter()
                            .map(|(v, l)| view! { <option value=v selected=filters.record == v>{l}</option> }).collect_view()}
                    </select>
                </label>
                <UnitSelect selected=filters.unit.clone() units />
                <DateRange from=filters.from.clone() to=filters.to.clone() />
            </div>
        </details>
    }
}

/// The results below the form (nothing before a query).
#[component]
fn Found(r: SearchResults) -> impl IntoView {
    if r.query.is_empty() {
        return ().into_any();
    }
    view! { <Results r /> }.into_any()
}

#[component]
fn Results(r: SearchResults) -> impl IntoView {
    if let Some(message) = r.message {
        return view! { <p class="notice notice-warning" role="status">{message}</p> }.into_any();
    }
    if r.hits.is_empty() {
        return view! {
            <p class="empty" role="status">{format!("没有找到与“{}”相符的信用主体。请检查名称或代码，或减少筛选条件。", r.query)}</p>
        }
        .into_any();
    }
    let (page, last) = (r.page, r.last_page);
    let prev = (page > 1).then(|| with_param("page", &(page - 1).to_string()));
    let next = (page < last).then(|| with_param("page", &(page + 1).to_string()));
    let more_than_pages = r.capped || r.total > last * r.per_page;
    view! {
        <p role="status" class="search-count">
            {format!("找到 {} 个信用主体", r.total_label)}
            {more_than_pages.then(|| view! { <span class="muted">"（仅显示前 1000 个，请输入更完整的名称）"</span> })}
        </p>
        <ul class="subject-list">
            {r.hits.into_iter().map(|h| view! {
                <li>
                    <a class="subject-name" href=format!("/credit/subject/{}", h.public_id)>
                        {h.highlighted.into_iter().map(|(t, m)| if m {
                            view! { <mark>{t}</mark> }.into_any()
                        } else {
                            view! { <span>{t}</span> }.into_any()
                        }).collect_view()}
                    </a>
                    <div class="record-meta">
                        {(!h.uscc.is_empty()).then(|| view! { <span>{h.uscc}</span> })}
                        <span>{h.kind}</span>
                        {(!h.county.is_empty()).then(|| view! { <span>{h.county}</span> })}
                        {(!h.legal_rep.is_empty()).then(|| view! { <span>{format!("法定代表人：{}", h.legal_rep)}</span> })}
                    </div>
                </li>
            }).collect_view()}
        </ul>
        <nav class="pager" aria-label="分页">
            <span>{format!("第 {page} / {last} 页")}</span>
            {prev.map(|href| view! { <a href=href rel="prev">"上一页"</a> })}
            {next.map(|href| view! { <a href=href rel="next">"下一页"</a> })}
        </nav>
    }
    .into_any()
}
