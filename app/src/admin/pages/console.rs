//! The console frame: who is signed in, the navigation of what they may open, and the gatekeeping
//! (sign in first; change an expired password or enrol TOTP before anything else).
use crate::auth::api::current_user;
use crate::auth::model::Me;
use crate::auth::pages::LogoutButton;
use crate::auth::policy::{may, Action};
use crate::error::AppError;
use crate::ui::status::ErrorNotice;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Outlet, Redirect};
use leptos_router::hooks::use_location;

/// Console pages and the permission each needs; the navigation shows only those the user may open.
pub const CONSOLE_NAV: &[(&str, &str, Action)] = &[
    ("/console", "工作台首页", Action::ConsoleEnter),
    ("/console/collect", "数据报送", Action::BatchView),
    ("/console/collect/form", "在线填报", Action::DataSubmit),
    ("/console/records", "信用记录", Action::RecordView),
    ("/console/due", "到期更新", Action::DueView),
    ("/console/quality", "数据质量", Action::QualityView),
    ("/console/subjects", "法人库", Action::SubjectView),
    ("/console/credit", "信用报告出具", Action::CreditReportPull),
    (
        "/console/credit/reports",
        "报告统计",
        Action::CreditReportStats,
    ),
    ("/console/disclosure", "公示规则", Action::DisclosureView),
    ("/console/stats", "统计分析", Action::StatsView),
    ("/console/cms", "网站内容", Action::CmsView),
    ("/console/help", "群众咨询", Action::ConsultView),
    ("/console/commitments", "信用承诺", Action::CommitmentView),
    ("/console/cases", "修复与异议", Action::CaseView),
    ("/console/joint/measures", "联合奖惩", Action::MeasureView),
    ("/console/joint/matters", "办理事项", Action::MatterView),
    ("/console/joint/check", "联合奖惩核查", Action::CheckRun),
    ("/console/joint/stats", "核查统计", Action::CheckStats),
    ("/console/province/push", "省平台推送", Action::PushView),
    ("/console/training", "培训管理", Action::TrainingManage),
    ("/console/conflicts", "名称核实", Action::ConflictResolve),
    ("/console/catalogue", "信用目录", Action::CatalogueView),
    ("/console/users", "用户管理", Action::UserView),
    ("/console/orgs", "单位与区县", Action::OrgView),
    ("/console/security", "安全策略", Action::PolicyView),
    ("/console/api-keys", "接口密钥", Action::ApiKeyManage),
    ("/console/api-access", "接口访问日志", Action::ApiAccessView),
    ("/console/holidays", "节假日", Action::HolidayView),
    ("/console/audit", "审计日志", Action::AuditView),
    ("/console/alarms", "告警", Action::AlarmView),
];

#[component]
pub fn ConsoleLayout() -> impl IntoView {
    let user = Resource::new(|| (), |_| current_user());
    let location = use_location();
    view! {
        <Suspense fallback=|| view! { <p class="loading">"正在加载…"</p> }>
            {move || Suspend::new(async move {
                let path = location.pathname.get_untracked();
                match user.await {
                    Ok(None) => {
                        let to = format!("/login?next={}", crate::ui::url::encode(&path));
                        view! { <Redirect path=to /> }.into_any()
                    }
                    Ok(Some(me)) if me.must_change_password => view! { <Redirect path="/account/password" /> }.into_any(),
                    Ok(Some(me)) if me.must_enrol_totp => view! { <Redirect path="/account/totp" /> }.into_any(),
                    Ok(Some(me)) if !may(&me.roles, Action::ConsoleEnter) => {
                        view! { <ErrorNotice error=AppError::Forbidden /> }.into_any()
                    }
                    Ok(Some(me)) => view! { <ConsoleFrame me /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ConsoleFrame(me: Me) -> impl IntoView {
    let items: Vec<_> = CONSOLE_NAV
        .iter()
        .filter(|(_, _, a)| may(&me.roles, *a))
        .collect();
    let roles = me
        .roles
        .iter()
        .map(|r| r.label())
        .collect::<Vec<_>>()
        .join("、");
    let location = use_location();
    provide_context(me.clone());
    view! {
        <div class="console">
            <div class="console-bar">
                <span class="who" data-testid="console-user">{format!("{} （{}） · {} · {}", me.display_name, me.username, me.unit, if roles.is_empty() { "未分配角色".to_string() } else { roles })}</span>
                <a href="/account">"我的账户"</a>
                <LogoutButton />
            </div>
            <div class="console-body">
                <nav class="console-nav" aria-label="工作台导航">
                    <ul>
                        {items.iter().map(|(href, label, _)| {
                            let href = *href;
                            let hrefs: Vec<&'static str> = items.iter().map(|(h, _, _)| *h).collect();
                            // The longest entry the path starts with is the current one.
                            let current = move || {
                                let p = location.pathname.get();
                                let best = hrefs
                                    .iter()
                                    .filter(|h| if **h == "/console" { p == **h } else { p.starts_with(**h) })
                                    .max_by_key(|h| h.len());
                                (best == Some(&href)).then_some("page")
                            };
                            view! { <li><a href=href aria-current=current>{*label}</a></li> }
                        }).collect_view()}
                    </ul>
                </nav>
                <div class="console-main">
                    <Outlet />
                </div>
            </div>
        </div>
    }
}

#[component]
pub fn ConsoleHome() -> impl IntoView {
    let me = use_context::<Me>();
    view! {
        <Title text="工作台" />
        <h1>"工作台"</h1>
        {me.map(|me| {
            let items: Vec<_> = CONSOLE_NAV
                .iter()
                .skip(1)
                .filter(|(_, _, a)| may(&me.roles, *a))
                .collect();
            view! {
                <p>{format!("您好，{}。", me.display_name)}</p>
                {if items.is_empty() {
                    view! { <p class="muted">"您的账户尚未分配可用的管理功能；业务功能将随平台建设陆续开放。如需权限，请联系安全管理员。"</p> }.into_any()
                } else {
                    view! {
                        <ul class="tiles">
                            {items.into_iter().map(|(href, label, _)| view! { <li><a class="tile" href=*href>{*label}</a></li> }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            }
        })}
    }
}
