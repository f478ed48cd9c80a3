//! 公示规则 (console): the display-period regime (docs/domain.md §7) and what the public may see. Operators of
//! the credit office change them; every change is audited with what it replaced.
use crate::auth::model::Me;
use crate::auth::policy::{may, Action};
use crate::credit::api::{get_disclosure_rules, SaveDisclosureRules};
use crate::credit::disclosure_rules::MAX_MONTHS;
use crate::credit::model::DisclosureRules;
use crate::ui::form::{CsrfField, FormAlert};
use crate::ui::status::await_view;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn DisclosurePage() -> impl IntoView {
    let save = ServerAction::<SaveDisclosureRules>::new();
    let data = Resource::new(move || save.version().get(), |_| get_disclosure_rules());
    let error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let editable = use_context::<Me>().is_some_and(|me| may(&me.roles, Action::DisclosureEdit));
    view! {
        <Title text="公示规则" />
        <h1>"公示规则"</h1>
        <p class="hint">"公示期限规则决定新归集的行政处罚公示到哪一天、何时可申请信用修复；公开范围立即作用于门户查询、主体页、公示列表和信用报告。"</p>
        {move || matches!(save.value().get(), Some(Ok(_))).then(|| view! {
            <div class="notice notice-success" role="status">"公示规则已保存，立即生效。"</div>
        })}
        <FormAlert error />
        {await_view(data, move |r| view! { <RulesForm r save editable /> })}
    }
}

#[component]
fn RulesForm(
    r: DisclosureRules,
    save: ServerAction<SaveDisclosureRules>,
    editable: bool,
) -> impl IntoView {
    let months = |severity: &'static str, label: &'static str, min: i32, max: i32| {
        view! {
            <div class="filters">
                <label>{format!("{label}：最短（月）")}<input type="number" name=format!("rules[{severity}_min]") value=min.to_string() min="0" max=MAX_MONTHS.to_string() required /></label>
                <label>{format!("{label}：最长（月）")}<input type="number" name=format!("rules[{severity}_max]") value=max.to_string() min="1" max=MAX_MONTHS.to_string() required /></label>
            </div>
        }
    };
    let current = r.regime.clone();
    let regime = move |code: &'static str, text: &'static str| {
        view! { <label class="radio"><input type="radio" name="rules[regime]" value=code checked=current == code />{text}</label> }
    };
    let check = |name: &'static str, on: bool, text: &'static str| {
        view! { <label class="check"><input type="checkbox" name=format!("rules[{name}]") value="true" checked=on />{text}</label> }
    };
    let stamp = (!r.updated_at.is_empty()).then(|| {
        format!(
            "最近修改：{}，{}",
            r.updated_at
                .get(..16)
                .unwrap_or(&r.updated_at)
                .replace('T', " "),
            r.updated_by
        )
    });
    view! {
        {stamp.map(|s| view! { <p class="muted" data-testid="disclosure-stamp">{s}</p> })}
        <ActionForm action=save>
            <CsrfField />
            <fieldset disabled=!editable>
                <legend>"行政处罚公示期限"</legend>
                {regime("2025", "2025 年规则（国办发〔2025〕22号）：轻微不超过 3 个月，一般 3 个月至 1 年，严重 1 至 3 年")}
                {regime("2023", "2023 年规则（国家发展改革委令第58号）：最短 3 个月，最长 3 年")}
                {regime("custom", "本地规则：按下表")}
                <p class="hint">"本地规则的公示期限，自处罚决定日起算；最短期限满后可申请信用修复："</p>
                {months("minor", "轻微", r.minor_min, r.minor_max)}
                {months("general", "一般", r.general_min, r.general_max)}
                {months("serious", "严重", r.serious_min, r.serious_max)}
                <p class="hint">"修改后对此后归集的记录生效；已入库记录的公示截止日期不变，需调整的请按记录更正。"</p>
            </fieldset>
            <fieldset disabled=!editable>
                <legend>"公开范围"</legend>
                {check("publish_minor", r.publish_minor, "公示轻微失信的行政处罚（2025 年规则原则上不公示）")}
                {check("publish_warnings", r.publish_warnings, "公示仅为“警告”的行政处罚（市场监管规定原则上不公示）")}
                {check("publish_person_penalties", r.publish_person_penalties, "公示自然人的行政处罚（原则上不公示；未成年人一律不公示，身份证号按下方规则遮蔽）")}
                <div class="filters">
                    <label>"身份证号前部显示位数（最多 6）"<input type="number" name="rules[mask_head]" value=r.mask_head.to_string() min="0" max="6" required /></label>
                    <label>"后部显示位数（最多 4）"<input type="number" name="rules[mask_tail]" value=r.mask_tail.to_string() min="0" max="4" required /></label>
                </div>
            </fieldset>
            {editable.then(|| view! { <button type="submit" class="button">"保存公示规则"</button> })}
        </ActionForm>
    }
}
