//! 在线承诺 (`/commitments/new`): a subject makes a credit commitment on a phone, without an account. A
//! plain POST to the server function: without JavaScript the answer is a redirect to
//! `/commitments/submitted` (or back here with the errors); with it the same redirect is followed.
use crate::commitments::api::{get_commitment_form, SubmitCommitment};
use crate::commitments::rules::{template, MAX_TEXT, ONLINE_TYPES, VOLUNTARY};
use crate::portal::pages::parts::Breadcrumbs;
use crate::ui::form::{field_message, CsrfField, Field, FormAlert};
use crate::ui::status::await_view;
use crate::ui::table::param;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

/// The browser's own check of a contact (the server checks again): a phone number or an e-mail.
const CONTACT_PATTERN: &str = r"[0-9 \-]{10,15}|[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}";

fn trail() -> Vec<(String, String)> {
    vec![(
        "/credit/lists/commitments".to_string(),
        "信用承诺".to_string(),
    )]
}

#[component]
pub fn CommitmentNewPage() -> impl IntoView {
    view! {
        <Title text="在线作出信用承诺" />
        <Breadcrumbs trail=trail() here="在线承诺".to_string() />
        {await_view(
            Resource::new(|| (), |_| get_commitment_form()),
            |f| view! { <CommitmentFormView units=f.units /> },
        )}
    }
}

#[component]
fn CommitmentFormView(units: Vec<(String, String)>) -> impl IntoView {
    let action = ServerAction::<SubmitCommitment>::new();
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    let message = move |field: &'static str| move || field_message(&error.get(), field);
    let kind = RwSignal::new(VOLUNTARY.to_string());
    let text = RwSignal::new(template(VOLUNTARY, "", ""));
    // A new type offers its template, unless the subject has already written their own text.
    let pick = move |k: String| {
        let untouched = ONLINE_TYPES
            .iter()
            .any(|t| text.get_untracked() == template(t, "", ""));
        if untouched {
            text.set(template(&k, "", ""));
        }
        kind.set(k);
    };
    view! {
        <section class="panel narrow" aria-labelledby="commitment-title">
            <h1 id="commitment-title">"在线作出信用承诺"</h1>
            <p class="hint">"无需注册。承诺经受理单位核对确认后，在“信用承诺”名单和本主体的信用信息中公示；未履行承诺的，将作为失信信息记入信用记录。信用修复型承诺请随信用修复申请提交。"</p>
            <FormAlert error fields=&["uscc", "name", "kind", "matter", "text", "contact", "unit"] />
            <ActionForm action>
                <CsrfField />
                <Field name="uscc" label="统一社会信用代码" required=true error hint="18 位，见营业执照" />
                <Field name="name" label="承诺主体名称" autocomplete="organization" required=true error />
                <div class="field" class:field-invalid=move || message("kind")().is_some()>
                    <label for="f-kind">"承诺类型"</label>
                    <select id="f-kind" name="kind" required on:change=move |ev| pick(event_target_value(&ev))>
                        {ONLINE_TYPES.iter().map(|k| view! { <option value=*k selected=*k == VOLUNTARY>{*k}</option> }).collect_view()}
                    </select>
                    {move || message("kind")().map(|m| view! { <p class="field-error">{m}</p> })}
                </div>
                <Field name="matter" label="办理事项（审批替代型必填）" error hint="如：食品经营许可。以承诺代替部分证明材料时填写" />
                <div class="field" class:field-invalid=move || message("text")().is_some()>
                    <label for="f-text">"承诺内容"</label>
                    <textarea id="f-text" name="text" rows="8" required minlength="20" maxlength=MAX_TEXT.to_string()
                        aria-describedby="f-text-hint" prop:value=move || text.get()
                        on:input=move |ev| text.set(event_target_value(&ev))>{template(VOLUNTARY, "", "")}</textarea>
                    <p class="field-hint" id="f-text-hint">"已按所选类型提供范本，可修改；“本单位”可改为主体名称。请勿填写身份证号码等个人敏感信息。"</p>
                    {move || message("text")().map(|m| view! { <p class="field-error">{m}</p> })}
                </div>
                <details class="small">
                    <summary>"各类承诺范本"</summary>
                    {ONLINE_TYPES.iter().map(|k| view! { <p><strong>{*k}"："</strong>{template(k, "", "")}</p> }).collect_view()}
                </details>
                <div class="field" class:field-invalid=move || message("unit")().is_some()>
                    <label for="f-unit">"承诺受理单位"</label>
                    <select id="f-unit" name="unit" required>
                        <option value="">"请选择"</option>
                        {units.into_iter().map(|(code, name)| view! { <option value=code>{name}</option> }).collect_view()}
                    </select>
                    {move || message("unit")().map(|m| view! { <p class="field-error">{m}</p> })}
                </div>
                <div class="field" class:field-invalid=move || message("contact")().is_some()>
                    <label for="f-contact">"联系电话或电子邮箱"</label>
                    <input id="f-contact" name="contact" type="text" inputmode="tel" autocomplete="tel" required
                        maxlength="100" pattern=CONTACT_PATTERN aria-describedby="f-contact-hint" />
                    <p class="field-hint" id="f-contact-hint">"仅供受理单位核实联系，加密保存，不会公开。"</p>
                    {move || message("contact")().map(|m| view! { <p class="field-error">{m}</p> })}
                </div>
                <button type="submit" class="button button-block" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { "正在提交…" } else { "提交承诺" }}
                </button>
            </ActionForm>
            <p class="small"><a href="/column/commitment">"信用承诺办理指南"</a>" · "<a href="/credit/lists/commitments">"查看信用承诺公示"</a></p>
        </section>
    }
}

/// What happens next, after the redirect of a submission.
#[component]
pub fn CommitmentSubmittedPage() -> impl IntoView {
    let (reference, published) = (param("ref"), param("published"));
    view! {
        <Title text="承诺已提交" />
        <Meta name="robots" content="noindex" />
        <Breadcrumbs trail=trail() here="承诺已提交".to_string() />
        <section class="panel narrow" aria-labelledby="submitted-title" data-testid="commitment-submitted">
            <div class="notice notice-success" role="status">
                <h1 id="submitted-title">"信用承诺已提交"</h1>
                <p>"受理编号："<span class="tracking-code">{move || reference.get()}</span></p>
            </div>
            {move || if published.get() == "1" {
                view! {
                    <p>"您的主动型承诺已通过校验，按“承诺即公示”的规定已在信用承诺名单中公示。"</p>
                }.into_any()
            } else {
                view! {
                    <p>"接下来：受理单位将核对您的承诺（必要时按您留下的联系方式联系您），确认后在“信用承诺”名单和本主体的信用信息中公示。"</p>
                }.into_any()
            }}
            <ul>
                <li>"请按承诺内容履行；受理单位将跟踪履约情况，并标注“已履约”或“未履约”。"</li>
                <li>"未履行承诺的，“未履约”记录本身即作为失信信息公示，并可能影响后续办事。"</li>
                <li>"如有疑问，请凭受理编号联系受理单位，或到"<a href="/help/consult">"我要咨询"</a>"留言。"</li>
            </ul>
            <p class="actions">
                <a class="button" href="/credit/lists/commitments">"查看信用承诺公示"</a>
                " "<a class="button button-light" href="/commitments/new">"再作一份承诺"</a>
            </p>
        </section>
    }
}
