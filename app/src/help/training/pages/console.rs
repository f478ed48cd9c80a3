//! The console's training sessions (`/console/training`): the list, and the form for a new one.
use super::form::SessionForm;
use crate::help::training::api::{list_training_sessions, SaveTrainingSession};
use crate::help::training::model::SessionRow;
use crate::ui::status::await_view;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn TrainingSessionsPage() -> impl IntoView {
    let save = ServerAction::<SaveTrainingSession>::new();
    let data = Resource::new(move || save.version().get(), |_| list_training_sessions());
    view! {
        <Title text="培训管理" />
        <h1>"培训管理"</h1>
        <p class="hint">"平台使用、数据报送和信用修复培训的场次与签到。培训课件和视频在“网站内容”的“培训资料”栏目发布。"</p>
        {await_view(data, move |l| view! {
            <SessionTable rows=l.sessions />
            <section class="panel">
                <h2>"新建培训"</h2>
                <SessionForm action=save session=None departments=l.departments />
            </section>
        })}
    }
}

#[component]
fn SessionTable(rows: Vec<SessionRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="empty">"还没有培训场次。"</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="data" data-testid="training-list">
                <thead><tr><th>"培训"</th><th>"类别"</th><th>"时间"</th><th>"组织单位"</th><th>"签到 / 登记 / 名额"</th><th>"状态"</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|s| view! {
                        <tr>
                            <td><a href=format!("/console/training/{}", s.public_id)>{s.title}</a></td>
                            <td>{s.kind_label}</td>
                            <td>{format!("{} {}", s.session_date, s.start_time)}</td>
                            <td>{s.department.map(|d| d.name).unwrap_or_else(|| "湘西州信用办".into())}</td>
                            <td>{format!("{} / {} / {}", s.signed_in, s.attendees, s.capacity)}</td>
                            <td>{s.status_label}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
