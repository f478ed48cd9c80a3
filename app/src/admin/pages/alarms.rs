//! The alarm list: acknowledge and resolve with a note.
use crate::admin::api::*;
use crate::admin::model::AlarmRow;
use crate::admin::model::{alarm_status_label as status_label, severity_label};
use crate::auth::model::Me;
use crate::auth::policy::{may, Action as Perm};
use crate::rules::date::beijing_minute as bj;
use crate::ui::form::{CsrfField, FormAlert};
use crate::ui::status::await_view;
use crate::ui::table::{page_param, param, Pager};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AlarmsPage() -> impl IntoView {
    let (status, page) = (param("status"), page_param());
    let handle = ServerAction::<HandleAlarm>::new();
    let data = Resource::new(
        move || (status.get(), page.get(), handle.version().get()),
        |(s, p, _)| list_alarms(s, p),
    );
    let error = Signal::derive(move || handle.value().get().and_then(|r| r.err()));
    let can_handle = use_context::<Me>().is_some_and(|me| may(&me.roles, Perm::AlarmHandle));
    view! {
        <Title text="告警" />
        <h1>"告警"</h1>
        <form class="filters" method="get">
            <label>"状态"
                <select name="status">
                    <option value="">"未解决"</option>
                    <option value="open" selected=move || status.get() == "open">"未处理"</option>
                    <option value="acknowledged" selected=move || status.get() == "acknowledged">"已确认"</option>
                    <option value="resolved" selected=move || status.get() == "resolved">"已解决"</option>
                    <option value="all" selected=move || status.get() == "all">"全部"</option>
                </select>
            </label>
            <button type="submit" class="button">"查询"</button>
        </form>
        <form class="export" method="post" action="/console/export/alarms.xlsx">
            <CsrfField />
            <input type="hidden" name="status" value=move || status.get() />
            <button type="submit" class="button button-secondary">"导出 Excel"</button>
        </form>
        <FormAlert error fields=&[] />
        {await_view(data, move |p| {
            if p.rows.is_empty() {
                return view! { <p class="empty">"没有符合条件的告警。"</p> }.into_any();
            }
            let pages = p.pages();
            view! {
                <ul class="alarm-list" data-testid="alarm-list">
                    {p.rows.into_iter().map(|a| view! { <AlarmItem a handle can_handle /> }).collect_view()}
                </ul>
                <Pager page=p.page pages total=p.total />
            }.into_any()
        })}
    }
}

#[component]
fn AlarmItem(a: AlarmRow, handle: ServerAction<HandleAlarm>, can_handle: bool) -> impl IntoView {
    let open = a.status != "resolved";
    let note_id = format!("note-{}", a.id);
    view! {
        <li class=format!("alarm alarm-{}", a.severity)>
            <h2>{a.title}</h2>
            <p class="small">{format!("{} · {} · 发生 {} 次 · 首次 {} · 最近 {}", severity_label(&a.severity), status_label(&a.status), a.occurrences, bj(&a.raised_at), bj(&a.last_seen_at))}</p>
            <p>{a.detail}</p>
            {(!a.note.is_empty()).then(|| view! { <p class="small">{format!("处理说明（{}）：{}", a.handled_by, a.note)}</p> })}
            {(can_handle && open).then(|| view! {
                <ActionForm action=handle>
                    <input type="hidden" name="id" value=a.id.to_string() />
                    <label for=note_id.clone()>"处理说明"</label>
                    <input id=note_id name="note" />
                    <label for=format!("resolve-{}", a.id)>"操作"</label>
                    <select id=format!("resolve-{}", a.id) name="resolve">
                        <option value="false">"确认（正在处理）"</option>
                        <option value="true">"已解决"</option>
                    </select>
                    <button type="submit" class="button">"提交"</button>
                </ActionForm>
            })}
        </li>
    }
}
