//! The console's case desk (`/console/cases`, `/console/cases/{id}`): the list with its filters (in the
//! URL; open cases first, the most urgent first) and one case — facts, materials, history and the
//! moves the caller may make, each a button with its text field.
use crate::cases::api::{get_case, list_cases, MoveCase, SuspendDisplay};
use crate::cases::flow::all_states;
use crate::cases::model::{CaseDetail, CaseFilter, MoveOption};
use crate::ui::form::{CsrfField, FormAlert};
use crate::ui::status::await_view;
use crate::ui::table::{page_param, param, Pager, UnitFilter};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

fn standing_label(s: &str) -> &'static str {
    match s {
        "overdue" => "已逾期",
        "due_soon" => "即将到期",
        "paused" => "待补正（暂停计时）",
        "closed" => "已办结",
        _ => "正常",
    }
}

/// The credit office sets the deadlines (the link shows to it only; the server checks anyway).
fn may_assign() -> bool {
    use_context::<crate::auth::model::Me>().is_some_and(|me| {
        crate::auth::policy::may(&me.roles, crate::auth::policy::Action::CaseAssign)
    })
}

#[component]
pub fn CasesPage() -> impl IntoView {
    let (kind, state, unit, page) = (param("kind"), param("state"), param("unit"), page_param());
    let data = Resource::new(
        move || (kind.get(), state.get(), unit.get(), page.get()),
        |(kind, state, unit, page)| list_cases(CaseFilter { kind, state, unit }, page),
    );
    view! {
        <Title text="信用修复与异议办件" />
        <h1>"办件（信用修复、异议申诉、投诉）"</h1>
        <p class="small no-print">
            <a href="/console/cases/stats" data-testid="case-stats-link">"办件统计"</a>
            {may_assign().then(|| view! { " · " <a href="/console/cases/deadlines">"办理期限设置"</a> })}
        </p>
        {may_assign().then(|| view! { <super::entry::EntryForm /> })}
        {await_view(data, move |l| {
            let pages = ((l.total + l.per_page - 1) / l.per_page.max(1)).max(1);
            view! {
                <form class="filters" method="get" action="/console/cases">
                    <super::KindFilter kind />
                    <label>"状态"
                        <select name="state">
                            <option value="">"全部"</option>
                            {std::iter::once(("open", "未办结")).chain(all_states()).map(|(v, t)| view! {
                                <option value=v selected=move || state.get() == v>{t}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <UnitFilter label="承办单位" units=l.units.clone() selected=unit />
                    <button type="submit" class="button">"查询"</button>
                </form>
                {if l.rows.is_empty() {
                    view! { <p class="empty">"没有符合条件的办件。"</p> }.into_any()
                } else {
                    view! {
                        <div class="table-wrap">
                            <table class="data" data-testid="case-list">
                                <thead><tr><th>"查询码"</th><th>"类型"</th><th>"主体"</th><th>"状态"</th><th>"承办单位"</th><th>"提交日期"</th><th>"期限"</th></tr></thead>
                                <tbody>
                                    {l.rows.into_iter().map(|r| {
                                        let late = r.standing == "overdue";
                                        view! {
                                            <tr class:overdue=late>
                                                <td><a href=format!("/console/cases/{}", r.public_id)>{r.tracking_code}</a></td>
                                                <td>{r.kind_label}</td>
                                                <td>{r.subject_name}</td>
                                                <td>{r.state_label}</td>
                                                <td>{r.department.unwrap_or_else(|| "—".into())}</td>
                                                <td>{r.submitted_on}</td>
                                                <td>{r.next_due.unwrap_or_else(|| "—".into())}" "
                                                    <span class=if late { "result-bad" } else { "" }>{standing_label(&r.standing)}</span></td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <Pager page=l.page pages total=l.total />
                    }.into_any()
                }}
            }
        })}
    }
}

#[component]
pub fn CaseDeskPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let act = ServerAction::<MoveCase>::new();
    let data = Resource::new(
        move || (id.get(), act.version().get()),
        |(id, _)| get_case(id),
    );
    let error = Signal::derive(move || act.value().get().and_then(|r| r.err()));
    view! {
        <Title text="办件办理" />
        <p class="small"><a href="/console/cases">"← 返回办件列表"</a></p>
        <FormAlert error=error fields=&[] />
        {await_view(data, move |c| view! { <CaseView c act /> })}
    }
}

#[component]
fn CaseView(c: CaseDetail, act: ServerAction<MoveCase>) -> impl IntoView {
    let id = c.row.public_id.clone();
    let units = c.units.clone();
    view! {
        <h1>{format!("{} {}", c.row.kind_label, c.row.tracking_code)}</h1>
        <dl class="facts" data-testid="case-facts">
            <dt>"状态"</dt><dd data-testid="case-state">{c.row.state_label.clone()}</dd>
            <dt>"主体"</dt><dd>{format!("{}（{}）", c.row.subject_name, c.subject_uscc)}</dd>
            <dt>"来源渠道"</dt><dd>{c.channel_label.clone()}</dd>
            {(!c.record_public_id.is_empty()).then(|| view! {
                <dt>"涉及信息"</dt>
                <dd>
                    <a href=format!("/console/records/{}/{}", c.record_kind, c.record_public_id)>{c.record_public_id.clone()}</a>
                    {c.record_suspended.then(|| view! { " " <span class="badge" data-testid="case-suspended">"已暂停公示"</span> })}
                </dd>
            })}
            {(!c.ground_label.is_empty()).then(|| view! { <dt>"异议理由"</dt><dd>{c.ground_label.clone()}</dd> })}
            <dt>"承办单位"</dt><dd>{c.row.department.clone().unwrap_or_else(|| "—".into())}</dd>
            <dt>"申请人"</dt><dd>{format!("{}（{}）{}", c.applicant_name, c.contact_masked, if c.by_agent { "，代理人申请" } else { "" })}</dd>
            <dt>"提交日期"</dt><dd>{c.row.submitted_on.clone()}</dd>
            <dt>"本环节期限"</dt><dd>{c.step_due_on.clone().unwrap_or_else(|| "—".into())}</dd>
            <dt>"结果告知期限"</dt><dd>{c.result_due_on.clone().unwrap_or_else(|| "—".into())}</dd>
            <dt>"期限状态"</dt><dd>{standing_label(&c.row.standing)}</dd>
            {c.paused_since.clone().map(|p| view! { <dt>"暂停计时"</dt><dd>{format!("自 {p} 起等待申请人补正")}</dd> })}
            {(c.paused_days > 0).then(|| view! { <dt>"已暂停"</dt><dd>{format!("{} 个工作日", c.paused_days)}</dd> })}
            {c.extend_reason.clone().map(|r| view! { <dt>"延期理由"</dt><dd>{r}</dd> })}
            {(!c.certificate_no.is_empty()).then(|| view! { <dt>"培训证书"</dt><dd>{c.certificate_no.clone()}</dd> })}
        </dl>
        {(!c.description.is_empty()).then(|| view! {
            <h2>"情况说明"</h2>
            <p class="pre-line" data-testid="case-description">{c.description.clone()}</p>
        })}
        {c.can_suspend.then(|| view! { <SuspendForm id=id.clone() suspended=c.record_suspended /> })}
        {c.correct_href.clone().map(|href| view! {
            <p class="notice" data-testid="case-correct">
                "信息确有错误的，由认定单位通过"<a href=href>"数据报送"</a>"更正（形成新版本并重新公示），再办理“核实完毕”。"
            </p>
        })}
        {(!c.commitment.is_empty()).then(|| view! {
            <details><summary>"信用修复承诺（申请人已勾选同意）"</summary><p class="pre-line">{c.commitment.clone()}</p></details>
        })}
        <h2>"申请材料"</h2>
        <ul data-testid="case-files">
            {c.files.into_iter().map(|f| view! {
                <li>{f.purpose_label}"："<a href=f.href download>{f.name}</a>{format!("（{} KB）", (f.size + 1023) / 1024)}</li>
            }).collect_view()}
        </ul>
        <h2>"办理记录"</h2>
        <ol class="timeline" data-testid="case-steps">
            {c.steps.into_iter().map(|s| view! {
                <li>
                    <p><strong>{s.label}</strong>" → "{s.to_label}</p>
                    <p class="small muted">{format!("{} · {}", s.at, s.actor)}</p>
                    {(!s.text.is_empty()).then(|| view! { <p class="pre-line">{s.text}</p> })}
                </li>
            }).collect_view()}
        </ol>
        {(!c.moves.is_empty()).then(|| view! {
            <h2>"办理"</h2>
            <div class="case-moves">
                {c.moves.into_iter().map(|m| view! { <MoveForm id=id.clone() m units=units.clone() act /> }).collect_view()}
            </div>
        })}
    }
}

/// The operator suspends (or resumes) the public display of the record of an open objection.
#[component]
fn SuspendForm(id: String, suspended: bool) -> impl IntoView {
    let act = ServerAction::<SuspendDisplay>::new();
    let error = Signal::derive(move || act.value().get().and_then(|r| r.err()));
    // After a change the page shows the new state (the facts above reload with the next visit).
    let now_suspended = Signal::derive(move || match act.value().get() {
        Some(Ok(())) => !suspended,
        _ => suspended,
    });
    view! {
        <ActionForm action=act attr:class="panel move-form" attr:data-testid="suspend-form">
            <CsrfField />
            <input type="hidden" name="id" value=id />
            <input type="hidden" name="on" value=move || (!now_suspended.get()).to_string() />
            <p>{move || if now_suspended.get() {
                "该信息已暂停公示，异议办结时自动恢复。"
            } else {
                "异议办理期间，可暂停公示该信息（网站、查询、名单、报告同时生效）。"
            }}</p>
            <FormAlert error=error fields=&[] />
            <button type="submit" class="button button-secondary">
                {move || if now_suspended.get() { "恢复公示" } else { "暂停公示" }}
            </button>
        </ActionForm>
    }
}

#[component]
fn MoveForm(
    id: String,
    m: MoveOption,
    units: Vec<(String, String)>,
    act: ServerAction<MoveCase>,
) -> impl IntoView {
    let text_id = format!("move-text-{}", m.code);
    let unit_id = format!("move-unit-{}", m.code);
    let (code, data_move) = (m.code.clone(), m.code.clone());
    view! {
        <ActionForm action=act attr:class="panel move-form" attr:data-move=data_move>
            <CsrfField />
            <input type="hidden" name="id" value=id />
            <input type="hidden" name="code" value=code />
            {m.picks_unit.then(|| view! {
                <label for=unit_id.clone()>"承办单位"</label>
                <select id=unit_id name="unit">
                    <option value="">"（信息来源单位）"</option>
                    {units.into_iter().map(|(v, n)| view! { <option value=v>{n}</option> }).collect_view()}
                </select>
            })}
            <label for=text_id.clone()>{if m.needs_text { "理由或说明（必填）" } else { "说明（选填）" }}</label>
            <textarea id=text_id name="text" rows="2" maxlength="2000" required=m.needs_text></textarea>
            <button type="submit" class="button">{m.label.clone()}</button>
        </ActionForm>
    }
}
