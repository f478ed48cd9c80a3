//! How a public record and a list entry are shown on the subject page, the lists and the record page.
use crate::credit::model::{GenericEntry, PublicRecord};
use leptos::prelude::*;

/// A licence or penalty in brief, linking to its detail page.
#[component]
pub fn RecordCard(r: PublicRecord, #[prop(optional)] with_subject: bool) -> impl IntoView {
    let href = format!("/credit/record/{}/{}", r.kind, r.public_id);
    let label = if with_subject {
        r.subject_name.clone()
    } else {
        r.title.clone()
    };
    view! {
        <div class="record-main">
            <a class="record-subject" href=href>{label}</a>
            <span class="record-category">{r.category.clone()}</span>
        </div>
        <div class="record-meta">
            <span>{r.authority.clone()}</span>
            <span>{r.decision_no.clone()}</span>
            <time datetime=r.decision_date.clone()>{r.decision_date.clone()}</time>
            {(!r.display_until.is_empty()).then(|| view! { <span>{format!("公示至 {}", r.display_until)}</span> })}
            {(!r.valid_to.is_empty()).then(|| view! { <span>{format!("有效期至：{}", r.valid_to)}</span> })}
        </div>
        {(!with_subject && !r.repaired && !r.repair_eligible_from.is_empty()).then(|| repair_line(r.public_id.clone(), r.repair_open, r.repair_eligible_from.clone()))}
        {(!with_subject).then(|| objection_line(r.public_id.clone(), r.objection_open))}
    }
}

/// A record on the subject page: "异议处理中" while an objection is open, else the way to file one
/// (docs/domain.md §11).
fn objection_line(public_id: String, open: bool) -> impl IntoView {
    if open {
        view! { <p class="record-objection" data-testid="objection-open">"异议处理中"</p> }
            .into_any()
    } else {
        view! {
            <p class="record-objection">
                <a href=format!("/objection/apply?record={public_id}")>"提出异议"</a>
            </p>
        }
        .into_any()
    }
}

/// A penalty on the subject page: the way to credit repair, or from when and why not yet (§7, §10).
fn repair_line(public_id: String, open: bool, from: String) -> impl IntoView {
    if open {
        view! {
            <p class="record-repair">
                <a href=format!("/repair/apply?record={public_id}")>"申请信用修复"</a>
            </p>
        }
        .into_any()
    } else {
        view! { <p class="record-repair small muted">{crate::cases::repair::not_yet(&from)}</p> }
            .into_any()
    }
}

/// A list entry, commitment or other record: its fields as a definition list.
#[component]
pub fn EntryCard(e: GenericEntry, #[prop(optional)] with_subject: bool) -> impl IntoView {
    view! {
        <div class="record-main">
            {if with_subject {
                view! { <a class="record-subject" href=format!("/credit/subject/{}", e.subject_public_id)>{e.subject_name.clone()}</a> }.into_any()
            } else {
                view! { <span class="record-subject">{e.class_name.clone()}</span> }.into_any()
            }}
            <time class="record-category" datetime=e.date.clone()>{e.date.clone()}</time>
        </div>
        <dl class="facts small">
            {e.fields.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
        </dl>
    }
}

/// Every public field of a licence or penalty.
pub fn record_facts(r: &PublicRecord) -> Vec<(&'static str, String)> {
    let penalty = r.kind == "penalty";
    [
        ("行政相对人", r.subject_name.clone()),
        ("统一社会信用代码", r.subject_uscc.clone()),
        (
            if penalty {
                "处罚决定书文号"
            } else {
                "许可决定文书号"
            },
            r.decision_no.clone(),
        ),
        (
            if penalty {
                "违法行为类型"
            } else {
                "许可决定文书名称"
            },
            r.title.clone(),
        ),
        (
            if penalty {
                "违法事实"
            } else {
                "许可证书"
            },
            r.detail.clone(),
        ),
        ("处罚依据", r.basis.clone()),
        (
            if penalty {
                "处罚类别"
            } else {
                "许可类别"
            },
            r.category.clone(),
        ),
        (
            if penalty {
                "处罚内容"
            } else {
                "许可内容"
            },
            r.content.clone(),
        ),
        ("罚款金额", r.amount.clone()),
        (
            if penalty {
                "处罚决定日期"
            } else {
                "许可决定日期"
            },
            r.decision_date.clone(),
        ),
        ("有效期自", r.valid_from.clone()),
        ("有效期至", r.valid_to.clone()),
        ("失信严重程度", r.severity.clone()),
        ("公示截止日期", r.display_until.clone()),
        (
            if penalty {
                "处罚机关"
            } else {
                "许可机关"
            },
            r.authority.clone(),
        ),
        ("数据来源单位", r.source_unit.clone()),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .collect()
}
