//! The session form, for creating a session (console list) and editing one (the session page).
use crate::error::AppError;
use crate::help::model::DepartmentOption;
use crate::help::training::api::SaveTrainingSession;
use crate::help::training::model::SessionRow;
use crate::help::training::rules::{KINDS, STATUSES};
use crate::ui::form::{field_message, CsrfField, Field, FormAlert};
use leptos::prelude::*;

/// The fields the form shows beside their inputs.
const FIELDS: &[&str] = &[
    "title",
    "kind",
    "date",
    "time",
    "place",
    "department",
    "capacity",
    "status",
];

/// A labelled select with its error message.
#[component]
fn Choice(
    name: &'static str,
    label: &'static str,
    options: Vec<(String, String)>,
    #[prop(into)] selected: String,
    /// The label of an empty first choice ("" for none: a choice is required).
    #[prop(optional)]
    empty: &'static str,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let id = format!("f-{name}");
    let message = move || field_message(&error.get(), name);
    view! {
        <div class="field" class:field-invalid=move || message().is_some()>
            <label for=id.clone()>{label}</label>
            <select id=id.clone() name=name required=empty.is_empty()>
                {(!empty.is_empty()).then(|| view! { <option value="">{empty}</option> })}
                {options.into_iter().map(|(v, t)| {
                    let sel = v == selected;
                    view! { <option value=v selected=sel>{t}</option> }
                }).collect_view()}
            </select>
            {move || message().map(|m| view! { <p class="field-error">{m}</p> })}
        </div>
    }
}

fn pairs(table: &[(&str, &str)]) -> Vec<(String, String)> {
    table
        .iter()
        .map(|(c, l)| ((*c).to_string(), (*l).to_string()))
        .collect()
}

/// Creates a session when `session` is `None`, else edits it.
#[component]
pub fn SessionForm(
    action: ServerAction<SaveTrainingSession>,
    session: Option<SessionRow>,
    departments: Vec<DepartmentOption>,
) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    let s = session.clone();
    let get = move |f: fn(&SessionRow) -> String| s.as_ref().map(f).unwrap_or_default();
    let units = departments
        .into_iter()
        .map(|d| (d.public_id, d.name))
        .collect::<Vec<_>>();
    let editing = session.is_some();
    view! {
        <FormAlert error fields=FIELDS />
        <div data-testid="training-session-form">
        <ActionForm action>
            <CsrfField />
            <input type="hidden" name="id" value=get(|s| s.public_id.clone()) />
            <Field name="title" label="培训名称" required=true value=get(|s| s.title.clone()) error />
            <Choice name="kind" label="培训类别" options=pairs(KINDS) selected=get(|s| s.kind.clone()) error />
            <Field name="date" label="培训日期" kind="date" required=true value=get(|s| s.session_date.clone()) error />
            <Field name="time" label="开始时间" kind="time" required=true value=get(|s| s.start_time.clone()) error />
            <Field name="place" label="地点或线上会议链接" required=true value=get(|s| s.place.clone()) error />
            <Choice name="department" label="组织单位" options=units
                selected=get(|s| s.department.as_ref().map(|d| d.public_id.clone()).unwrap_or_default())
                empty="湘西州信用办" error />
            <Field name="capacity" label="名额（人）" kind="number" required=true
                value=get(|s| s.capacity.to_string()) hint="1 到 2000" error />
            {editing.then(|| view! {
                <Choice name="status" label="状态" options=pairs(STATUSES) selected=get(|s| s.status.clone()) error />
            })}
            <button type="submit" class="button" disabled=move || action.pending().get()>
                {if editing { "保存修改" } else { "新建培训" }}
            </button>
        </ActionForm>
        </div>
    }
}
