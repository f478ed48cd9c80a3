//! 办理期限设置 (`/console/cases/deadlines`): the working days of every step of the case flows, for
//! moves made from now on. The credit office sets them (1–60 working days); each save is audited.
use crate::cases::api::{get_case_deadlines, SaveCaseDeadlines};
use crate::cases::deadline::MAX_DAYS;
use crate::error::AppError;
use crate::ui::form::{CsrfField, FormAlert};
use crate::ui::status::await_view;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn CaseDeadlinesPage() -> impl IntoView {
    let save = ServerAction::<SaveCaseDeadlines>::new();
    let data = Resource::new(move || save.version().get(), |_| get_case_deadlines());
    let error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let saved = move || save.value().get().is_some_and(|r| r.is_ok());
    view! {
        <Title text="办理期限设置" />
        <p class="small"><a href="/console/cases">"← 返回办件列表"</a></p>
        <h1>"办理期限设置"</h1>
        <p class="muted">{format!("各办理环节的期限，以工作日计（按节假日安排，调休上班日计入），每项 1 至 {MAX_DAYS} 个工作日。修改只对此后开始的环节生效，已在计时的环节不变。")}</p>
        <Show when=saved>
            <div class="notice notice-success" role="status" data-testid="deadlines-saved">"办理期限已保存。"</div>
        </Show>
        <FormAlert error />
        {await_view(data, move |rows| view! { <DeadlinesForm rows save error /> })}
    }
}

#[component]
fn DeadlinesForm(
    rows: Vec<(String, String, u32)>,
    save: ServerAction<SaveCaseDeadlines>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    view! {
        <ActionForm action=save attr:class="panel deadlines-form">
            <CsrfField />
            {rows.into_iter().map(|(key, label, days)| {
                let id = format!("f-days-{}", key.replace('.', "-"));
                let err_key = key.clone();
                let message = move || crate::ui::form::field_message(&error.get(), &err_key);
                view! {
                    <div class="field">
                        <label for=id.clone()>{label}</label>
                        <input id=id type="number" name=format!("days[{key}]") value=days
                            min="1" max=MAX_DAYS required inputmode="numeric" />
                        " 个工作日"
                        {move || message().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                    </div>
                }
            }).collect_view()}
            <button type="submit" class="button">"保存"</button>
        </ActionForm>
    }
}
