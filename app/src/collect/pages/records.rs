//! 信用记录: find a stored record in one's scope, read it with its full version history (who, when,
//! which fields, from → to), and take it off public view with a reason.
use crate::collect::api::*;
use crate::collect::model::{RecordDetail, RECORD_KINDS};
use crate::rules::date::beijing_minute as bj;
use crate::ui::form::{CsrfField, FormAlert};
use crate::ui::status::await_view;
use crate::ui::table::{page_param, param, Pager};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn RecordsPage() -> impl IntoView {
    let (kind, q, page) = (param("kind"), param("q"), page_param());
    let data = Resource::new(
        move || (kind.get(), q.get(), page.get()),
        |(k, q, p)| search_records(k, q, p),
    );
    view! {
        <Title text="信用记录" />
        <h1>"信用记录"</h1>
        <form class="filters" method="get" role="search" aria-label="查找信用记录">
            <label>"类别"
                <select name="kind">
                    {RECORD_KINDS.iter().map(|(code, label)| view! {
                        <option value=*code selected=move || kind.get() == *code>{*label}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>"决定文书号、主体名称或统一社会信用代码"<input name="q" value=move || q.get() /></label>
            <button type="submit" class="button">"查找"</button>
        </form>
        {await_view(data, |p| {
            if p.rows.is_empty() {
                return view! { <p class="empty">"没有找到符合条件的记录。"</p> }.into_any();
            }
            let pages = p.pages();
            view! {
                <div class="table-wrap">
                    <table class="data-table" data-testid="record-list">
                        <caption class="sr-only">"信用记录"</caption>
                        <thead><tr>
                            <th scope="col">"决定文书号"</th><th scope="col">"主体"</th><th scope="col">"决定日期"</th>
                            <th scope="col">"报送单位"</th><th scope="col">"状态"</th><th scope="col">"版本"</th>
                        </tr></thead>
                        <tbody>
                            {p.rows.into_iter().map(|r| view! {
                                <tr>
                                    <td data-label="决定文书号"><a href=format!("/console/records/{}/{}", r.kind, r.public_id)>{r.decision_no}</a></td>
                                    <td data-label="主体">{r.subject_name}</td>
                                    <td data-label="决定日期">{r.decision_date}</td>
                                    <td data-label="报送单位">{r.unit}</td>
                                    <td data-label="状态">{r.state}</td>
                                    <td data-label="版本">{r.version}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <Pager page=p.page pages total=p.total />
            }.into_any()
        })}
    }
}

#[component]
pub fn RecordPage() -> impl IntoView {
    let params = use_params_map();
    let key = move || {
        let p = params.read();
        (
            p.get("kind").unwrap_or_default(),
            p.get("id").unwrap_or_default(),
        )
    };
    let withdraw = ServerAction::<WithdrawRecord>::new();
    let data = Resource::new(
        move || (key(), withdraw.version().get()),
        |((k, id), _)| get_record(k, id),
    );
    let error = Signal::derive(move || withdraw.value().get().and_then(|r| r.err()));
    view! {
        <Title text="信用记录" />
        <p><a href="/console/records">"← 返回信用记录"</a></p>
        <FormAlert error fields=&["reason"] />
        {await_view(data, move |d| view! { <RecordView d withdraw error /> })}
    }
}

#[component]
fn RecordView(
    d: RecordDetail,
    withdraw: ServerAction<WithdrawRecord>,
    error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    let withdraw_form = d.can_withdraw.then(|| {
        let (kind, id) = (d.kind.clone(), d.public_id.clone());
        view! {
            <section class="panel" aria-labelledby="withdraw-title">
                <h2 id="withdraw-title">"撤下公示"</h2>
                <p class="muted">"决定被撤销或变更时，立即撤下公示。撤下作为新版本记入历史，并写入审计日志。"</p>
                <ActionForm action=withdraw>
                    <CsrfField />
                    <input type="hidden" name="kind" value=kind />
                    <input type="hidden" name="id" value=id />
                    <label for="withdraw-reason">"撤下原因"</label>
                    <textarea id="withdraw-reason" name="reason" rows="2" required aria-describedby="withdraw-error"></textarea>
                    <p id="withdraw-error" class="field-error">{move || crate::ui::form::field_message(&error.get(), "reason")}</p>
                    <button type="submit" class="button" data-testid="withdraw-record">"撤下公示"</button>
                </ActionForm>
            </section>
        }
    });
    view! {
        <h1>{d.title.clone()}</h1>
        <p>{format!("{} · ", d.kind_name)}<strong data-testid="record-state">{d.state.clone()}</strong></p>
        <dl class="facts" data-testid="record-fields">
            {d.fields.iter().map(|(k, v)| view! { <dt>{k.clone()}</dt><dd>{v.clone()}</dd> }).collect_view()}
        </dl>
        {(!d.filled.is_empty()).then(|| view! {
            <p class="small muted">{format!("平台补全的字段：{}", d.filled.iter().map(|(k, s)| format!("{k}（来自{s}）")).collect::<Vec<_>>().join("、"))}</p>
        })}
        {d.can_unmask.then(|| view! { <Originals kind=d.kind.clone() id=d.public_id.clone() /> })}
        {withdraw_form}
        <h2>"版本历史"</h2>
        <ol class="versions" data-testid="version-list">
            {d.versions.into_iter().rev().map(|v| view! {
                <li>
                    <p><strong>{format!("第 {} 版 · {}", v.version, v.action)}</strong>{format!(" · {} · {}", v.actor, bj(&v.at))}
                        {v.batch.map(|b| view! { " · " <a href=format!("/console/collect/batch/{b}")>"来源批次"</a> })}
                    </p>
                    {(!v.reason.is_empty()).then(|| view! { <p>{format!("原因：{}", v.reason)}</p> })}
                    {(!v.changes.is_empty()).then(|| view! {
                        <div class="table-wrap">
                            <table class="data-table">
                                <caption class="sr-only">{format!("第 {} 版的变更", v.version)}</caption>
                                <thead><tr><th scope="col">"字段"</th><th scope="col">"原值"</th><th scope="col">"新值"</th></tr></thead>
                                <tbody>
                                    {v.changes.into_iter().map(|c| view! {
                                        <tr><td data-label="字段">{c.label}</td><td data-label="原值"><del>{c.from}</del></td><td data-label="新值"><ins>{c.to}</ins></td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    })}
                </li>
            }).collect_view()}
        </ol>
    }
}

/// The text as sent of fields whose ID or phone numbers the platform masked: read on request only,
/// and every read is audited.
#[component]
fn Originals(kind: String, id: String) -> impl IntoView {
    let read = ServerAction::<GetRecordOriginals>::new();
    view! {
        <section class="panel" aria-labelledby="originals-title">
            <h2 id="originals-title">"脱敏字段原文"</h2>
            <p class="muted">"公开版本中的身份证号码、手机号码已由平台脱敏。查看原文将记入审计日志，仅用于核查。"</p>
            <ActionForm action=read>
                <CsrfField />
                <input type="hidden" name="kind" value=kind />
                <input type="hidden" name="id" value=id />
                <button type="submit" class="button button-secondary" data-testid="read-originals">"查看原文"</button>
            </ActionForm>
            {move || read.value().get().map(|r| match r {
                Ok(texts) => view! {
                    <dl class="facts" data-testid="originals">
                        {texts.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
                    </dl>
                }.into_any(),
                Err(e) => view! { <p class="field-error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
        </section>
    }
}
