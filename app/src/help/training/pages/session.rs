//! One training session (`/console/training/{id}`): its facts and edit form, the sign-in list with
//! the sign-in buttons (a repair training's certificate number is issued there), adding a person,
//! and the XLSX export of the list.
use super::form::SessionForm;
use crate::help::training::api::{
    get_training_session, AddTrainingAttendee, SaveTrainingSession, SignInAttendee,
};
use crate::help::training::model::{AttendeeRow, SessionDetail};
use crate::ui::form::{CsrfField, Field, FormAlert};
use crate::ui::status::await_view;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn TrainingSessionPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let save = ServerAction::<SaveTrainingSession>::new();
    let add = ServerAction::<AddTrainingAttendee>::new();
    let sign = ServerAction::<SignInAttendee>::new();
    let data = Resource::new(
        move || {
            (
                id.get(),
                save.version().get(),
                add.version().get(),
                sign.version().get(),
            )
        },
        |(id, _, _, _)| get_training_session(id),
    );
    view! {
        <Title text="培训签到" />
        <p class="small"><a href="/console/training">"← 返回培训管理"</a></p>
        {await_view(data, move |d| view! { <SessionView d save add sign /> })}
    }
}

#[component]
fn SessionView(
    d: SessionDetail,
    save: ServerAction<SaveTrainingSession>,
    add: ServerAction<AddTrainingAttendee>,
    sign: ServerAction<SignInAttendee>,
) -> impl IntoView {
    let s = d.session.clone();
    let repair = s.kind == "repair";
    let open = s.status != "cancelled";
    let add_error = Signal::derive(move || add.value().get().and_then(|r| r.err()));
    let sign_error = Signal::derive(move || sign.value().get().and_then(|r| r.err()));
    let (session_id, export_id) = (s.public_id.clone(), s.public_id.clone());
    let uscc_hint = if repair {
        "修复主体的统一社会信用代码"
    } else {
        "选填"
    };
    view! {
        <h1>{s.title.clone()}</h1>
        <section class="panel">
            <dl class="facts">
                <dt>"类别"</dt><dd>{s.kind_label.clone()}</dd>
                <dt>"时间"</dt><dd>{format!("{} {}", s.session_date, s.start_time)}</dd>
                <dt>"地点"</dt><dd>{s.place.clone()}</dd>
                <dt>"组织单位"</dt><dd>{s.department.as_ref().map(|d| d.name.clone()).unwrap_or_else(|| "湘西州信用办".into())}</dd>
                <dt>"名额"</dt><dd>{format!("{} 人（已登记 {}，已签到 {}）", s.capacity, s.attendees, s.signed_in)}</dd>
                <dt>"状态"</dt><dd data-testid="training-status">{s.status_label.clone()}</dd>
            </dl>
        </section>
        <section class="panel">
            <h2>"签到表"</h2>
            {repair.then(|| view! { <p class="hint">"信用修复培训的学员签到时发放培训证书编号，修复申请可引用该编号。"</p> })}
            <FormAlert error=sign_error fields=&[] />
            <AttendeeTable rows=d.attendees.clone() repair open sign />
            <form class="export" method="post" action="/console/export/training.xlsx">
                <CsrfField />
                <input type="hidden" name="session" value=export_id />
                <button type="submit" class="button button-light">"导出签到表（XLSX）"</button>
            </form>
        </section>
        {open.then(|| view! {
            <section class="panel">
                <h2>"登记学员"</h2>
                <FormAlert error=add_error fields=&["name", "organisation", "uscc", "phone"] />
                <ActionForm action=add>
                    <CsrfField />
                    <input type="hidden" name="session" value=session_id />
                    <Field name="name" label="姓名" required=true error=add_error />
                    <Field name="organisation" label="单位名称" required=true error=add_error />
                    <Field name="uscc" label="统一社会信用代码" required=repair hint=uscc_hint error=add_error />
                    <Field name="phone" label="联系电话" kind="tel" required=true hint="加密保存，列表中只显示部分号码" error=add_error />
                    <button type="submit" class="button">"登记"</button>
                </ActionForm>
            </section>
        })}
        <section class="panel">
            <h2>"修改培训"</h2>
            <SessionForm action=save session=Some(d.session) departments=d.departments />
        </section>
    }
}

#[component]
fn AttendeeTable(
    rows: Vec<AttendeeRow>,
    repair: bool,
    open: bool,
    sign: ServerAction<SignInAttendee>,
) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="empty">"还没有登记学员。"</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="data" data-testid="training-attendees">
                <thead><tr>
                    <th>"姓名"</th><th>"单位"</th>
                    {repair.then(|| view! { <th>"统一社会信用代码"</th> })}
                    <th>"联系电话"</th><th>"签到"</th>
                    {repair.then(|| view! { <th>"证书编号"</th> })}
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|a| {
                        let id = a.public_id.clone();
                        let signed = a.signed_in_at.clone();
                        view! {
                            <tr>
                                <td>{a.name}</td>
                                <td>{a.organisation}</td>
                                {repair.then(|| view! { <td>{a.uscc.clone()}</td> })}
                                <td>{a.phone_masked}</td>
                                <td>{match signed {
                                    Some(at) => view! { <span>{format!("已签到 {at}")}</span> }.into_any(),
                                    None if open => view! {
                                        <ActionForm action=sign>
                                            <CsrfField />
                                            <input type="hidden" name="id" value=id />
                                            <button type="submit" class="button button-light">"签到"</button>
                                        </ActionForm>
                                    }.into_any(),
                                    None => view! { <span>"未签到"</span> }.into_any(),
                                }}</td>
                                {repair.then(|| view! { <td data-testid="certificate-no">{a.certificate_no.clone().unwrap_or_default()}</td> })}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
