//! 联合奖惩核查 in the console: check a subject for a matter (`/console/joint/check`), the check log
//! (`/console/joint/checks`) and one check with its feedback (`/console/joint/checks/:id`).
use super::batch::BatchForm;
use crate::auth::policy::{may, Action};
use crate::joint::api::{check_form, get_check, list_checks, GiveFeedback, RunCheck};
use crate::joint::model::{CheckFilter, CheckHit, CheckLogRow, CheckMeasure, CheckView};
use crate::ui::form::{CsrfField, FormAlert};
use crate::ui::status::await_view;
use crate::ui::table::{page_param, param, Pager, UnitFilter};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// A check's feedback state as the log shows it.
pub fn state_label(state: &str) -> &'static str {
    match state {
        "none" => "未命中",
        "awaiting" => "待反馈",
        "overdue" => "逾期未反馈",
        "applied" => "已采取措施",
        "not_applied" => "未采取措施",
        _ => "—",
    }
}

fn channel_label(channel: &str) -> &'static str {
    match channel {
        "console" => "控制台",
        "api" => "接口",
        "embed" => "嵌入页面",
        "batch" => "批量核查",
        _ => "—",
    }
}

fn may_feedback() -> bool {
    use_context::<crate::auth::model::Me>().is_some_and(|me| may(&me.roles, Action::CheckFeedback))
}

#[component]
pub fn CheckPage() -> impl IntoView {
    let matters = Resource::new(|| (), |_| check_form());
    let run = ServerAction::<RunCheck>::new();
    let error = Signal::derive(move || run.value().get().and_then(|r| r.err()));
    let (preset, error_text) = (param("matter"), param("error"));
    view! {
        <Title text="联合奖惩核查" />
        <h1>"联合奖惩核查"</h1>
        <p class="hint">"办理事项时，输入办事主体的统一社会信用代码、单位名称或公民身份号码，核查其是否在有效的红名单、黑名单或重点关注名单中，并得到本事项应采取的激励或惩戒措施。核查记录留存备查；命中名单的，请在规定期限内反馈措施采取情况。"</p>
        <p class="small"><a href="/console/joint/checks">"核查记录与反馈 →"</a>" · "<a href="/console/joint/embed">"在本单位系统中嵌入核查 →"</a></p>
        {await_view(matters, move |list| {
            if list.is_empty() {
                return view! { <p class="empty" data-testid="no-matters">"本单位还没有办理事项：请联系信用办在“办理事项”中登记并关联措施后再核查。"</p> }.into_any();
            }
            let batch_matters = list.clone();
            view! {
                <ActionForm action=run attr:class="stack panel" attr:data-testid="check-form">
                    <CsrfField />
                    <label for="ck-matter">"办理事项"</label>
                    <select id="ck-matter" name="matter" required>
                        {list.iter().map(|m| {
                            let code = m.code.clone();
                            let sel = code.clone();
                            view! { <option value=code selected=move || preset.get() == sel>{format!("{}（{}）", m.name, m.department)}</option> }
                        }).collect_view()}
                    </select>
                    <label for="ck-kind">"核查对象类型"</label>
                    <select id="ck-kind" name="kind">
                        <option value="auto">"自动识别"</option>
                        <option value="uscc">"统一社会信用代码"</option>
                        <option value="name">"单位名称"</option>
                        <option value="id_number">"公民身份号码"</option>
                    </select>
                    <label for="ck-subject">"核查对象"</label>
                    <input id="ck-subject" name="subject" type="text" required maxlength="100" autocomplete="off"
                        placeholder="统一社会信用代码、单位名称或公民身份号码" />
                    <button type="submit" class="button">"核查"</button>
                </ActionForm>
                <FormAlert error />
                {move || run.value().get().and_then(Result::ok).map(|v| view! { <CheckResult view=v /> })}
                <BatchForm matters=batch_matters />
            }
            .into_any()
        })}
        {move || (!error_text.get().is_empty()).then(|| view! {
            <div class="notice notice-error" role="alert" data-testid="batch-error"><p class="pre-line">{error_text.get()}</p></div>
        })}
    }
}

/// A check's answer: hits, measures, and the feedback (given, or the form).
#[component]
fn CheckResult(view: CheckView) -> impl IntoView {
    let hit = !view.hits.is_empty();
    let summary = if hit {
        format!("命中 {} 条名单记录，请按下列措施办理。", view.hits.len())
    } else {
        "未发现该主体在有效的红名单、黑名单或重点关注名单中，可按正常程序办理。".to_string()
    };
    let subject = if view.subject_name.is_empty() || view.subject_name == view.subject_shown {
        view.subject_shown.clone()
    } else {
        format!("{}（{}）", view.subject_shown, view.subject_name)
    };
    view! {
        <section class="panel" aria-labelledby="check-result-h" data-testid="check-result" data-hits=view.hits.len()>
            <h2 id="check-result-h">"核查结果"</h2>
            <dl class="facts">
                <dt>"核查对象"</dt><dd>{subject}</dd>
                <dt>"办理事项"</dt><dd>{format!("{}（{}）", view.matter_name, view.matter_code)}</dd>
                <dt>"核查时间"</dt><dd>{format!("{}，{}，{}", view.checked_at, view.checked_by, channel_label(&view.channel))}</dd>
                <dt>"核查编号"</dt><dd><a href=format!("/console/joint/checks/{}", view.public_id)>{view.public_id.clone()}</a></dd>
            </dl>
            <p class=if hit { "notice notice-error" } else { "notice notice-success" } role="status">{summary}</p>
            {hit.then(|| view! { <HitTable hits=view.hits.clone() /> })}
            {(!view.measures.is_empty()).then(|| view! { <MeasureTable measures=view.measures.clone() /> })}
            {(hit && view.measures.is_empty()).then(|| view! {
                <p class="hint">"本事项尚未关联针对该名单的措施：请依据名单的认定依据办理，并联系信用办补充事项措施。"</p>
            })}
            <FeedbackPart view=view.clone() />
        </section>
    }
}

#[component]
fn HitTable(hits: Vec<CheckHit>) -> impl IntoView {
    view! {
        <h3>"命中的名单"</h3>
        <div class="table-wrap">
            <table class="data" data-testid="check-hits">
                <thead><tr><th>"名单"</th><th>"主体"</th><th>"认定单位"</th><th>"认定依据"</th><th>"列入日期"</th><th>"移出日期"</th></tr></thead>
                <tbody>
                    {hits.into_iter().map(|h| view! {
                        <tr data-list=h.list.clone()>
                            <td>{h.list_label}</td>
                            <td>{h.subject_name}</td>
                            <td>{h.authority}</td>
                            <td class="small">{h.basis}</td>
                            <td>{h.listed_on}</td>
                            <td>{if h.removed_on.is_empty() { "—".to_string() } else { h.removed_on }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn MeasureTable(measures: Vec<CheckMeasure>) -> impl IntoView {
    view! {
        <h3>"应采取的措施"</h3>
        <div class="table-wrap">
            <table class="data" data-testid="check-measures">
                <thead><tr><th>"编号"</th><th>"类别"</th><th>"措施内容"</th><th>"依据"</th><th>"实施单位"</th></tr></thead>
                <tbody>
                    {measures.into_iter().map(|m| view! {
                        <tr data-code=m.code.clone()>
                            <td>{m.code.clone()}</td>
                            <td>{crate::joint::measures::kind_label(&m.kind)}</td>
                            <td>{m.content}</td>
                            <td class="small">{m.basis}</td>
                            <td class="small">{m.agency}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// The feedback given, or (a check with hits, none yet) the form.
#[component]
fn FeedbackPart(view: CheckView) -> impl IntoView {
    if let Some(f) = view.feedback.clone() {
        let measures = if f.measures.is_empty() {
            "—".to_string()
        } else {
            f.measures.join("、")
        };
        return view! {
            <h3>"措施反馈"</h3>
            <dl class="facts" data-testid="check-feedback">
                <dt>"是否采取措施"</dt><dd>{if f.applied { "已采取" } else { "未采取" }}</dd>
                <dt>"采取的措施"</dt><dd>{measures}</dd>
                <dt>"办理结果"</dt><dd>{f.result}</dd>
                {(!f.applied).then(|| view! { <dt>"未采取的原因"</dt><dd>{f.reason.clone()}</dd> })}
                <dt>"反馈"</dt><dd>{format!("{}，{}", f.at, f.by)}</dd>
            </dl>
        }
        .into_any();
    }
    let Some(due) = view.feedback_due.clone() else {
        return ().into_any();
    };
    let late = view.overdue;
    let form = may_feedback().then(|| view! { <FeedbackForm view=view.clone() /> });
    view! {
        <h3>"措施反馈"</h3>
        <p class=if late { "notice notice-error" } else { "hint" } data-testid="feedback-due">
            {if late { format!("反馈已逾期：应于 {due} 前反馈。") } else { format!("请于 {due} 前反馈措施采取情况。") }}
        </p>
        {form}
    }
    .into_any()
}

#[component]
fn FeedbackForm(view: CheckView) -> impl IntoView {
    let give = ServerAction::<GiveFeedback>::new();
    let error = Signal::derive(move || give.value().get().and_then(|r| r.err()));
    let done = move || give.value().get().is_some_and(|r| r.is_ok());
    view! {
        <Show when=done fallback=move || {
            let view = view.clone();
            view! {
                <FormAlert error />
                <ActionForm action=give attr:class="stack" attr:data-testid="feedback-form">
                    <CsrfField />
                    <input type="hidden" name="id" value=view.public_id.clone() />
                    <fieldset>
                        <legend>"是否采取了措施"</legend>
                        <label class="check"><input type="radio" name="feedback[applied]" value="true" checked=true />"已采取"</label>
                        <label class="check"><input type="radio" name="feedback[applied]" value="false" />"未采取"</label>
                    </fieldset>
                    {(!view.measures.is_empty()).then(|| view! {
                        <fieldset>
                            <legend>"实际采取的措施"</legend>
                            {view.measures.iter().enumerate().map(|(i, m)| {
                                let id = format!("fb-measure-{i}");
                                view! {
                                    <div class="check">
                                        <input type="checkbox" id=id.clone() name=format!("feedback[measures][{i}]") value=m.code.clone() />
                                        <label for=id>{format!("{} {}", m.code, m.content)}</label>
                                    </div>
                                }
                            }).collect_view()}
                        </fieldset>
                    })}
                    <label for="fb-result">"办理结果"</label>
                    <input id="fb-result" name="feedback[result]" type="text" maxlength="500" required
                        placeholder="如：不予受理；容缺受理，已办结" />
                    <label for="fb-reason">"未采取措施的原因（未采取时必填）"</label>
                    <textarea id="fb-reason" name="feedback[reason]" rows="3" maxlength="500"></textarea>
                    <button type="submit" class="button">"提交反馈"</button>
                </ActionForm>
            }
        }>
            <div class="notice notice-success" role="status" data-testid="feedback-saved">"反馈已记录。"</div>
        </Show>
    }
}

#[component]
pub fn CheckLogPage() -> impl IntoView {
    let (q, state, unit, page) = (param("q"), param("state"), param("unit"), page_param());
    let data = Resource::new(
        move || {
            (
                CheckFilter {
                    q: q.get(),
                    state: state.get(),
                    unit: unit.get(),
                },
                page.get(),
            )
        },
        |(f, page)| list_checks(f, page),
    );
    view! {
        <Title text="核查记录" />
        <p class="small"><a href="/console/joint/check">"← 联合奖惩核查"</a></p>
        <h1>"核查记录与反馈"</h1>
        {await_view(data, move |l| {
            let pages = ((l.total + l.per_page - 1) / l.per_page.max(1)).max(1);
            let late_class = if l.overdue > 0 { "notice notice-error" } else { "hint" };
            view! {
                <p class=late_class data-testid="check-awaiting">
                    {format!("待反馈 {} 条，其中逾期 {} 条。", l.awaiting, l.overdue)}
                </p>
                <form class="filters" method="get" action="/console/joint/checks">
                    <label>"关键词"<input type="search" name="q" value=move || q.get() placeholder="事项或核查对象" /></label>
                    <label>"状态"
                        <select name="state">
                            {["", "awaiting", "overdue", "applied", "not_applied", "none"].into_iter().map(|s| view! {
                                <option value=s selected=move || state.get() == s>{if s.is_empty() { "全部" } else { state_label(s) }}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <UnitFilter label="办理部门" units=l.units.clone() selected=unit />
                    <button type="submit" class="button">"查询"</button>
                </form>
                <CheckTable rows=l.rows.clone() />
                <Pager page=l.page pages total=l.total />
            }
        })}
    }
}

#[component]
fn CheckTable(rows: Vec<CheckLogRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="empty">"没有符合条件的核查记录。"</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="data" data-testid="check-log">
                <thead><tr><th>"时间"</th><th>"办理部门"</th><th>"事项"</th><th>"核查对象"</th><th>"核查人"</th><th>"命中"</th><th>"状态"</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| view! {
                        <tr data-state=r.state.clone()>
                            <td><a href=format!("/console/joint/checks/{}", r.public_id)>{r.checked_at}</a></td>
                            <td>{r.department}</td>
                            <td>{r.matter}</td>
                            <td>{r.subject_shown}</td>
                            <td class="small">{format!("{}（{}）", r.checked_by, channel_label(&r.channel))}</td>
                            <td>{r.hit_count}</td>
                            <td>{state_label(&r.state)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
pub fn CheckDetailPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let data = Resource::new(move || id.get(), get_check);
    view! {
        <Title text="核查详情" />
        <p class="small"><a href="/console/joint/checks">"← 核查记录"</a></p>
        <h1>"核查详情"</h1>
        {await_view(data, |v| view! { <CheckResult view=v /> })}
    }
}
