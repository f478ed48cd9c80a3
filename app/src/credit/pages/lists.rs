//! The public 双公示 lists (licences, penalties) and the red, black and watch lists, latest first,
//! and one record's detail page.
use super::records::{record_facts, EntryCard, RecordCard};
use super::{CountySelect, DateRange};
use crate::credit::api::{credit_list, credit_record};
use crate::credit::model::{ListFilters, ListPage, PublicRecord};
use crate::portal::pages::parts::{Breadcrumbs, SocialMeta};
use crate::ui::status::await_fetch;
use crate::ui::table::{page_param, param, with_param};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

const LISTS: [(&str, &str); 5] = [
    ("licences", "行政许可"),
    ("penalties", "行政处罚"),
    ("red", "红名单"),
    ("black", "黑名单"),
    ("watch", "重点关注名单"),
];

#[component]
pub fn CreditListPage() -> impl IntoView {
    let params = use_params_map();
    let list = Memo::new(move |_| params.read().get("list").unwrap_or_default());
    let page = page_param();
    let (q, county, from, to) = (param("q"), param("county"), param("from"), param("to"));
    let filters = Memo::new(move |_| ListFilters {
        q: q.get(),
        county: county.get(),
        unit: String::new(),
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

#[component]
fn ListView(p: ListPage, filters: ListFilters) -> impl IntoView {
    let title = p.title.clone();
    let records = p.list == "licences" || p.list == "penalties";
    let prev = (p.page > 1).then(|| with_param("page", &(p.page - 1).to_string()));
    let next = p
        .more
        .then(|| with_param("page", &(p.page + 1).to_string()));
    let empty = p.records.is_empty() && p.entries.is_empty();
    view! {
        <Title text=title.clone() />
        <SocialMeta title=title.clone() description=format!("湘西州{title}，按决定日期由近及远排列。") />
        <section class="panel" aria-labelledby="list-title">
            <h1 id="list-title">{title}</h1>
            {records.then(|| view! {
                <form class="filters" method="get" action=format!("/credit/lists/{}", p.list)>
                    <label>"名称、代码或文书号（完整）"<input type="search" name="q" value=filters.q.clone() maxlength="60" /></label>
                    <CountySelect selected=filters.county.clone() />
                    <DateRange from=filters.from.clone() to=filters.to.clone() />
                    <button type="submit" class="button">"筛选"</button>
                </form>
            })}
            {empty.then(|| view! { <p class="empty">"暂无公示信息"</p> })}
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
