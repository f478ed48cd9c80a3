//! The console's consultations (`/console/help`, `/console/help/{id}`): the list with its filters
//! (in the URL), and one consultation with the moves the caller may make: route, answer, publish.
use crate::auth::model::Me;
use crate::auth::policy::{may, Action as Perm};
use crate::help::api::{
    get_consultation, list_consultations, AnswerConsultation, PublishConsultation,
    RouteConsultation, SaveAnswerDays,
};
use crate::help::consult::MAX_TEXT;
use crate::help::model::{ConsultDetail, ConsultFilter};
use crate::ui::form::{CsrfField, FormAlert};
use crate::ui::status::await_view;
use crate::ui::table::{page_param, param, Pager};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

fn can(perm: Perm) -> bool {
    use_context::<Me>().is_some_and(|me| may(&me.roles, perm))
}

#[component]
pub fn ConsultsPage() -> impl IntoView {
    let (status, department, overdue, page) = (
        param("status"),
        param("department"),
        param("overdue"),
        page_param(),
    );
    let days = ServerAction::<SaveAnswerDays>::new();
    let data = Resource::new(
        move || {
            (
                status.get(),
                department.get(),
                overdue.get(),
                page.get(),
                days.version().get(),
            )
        },
        |(status, department, overdue, page, _)| {
            list_consultations(
                ConsultFilter {
                    status,
                    department,
                    overdue,
                },
                page,
            )
        },
    );
    let days_error = Signal::derive(move || days.value().get().and_then(|r| r.err()));
    let can_route = can(Perm::ConsultRoute);
    view! {
        <Title text="群众咨询" />
        <h1>"群众咨询"</h1>
        {await_view(data, move |l| {
            let pages = l.page.pages();
            let has_departments = !l.departments.is_empty();
            view! {
                <form class="filters" method="get" action="/console/help">
                    <label>"状态"
                        <select name="status">
                            <option value="">"全部"</option>
                            {[("open", "未答复"), ("new", "待分办"), ("routed", "办理中"), ("answered", "已答复")].into_iter().map(|(v, t)| view! {
                                <option value=v selected=move || status.get() == v>{t}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    {has_departments.then(|| view! {
                        <label>"承办单位"
                            <select name="department">
                                <option value="">"全部"</option>
                                {l.departments.iter().map(|d| {
                                    let id = d.public_id.clone();
                                    let sel = id.clone();
                                    view! { <option value=id selected=move || department.get() == sel>{d.name.clone()}</option> }
                                }).collect_view()}
                            </select>
                        </label>
                    })}
                    <label class="check"><input type="checkbox" name="overdue" value="1" checked=move || overdue.get() == "1" />"仅看逾期"</label>
                    <button type="submit" class="button">"查询"</button>
                </form>
                {if l.page.rows.is_empty() {
                    view! { <p class="empty">"没有符合条件的咨询。"</p> }.into_any()
                } else {
                    view! {
                        <div class="table-wrap">
                            <table class="data" data-testid="consult-list">
                                <thead><tr><th>"咨询"</th><th>"类别"</th><th>"状态"</th><th>"承办单位"</th><th>"提交日期"</th><th>"答复期限"</th></tr></thead>
                                <tbody>
                                    {l.page.rows.into_iter().map(|r| view! {
                                        <tr class:overdue=r.overdue>
                                            <td><a href=format!("/console/help/{}", r.public_id)>{r.excerpt}</a></td>
                                            <td>{r.topic}</td>
                                            <td>{r.status_label}{r.published.then_some("（已公开）")}</td>
                                            <td>{r.department.unwrap_or_else(|| "—".into())}</td>
                                            <td>{r.received_on}</td>
                                            <td>{r.due_on}{r.overdue.then(|| view! { <strong class="result-bad">" 已逾期"</strong> })}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <Pager page=l.page.page pages total=l.page.total />
                    }.into_any()
                }}
                {can_route.then(|| view! {
                    <section class="panel">
                        <h2>"答复期限"</h2>
                        <FormAlert error=days_error fields=&[] />
                        <ActionForm action=days>
                            <CsrfField />
                            <label for="answer-days">"群众咨询须在收到后多少个工作日内答复（湖南省要求 5 个工作日，按节假日日历计算）"</label>
                            <div class="input-row">
                                <input id="answer-days" name="days" type="number" min="1" max="30" required value=l.answer_days.to_string() />
                                <button type="submit" class="button">"保存"</button>
                            </div>
                        </ActionForm>
                    </section>
                })}
            }
        })}
    }
}

#[component]
pub fn ConsultDeskPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let route = ServerAction::<RouteConsultation>::new();
    let answer = ServerAction::<AnswerConsultation>::new();
    let publish = ServerAction::<PublishConsultation>::new();
    let data = Resource::new(
        move || {
            (
                id.get(),
                route.version().get(),
                answer.version().get(),
                publish.version().get(),
            )
        },
        |(id, _, _, _)| get_consultation(id),
    );
    view! {
        <Title text="咨询办理" />
        <p class="small"><a href="/console/help">"← 返回群众咨询"</a></p>
        {await_view(data, move |c| view! { <ConsultView c route answer publish /> })}
    }
}

#[component]
fn ConsultView(
    c: ConsultDetail,
    route: ServerAction<RouteConsultation>,
    answer: ServerAction<AnswerConsultation>,
    publish: ServerAction<PublishConsultation>,
) -> impl IntoView {
    let route_error = Signal::derive(move || route.value().get().and_then(|r| r.err()));
    let answer_error = Signal::derive(move || answer.value().get().and_then(|r| r.err()));
    let publish_error = Signal::derive(move || publish.value().get().and_then(|r| r.err()));
    let open = c.status != "answered";
    let can_route = open && can(Perm::ConsultRoute) && !c.departments.is_empty();
    let can_answer = open && can(Perm::ConsultAnswer);
    let can_publish = !open && can(Perm::ConsultPublish);
    let current = c
        .department
        .as_ref()
        .map(|d| d.public_id.clone())
        .unwrap_or_default();
    let (id_route, id_answer) = (c.public_id.clone(), c.public_id.clone());
    let departments = c.departments.clone();
    let for_publish = c.clone();
    view! {
        <h1>{format!("咨询 {}", c.tracking_code)}</h1>
        <section class="panel">
            <dl class="facts">
                <dt>"状态"</dt><dd data-testid="consult-status">{c.status_label.clone()}{c.published.then_some("（已公开）")}</dd>
                <dt>"类别"</dt><dd>{c.topic.clone()}</dd>
                <dt>"咨询人"</dt><dd>{c.asker_name.clone()}</dd>
                <dt>"联系方式"</dt><dd>{c.contact_masked.clone()}</dd>
                <dt>"同意公开"</dt><dd>{if c.consent_publish { "是" } else { "否" }}</dd>
                <dt>"提交日期"</dt><dd>{c.received_on.clone()}</dd>
                <dt>"答复期限"</dt><dd>{c.due_on.clone()}{c.overdue.then(|| view! { <strong class="result-bad">" 已逾期"</strong> })}</dd>
                <dt>"承办单位"</dt><dd>{c.department.as_ref().map(|d| d.name.clone()).unwrap_or_else(|| "（待分办）".into())}</dd>
                {c.routed_at.clone().map(|at| view! { <dt>"分办"</dt><dd>{format!("{at} · {}", c.routed_by.clone().unwrap_or_default())}</dd> })}
            </dl>
            <h2>"咨询内容"</h2>
            <p class="pre-line">{c.question.clone()}</p>
            {c.answer.clone().map(|a| view! {
                <h2>"答复"</h2>
                <p class="small muted">{format!("{} · {}", c.answered_at.clone().unwrap_or_default(), c.answered_by.clone().unwrap_or_default())}</p>
                <p class="pre-line" data-testid="consult-answer">{a}</p>
            })}
        </section>
        {can_route.then(|| view! {
            <section class="panel">
                <h2>"分办"</h2>
                <FormAlert error=route_error fields=&[] />
                <ActionForm action=route>
                    <CsrfField />
                    <input type="hidden" name="id" value=id_route />
                    <label for="route-department">"承办单位"</label>
                    <div class="input-row">
                        <select id="route-department" name="department" required>
                            <option value="">"请选择"</option>
                            {departments.iter().map(|d| view! {
                                <option value=d.public_id.clone() selected=d.public_id == current>{d.name.clone()}</option>
                            }).collect_view()}
                        </select>
                        <button type="submit" class="button">"分办"</button>
                    </div>
                </ActionForm>
            </section>
        })}
        {can_answer.then(|| view! {
            <section class="panel">
                <h2>"答复"</h2>
                <FormAlert error=answer_error fields=&[] />
                <ActionForm action=answer>
                    <CsrfField />
                    <input type="hidden" name="id" value=id_answer />
                    <label for="answer-text">"答复内容（咨询人凭查询码查看）"</label>
                    <textarea id="answer-text" name="answer" rows="8" required maxlength=MAX_TEXT.to_string()></textarea>
                    <button type="submit" class="button">"提交答复"</button>
                </ActionForm>
            </section>
        })}
        {can_publish.then(|| view! { <PublishForm c=for_publish publish publish_error /> })}
    }
}

#[component]
fn PublishForm(
    c: ConsultDetail,
    publish: ServerAction<PublishConsultation>,
    publish_error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    let id_unpublish = c.public_id.clone();
    view! {
        <section class="panel">
            <h2>"公开为问答"</h2>
            {if !c.consent_publish {
                view! { <p class="hint">"咨询人未同意公开，不能公开。"</p> }.into_any()
            } else {
                view! {
                    <p class="hint">"下面的文字已自动隐去咨询人姓名、身份证号码和手机号码，请再检查一遍，删去其他可识别个人的内容后公开。"</p>
                    <FormAlert error=publish_error fields=&[] />
                    <ActionForm action=publish>
                        <CsrfField />
                        <input type="hidden" name="id" value=c.public_id.clone() />
                        <input type="hidden" name="publish" value="true" />
                        <label for="public-question">"公开的问题"</label>
                        <textarea id="public-question" name="question" rows="5" required maxlength=MAX_TEXT.to_string()>{c.public_question.clone()}</textarea>
                        <label for="public-answer">"公开的答复"</label>
                        <textarea id="public-answer" name="answer" rows="6" required maxlength=MAX_TEXT.to_string()>{c.public_answer.clone()}</textarea>
                        <button type="submit" class="button">{if c.published { "更新公开内容" } else { "公开" }}</button>
                    </ActionForm>
                    {c.published.then(|| view! {
                        <ActionForm action=publish>
                            <CsrfField />
                            <input type="hidden" name="id" value=id_unpublish />
                            <input type="hidden" name="publish" value="false" />
                            <button type="submit" class="button button-light">"撤下公开"</button>
                        </ActionForm>
                    })}
                }.into_any()
            }}
        </section>
    }
}
