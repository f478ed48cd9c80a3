//! The security policy (security admin) and the holiday calendar (system admin, operators).
use crate::admin::api::*;
use crate::admin::model::HolidayRow;
use crate::auth::model::Me;
use crate::auth::model::SecurityPolicy;
use crate::auth::policy::{may, Action as Perm};
use crate::rules::password::Profile;
use crate::ui::form::{CsrfField, Field, FormAlert};
use crate::ui::status::await_view;
use crate::ui::table::param;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn PolicyPage() -> impl IntoView {
    let save = ServerAction::<SavePolicy>::new();
    let data = Resource::new(move || save.version().get(), |_| get_policy());
    let error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let editable = use_context::<Me>().is_some_and(|me| may(&me.roles, Perm::PolicyEdit));
    view! {
        <Title text="安全策略" />
        <h1>"密码与会话安全策略"</h1>
        {move || matches!(save.value().get(), Some(Ok(()))).then(|| view! { <div class="notice notice-success" role="status">"安全策略已保存，立即生效。"</div> })}
        <FormAlert error fields=&[] />
        {await_view(data, move |p| view! { <PolicyForm p save editable /> })}
    }
}

#[component]
fn PolicyForm(p: SecurityPolicy, save: ServerAction<SavePolicy>, editable: bool) -> impl IntoView {
    let num = move |name: &'static str, label: &'static str, value: u32| {
        view! {
            <div class="field">
                <label for=format!("f-{name}")>{label}</label>
                <input id=format!("f-{name}") type="number" name=format!("policy[{name}]") value=value.to_string() required disabled=!editable />
            </div>
        }
    };
    view! {
        <ActionForm action=save>
            <fieldset disabled=!editable>
                <legend>"密码策略"</legend>
                <label class="radio"><input type="radio" name="policy[password_profile]" value="dengbao" checked=p.password_profile == Profile::Dengbao />"等保 2.0：至少 8 位、4 类字符中至少 3 类、90 天更换、不得重复最近 5 次"</label>
                <label class="radio"><input type="radio" name="policy[password_profile]" value="asvs" checked=p.password_profile == Profile::Asvs />"OWASP ASVS：至少 12 位、不强制字符类型、不定期更换、拒绝常见密码"</label>
            </fieldset>
            <fieldset disabled=!editable>
                <legend>"会话与登录"</legend>
                {num("idle_minutes", "空闲超时（分钟）", p.idle_minutes)}
                {num("absolute_hours", "会话最长时限（小时）", p.absolute_hours)}
                {num("lockout_threshold", "连续失败锁定阈值（次）", p.lockout_threshold)}
                {num("lockout_minutes", "锁定时长（分钟）", p.lockout_minutes)}
                <label class="check"><input type="checkbox" name="policy[totp_required]" value="true" checked=p.totp_required />"工作人员登录须输入动态验证码（TOTP）"</label>
            </fieldset>
            <fieldset disabled=!editable>
                <legend>"审计"</legend>
                {num("audit_retention_days", "审计日志保存期（天，不少于 184）", p.audit_retention_days)}
            </fieldset>
            {editable.then(|| view! { <button type="submit" class="button">"保存策略"</button> })}
        </ActionForm>
    }
}

#[component]
pub fn HolidaysPage() -> impl IntoView {
    let year_param = param("year");
    let save = ServerAction::<SaveHoliday>::new();
    let delete = ServerAction::<DeleteHoliday>::new();
    let import = ServerAction::<ImportHolidays>::new();
    // An empty or invalid year asks the server for this year by its clock.
    let data = Resource::new(
        move || {
            (
                year_param.get(),
                save.version().get() + delete.version().get() + import.version().get(),
            )
        },
        |(y, _)| list_holidays(y),
    );
    let editable = use_context::<Me>().is_some_and(|me| may(&me.roles, Perm::HolidayEdit));
    let save_error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let import_error = Signal::derive(move || import.value().get().and_then(|r| r.err()));
    view! {
        <Title text="节假日" />
        <h1>"节假日与调休"</h1>
        <p class="muted">"所有“工作日”期限（如 7 个工作日内公示）都按此日历计算。国务院办公厅每年公布次年安排后，请及时录入或导入。"</p>
        // The filters stay on screen while the list reloads; an empty year means this year by the server's
        // clock, for the list and the export alike.
        <form class="filters" method="get">
            <label>"年份"<input type="number" name="year" value=move || year_param.get() placeholder="今年" min="2000" max="2100" /></label>
            <button type="submit" class="button">"查看"</button>
        </form>
        <form class="export" method="post" action="/console/export/holidays.xlsx">
            <CsrfField />
            <input type="hidden" name="year" value=move || year_param.get() />
            <button type="submit" class="button button-secondary">"导出 Excel"</button>
        </form>
        {await_view(data, move |h| view! {
            <h2>{format!("{} 年", h.year)}</h2>
            {holiday_table(h.rows, editable, delete)}
        })}
        {editable.then(|| view! {
            <section class="panel" aria-labelledby="holiday-edit">
                <h2 id="holiday-edit">"录入或修改一天"</h2>
                <FormAlert error=save_error fields=&["day"] />
                <ActionForm action=save>
                    <Field name="day" label="日期" kind="date" required=true error=save_error />
                    <div class="field">
                        <label for="f-kind">"类型"</label>
                        <select id="f-kind" name="kind"><option value="holiday">"放假"</option><option value="workday">"调休上班"</option></select>
                    </div>
                    <Field name="name" label="名称（如 春节）" required=true error=save_error />
                    <button type="submit" class="button">"保存"</button>
                </ActionForm>
            </section>
            <section class="panel" aria-labelledby="holiday-import">
                <h2 id="holiday-import">"批量导入"</h2>
                <p class="muted">"每行一天：日期,类型,名称。类型写“放假”或“调休”。例如："<code>"2027-01-01,放假,元旦"</code>"。整批校验通过才写入。"</p>
                {move || import.value().get().and_then(|r| r.ok()).map(|s| view! {
                    <div class="notice notice-success" role="status">{format!("导入完成：新增 {} 天，更新 {} 天。", s.inserted, s.updated)}</div>
                })}
                <FormAlert error=import_error />
                <ActionForm action=import>
                    <div class="field">
                        <label for="f-csv">"CSV 内容"</label>
                        <textarea id="f-csv" name="csv" rows="8" required></textarea>
                    </div>
                    <button type="submit" class="button">"导入"</button>
                </ActionForm>
            </section>
        })}
    }
}

fn holiday_table(
    rows: Vec<HolidayRow>,
    editable: bool,
    delete: ServerAction<DeleteHoliday>,
) -> AnyView {
    if rows.is_empty() {
        return view! { <p class="empty">"该年份尚无节假日安排。"</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="data-table" data-testid="holidays-table">
                <thead><tr><th scope="col">"日期"</th><th scope="col">"类型"</th><th scope="col">"名称"</th><th scope="col">"来源"</th>{editable.then(|| view! { <th scope="col">"操作"</th> })}</tr></thead>
                <tbody>
                    {rows.into_iter().map(|h| {
                        let day = h.day.clone();
                        view! {
                            <tr>
                                <td data-label="日期">{h.day}</td>
                                <td data-label="类型">{if h.kind == "holiday" { "放假" } else { "调休上班" }}</td>
                                <td data-label="名称">{h.name}</td>
                                <td data-label="来源">{h.source}</td>
                                {editable.then(|| view! {
                                    <td data-label="操作">
                                        <ActionForm action=delete>
                                            <input type="hidden" name="day" value=day />
                                            <button type="submit" class="link">"删除"</button>
                                        </ActionForm>
                                    </td>
                                })}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
