//! 我的办件 (`/my/cases`): a signed-in subject account's cases — those on the USCC the credit office
//! bound to it — with state and next deadline, each opening its tracking page. Same layout as `/track`.
use crate::cases::api::my_cases;
use crate::cases::model::CaseRow;
use crate::error::AppError;
use crate::portal::pages::parts::Breadcrumbs;
use crate::ui::status::ErrorNotice;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::components::Redirect;

#[component]
pub fn MyCasesPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| my_cases());
    view! {
        <Title text="我的办件" />
        <Meta name="robots" content="noindex" />
        <Breadcrumbs trail=vec![] here="我的办件".to_string() />
        <section class="panel narrow" aria-labelledby="mine-title">
            <h1 id="mine-title">"我的办件"</h1>
            <Suspense fallback=|| view! { <p class="loading">"正在加载…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(rows) => view! { <MyCases rows /> }.into_any(),
                        Err(AppError::Unauthorized) => view! { <Redirect path="/login?next=/my/cases" /> }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Suspense>
            <p class="hint">"没有账户的申请人可凭查询码在" <a href="/track">"办理进度查询"</a> "查看办理情况。"</p>
        </section>
    }
}

#[component]
fn MyCases(rows: Vec<CaseRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! {
            <p class="empty" data-testid="my-cases-empty">"本主体暂无信用修复、异议申诉等办件。账户尚未绑定主体的，请联系州信用办。"</p>
        }
        .into_any();
    }
    view! {
        <ul class="my-cases" data-testid="my-cases">
            {rows.into_iter().map(|r| view! {
                <li class="my-case">
                    <p><a href=format!("/track?code={}", r.tracking_code)><strong>{r.kind_label}</strong>" "{r.tracking_code.clone()}</a></p>
                    <p>{r.subject_name}</p>
                    <p data-testid="my-case-state">{r.state_label}</p>
                    <p class="small muted">{format!("提交日期 {}", r.submitted_on)}
                        {r.next_due.map(|d| format!(" · 办理期限 {d}"))}</p>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}
