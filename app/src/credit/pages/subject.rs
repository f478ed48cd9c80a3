//! 信用主体页: basic information, then each section in report order with the records on display.
//! Prints cleanly (the print button shows once the page's script runs).
use super::records::{EntryCard, RecordCard};
use crate::credit::api::credit_subject;
use crate::credit::model::{Section, SubjectPage};
use crate::portal::pages::parts::{Breadcrumbs, SocialMeta};
use crate::ui::status::await_fetch;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn CreditSubjectPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    view! { {await_fetch(move || credit_subject(id.get()), |p| view! { <Subject p /> })} }
}

#[component]
fn Subject(p: SubjectPage) -> impl IntoView {
    let b = p.basics;
    let title = b.name.clone();
    let facts: Vec<(&str, String)> = [
        ("统一社会信用代码", b.uscc.clone()),
        ("主体类别", b.kind_label.clone()),
        ("法定代表人", b.legal_rep.clone()),
        ("所在地区", b.county.clone()),
        ("成立日期", b.established_on.clone()),
        ("住所", b.address.clone()),
        ("注册号", b.reg_no.clone()),
        ("组织机构代码", b.org_code.clone()),
        ("证件号码", b.id_masked.clone()),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .collect();
    let nav: Vec<(String, String, usize)> = p
        .sections
        .iter()
        .map(|s| {
            (
                s.code.clone(),
                s.title.clone(),
                s.records.len() + s.entries.len(),
            )
        })
        .collect();
    view! {
        <Title text=title.clone() />
        <SocialMeta title=title.clone() description=format!("{title}的公共信用信息：行政许可、行政处罚、红黑名单、信用承诺。") />
        <Breadcrumbs trail=vec![("/credit".to_string(), "信用信息查询".to_string())] here=title.clone() />
        <article class="panel subject-page" aria-labelledby="subject-title">
            <h1 id="subject-title">{title}</h1>
            <dl class="facts">
                {facts.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
            </dl>
            <p class="muted small">{format!("以下为截至 {} 处于公示期内的信息。超过公示期限、已信用修复或已撤销的信息不再公示。", p.today)}</p>
            <div class="actions no-print">
                <a class="button" href=format!("/credit/subject/{}/report", b.public_id)>"申请信用报告"</a>
                <button type="button" class="button button-light" data-print hidden>"打印本页"</button>
            </div>
            <nav class="section-nav no-print" aria-label="信息分类">
                <ul>
                    {nav.into_iter().map(|(code, t, n)| view! {
                        <li><a href=format!("#{code}")>{format!("{t}（{n}）")}</a></li>
                    }).collect_view()}
                </ul>
            </nav>
        </article>
        {p.sections.into_iter().map(|s| view! { <SectionView s /> }).collect_view()}
    }
}

#[component]
fn SectionView(s: Section) -> impl IntoView {
    let heading = format!("{}-title", s.code);
    let labelled_by = heading.clone();
    let empty = s.is_empty();
    view! {
        <section class="panel credit-section" id=s.code.clone() aria-labelledby=labelled_by>
            <h2 id=heading>{s.title.clone()}</h2>
            {empty.then(|| view! { <p class="empty">"暂无处于公示期内的信息"</p> })}
            <ul class="record-list">
                {s.records.into_iter().map(|r| view! { <li><RecordCard r /></li> }).collect_view()}
                {s.entries.into_iter().map(|e| view! { <li><EntryCard e /></li> }).collect_view()}
            </ul>
        </section>
    }
}
