//! Sign-in pages and "my account". The login and TOTP forms work without JavaScript.
use super::api::{
    end_other_sessions, get_account_overview, login_notice, ChangePassword, Login, LoginTotp,
    Logout, TotpBegin, TotpConfirm,
};
use super::model::{end_reason_label, AccountOverview};
use crate::error::AppError;
use crate::rules::date::beijing_minute as bj;
use crate::ui::form::{CsrfField, Field, FormAlert};
use crate::ui::status::ErrorNotice;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The error of an action's last run, for the form to show.
macro_rules! action_error {
    ($action:expr) => {{
        let action = $action;
        Signal::derive(move || action.value().get().and_then(|r| r.err()))
    }};
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let action = ServerAction::<Login>::new();
    let error = action_error!(action);
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let notice = Resource::new(|| (), |_| login_notice());
    view! {
        <Title text="工作人员登录" />
        <section class="auth-card">
            <h1>"工作人员登录"</h1>
            <p class="muted">"供信用办、信源单位、区县及网站编辑人员使用。公众查询信用信息无需登录。"</p>
            <Suspense>
                {move || Suspend::new(async move {
                    notice.await.ok().flatten().map(|n| view! {
                        <div class="notice notice-info" role="status">{n}</div>
                    })
                })}
            </Suspense>
            <FormAlert error fields=&["username"] />
            <ActionForm action>
                <CsrfField />
                <input type="hidden" name="next" value=next />
                <Field name="username" label="用户名" autocomplete="username" required=true error />
                <Field name="password" label="密码" kind="password" autocomplete="current-password" required=true error />
                <button type="submit" class="button button-block" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { "正在登录…" } else { "登录" }}
                </button>
            </ActionForm>
            <p class="muted small">"忘记密码或账户被锁定，请联系本单位系统管理员重置或解锁。"</p>
        </section>
    }
}

#[component]
pub fn TotpPage() -> impl IntoView {
    let action = ServerAction::<LoginTotp>::new();
    let error = action_error!(action);
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    view! {
        <Title text="动态验证码" />
        <section class="auth-card">
            <h1>"输入动态验证码"</h1>
            <p class="muted">"请打开手机上的验证器（如“腾讯身份验证器”或 Google Authenticator），输入“湘西州信用平台”当前显示的 6 位数字。"</p>
            <FormAlert error fields=&["code"] />
            <ActionForm action>
                <CsrfField />
                <input type="hidden" name="next" value=next />
                <Field name="code" label="6 位验证码" kind="text" autocomplete="one-time-code" required=true error />
                <button type="submit" class="button button-block">"验证并登录"</button>
            </ActionForm>
            <p class="small"><a href="/login">"返回重新登录"</a></p>
        </section>
    }
}

/// A logout button (a POST form, so that no GET changes state).
#[component]
pub fn LogoutButton() -> impl IntoView {
    let action = ServerAction::<Logout>::new();
    view! {
        <ActionForm action>
            <CsrfField />
            <button type="submit" class="link-button">"退出登录"</button>
        </ActionForm>
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let ended = Action::new(|_: &()| end_other_sessions());
    let data = Resource::new(move || ended.version().get(), |_| get_account_overview());
    let query = use_query_map();
    let changed = move || query.read().get("changed").is_some();
    view! {
        <Title text="我的账户" />
        <h1>"我的账户"</h1>
        <Show when=changed>
            <div class="notice notice-success" role="status">"密码已修改。您在其他设备上的登录已结束。"</div>
        </Show>
        <Suspense fallback=|| view! { <p class="loading">"正在加载…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(o) => view! { <AccountView o ended /> }.into_any(),
                    Err(AppError::Unauthorized) => view! { <leptos_router::components::Redirect path="/login?next=/account" /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AccountView(o: AccountOverview, ended: Action<(), Result<u64, AppError>>) -> impl IntoView {
    let roles =
        o.me.roles
            .iter()
            .map(|r| r.label())
            .collect::<Vec<_>>()
            .join("、");
    let live = o.logins.iter().filter(|l| l.ended_at.is_none()).count();
    view! {
        {o.me.must_change_password.then(|| view! {
            <div class="notice notice-error" role="alert">"您的密码已过期或由管理员重置，请先修改密码。"
                <a href="/account/password">"立即修改"</a></div>
        })}
        {o.me.must_enrol_totp.then(|| view! {
            <div class="notice notice-error" role="alert">"按安全策略，工作人员账户须绑定动态验证码。"
                <a href="/account/totp">"立即绑定"</a></div>
        })}
        <section class="panel">
            <h2>"基本信息"</h2>
            <dl class="facts">
                <dt>"用户名"</dt><dd data-testid="account-username">{o.me.username.clone()}</dd>
                <dt>"姓名"</dt><dd>{o.me.display_name.clone()}</dd>
                <dt>"所属单位"</dt><dd>{o.me.unit.clone()}</dd>
                <dt>"角色"</dt><dd>{if roles.is_empty() { "（未分配）".to_string() } else { roles }}</dd>
                <dt>"密码修改时间"</dt><dd>{o.password_changed_at.as_deref().map(bj).unwrap_or_else(|| "—".into())}</dd>
                <dt>"密码到期"</dt><dd>{o.password_expires_at.as_deref().map(bj).unwrap_or_else(|| "不过期".into())}</dd>
                <dt>"动态验证码"</dt><dd>{if o.totp_enabled { "已绑定" } else { "未绑定" }}</dd>
            </dl>
            <p class="actions">
                {o.me.roles.contains(&crate::auth::model::Role::Subject).then(|| view! {
                    <a class="button" href="/my/cases" data-testid="my-cases-link">"我的办件"</a>
                })}
                <a class="button" href="/account/password">"修改密码"</a>
                <a class="button button-secondary" href="/account/totp">{if o.totp_enabled { "重新绑定动态验证码" } else { "绑定动态验证码" }}</a>
            </p>
        </section>
        <section class="panel">
            <h2>"最近登录"</h2>
            <div class="table-wrap">
                <table class="data-table">
                    <thead><tr><th scope="col">"登录时间"</th><th scope="col">"最后活动"</th><th scope="col">"IP 地址"</th><th scope="col">"浏览器"</th><th scope="col">"状态"</th></tr></thead>
                    <tbody>
                        {o.logins.into_iter().map(|l| view! {
                            <tr>
                                <td data-label="登录时间">{bj(&l.started_at)}</td>
                                <td data-label="最后活动">{bj(&l.last_seen_at)}</td>
                                <td data-label="IP 地址">{l.ip}</td>
                                <td data-label="浏览器" class="ua">{l.user_agent}</td>
                                <td data-label="状态">{if l.current { "当前会话".to_string() } else {
                                    match (l.ended_at, l.end_reason) {
                                        (None, _) => "在线".to_string(),
                                        (Some(at), r) => format!("{}（{}）", end_reason_label(r.as_deref().unwrap_or("")), bj(&at)),
                                    }
                                }}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            {(live > 1).then(|| view! {
                <p><button class="button button-secondary" on:click=move |_| { ended.dispatch(()); }>"退出其他所有设备上的登录"</button></p>
            })}
        </section>
    }
}

#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    let action = ServerAction::<ChangePassword>::new();
    let error = action_error!(action);
    view! {
        <Title text="修改密码" />
        <section class="auth-card">
            <h1>"修改密码"</h1>
            <PasswordRules />
            <FormAlert error fields=&["current_password", "new_password", "confirm_password"] />
            <ActionForm action>
                <CsrfField />
                <Field name="current_password" label="当前密码" kind="password" autocomplete="current-password" required=true error />
                <Field name="new_password" label="新密码" kind="password" autocomplete="new-password" required=true error />
                <Field name="confirm_password" label="再次输入新密码" kind="password" autocomplete="new-password" required=true error />
                <button type="submit" class="button button-block">"保存新密码"</button>
            </ActionForm>
            <p class="small"><a href="/account">"返回我的账户"</a></p>
        </section>
    }
}

#[component]
fn PasswordRules() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_account_overview());
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                data.await.ok().map(|o| view! {
                    {o.me.must_change_password.then(|| view! {
                        <div class="notice notice-error" role="alert">"您的密码已过期或由管理员重置。修改密码后才能继续使用工作台。"</div>
                    })}
                    <p class="muted">"密码要求："{o.password_rules}</p>
                })
            })}
        </Suspense>
    }
}

#[component]
pub fn TotpEnrolPage() -> impl IntoView {
    let begin = ServerAction::<TotpBegin>::new();
    let confirm = ServerAction::<TotpConfirm>::new();
    let error = action_error!(confirm);
    let done = move || matches!(confirm.value().get(), Some(Ok(())));
    view! {
        <Title text="绑定动态验证码" />
        <section class="auth-card">
            <h1>"绑定动态验证码"</h1>
            <ol class="steps">
                <li>"在手机上安装验证器应用（如“腾讯身份验证器”、Microsoft Authenticator）。"</li>
                <li>"点击下面的按钮生成二维码，用验证器扫描。"</li>
                <li>"输入验证器显示的 6 位数字，完成绑定。"</li>
            </ol>
            <p class="muted">"绑定后，每次登录都需要输入动态验证码（无论安全策略是否要求）。"</p>
            <Show when=done fallback=move || view! {
                <ActionForm action=begin>
                    <CsrfField />
                    <button type="submit" class="button button-secondary">"生成二维码"</button>
                </ActionForm>
                {move || begin.value().get().map(|r| match r {
                    Ok(e) => view! {
                        <div class="qr" aria-label="动态验证码绑定二维码" inner_html=e.qr_svg></div>
                        <p class="small">"无法扫码时，可在验证器中手动输入密钥："<code data-testid="totp-key">{e.manual_key}</code></p>
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                })}
                <FormAlert error fields=&["code"] />
                <ActionForm action=confirm>
                    <CsrfField />
                    <Field name="code" label="6 位验证码" autocomplete="one-time-code" required=true error />
                    <button type="submit" class="button button-block">"完成绑定"</button>
                </ActionForm>
            }>
                <div class="notice notice-success" role="status">"动态验证码已绑定。此后每次登录都需要输入验证码。"</div>
                <p><a class="button" href="/console">"进入工作台"</a></p>
            </Show>
        </section>
    }
}
