//! The public 双公示 lists (licences, penalties) and the red, black and watch lists, latest first,
//! and one record's detail page.
use super::records::{record_facts, EntryCard, RecordCard};
use super::{CountySelect, DateRange, UnitSelect};
use crate::credit::api::{credit_list, credit_record};
use crate::credit::model::{ListFilters, ListPage, PublicRecord};
use crate::portal::pages::parts::{Breadcrumbs, SocialMeta};
use crate::rules::division;
use crate::ui::status::await_fetch;
use crate::ui::table::{page_param, param, with_param};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

const LISTS: [(&str, &str); 6] = [
    ("licences", "行政许可"),
    ("penalties", "行政处罚"),
    ("red", "红名单"),
    ("black", "黑名单"),
    ("watch", "重点关注名单"),
    ("commitments", "信用承诺"),
];

#[component]
pub fn CreditListPage() -> impl IntoView {
    let params = use_params_map();
    let list = Memo::new(move |_| params.read().get("list").unwrap_or_default());
    let page = page_param();
    let (q, county, unit, authority, from, to) = (
        param("q"),
        param("county"),
        param("unit"),
        param("authority"),
        param("from"),
        param("to"),
    );
    let (kind, fulfilment) = (param("kind"), param("fulfilment"));
    let filters = Memo::new(move |_| ListFilters {
        q: q.get(),
        county: county.get(),
        unit: unit.get(),
        authority: authority.get(),
        kind: kind.get(),
        fulfilment: fulfilment.get(),
        from: from.get(),
        to: to.get(),
    });
    view! {
        {move || {
            let current = list.get();
            view! {
                <nav class="list-tabs" aria-label="公示名单">
                    <ul>
                        {LISTS.iter().map(|(code, name)| view! {
                            <li><a href=format!("/credit/lists/{code}") aria-current=(current == *code).then_some("page")>{*name}</a></li>
                        }).collect_view()}
                    </ul>
                </nav>
            }
        }}
        {await_fetch(
            move || credit_list(list.get(), filters.get(), page.get()),
            move |p| view! { <ListView p filters=filters.get_untracked() /> },
        )}
    }
}

/// Whether `list` is a 双公示 list (licences, penalties) rather than a red, black or watch list.
fn is_records(list: &str) -> bool {
    list == "licences" || list == "penalties"
}

/// The filter form: a plain GET form, so the filters live in the URL and work without JavaScript.
#[component]
fn ListForm(list: String, filters: ListFilters, units: Vec<(String, String)>) -> impl IntoView {
    let records = is_records(&list);
    let commitments = list == "commitments";
    let (authority_label, date_label) = labels(&list);
    let q_label = if records {
        "名称（至少 2 个字）、统一社会信用代码或文书号"
    } else {
        "名称（至少 2 个字）或统一社会信用代码"
    };
    view! {
        <form class="filters list-filters" method="get" action=format!("/credit/lists/{list}")>
            <label>{q_label}<input type="search" name="q" value=filters.q.clone() maxlength="60" /></label>
            {(!records).then(|| view! {
                <label>{authority_label}<input type="search" name="authority" value=filters.authority.clone() maxlength="60" /></label>
            })}
            {commitments.then(|| view! { <CommitmentSelects kind=filters.kind.clone() fulfilment=filters.fulfilment.clone() /> })}
            <CountySelect selected=filters.county.clone() />
            <UnitSelect selected=filters.unit.clone() units />
            {if records {
                view! { <DateRange from=filters.from.clone() to=filters.to.clone() /> }.into_any()
            } else {
                view! {
                    <label>{format!("{date_label}自")}<input type="date" name="from" value=filters.from.clone() /></label>
                    <label>"至"<input type="date" name="to" value=filters.to.clone() /></label>
                }.into_any()
            }}
            <p class="actions">
                <button type="submit" class="button">"查询"</button>
                <a class="button button-light" href=format!("/credit/lists/{list}")>"重置"</a>
            </p>
        </form>
    }
}

/// The labels of a list's authority and date filters.
fn labels(list: &str) -> (&'static str, &'static str) {
    match list {
        "commitments" => ("受理单位", "承诺日期"),
        "licences" | "penalties" => ("认定单位", "决定日期"),
        _ => ("认定单位", "列入日期"),
    }
}

/// The commitments list's own filters: type and fulfilment (plain selects of a GET form).
#[component]
fn CommitmentSelects(kind: String, fulfilment: String) -> impl IntoView {
    use crate::commitments::rules::{FULFILMENTS, TYPES};
    view! {
        <label>"承诺类型"
            <select name="kind">
                <option value="">"全部"</option>
                {TYPES.iter().map(|k| view! { <option value=*k selected=kind == *k>{*k}</option> }).collect_view()}
            </select>
        </label>
        <label>"履约状态"
            <select name="fulfilment">
                <option value="">"全部"</option>
                {FULFILMENTS.iter().map(|k| view! { <option value=*k selected=fulfilment == *k>{*k}</option> }).collect_view()}
            </select>
        </label>
    }
}

/// The filters in force, in words.
fn active(
    filters: &ListFilters,
    units: &[(String, String)],
    list: &str,
) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let f = filters;
    let (authority_label, date_label) = labels(list);
    if !f.q.trim().is_empty() {
        out.push(("名称或代码", f.q.trim().to_string()));
    }
    if !f.authority.trim().is_empty() {
        out.push((authority_label, f.authority.trim().to_string()));
    }
    if !f.kind.trim().is_empty() {
        out.push(("承诺类型", f.kind.trim().to_string()));
    }
    if !f.fulfilment.trim().is_empty() {
        out.push(("履约状态", f.fulfilment.trim().to_string()));
    }
    if !f.county.is_empty() {
        let name = division::xiangxi_name(&f.county).unwrap_or(f.county.as_str());
        out.push(("所在地区", name.to_string()));
    }
    if !f.unit.is_empty() {
        let name = units
            .iter()
            .find(|(c, _)| *c == f.unit)
            .map_or(f.unit.clone(), |(_, n)| n.clone());
        out.push(("信源单位", name));
    }
    if !(f.from.is_empty() && f.to.is_empty()) {
        out.push((
            date_label,
            format!("{} 至 {}", f.from, f.to).trim().to_string(),
        ));
    }
    out
}

#[component]
fn ListView(p: ListPage, filters: ListFilters) -> impl IntoView {
    let title = p.title.clone();
    let commitments = p.list == "commitments";
    let prev = (p.page > 1).then(|| with_param("page", &(p.page - 1).to_string()));
    let next = p
        .more
        .then(|| with_param("page", &(p.page + 1).to_string()));
    let empty = p.records.is_empty() && p.entries.is_empty();
    let shown = active(&filters, &p.units, &p.list);
    let query = filters.query();
    let download = if query.is_empty() {
        format!("/credit/lists/{}/export.xlsx", p.list)
    } else {
        format!("/credit/lists/{}/export.xlsx?{query}", p.list)
    };
    view! {
        <Title text=title.clone() />
        <SocialMeta title=title.clone() description=format!("湘西州{title}，可按名称、代码、地区、单位和日期查询，按日期由近及远排列。") />
        <section class="panel" aria-labelledby="list-title">
            <h1 id="list-title">{title}</h1>
            {commitments.then(|| view! {
                <p class="list-links">
                    <a class="button" href="/commitments/new">"在线作出信用承诺"</a>
                    " "<a href="/column/commitment">"信用承诺办理指南"</a>
                    <span class="muted small">"　标注“未履约”的承诺即为失信信息。"</span>
                </p>
            })}
            <ListForm list=p.list.clone() filters=filters.clone() units=p.units.clone() />
            {(!shown.is_empty()).then(|| view! {
                <p class="active-filters">"当前条件："
                    {shown.into_iter().map(|(k, v)| view! { <span class="filter-tag">{format!("{k}：{v}")}</span> }).collect_view()}
                    <a href=format!("/credit/lists/{}", p.list)>"清除全部条件"</a>
                </p>
            })}
            {p.message.clone().map(|m| view! { <p class="notice notice-info" role="status">{m}</p> })}
            <p class="list-total" role="status">
                <strong>{p.total_label.clone()}</strong>
                " "<a class="download" href=download download="">"下载本结果（Excel）"</a>
                <span class="muted small">"（单次最多 10,000 条）"</span>
            </p>
            {empty.then(|| view! { <p class="empty">"没有符合条件的公示信息"</p> })}
            <ul class="record-list">
                {p.records.into_iter().map(|r| view! { <li><RecordCard r with_subject=true /></li> }).collect_view()}
                {p.entries.into_iter().map(|e| view! { <li><EntryCard e with_subject=true /></li> }).collect_view()}
            </ul>
            <nav class="pager" aria-label="分页">
                <span>{format!("第 {} 页", p.page)}</span>
                {prev.map(|href| view! { <a href=href rel="prev">"上一页"</a> })}
                {next.map(|href| view! { <a href=href rel="next">"下一页"</a> })}
            </nav>
        </section>
    }
}

#[component]
pub fn CreditRecordPage() -> impl IntoView {
    let params = use_params_map();
    let key = Memo::new(move |_| {
        let p = params.read();
        (
            p.get("kind").unwrap_or_default(),
            p.get("id").unwrap_or_default(),
        )
    });
    view! {
        {await_fetch(
            move || {
                let (kind, id) = key.get();
                credit_record(kind, id)
            },
            |r| view! { <RecordView r /> },
        )}
    }
}

#[component]
fn RecordView(r: PublicRecord) -> impl IntoView {
    let penalty = r.kind == "penalty";
    let (list, list_name) = if penalty {
        ("/credit/lists/penalties", "行政处罚")
    } else {
        ("/credit/lists/licences", "行政许可")
    };
    let title = format!("{}：{}", list_name, r.subject_name);
    let subject = format!("/credit/subject/{}", r.subject_public_id);
    view! {
        <Title text=title.clone() />
        <Breadcrumbs trail=vec![(list.to_string(), list_name.to_string())] here=r.decision_no.clone() />
        <article class="panel" aria-labelledby="record-title">
            <h1 id="record-title">{title}</h1>
            <dl class="facts">
                {record_facts(&r).into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
            </dl>
            <p class="actions"><a class="button button-light" href=subject>"查看该主体的全部信用信息"</a></p>
        </article>
    }
}
