//! 政策法规 as documents: the policy column's list with its filters (a GET form, so it works
//! without JavaScript and every filtered list has its own address), and the document table of a
//! policy article.
use crate::portal::model::{PolicyFilter, PolicyPageData, PolicyRow};
use crate::rules::policy_doc::{level_label, status_label, PolicyDoc, LEVELS, STATUSES};
use crate::ui::table::{param, Pager};
use leptos::prelude::*;

/// The list's filters as they stand in the URL.
pub fn filter_params() -> Memo<PolicyFilter> {
    let (level, status, issuer, year, q) = (
        param("level"),
        param("status"),
        param("issuer"),
        param("year"),
        param("q"),
    );
    Memo::new(move |_| PolicyFilter {
        level: level.get(),
        status: status.get(),
        issuer: issuer.get(),
        year: year.get(),
        q: q.get(),
    })
}

/// The filter form and one page of documents.
#[component]
pub fn PolicyList(code: String, data: PolicyPageData, filter: PolicyFilter) -> impl IntoView {
    let pages = data.rows.pages();
    let (page, total) = (data.rows.page, data.rows.total);
    let filtered = filter != PolicyFilter::default();
    view! {
        <PolicyFilters code=code.clone() filter issuers=data.issuers years=data.years />
        <p role="status" class="hint" data-testid="policy-total">
            {if filtered { format!("符合条件的文件共 {total} 件") } else { format!("共 {total} 件文件") }}
        </p>
        {if data.rows.rows.is_empty() {
            view! { <p class="empty">{if filtered { "没有符合条件的文件，请放宽筛选条件。" } else { "本栏目暂无文件" }}</p> }.into_any()
        } else {
            view! {
                <ul class="policy-list" data-testid="policy-list">
                    {data.rows.rows.into_iter().map(|r| view! { <li><PolicyItem r /></li> }).collect_view()}
                </ul>
            }.into_any()
        }}
        <Pager page pages total />
    }
}

/// A `<select>` of (value, label) choices with "全部" first.
fn choice(
    (id, name): (&'static str, &'static str),
    label: &'static str,
    selected: &str,
    options: Vec<(String, String)>,
) -> impl IntoView {
    let selected = selected.to_string();
    view! {
        <label for=id>{label}
            <select id=id name=name>
                <option value="">"全部"</option>
                {options.into_iter().map(|(value, text)| {
                    let on = value == selected;
                    view! { <option value=value selected=on>{text}</option> }
                }).collect_view()}
            </select>
        </label>
    }
}

#[component]
fn PolicyFilters(
    code: String,
    filter: PolicyFilter,
    issuers: Vec<String>,
    years: Vec<String>,
) -> impl IntoView {
    let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
        list.iter()
            .map(|(c, l)| (c.to_string(), l.to_string()))
            .collect()
    };
    let same = |list: Vec<String>| -> Vec<(String, String)> {
        list.into_iter().map(|v| (v.clone(), v)).collect()
    };
    let action = format!("/column/{code}");
    let clear = action.clone();
    view! {
        <form class="filters policy-filters" method="get" action=action role="search" aria-label="筛选政策文件">
            <label for="p-q">"标题或文号"
                <input id="p-q" type="search" name="q" maxlength="60" value=filter.q.clone() placeholder="例如：信用修复、国发" />
            </label>
            {choice(("p-level", "level"), "层级", &filter.level, pairs(&LEVELS))}
            {choice(("p-status", "status"), "效力状态", &filter.status, pairs(&STATUSES))}
            {choice(("p-issuer", "issuer"), "发文机关", &filter.issuer, same(issuers))}
            {choice(("p-year", "year"), "成文年份", &filter.year, same(years))}
            <button type="submit" class="button">"筛选"</button>
            <a class="button button-secondary" href=clear>"清除条件"</a>
        </form>
    }
}

/// One document: title, then 文号, issuing body, level and dates, and its status.
#[component]
fn PolicyItem(r: PolicyRow) -> impl IntoView {
    let d = r.doc;
    let dash = |s: &str| {
        if s.is_empty() {
            "—".to_string()
        } else {
            s.to_string()
        }
    };
    view! {
        <div class="policy-head">
            <a class="title" href=format!("/article/{}", r.public_id)>{r.title}</a>
            <StatusBadge status=d.status.clone() />
        </div>
        <dl class="policy-meta">
            <div><dt>"文号"</dt><dd>{dash(&d.number)}</dd></div>
            <div><dt>"发文机关"</dt><dd>{dash(&d.issuer)}</dd></div>
            <div><dt>"层级"</dt><dd>{dash(level_label(&d.level))}</dd></div>
            <div><dt>"成文日期"</dt><dd>{if d.issued_on.is_empty() { r.published_on } else { d.issued_on }}</dd></div>
            {(!d.effective_on.is_empty()).then(|| view! { <div><dt>"施行日期"</dt><dd>{d.effective_on.clone()}</dd></div> })}
        </dl>
    }
}

/// 有效 / 已修订 / 已废止, nothing for an article without document fields.
#[component]
fn StatusBadge(status: String) -> impl IntoView {
    let label = status_label(&status);
    (!label.is_empty()).then(
        || view! { <span class=format!("badge doc-status doc-status-{status}")>{label}</span> },
    )
}

/// The document fields of a policy article, as a small table above its text.
#[component]
pub fn PolicyDocTable(doc: PolicyDoc) -> impl IntoView {
    let rows: Vec<(&str, String)> = [
        ("发文机关", doc.issuer.clone()),
        ("文号", doc.number.clone()),
        ("层级", level_label(&doc.level).to_string()),
        ("成文日期", doc.issued_on.clone()),
        ("施行日期", doc.effective_on.clone()),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .collect();
    view! {
        <table class="doc-facts" data-testid="policy-doc">
            <caption>"文件信息"</caption>
            <tbody>
                {rows.into_iter().map(|(k, v)| view! { <tr><th scope="row">{k}</th><td>{v}</td></tr> }).collect_view()}
                <tr><th scope="row">"效力状态"</th><td><StatusBadge status=doc.status.clone() /></td></tr>
            </tbody>
        </table>
    }
}
