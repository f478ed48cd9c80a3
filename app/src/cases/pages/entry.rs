//! Staff enter an objection or complaint received by phone, at the counter or by letter (on the case
//! desk, for the credit office): the same rules as the public form, the channel chosen here. The
//! record is named by its public id (shown on the record's console page and in its public address).
use crate::cases::api::EnterCase;
use crate::cases::intake::{CHANNELS, GROUNDS};
use crate::ui::form::{CsrfField, FormAlert};
use leptos::prelude::*;

#[component]
pub fn EntryForm() -> impl IntoView {
    let act = ServerAction::<EnterCase>::new();
    let error = Signal::derive(move || act.value().get().and_then(|r| r.err()));
    let entered = move || act.value().get().and_then(Result::ok);
    view! {
        <details class="panel" data-testid="case-entry">
            <summary>"登记电话、窗口、信函受理的异议申诉或投诉"</summary>
            {move || entered().map(|code| view! {
                <div class="notice notice-success" role="status" data-testid="entered-code">
                    <p>{format!("已登记，查询码 {code}（请告知申请人）。")}</p>
                </div>
            })}
            <ActionForm action=act attr:class="stack">
                <CsrfField />
                <FormAlert error=error />
                <label for="entry-kind">"类型"</label>
                <select id="entry-kind" name="form[kind]" required>
                    <option value="objection">"异议申诉"</option>
                    <option value="complaint">"投诉"</option>
                </select>
                <label for="entry-channel">"来源渠道"</label>
                <select id="entry-channel" name="form[channel]" required>
                    {CHANNELS.iter().filter(|(c, _)| *c != "portal").map(|(c, l)| view! { <option value=*c>{*l}</option> }).collect_view()}
                </select>
                <label for="entry-record">"涉及信息编号（异议必填；见信息详情页地址末段）"</label>
                <input id="entry-record" name="form[record]" type="text" maxlength="64" autocomplete="off" />
                <label for="entry-uscc">"统一社会信用代码"</label>
                <input id="entry-uscc" name="form[uscc]" type="text" maxlength="18" autocomplete="off" autocapitalize="characters" />
                <label for="entry-ground">"异议理由（异议必选）"</label>
                <select id="entry-ground" name="form[ground]">
                    <option value="">"请选择"</option>
                    {GROUNDS.iter().map(|(c, l)| view! { <option value=*c>{*l}</option> }).collect_view()}
                </select>
                <label for="entry-description">"情况说明"</label>
                <textarea id="entry-description" name="form[description]" rows="3" maxlength="2000" required></textarea>
                <label for="entry-name">"申请人姓名"</label>
                <input id="entry-name" name="form[name]" type="text" maxlength="30" required />
                <label for="entry-contact">"联系电话（手机或带区号的座机）"</label>
                <input id="entry-contact" name="form[contact]" type="text" maxlength="64" required />
                <button type="submit" class="button">"登记"</button>
            </ActionForm>
        </details>
    }
}
