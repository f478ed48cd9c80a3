//! User management: the list (filter, sort, page, export) and one account with its actions.
use crate::admin::api::*;
use crate::admin::model::{Orgs, TemporaryPassword, UserDetail};
use crate::auth::model::{end_reason_label, Me, Role};
use crate::auth::policy::{may, Action as Perm};
use crate::rules::date::beijing_minute as bj;
use crate::ui::form::{CsrfField, Field, FormAlert};
use crate::ui::status::await_view;
use crate::ui::table::{page_param, param, Pager, SortHeader};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

fn roles_text(roles: &[Role]) -> String {
    if roles.is_empty() {
        "（未分配）".into()
    } else {
        roles
            .iter()
            .map(|r| r.label())
            .collect::<Vec<_>>()
            .join("、")
    }
}

fn can(perm: Perm) -> bool {
    use_context::<Me>().is_some_and(|me| may(&me.roles, perm))
}

#[component]
pub fn UsersPage() -> impl IntoView {
    let (q, role, status, sort, page) = (
        param("q"),
        param("role"),
        param("status"),
        param("sort"),
        page_param(),
    );
    let create = ServerAction::<CreateUser>::new();
    let data = Resource::new(
        move || {
            (
                q.get(),
                role.get(),
                status.get(),
                sort.get(),
                page.get(),
                create.version().get(),
            )
        },
        |(q, role, status, sort, page, _)| list_users(q, role, status, sort, page),
    );
    view! {
        <Title text="用户管理" />
        <h1>"用户管理"</h1>
        <form class="filters" method="get" role="search" aria-label="筛选用户">
            <label>"关键字"<input name="q" value=move || q.get() placeholder="用户名或姓名" /></label>
            <label>"角色"
                <select name="role">
                    <option value="">"全部"</option>
                    {Role::ALL.iter().map(|r| {
                        let code = r.code();
                        view! { <option value=code selected=move || role.get() == code>{r.label()}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>"状态"
                <select name="status">
                    <option value="">"全部"</option>
                    <option value="active" selected=move || status.get() == "active">"正常"</option>
                    <option value="disabled" selected=move || status.get() == "disabled">"已停用"</option>
                    <option value="locked" selected=move || status.get() == "locked">"已锁定"</option>
                </select>
            </label>
            <button type="submit" class="button">"查询"</button>
        </form>
        <form class="export" method="post" action="/console/export/users.xlsx">
            <CsrfField />
            <input type="hidden" name="q" value=move || q.get() />
            <input type="hidden" name="role" value=move || role.get() />
            <input type="hidden" name="status" value=move || status.get() />
            <button type="submit" class="button button-secondary">"导出 Excel"</button>
        </form>
        {await_view(data, move |p| {
                        let pages = p.pages();
                        view! {
                            <div class="table-wrap">
                                <table class="data-table" data-testid="users-table">
                                    <thead><tr>
                                        <SortHeader key="username" label="用户名" />
                                        <SortHeader key="name" label="姓名" />
                                        <th scope="col">"所属单位"</th>
                                        <th scope="col">"角色"</th>
                                        <th scope="col">"状态"</th>
                                        <SortHeader key="login" label="最近登录" />
                                    </tr></thead>
                                    <tbody>
                                        {p.rows.into_iter().map(|u| view! {
                                            <tr>
                                                <td data-label="用户名"><a href=format!("/console/users/{}", u.public_id)>{u.username.clone()}</a></td>
                                                <td data-label="姓名">{u.display_name}</td>
                                                <td data-label="所属单位">{u.unit}</td>
                                                <td data-label="角色">{roles_text(&u.roles)}</td>
                                                <td data-label="状态">{status_text(&u.status, u.locked)}</td>
                                                <td data-label="最近登录">{u.last_login_at.map(|t| bj(&t)).unwrap_or_else(|| "—".into())}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <Pager page=p.page pages total=p.total />
                        }.into_any()
                    })}
        {can(Perm::UserCreate).then(|| view! { <CreateUserForm create /> })}
    }
}

fn status_text(status: &str, locked: bool) -> &'static str {
    match (status, locked) {
        ("disabled", _) => "已停用",
        (_, true) => "已锁定",
        _ => "正常",
    }
}

#[component]
fn UnitFields(
    orgs: Orgs,
    kind: String,
    department: Option<String>,
    county: Option<String>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for="f-unit_kind">"所属"</label>
            <select id="f-unit_kind" name="unit_kind">
                <option value="office" selected=kind == "office">"州信用办"</option>
                <option value="department" selected=kind == "department">"信源单位"</option>
                <option value="county" selected=kind == "county">"区县"</option>
            </select>
        </div>
        <div class="field">
            <label for="f-department">"信源单位（所属为信源单位时）"</label>
            <select id="f-department" name="department">
                <option value="">"—"</option>
                {orgs.departments.rows.into_iter().map(|d| {
                    let sel = department.as_deref() == Some(d.public_id.as_str());
                    view! { <option value=d.public_id selected=sel>{d.name}</option> }
                }).collect_view()}
            </select>
        </div>
        <div class="field">
            <label for="f-county">"区县（所属为区县时）"</label>
            <select id="f-county" name="county">
                <option value="">"—"</option>
                {orgs.counties.into_iter().map(|c| {
                    let sel = county.as_deref() == Some(c.code.as_str());
                    view! { <option value=c.code selected=sel>{c.name}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

#[component]
fn TemporaryPasswordNotice(t: TemporaryPassword) -> impl IntoView {
    view! {
        <div class="notice notice-success" role="status" data-testid="temp-password">
            "账户 "<strong>{t.username}</strong>" 的一次性密码："<code>{t.password}</code>
            "。请当面或通过安全渠道交给本人；首次登录时须修改密码。此密码只显示这一次。"
        </div>
    }
}

/// What binding a subject account does.
const SUBJECT_USCC_HINT: &str =
    "18 位代码；信用主体账户登录后在“我的办件”查看该主体的信用修复、异议申诉等办件。";

#[component]
fn CreateUserForm(create: ServerAction<CreateUser>) -> impl IntoView {
    let orgs = Resource::new(|| (), |_| list_orgs(String::new(), String::new(), 0, true));
    let error = Signal::derive(move || create.value().get().and_then(|r| r.err()));
    view! {
        <section class="panel" aria-labelledby="new-user">
            <h2 id="new-user">"新建账户"</h2>
            <p class="muted">"系统管理员创建账户；角色由安全管理员另行授予（三员分立）。"</p>
            {move || create.value().get().and_then(|r| r.ok()).map(|t| view! { <TemporaryPasswordNotice t /> })}
            <FormAlert error fields=&["username", "display_name", "subject_uscc"] />
            <ActionForm action=create>
                <CsrfField />
                <Field name="username" label="用户名" required=true hint="3–32 位小写字母、数字或 _ . -，以字母开头" error />
                <Field name="display_name" label="姓名" required=true error />
                <Field name="subject_uscc" label="绑定主体统一社会信用代码（信用主体账户填写）" hint=SUBJECT_USCC_HINT error />
                <Suspense>
                    {move || Suspend::new(async move {
                        orgs.await.ok().map(|o| view! { <UnitFields orgs=o kind="office".into() department=None county=None /> })
                    })}
                </Suspense>
                <button type="submit" class="button">"创建账户"</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn UserPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let status = ServerAction::<SetUserStatus>::new();
    let unlock = ServerAction::<UnlockUser>::new();
    let reset = ServerAction::<ResetUserPassword>::new();
    let end = ServerAction::<EndUserSessions>::new();
    let roles = ServerAction::<SetUserRoles>::new();
    let update = ServerAction::<UpdateUser>::new();
    let data = Resource::new(
        move || {
            (
                id(),
                status.version().get()
                    + unlock.version().get()
                    + reset.version().get()
                    + end.version().get()
                    + roles.version().get()
                    + update.version().get(),
            )
        },
        |(id, _)| get_user(id),
    );
    let action_error = Signal::derive(move || {
        [
            status.value().get().and_then(|r| r.err()),
            unlock.value().get().and_then(|r| r.err()),
            reset.value().get().and_then(|r| r.err()),
            end.value().get().and_then(|r| r.err()),
        ]
        .into_iter()
        .flatten()
        .next()
    });
    view! {
        <Title text="账户详情" />
        <p><a href="/console/users">"← 返回用户列表"</a></p>
        <FormAlert error=action_error />
        {move || reset.value().get().and_then(|r| r.ok()).map(|t| view! { <TemporaryPasswordNotice t /> })}
        {await_view(data, move |u| view! { <UserView u status unlock reset end roles update /> })}
    }
}

#[component]
fn UserView(
    u: UserDetail,
    status: ServerAction<SetUserStatus>,
    unlock: ServerAction<UnlockUser>,
    reset: ServerAction<ResetUserPassword>,
    end: ServerAction<EndUserSessions>,
    roles: ServerAction<SetUserRoles>,
    update: ServerAction<UpdateUser>,
) -> impl IntoView {
    let id = u.row.public_id.clone();
    let active = u.row.status == "active";
    let live = u.sessions.iter().filter(|s| s.ended_at.is_none()).count();
    let roles_error = Signal::derive(move || roles.value().get().and_then(|r| r.err()));
    let update_error = Signal::derive(move || update.value().get().and_then(|r| r.err()));
    let orgs = Resource::new(|| (), |_| list_orgs(String::new(), String::new(), 0, true));
    let held = u.row.roles.clone();
    // 三员分立: another administrator's password and sessions are not the console's to reset.
    let other_admin = u.row.roles.iter().any(Role::is_separated_admin)
        && use_context::<Me>().is_none_or(|me| me.public_id != u.row.public_id);
    view! {
        <h1>{format!("账户：{}", u.row.username)}</h1>
        <section class="panel">
            <dl class="facts">
                <dt>"姓名"</dt><dd>{u.row.display_name.clone()}</dd>
                <dt>"所属单位"</dt><dd>{u.row.unit.clone()}</dd>
                <dt>"角色"</dt><dd data-testid="user-roles">{roles_text(&u.row.roles)}</dd>
                <dt>"状态"</dt><dd data-testid="user-status">{format!("{}{}", status_text(&u.row.status, u.locked_until.is_some()), u.locked_until.clone().map(|t| format!("（锁定至 {}）", bj(&t))).unwrap_or_default())}</dd>
                <dt>"连续登录失败"</dt><dd>{u.failed_logins}</dd>
                <dt>"动态验证码"</dt><dd>{if u.totp_enabled { "已绑定" } else { "未绑定" }}</dd>
                <dt>"须修改密码"</dt><dd>{if u.must_change_password { "是" } else { "否" }}</dd>
                <dt>"创建时间"</dt><dd>{bj(&u.row.created_at)}</dd>
            </dl>
            <div class="actions">
                {can(Perm::UserUpdate).then({ let id = id.clone(); move || view! {
                    <ActionForm action=status>
                        <input type="hidden" name="id" value=id.clone() />
                        <input type="hidden" name="active" value=if active { "false" } else { "true" } />
                        <button type="submit" class="button button-secondary">{if active { "停用账户" } else { "启用账户" }}</button>
                    </ActionForm>
                }})}
                {(can(Perm::UserUnlock) && u.locked_until.is_some()).then({ let id = id.clone(); move || view! {
                    <ActionForm action=unlock>
                        <input type="hidden" name="id" value=id.clone() />
                        <button type="submit" class="button">"解除锁定"</button>
                    </ActionForm>
                }})}
                {(can(Perm::UserResetPassword) && !other_admin).then({ let id = id.clone(); move || view! {
                    <ActionForm action=reset>
                        <input type="hidden" name="id" value=id.clone() />
                        <button type="submit" class="button button-secondary">"重置密码"</button>
                    </ActionForm>
                }})}
                {(can(Perm::UserEndSessions) && live > 0 && !other_admin).then({ let id = id.clone(); move || view! {
                    <ActionForm action=end>
                        <input type="hidden" name="id" value=id.clone() />
                        <button type="submit" class="button button-secondary">{format!("结束全部会话（{live}）")}</button>
                    </ActionForm>
                }})}
            </div>
            {other_admin.then(|| view! {
                <p class="muted small">"管理员账户的密码和会话不能在工作台重置（三员分立）。需要找回时，由运维人员在服务器上运行 server reset-admin --username 用户名，该操作记入审计日志。"</p>
            })}
        </section>
        {can(Perm::RoleGrant).then({ let id = id.clone(); move || view! {
            <section class="panel" aria-labelledby="roles-title">
                <h2 id="roles-title">"授予角色"</h2>
                <p class="muted">"系统、安全、审计管理员三者互斥，且不兼任业务角色。"</p>
                <FormAlert error=roles_error />
                <ActionForm action=roles>
                    <input type="hidden" name="id" value=id.clone() />
                    <fieldset class="checks">
                        <legend>"角色"</legend>
                        {Role::ALL.iter().enumerate().map(|(i, r)| view! {
                            <label><input type="checkbox" name=format!("roles[{i}]") value=r.code() checked=held.contains(r) />{r.label()}</label>
                        }).collect_view()}
                    </fieldset>
                    <button type="submit" class="button">"保存角色"</button>
                </ActionForm>
            </section>
        }})}
        {can(Perm::UserUpdate).then(|| {
            let (kind, department, county, name, id) = (u.unit_kind.clone(), u.department.clone(), u.county.clone(), u.row.display_name.clone(), id.clone());
            // The USCC field is for subject accounts (and stays visible while one is bound).
            let uscc = u.subject_uscc.clone().unwrap_or_default();
            let subject = u.row.roles.contains(&Role::Subject) || !uscc.is_empty();
            view! {
                <section class="panel" aria-labelledby="edit-title">
                    <h2 id="edit-title">"修改账户信息"</h2>
                    <FormAlert error=update_error fields=&["display_name", "subject_uscc"] />
                    <ActionForm action=update>
                        <input type="hidden" name="id" value=id />
                        <Field name="display_name" label="姓名" required=true value=name error=update_error />
                        {subject.then(|| view! {
                            <Field name="subject_uscc" label="绑定主体统一社会信用代码" value=uscc hint=SUBJECT_USCC_HINT error=update_error />
                        })}
                        <Suspense>
                            {move || {
                                let (kind, department, county) = (kind.clone(), department.clone(), county.clone());
                                Suspend::new(async move {
                                    orgs.await.ok().map(|o| view! { <UnitFields orgs=o kind department county /> })
                                })
                            }}
                        </Suspense>
                        <button type="submit" class="button">"保存"</button>
                    </ActionForm>
                </section>
            }
        })}
        <section class="panel">
            <h2>"最近登录"</h2>
            {u.sessions.is_empty().then(|| view! { <p class="empty">"该账户还没有登录过。"</p> })}
            <div class="table-wrap">
                <table class="data-table">
                    <thead><tr><th scope="col">"登录时间"</th><th scope="col">"最后活动"</th><th scope="col">"IP 地址"</th><th scope="col">"状态"</th></tr></thead>
                    <tbody>
                        {u.sessions.into_iter().map(|s| view! {
                            <tr>
                                <td data-label="登录时间">{bj(&s.started_at)}</td>
                                <td data-label="最后活动">{bj(&s.last_seen_at)}</td>
                                <td data-label="IP 地址">{s.ip}</td>
                                <td data-label="状态">{match s.ended_at { None => "在线".to_string(), Some(at) => format!("{}（{}）", end_reason_label(s.end_reason.as_deref().unwrap_or("")), bj(&at)) }}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
