//! 省平台推送日志 (`/console/province/push`): each record kind's schedule and counts with 立即推送 and
//! the frequency, the messages filtered by kind, state, day, unit and words, each with its lag against
//! the 7-working-day rule and the province's answer, and the resend of one message or the range.
use crate::province::api::{list_push_log, PushNow, PushResend, SavePushSchedule};
use crate::province::model::{
    action_label, lag_label, state_label, PushFilter, PushKind, PushLog, PushRow, FREQUENCIES,
};
use crate::ui::form::{CsrfField, FormAlert};
use crate::ui::status::await_view;
use crate::ui::table::{page_param, param, Pager, UnitFilter};
use leptos::prelude::*;
use leptos_meta::Title;

pub const PATH: &str = "/console/province/push";
/// The filtered range as a file (one kind), for provinces that take files.
pub const EXPORT_XLSX: &str = "/console/province/push/export.xlsx";
pub const EXPORT_CSV: &str = "/console/province/push/export.csv";

#[component]
pub fn PushLogPage() -> impl IntoView {
    let (kind, state, from, to, unit, q) = (
        param("kind"),
        param("state"),
        param("from"),
        param("to"),
        param("unit"),
        param("q"),
    );
    let page = page_param();
    let filter = Memo::new(move |_| PushFilter {
        kind: kind.get(),
        state: state.get(),
        from: from.get(),
        to: to.get(),
        unit: unit.get(),
        q: q.get(),
    });
    let resend = ServerAction::<PushResend>::new();
    let now = ServerAction::<PushNow>::new();
    let schedule = ServerAction::<SavePushSchedule>::new();
    let data = Resource::new(
        move || {
            (
                filter.get(),
                page.get(),
                resend.version().get() + now.version().get() + schedule.version().get(),
            )
        },
        |(f, page, _)| list_push_log(f, page),
    );
    let error = Signal::derive(move || {
        resend
            .value()
            .get()
            .and_then(|r| r.err())
            .or_else(|| now.value().get().and_then(|r| r.err()))
            .or_else(|| schedule.value().get().and_then(|r| r.err()))
    });
    view! {
        <Title text="省平台推送日志" />
        <h1>"省平台推送日志"</h1>
        <p class="hint">"每条公示记录的新增、更新、更正、撤下和修复，都在变更时写入推送队列，按各类别的推送频率签名推送到湖南省社会信用信息共享平台；失败自动重试，被拒收的消息挂起并显示省平台的答复，更正后可重新推送。时效按“作出决定后7个工作日内”计算。"</p>
        <FormAlert error />
        {move || now.value().get().and_then(|r| r.ok()).map(|lines| view! {
            <div class="notice" role="status" data-testid="push-now-result">
                {if lines.is_empty() { vec!["没有待推送的消息。".to_string()] } else { lines }
                    .into_iter().map(|l| view! { <p>{l}</p> }).collect_view()}
            </div>
        })}
        {move || resend.value().get().and_then(|r| r.ok()).map(|n| view! {
            <p class="notice" role="status" data-testid="resend-result">{format!("已重新排队 {n} 条消息，将按推送计划发送（或点“立即推送”）。")}</p>
        })}
        {await_view(data, move |l| view! {
            <Overview l=l.clone() now schedule />
            <Filters l=l.clone() filter />
            <ResendRange filter=filter.get_untracked() resend total=l.total />
            <MessageTable rows=l.rows.clone() resend />
            <Pager page=l.page pages=((l.total + l.per_page - 1) / l.per_page.max(1)).max(1) total=l.total />
        })}
    }
}

/// The link's state, the lag summary and each kind's schedule.
#[component]
fn Overview(
    l: PushLog,
    now: ServerAction<PushNow>,
    schedule: ServerAction<SavePushSchedule>,
) -> impl IntoView {
    let lag_class = if l.late > 0 {
        "notice notice-error"
    } else if l.due_soon > 0 {
        "notice"
    } else {
        "hint"
    };
    view! {
        {(!l.configured).then(|| view! {
            <p class="notice notice-error" data-testid="push-unconfigured">"未配置省平台地址（APP_PROVINCE_URL）：消息在本平台排队，配置后按计划推送。"</p>
        })}
        <p class=lag_class data-testid="push-lag">
            {format!("待推送的记录中，已超过7个工作日 {} 条，即将超期（5个工作日以上）{} 条。", l.late, l.due_soon)}
            {(l.late > 0).then(|| view! { " " <a href=format!("{PATH}?state=late")>"查看超期记录"</a> })}
        </p>
        <div class="table-wrap">
            <table class="data" data-testid="push-kinds">
                <caption>"各类别的推送计划"</caption>
                <thead><tr><th>"类别"</th><th>"推送频率"</th><th>"下次推送"</th><th>"上次推送"</th><th>"待推送"</th><th>"被拒收"</th><th>"已送达"</th><th>"操作"</th></tr></thead>
                <tbody>
                    {l.kinds.into_iter().map(|k| view! { <KindRow k now schedule /> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn KindRow(
    k: PushKind,
    now: ServerAction<PushNow>,
    schedule: ServerAction<SavePushSchedule>,
) -> impl IntoView {
    let select_id = format!("freq-{}", k.kind);
    let failing = (k.failures > 0).then(|| {
        format!(
            "连续失败 {} 次：{}",
            k.failures,
            k.last_error.clone().unwrap_or_default()
        )
    });
    let (kind, label, frequency) = (k.kind.clone(), k.label.clone(), k.frequency.clone());
    let (kind2, kind3, label2) = (kind.clone(), kind.clone(), label.clone());
    let select_label = format!("{label}的推送频率");
    let push_label = format!("立即推送{label}");
    let idle = k.pending == 0;
    view! {
        <tr data-kind=kind3>
            <th scope="row">{label2}</th>
            <td>
                <ActionForm action=schedule attr:class="inline-form">
                    <CsrfField />
                    <input type="hidden" name="kind" value=kind />
                    <label class="visually-hidden" for=select_id.clone()>{select_label}</label>
                    <select id=select_id name="frequency">
                        {FREQUENCIES.iter().map(|(c, text)| view! {
                            <option value=*c selected=frequency == *c>{*text}</option>
                        }).collect_view()}
                    </select>
                    <button type="submit" class="button button-secondary">"保存"</button>
                </ActionForm>
            </td>
            <td>{k.next_push_at.unwrap_or_else(|| "有消息即推送".into())}</td>
            <td>
                {k.last_run_at.unwrap_or_else(|| "—".into())}
                {failing.map(|f| view! { <br /><span class="result-bad">{f}</span> })}
            </td>
            <td>{k.pending}</td>
            <td>{k.parked}</td>
            <td>{k.sent}</td>
            <td>
                <ActionForm action=now attr:class="inline-form">
                    <CsrfField />
                    <input type="hidden" name="kind" value=kind2 />
                    <button type="submit" class="button" disabled=idle>{push_label}</button>
                </ActionForm>
            </td>
        </tr>
    }
}

#[component]
fn Filters(l: PushLog, filter: Memo<PushFilter>) -> impl IntoView {
    let f = filter.get_untracked();
    let unit = Memo::new(move |_| filter.get().unit);
    view! {
        <form class="filters" method="get" action=PATH>
            <label>"类别"
                <select name="kind">
                    <option value="">"全部"</option>
                    {l.kinds.iter().map(|k| view! {
                        <option value=k.kind.clone() selected=f.kind == k.kind>{k.label.clone()}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>"状态"
                <select name="state">
                    {["", "pending", "late", "parked", "sent"].into_iter().map(|s| view! {
                        <option value=s selected=f.state == s>{if s.is_empty() { "全部" } else { state_label(s) }}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>"变更日期自"<input type="date" name="from" value=f.from.clone() /></label>
            <label>"至"<input type="date" name="to" value=f.to.clone() /></label>
            <UnitFilter label="报送单位" units=l.units.clone() selected=unit />
            <label>"关键词"<input type="search" name="q" value=f.q.clone() placeholder="决定文书号或主体名称" /></label>
            <button type="submit" class="button">"查询"</button>
        </form>
    }
}

/// The filter as hidden fields: plain names for the exports' forms, `filter[…]` for the server
/// function's argument.
#[component]
fn FilterFields(filter: PushFilter, #[prop(optional)] nested: bool) -> impl IntoView {
    let name = move |key: &str| {
        if nested {
            format!("filter[{key}]")
        } else {
            key.to_string()
        }
    };
    [
        ("kind", filter.kind),
        ("state", filter.state),
        ("from", filter.from),
        ("to", filter.to),
        ("unit", filter.unit),
        ("q", filter.q),
    ]
    .into_iter()
    .map(|(key, value)| view! { <input type="hidden" name=name(key) value=value /> })
    .collect_view()
}

/// Resends every parked or sent message of the filtered range; exports the range as a file.
#[component]
fn ResendRange(filter: PushFilter, resend: ServerAction<PushResend>, total: i64) -> impl IntoView {
    let f = filter.clone();
    let export = if f.kind.is_empty() {
        view! { <p class="hint">"选择一个类别后，可把筛选结果导出为该类别的推送文件（XLSX 或 CSV，省平台字段代码）。"</p> }.into_any()
    } else {
        view! {
            <div class="inline-form" data-testid="push-export">
                <form method="post" action=EXPORT_XLSX class="inline-form">
                    <CsrfField />
                    <FilterFields filter=f.clone() />
                    <button type="submit" class="button button-secondary">"导出 XLSX（省平台字段代码）"</button>
                </form>
                <form method="post" action=EXPORT_CSV class="inline-form">
                    <CsrfField />
                    <FilterFields filter=f />
                    <button type="submit" class="button button-secondary">"导出 CSV"</button>
                </form>
            </div>
        }
        .into_any()
    };
    (total > 0).then(|| view! {
        {export}
        <ActionForm action=resend attr:class="inline-form" attr:data-testid="resend-range">
            <CsrfField />
            <input type="hidden" name="id" value="0" />
            <FilterFields filter nested=true />
            <button type="submit" class="button button-secondary">"重新推送筛选结果中已送达或被拒收的消息"</button>
        </ActionForm>
    })
}

#[component]
fn MessageTable(rows: Vec<PushRow>, resend: ServerAction<PushResend>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="empty">"没有符合条件的推送消息。"</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="data" data-testid="push-log">
                <thead><tr><th>"变更时间"</th><th>"类别"</th><th>"记录"</th><th>"版本与变更"</th><th>"报送单位"</th><th>"状态"</th><th>"时效"</th><th>"省平台答复"</th><th>"操作"</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| {
                        let lag = lag_label(r.lag_days, &r.state);
                        let lag_class = match lag { "已超期" | "超期送达" => "result-bad", "即将超期" => "result-warn", _ => "" };
                        let may_resend = r.state != "pending";
                        view! {
                            <tr data-state=r.state.clone()>
                                <td>{r.created_at.clone()}</td>
                                <td>{r.kind_label.clone()}</td>
                                <td>{r.record.clone()}</td>
                                <td>{format!("第{}版 {}", r.version, action_label(&r.action))}</td>
                                <td>{r.unit.clone()}</td>
                                <td>
                                    {state_label(&r.state)}
                                    <span class="small">{format!("（尝试 {} 次{}）", r.attempts, r.sent_at.as_deref().map(|s| format!("，{s} 送达")).unwrap_or_default())}</span>
                                </td>
                                <td class=lag_class>{format!("{} 个工作日，{lag}", r.lag_days)}</td>
                                <td class="small">{r.answer.clone().unwrap_or_default()}</td>
                                <td>
                                    {may_resend.then(|| view! {
                                        <ActionForm action=resend attr:class="inline-form">
                                            <CsrfField />
                                            <input type="hidden" name="id" value=r.id.to_string() />
                                            <button type="submit" class="button button-secondary">"重新推送"</button>
                                        </ActionForm>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
