//! The editor's document fields (文件信息) of a policy article: shown while the article's home column
//! is a policy-kind column; the server keeps them only for such an article and checks them there.
use crate::error::AppError;
use crate::portal::model::ColumnInfo;
use crate::rules::policy_doc::{PolicyDoc, LEVELS, STATUSES};
use crate::ui::form::field_message;
use leptos::prelude::*;

/// A new policy article starts as in force.
pub fn initial(doc: Option<PolicyDoc>) -> PolicyDoc {
    doc.unwrap_or_else(|| PolicyDoc {
        status: "effective".into(),
        ..Default::default()
    })
}

#[component]
pub fn PolicyFields(
    policy: RwSignal<PolicyDoc>,
    home: RwSignal<String>,
    dirty: RwSignal<bool>,
    error: RwSignal<Option<AppError>>,
    columns: Vec<ColumnInfo>,
) -> impl IntoView {
    let policy_codes: Vec<String> = columns
        .iter()
        .filter(|c| c.kind == "policy")
        .map(|c| c.code.clone())
        .collect();
    let shown = Memo::new(move |_| policy_codes.contains(&home.get()));
    let set = move |f: fn(&mut PolicyDoc, String)| {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            policy.update(|d| f(d, v));
            dirty.set(true);
        }
    };
    let msg = move |field: &'static str| {
        move || {
            field_message(&error.get(), field)
                .map(|m| view! { <p class="field-error" role="alert">{m}</p> })
        }
    };
    let options = move |list: &'static [(&'static str, &'static str)],
                        pick: fn(&PolicyDoc) -> &str| {
        list.iter()
            .map(|(code, label)| {
                view! { <option value=*code selected=move || policy.with(|d| pick(d) == *code)>{*label}</option> }
            })
            .collect_view()
    };
    move || {
        shown.get().then(|| view! {
            <fieldset class="policy-fields" data-testid="policy-fields">
                <legend>"文件信息（政策法规）"</legend>
                <div class="form-grid">
                    <div>
                        <label for="d-issuer">"发文机关" <span class="required-mark" aria-hidden="true">"*"</span></label>
                        <input id="d-issuer" type="text" maxlength="100" aria-required="true"
                            prop:value=move || policy.with(|d| d.issuer.clone()) on:input=set(|d, v| d.issuer = v) />
                        {msg("doc_issuer")}
                    </div>
                    <div>
                        <label for="d-number">"文号"</label>
                        <input id="d-number" type="text" maxlength="100" placeholder="例如：国发〔2014〕21号"
                            prop:value=move || policy.with(|d| d.number.clone()) on:input=set(|d, v| d.number = v) />
                        {msg("doc_number")}
                    </div>
                    <div>
                        <label for="d-level">"层级" <span class="required-mark" aria-hidden="true">"*"</span></label>
                        <select id="d-level" aria-required="true" on:change=set(|d, v| d.level = v)>
                            <option value="" selected=move || policy.with(|d| d.level.is_empty())>"请选择"</option>
                            {options(&LEVELS, |d| &d.level)}
                        </select>
                        {msg("doc_level")}
                    </div>
                    <div>
                        <label for="d-status">"效力状态" <span class="required-mark" aria-hidden="true">"*"</span></label>
                        <select id="d-status" aria-required="true" on:change=set(|d, v| d.status = v)>
                            {options(&STATUSES, |d| &d.status)}
                        </select>
                        {msg("doc_status")}
                    </div>
                    <div>
                        <label for="d-issued">"成文（发布）日期" <span class="required-mark" aria-hidden="true">"*"</span></label>
                        <input id="d-issued" type="date" aria-required="true"
                            prop:value=move || policy.with(|d| d.issued_on.clone()) on:input=set(|d, v| d.issued_on = v) />
                        {msg("doc_issued_on")}
                    </div>
                    <div>
                        <label for="d-effective">"施行日期"</label>
                        <input id="d-effective" type="date"
                            prop:value=move || policy.with(|d| d.effective_on.clone()) on:input=set(|d, v| d.effective_on = v) />
                        {msg("doc_effective_on")}
                    </div>
                </div>
            </fieldset>
        })
    }
}
