//! 培训 (`/help/training`): the upcoming training sessions and the materials column's newest
//! articles; read-only, works without JavaScript.
use crate::help::training::api::get_public_training;
use crate::help::training::model::SessionRow;
use crate::portal::pages::parts::{ArticleList, Breadcrumbs};
use crate::ui::status::await_fetch;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

#[component]
pub fn TrainingPage() -> impl IntoView {
    view! {
        <Title text="培训" />
        <Meta name="description" content="湘西州公共信用信息平台培训：平台使用、数据报送和信用修复培训的场次安排和培训资料。" />
        <Breadcrumbs trail=vec![("/help".to_string(), "帮助中心".to_string())] here="培训".to_string() />
        {await_fetch(get_public_training, |t| view! {
            <section class="panel" aria-labelledby="training-upcoming">
                <h1 id="training-upcoming">"培训安排"</h1>
                <p class="hint">"信用办定期为各信源单位和企业开展平台使用、数据报送和信用修复培训。参加信用修复培训的，签到后发放培训证书编号，申请信用修复时填写。报名请联系组织单位。"</p>
                <UpcomingList sessions=t.upcoming />
            </section>
            <section class="panel" aria-labelledby="training-materials">
                <h2 id="training-materials">"培训资料"</h2>
                {if t.materials.is_empty() {
                    view! { <p class="empty">"暂无培训资料。"</p> }.into_any()
                } else {
                    view! {
                        <ArticleList items=t.materials with_summary=true />
                        <p><a href="/column/training">"查看全部培训资料"</a></p>
                    }.into_any()
                }}
            </section>
        })}
    }
}

#[component]
fn UpcomingList(sessions: Vec<SessionRow>) -> impl IntoView {
    if sessions.is_empty() {
        return view! { <p class="empty">"近期暂无培训安排。"</p> }.into_any();
    }
    view! {
        <ul class="training-list" data-testid="training-upcoming">
            {sessions.into_iter().map(|s| view! {
                <li>
                    <strong>{s.title}</strong>
                    <span class="tag">{s.kind_label}</span>
                    <dl class="facts">
                        <dt>"时间"</dt><dd><time datetime=s.session_date.clone()>{format!("{} {}", s.session_date, s.start_time)}</time></dd>
                        <dt>"地点"</dt><dd>{s.place}</dd>
                        <dt>"组织单位"</dt><dd>{s.department.map(|d| d.name).unwrap_or_else(|| "湘西州信用办".into())}</dd>
                        <dt>"名额"</dt><dd>{format!("{} 人", s.capacity)}</dd>
                    </dl>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}
