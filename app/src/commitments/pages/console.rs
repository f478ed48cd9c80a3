//! The accepting units' desk (`/console/commitments`): commitments within the caller's scope, filters in
//! the URL, and per commitment the fulfilment verdict (已履约 / 未履约 with a reason). A commitment taken
//! at the counter is entered with the collection form of the `commitment` class.
use crate::auth::model::Me;
use crate::auth::policy::{may, Action as Perm};
use crate::commitments::api::{list_commitments, SetFulfilment};
use crate::commitments::model::{CommitmentRow, ConsoleFilter};
use crate::commitments::rules::{BROKEN, FULFILLED, FULFILMENTS, IN_PROGRESS, TYPES};
use crate::ui::form::{CsrfField, FormAlert};
use crate::ui::status::await_view;
use crate::ui::table::{page_param, param, Pager};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn CommitmentsDeskPage() -> impl IntoView {
    let (q, kind, fulfilment, page) =
        (param("q"), param("kind"), param("fulfilment"), page_param());
    let fulfil = ServerAction::<SetFulfilment>::new();
    let data = Resource::new(
        move || {
            (
                q.get(),
                kind.get(),
                fulfilment.get(),
                page.get(),
                fulfil.version().get(),
            )
        },
        |(q, kind, fulfilment, page, _)| {
            list_commitments(
                ConsoleFilter {
                    q,
                    kind,
                    fulfilment,
                },
                page,
            )
        },
    );
    let error = Signal::derive(move || fulfil.value().get().and_then(|r| r.err()));
    let can_fulfil = use_context::<Me>().is_some_and(|me| may(&me.roles, Perm::CommitmentFulfil));
    let can_enter = use_context::<Me>().is_some_and(|me| may(&me.roles, Perm::DataSubmit));
    view! {
        <Title text="信用承诺" />
        <h1>"信用承诺"</h1>
        <p class="muted">"本单位受理的信用承诺及其履约情况。在线承诺经“数据报送”确认批次后公示；未履约的承诺即作为失信信息公示。"</p>
        {can_enter.then(|| view! {
            <p><a class="button" href="/console/collect/form?class=commitment">"录入窗口承诺"</a></p>
        })}
        <form class="filters" method="get" action="/console/commitments">
            <label>"名称或代码"<input type="search" name="q" value=move || q.get() maxlength="60" /></label>
            <label>"承诺类型"
                <select name="kind">
                    <option value="">"全部"</option>
                    {TYPES.iter().map(|k| view! { <option value=*k selected=move || kind.get() == *k>{*k}</option> }).collect_view()}
                </select>
            </label>
            <label>"履约状态"
                <select name="fulfilment">
                    <option value="">"全部"</option>
                    {FULFILMENTS.iter().map(|k| view! { <option value=*k selected=move || fulfilment.get() == *k>{*k}</option> }).collect_view()}
                </select>
            </label>
            <button type="submit" class="button">"查询"</button>
        </form>
        <FormAlert error fields=&[] />
        {await_view(data, move |l| {
            let pages = l.pages();
            if l.rows.is_empty() {
                return view! { <p class="empty">"没有符合条件的信用承诺。"</p> }.into_any();
            }
            view! {
                <ul class="record-list" data-testid="commitment-list">
                    {l.rows.into_iter().map(|r| view! { <li><Row r can_fulfil fulfil /></li> }).collect_view()}
                </ul>
                <Pager page=l.page pages total=l.total />
            }.into_any()
        })}
    }
}

#[component]
fn Row(r: CommitmentRow, can_fulfil: bool, fulfil: ServerAction<SetFulfilment>) -> impl IntoView {
    let open = r.published && r.fulfilment == IN_PROGRESS;
    let id = r.public_id.clone();
    let reason_id = format!("reason-{}", r.public_id);
    view! {
        <div class="record-main">
            <span class="record-subject">{r.subject_name.clone()}</span>
            <span class="record-category">{r.kind.clone()}</span>
        </div>
        <dl class="facts small">
            <dt>"统一社会信用代码"</dt><dd>{r.subject_uscc.clone()}</dd>
            <dt>"承诺日期"</dt><dd>{r.committed_on.clone()}</dd>
            <dt>"受理单位"</dt><dd>{r.accepting_unit.clone()}</dd>
            <dt>"履约状态"</dt><dd data-testid="fulfilment">{r.fulfilment.clone()}{(r.fulfilment == BROKEN).then_some("（失信信息）")}</dd>
            <dt>"公示"</dt><dd>{if r.published { format!("已公示（第 {} 版）", r.version) } else { "待确认批次".to_string() }}</dd>
            <dt>"承诺内容"</dt><dd>{r.text.clone()}</dd>
            {(!r.contact_masked.is_empty()).then(|| view! { <dt>"联系方式（在线提交）"</dt><dd>{r.contact_masked.clone()}</dd> })}
        </dl>
        {(can_fulfil && open).then(|| view! {
            <ActionForm action=fulfil attr:class="inline-form">
                <CsrfField />
                <input type="hidden" name="id" value=id />
                <label>"履约情况"
                    <select name="fulfilment" required>
                        <option value=FULFILLED>{FULFILLED}</option>
                        <option value=BROKEN>{BROKEN}</option>
                    </select>
                </label>
                <label for=reason_id.clone()>"认定理由"</label>
                <input id=reason_id name="reason" type="text" required maxlength="500" />
                <button type="submit" class="button">"确认"</button>
            </ActionForm>
        })}
    }
}
