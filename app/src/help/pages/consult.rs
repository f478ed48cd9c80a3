//! 我要咨询 (`/help/consult`): the public's question form, for a phone, without an account. A plain
//! POST to the server function: without JavaScript the answer is a redirect to the tracking page
//! (or back here with the error), with it the same redirect is followed in the browser.
use crate::help::api::SubmitConsultation;
use crate::help::consult::{MAX_TEXT, TOPICS};
use crate::portal::pages::parts::Breadcrumbs;
use crate::ui::form::{field_message, CsrfField, Field, FormAlert};
use leptos::prelude::*;
use leptos_meta::Title;

/// The browser's own check of a contact (the server checks again): a phone number or an e-mail.
const CONTACT_PATTERN: &str = r"[0-9 \-]{10,15}|[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}";

#[component]
pub fn ConsultPage() -> impl IntoView {
    let action = ServerAction::<SubmitConsultation>::new();
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    let message = move |field: &'static str| move || field_message(&error.get(), field);
    view! {
        <Title text="我要咨询" />
        <Breadcrumbs trail=vec![("/help".to_string(), "帮助中心".to_string())] here="我要咨询".to_string() />
        <section class="panel narrow" aria-labelledby="consult-title">
            <h1 id="consult-title">"我要咨询"</h1>
            <p class="hint">"无需注册。提交后页面显示查询码，凭码查看答复。一般问题在 5 个工作日内答复；涉及信用修复、异议申诉等办理事项，请按办事指南提交申请。"</p>
            <FormAlert error fields=&["topic", "text", "name", "contact"] />
            <ActionForm action>
                <CsrfField />
                <div class="field" class:field-invalid=move || message("topic")().is_some()>
                    <label for="f-topic">"咨询类别"</label>
                    <select id="f-topic" name="topic" required>
                        <option value="">"请选择"</option>
                        {TOPICS.iter().map(|(code, label)| view! { <option value=*code>{*label}</option> }).collect_view()}
                    </select>
                    {move || message("topic")().map(|m| view! { <p class="field-error">{m}</p> })}
                </div>
                <div class="field" class:field-invalid=move || message("text")().is_some()>
                    <label for="f-text">"咨询内容"</label>
                    <textarea id="f-text" name="text" rows="6" required minlength="5" maxlength=MAX_TEXT.to_string()
                        aria-describedby="f-text-hint"></textarea>
                    <p class="field-hint" id="f-text-hint">"请说明事项和您的问题，不超过 2000 字。请勿填写身份证号码等个人敏感信息。"</p>
                    {move || message("text")().map(|m| view! { <p class="field-error">{m}</p> })}
                </div>
                <Field name="name" label="姓名或称呼" autocomplete="name" required=true error />
                <div class="field" class:field-invalid=move || message("contact")().is_some()>
                    <label for="f-contact">"手机号码或电子邮箱"</label>
                    <input id="f-contact" name="contact" type="text" inputmode="email" autocomplete="tel" required
                        maxlength="100" pattern=CONTACT_PATTERN aria-describedby="f-contact-hint" />
                    <p class="field-hint" id="f-contact-hint">"仅用于答复联系，加密保存，不会公开。"</p>
                    {move || message("contact")().map(|m| view! { <p class="field-error">{m}</p> })}
                </div>
                <div class="field field-check">
                    <input id="f-consent" name="consent" type="checkbox" value="true" />
                    <label for="f-consent">"同意在脱敏处理后将我的咨询和答复公开（公开问答）"</label>
                </div>
                <button type="submit" class="button button-block" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { "正在提交…" } else { "提交咨询" }}
                </button>
            </ActionForm>
            <p class="small"><a href="/help/track">"已有查询码？查看答复"</a></p>
        </section>
    }
}
