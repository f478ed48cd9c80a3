//! Accounts, as the system admin (create, edit, disable, unlock, reset, end sessions) and the security
//! admin (roles) manage them. Each action writes its audit event in the same transaction.
use crate::admin::model::{TemporaryPassword, UserDetail, UserRow};
use crate::auth::account::store_password;
use crate::auth::model::{check_role_set, check_username, LoginRecord, Role};
use crate::error::AppError;
use crate::paging::Page;
use crate::server::authz::Caller;
use crate::server::db::sql::{like_pattern, order_by, PER_PAGE};
use crate::server::session::{end_user_logins, roles_of};
use crate::server::{password, AppState};
use sqlx::any::AnyRow;
use sqlx::Row;

const USER_COLUMNS: &str = "u.id, u.public_id, u.username, u.display_name, u.status, u.locked_until, \
    u.last_login_at, u.created_at, u.department_id, u.county_code, u.is_credit_office, d.name AS dept_name, \
    c.name AS county_name";
const USER_FROM: &str = "FROM users u LEFT JOIN departments d ON d.id = u.department_id \
    LEFT JOIN counties c ON c.code = u.county_code";

#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    pub q: String,
    pub role: String,
    pub status: String,
    pub sort: String,
    pub page: i64,
}

async fn row_of(state: &AppState, r: &AnyRow, now: &str) -> Result<UserRow, AppError> {
    let id: i64 = r.try_get("id")?;
    let dept: Option<String> = r.try_get("dept_name")?;
    let county: Option<String> = r.try_get("county_name")?;
    let office = r.try_get::<i64, _>("is_credit_office")? == 1;
    let locked_until: Option<String> = r.try_get("locked_until")?;
    Ok(UserRow {
        public_id: r.try_get("public_id")?,
        username: r.try_get("username")?,
        display_name: r.try_get("display_name")?,
        unit: dept.or(county).unwrap_or_else(|| {
            if office {
                "州信用办".into()
            } else {
                "—".into()
            }
        }),
        roles: roles_of(state, id).await?,
        status: r.try_get("status")?,
        locked: locked_until.is_some_and(|t| t.as_str() > now),
        last_login_at: r.try_get("last_login_at")?,
        created_at: r.try_get("created_at")?,
    })
}

pub async fn list(
    state: &AppState,
    f: &UserFilter,
    limit: Option<i64>,
) -> Result<Page<UserRow>, AppError> {
    let mut conditions = vec!["1 = 1".to_string()];
    let mut binds: Vec<String> = vec![];
    if !f.q.trim().is_empty() {
        binds.push(like_pattern(&f.q));
        let n = binds.len();
        conditions.push(format!(
            "(LOWER(u.username) LIKE ${n} ESCAPE '\\' OR LOWER(u.display_name) LIKE ${n} ESCAPE '\\')"
        ));
    }
    if !f.role.is_empty() {
        binds.push(f.role.clone());
        let n = binds.len();
        conditions.push(format!(
            "EXISTS (SELECT 1 FROM user_roles ur WHERE ur.user_id = u.id AND ur.role_code = ${n})"
        ));
    }
    match f.status.as_str() {
        "active" | "disabled" => {
            binds.push(f.status.clone());
            conditions.push(format!("u.status = ${}", binds.len()));
        }
        "locked" => {
            binds.push(state.clock.now_text());
            conditions.push(format!("u.locked_until > ${}", binds.len()));
        }
        _ => {}
    }
    let where_sql = conditions.join(" AND ");
    let order = order_by(
        &f.sort,
        &[
            ("username", "u.username"),
            ("name", "u.display_name"),
            ("created", "u.created_at"),
            ("login", "u.last_login_at"),
        ],
        "u.username ASC",
    );
    let per_page = limit.unwrap_or(PER_PAGE);
    let page = f.page.max(1);
    let count_sql = format!("SELECT COUNT(*) AS n {USER_FROM} WHERE {where_sql}");
    let mut count = sqlx::query(&count_sql);
    for b in &binds {
        count = count.bind(b);
    }
    let total: i64 = count.fetch_one(&state.db.pool).await?.try_get("n")?;
    let sql = format!(
        "SELECT {USER_COLUMNS} {USER_FROM} WHERE {where_sql} ORDER BY {order}, u.id LIMIT {per_page} OFFSET {}",
        (page - 1) * per_page
    );
    let mut q = sqlx::query(&sql);
    for b in &binds {
        q = q.bind(b);
    }
    let now = state.clock.now_text();
    let mut rows = vec![];
    for r in q.fetch_all(&state.db.pool).await? {
        rows.push(row_of(state, &r, &now).await?);
    }
    Ok(Page {
        rows,
        total,
        page,
        per_page,
    })
}

async fn find(state: &AppState, public_id: &str) -> Result<(i64, AnyRow), AppError> {
    let r = sqlx::query(&format!(
        "SELECT {USER_COLUMNS}, u.failed_logins, u.totp_enabled, u.must_change_password, u.subject_uscc {USER_FROM} \
         WHERE u.public_id = $1"
    ))
    .bind(public_id)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or_else(|| AppError::NotFound("该账户".into()))?;
    Ok((r.try_get("id")?, r))
}

pub async fn detail(state: &AppState, public_id: &str) -> Result<UserDetail, AppError> {
    let (id, r) = find(state, public_id).await?;
    let now = state.clock.now_text();
    let row = row_of(state, &r, &now).await?;
    let dept_id: Option<i64> = r.try_get("department_id")?;
    let department = match dept_id {
        Some(d) => sqlx::query("SELECT public_id FROM departments WHERE id = $1")
            .bind(d)
            .fetch_optional(&state.db.pool)
            .await?
            .map(|x| x.try_get::<String, _>("public_id"))
            .transpose()?,
        None => None,
    };
    let county: Option<String> = r.try_get("county_code")?;
    let unit_kind = if department.is_some() {
        "department"
    } else if county.is_some() {
        "county"
    } else {
        "office"
    };
    let sessions: Vec<LoginRecord> = sqlx::query_as(
        "SELECT created_at, last_seen_at, COALESCE(ip, '') AS ip, COALESCE(user_agent, '') AS user_agent, \
         ended_at, end_reason, 0 AS current FROM user_sessions \
         WHERE user_id = $1 ORDER BY id DESC LIMIT 10",
    )
    .bind(id)
    .fetch_all(&state.db.pool)
    .await?;
    Ok(UserDetail {
        row,
        unit_kind: unit_kind.into(),
        department,
        county,
        failed_logins: r.try_get("failed_logins")?,
        locked_until: r
            .try_get::<Option<String>, _>("locked_until")?
            .filter(|t| t.as_str() > now.as_str()),
        totp_enabled: r.try_get::<i64, _>("totp_enabled")? == 1,
        must_change_password: r.try_get::<i64, _>("must_change_password")? == 1,
        subject_uscc: r.try_get("subject_uscc")?,
        sessions,
    })
}

/// A random one-time password that meets both policy profiles (14 characters, four classes).
pub fn temporary_password() -> String {
    use rand::seq::SliceRandom;
    const LOWER: &[u8] = b"abcdefghijkmnpqrstuvwxyz";
    const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
    const DIGIT: &[u8] = b"23456789";
    const OTHER: &[u8] = b"#%+=@";
    let mut rng = rand::rngs::OsRng;
    // The sets are constant and not empty: the fallback is never taken.
    let mut pick = |set: &[u8]| set.choose(&mut rng).map_or('x', |&b| b as char);
    let mut chars: Vec<char> = vec![pick(LOWER), pick(UPPER), pick(DIGIT), pick(OTHER)];
    let all = [LOWER, UPPER, DIGIT].concat();
    while chars.len() < 14 {
        chars.push(pick(&all));
    }
    chars.shuffle(&mut rand::rngs::OsRng);
    chars.into_iter().collect()
}

/// Where an account belongs: the credit office, a department (by public id) or a county (by code).
#[derive(Debug, Clone)]
pub struct Unit {
    pub kind: String,
    pub department: String,
    pub county: String,
    /// A subject account's USCC (its cases at `/my/cases`); empty for none.
    pub subject_uscc: String,
}

/// The USCC a subject account is bound to, checked like every USCC; empty means none.
fn bound_uscc(raw: &str) -> Result<Option<String>, AppError> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    crate::rules::uscc::validate(raw)
        .map(|info| Some(info.code))
        .map_err(|e| AppError::field("subject_uscc", e.code(), e.message()))
}

async fn set_bound_uscc(
    conn: &mut sqlx::AnyConnection,
    id: i64,
    uscc: Option<&str>,
) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET subject_uscc = $1 WHERE id = $2")
        .bind(uscc)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

async fn resolve_unit(
    state: &AppState,
    unit: &Unit,
) -> Result<(Option<i64>, Option<String>, bool), AppError> {
    match unit.kind.as_str() {
        "office" => Ok((None, None, true)),
        "department" => {
            let r = sqlx::query("SELECT id FROM departments WHERE public_id = $1")
                .bind(&unit.department)
                .fetch_optional(&state.db.pool)
                .await?
                .ok_or_else(|| {
                    AppError::field("department", "DEPARTMENT_UNKNOWN", "请选择所属信源单位。")
                })?;
            Ok((Some(r.try_get("id")?), None, false))
        }
        "county" => {
            let found = sqlx::query("SELECT code FROM counties WHERE code = $1")
                .bind(&unit.county)
                .fetch_optional(&state.db.pool)
                .await?;
            if found.is_none() {
                return Err(AppError::field(
                    "county",
                    "COUNTY_UNKNOWN",
                    "请选择所属区县。",
                ));
            }
            Ok((None, Some(unit.county.clone()), false))
        }
        _ => Err(AppError::field(
            "unit_kind",
            "UNIT_KIND",
            "请选择账户所属：州信用办、信源单位或区县。",
        )),
    }
}

/// Inserts an account without roles (roles are the security admin's step). Returns (id, public id).
pub async fn insert_account(
    conn: &mut sqlx::AnyConnection,
    now: &str,
    username: &str,
    display_name: &str,
    hash: &str,
    unit: (Option<i64>, Option<String>, bool),
    must_change_password: bool,
) -> Result<(i64, String), AppError> {
    let taken = sqlx::query("SELECT id FROM users WHERE username = $1")
        .bind(username)
        .fetch_optional(&mut *conn)
        .await?;
    if taken.is_some() {
        return Err(AppError::field(
            "username",
            "USERNAME_TAKEN",
            format!("用户名“{username}”已被使用，请换一个。"),
        ));
    }
    let public_id = uuid::Uuid::new_v4().simple().to_string();
    let id: i64 = sqlx::query(
        "INSERT INTO users (public_id, username, display_name, password_hash, department_id, county_code, \
         is_credit_office, status, password_changed_at, must_change_password, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', $8, $9, $8, $8) RETURNING id",
    )
    .bind(&public_id)
    .bind(username)
    .bind(display_name)
    .bind(hash)
    .bind(unit.0)
    .bind(unit.1.as_deref())
    .bind(unit.2 as i64)
    .bind(now)
    .bind(must_change_password as i64)
    .fetch_one(&mut *conn)
    .await?
    .try_get("id")?;
    sqlx::query(
        "INSERT INTO password_history (user_id, password_hash, created_at) VALUES ($1, $2, $3)",
    )
    .bind(id)
    .bind(hash)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok((id, public_id))
}

fn check_display_name(name: &str) -> Result<String, AppError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 40 {
        return Err(AppError::field(
            "display_name",
            "DISPLAY_NAME",
            "请填写姓名（1–40 个字）。",
        ));
    }
    Ok(name.to_string())
}

pub async fn create(
    state: &AppState,
    caller: &Caller,
    username: &str,
    display_name: &str,
    unit: &Unit,
) -> Result<TemporaryPassword, AppError> {
    let username = username.trim().to_lowercase();
    check_username(&username).map_err(|m| AppError::field("username", "USERNAME_INVALID", m))?;
    let display_name = check_display_name(display_name)?;
    let resolved = resolve_unit(state, unit).await?;
    let uscc = bound_uscc(&unit.subject_uscc)?;
    let temp = temporary_password();
    let hash = password::hash(temp.clone()).await?;
    let now = state.clock.now_text();
    let mut tx = state.db.begin().await?;
    let (id, public_id) = insert_account(
        &mut tx,
        &now,
        &username,
        &display_name,
        &hash,
        resolved,
        true,
    )
    .await?;
    set_bound_uscc(&mut tx, id, uscc.as_deref()).await?;
    caller
        .event("user.create", "success")
        .on("user", &public_id)
        .with(serde_json::json!({ "username": username, "unit": unit.kind, "subject_uscc": uscc }))
        .record(&mut tx, state)
        .await?;
    tx.commit().await?;
    Ok(TemporaryPassword {
        public_id,
        username,
        password: temp,
    })
}

pub async fn update(
    state: &AppState,
    caller: &Caller,
    public_id: &str,
    display_name: &str,
    unit: &Unit,
) -> Result<(), AppError> {
    let (id, _) = find(state, public_id).await?;
    let display_name = check_display_name(display_name)?;
    let resolved = resolve_unit(state, unit).await?;
    let uscc = bound_uscc(&unit.subject_uscc)?;
    let roles = roles_of(state, id).await?;
    check_role_set(
        &roles,
        resolved.0.is_some(),
        resolved.1.is_some(),
        resolved.2,
    )
    .map_err(|m| {
        AppError::field(
            "unit_kind",
            "ROLE_HOME",
            format!("{m}请先由安全管理员调整角色。"),
        )
    })?;
    let now = state.clock.now_text();
    let mut tx = state.db.begin().await?;
    sqlx::query(
        "UPDATE users SET display_name = $1, department_id = $2, county_code = $3, is_credit_office = $4, \
         updated_at = $5 WHERE id = $6",
    )
    .bind(&display_name)
    .bind(resolved.0)
    .bind(resolved.1.as_deref())
    .bind(resolved.2 as i64)
    .bind(&now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    set_bound_uscc(&mut tx, id, uscc.as_deref()).await?;
    caller
        .event("user.update", "success")
        .on("user", public_id)
        .with(serde_json::json!({ "display_name": display_name, "unit": unit.kind, "subject_uscc": uscc }))
        .record(&mut tx, state)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Disables or re-enables an account. Disabling ends its sessions; nobody disables themself.
pub async fn set_status(
    state: &AppState,
    caller: &Caller,
    public_id: &str,
    active: bool,
) -> Result<(), AppError> {
    let (id, _) = find(state, public_id).await?;
    if id == caller.user.user_id {
        return Err(AppError::Conflict("不能停用自己的账户。".into()));
    }
    let now = state.clock.now_text();
    let mut tx = state.db.begin().await?;
    sqlx::query("UPDATE users SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(if active { "active" } else { "disabled" })
        .bind(&now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if !active {
        end_user_logins(&mut tx, &now, id, None, "disabled").await?;
    }
    caller
        .event(
            if active {
                "user.enable"
            } else {
                "user.disable"
            },
            "success",
        )
        .on("user", public_id)
        .record(&mut tx, state)
        .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn unlock(state: &AppState, caller: &Caller, public_id: &str) -> Result<(), AppError> {
    let (id, _) = find(state, public_id).await?;
    let mut tx = state.db.begin().await?;
    sqlx::query(
        "UPDATE users SET locked_until = NULL, failed_logins = 0, updated_at = $1 WHERE id = $2",
    )
    .bind(state.clock.now_text())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    caller
        .event("user.unlock", "success")
        .on("user", public_id)
        .record(&mut tx, state)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// 三员分立 holds for recovery too: no administrator resets another administrator's password or
/// sessions from the console (the one who resets sees the password and could sign in as them). An
/// administrator account is recovered on the host (`server reset-admin`). A refusal is audited.
async fn refuse_admin_target(
    state: &AppState,
    caller: &Caller,
    id: i64,
    public_id: &str,
    action: &str,
) -> Result<(), AppError> {
    if id == caller.user.user_id
        || !roles_of(state, id)
            .await?
            .iter()
            .any(Role::is_separated_admin)
    {
        return Ok(());
    }
    let mut tx = state.db.begin().await?;
    caller
        .event(action, "denied")
        .on("user", public_id)
        .with(serde_json::json!({ "reason": "separated_admin" }))
        .record(&mut tx, state)
        .await?;
    tx.commit().await?;
    Err(AppError::Forbidden)
}

/// A new one-time password (changed at next login). Ends the user's sessions and clears TOTP, so a
/// lost phone is recovered the same way as a lost password. Not for administrator accounts.
pub async fn reset_password(
    state: &AppState,
    caller: &Caller,
    public_id: &str,
) -> Result<TemporaryPassword, AppError> {
    let (id, r) = find(state, public_id).await?;
    if id == caller.user.user_id {
        return Err(AppError::Conflict(
            "请在“我的账户”中修改自己的密码。".into(),
        ));
    }
    refuse_admin_target(state, caller, id, public_id, "user.reset_password").await?;
    let temp = temporary_password();
    let hash = password::hash(temp.clone()).await?;
    let now = state.clock.now_text();
    let mut tx = state.db.begin().await?;
    store_password(&mut tx, id, &hash, &now, true).await?;
    sqlx::query("UPDATE users SET totp_secret_enc = NULL, totp_enabled = 0 WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    end_user_logins(&mut tx, &now, id, None, "admin").await?;
    caller
        .event("user.reset_password", "success")
        .on("user", public_id)
        .record(&mut tx, state)
        .await?;
    tx.commit().await?;
    Ok(TemporaryPassword {
        public_id: public_id.into(),
        username: r.try_get("username")?,
        password: temp,
    })
}

pub async fn end_sessions(
    state: &AppState,
    caller: &Caller,
    public_id: &str,
) -> Result<u64, AppError> {
    let (id, _) = find(state, public_id).await?;
    refuse_admin_target(state, caller, id, public_id, "user.end_sessions").await?;
    let now = state.clock.now_text();
    let mut tx = state.db.begin().await?;
    let keep = (id == caller.user.user_id).then_some(caller.user.login_id);
    let ended = end_user_logins(&mut tx, &now, id, keep, "admin").await?;
    caller
        .event("user.end_sessions", "success")
        .on("user", public_id)
        .with(serde_json::json!({ "ended": ended }))
        .record(&mut tx, state)
        .await?;
    tx.commit().await?;
    Ok(ended)
}

/// The security admin sets an account's roles. Nobody changes their own roles (two people, always).
pub async fn set_roles(
    state: &AppState,
    caller: &Caller,
    public_id: &str,
    codes: &[String],
) -> Result<(), AppError> {
    let (id, r) = find(state, public_id).await?;
    if id == caller.user.user_id {
        return Err(AppError::Conflict(
            "不能修改自己的角色：授权须由另一名安全管理员完成。".into(),
        ));
    }
    let mut roles = vec![];
    for c in codes.iter().filter(|c| !c.is_empty()) {
        let role = Role::from_code(c)
            .ok_or_else(|| AppError::field("roles", "ROLE_UNKNOWN", format!("未知角色“{c}”。")))?;
        if !roles.contains(&role) {
            roles.push(role);
        }
    }
    let dept: Option<i64> = r.try_get("department_id")?;
    let county: Option<String> = r.try_get("county_code")?;
    let office = r.try_get::<i64, _>("is_credit_office")? == 1;
    check_role_set(&roles, dept.is_some(), county.is_some(), office)
        .map_err(|m| AppError::field("roles", "ROLE_SET", m))?;
    let before = roles_of(state, id).await?;
    let now = state.clock.now_text();
    let mut tx = state.db.begin().await?;
    sqlx::query("DELETE FROM user_roles WHERE user_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    for role in &roles {
        sqlx::query("INSERT INTO user_roles (user_id, role_code, granted_by, granted_at) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(role.code())
            .bind(caller.user.user_id)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
    }
    caller
        .event("user.roles", "success")
        .on("user", public_id)
        .with(serde_json::json!({
            "before": before.iter().map(|r| r.code()).collect::<Vec<_>>(),
            "after": roles.iter().map(|r| r.code()).collect::<Vec<_>>(),
        }))
        .record(&mut tx, state)
        .await?;
    tx.commit().await?;
    Ok(())
}
