//! Account actions. Every one writes its audit event in the same transaction as the change.
use super::model::{check_username, AdminRole};
use crate::error::{AppError, FieldError};
use crate::server::audit::AuditEvent;
use crate::server::{password, AppState};

/// `server create-admin`: the first system, security or audit administrator, made at install.
/// The password is the operator's own (never a default) and must meet the password policy.
pub async fn create_admin(
    state: &AppState,
    role: AdminRole,
    username: &str,
    display_name: &str,
    password_text: &str,
) -> Result<String, AppError> {
    let username = username.trim().to_lowercase();
    let mut problems = vec![];
    if let Err(message) = check_username(&username) {
        problems.push(FieldError {
            field: "username".into(),
            code: "USERNAME_INVALID".into(),
            message,
        });
    }
    let policy = crate::server::settings::security_policy(state)
        .await?
        .password_policy();
    for p in password::problems(&policy, password_text, &username) {
        problems.push(FieldError {
            field: "password".into(),
            code: p.code().into(),
            message: p.message(),
        });
    }
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    let hash = password::hash(password_text.to_string()).await?;
    let now = state.clock.now_text();
    let mut tx = state.db.begin().await?;
    let (user_id, public_id) = crate::admin::service::insert_account(
        &mut tx,
        &now,
        &username,
        display_name.trim(),
        &hash,
        (None, None, true),
        false,
    )
    .await?;
    sqlx::query("INSERT INTO user_roles (user_id, role_code, granted_at) VALUES ($1, $2, $3)")
        .bind(user_id)
        .bind(role.code())
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    AuditEvent::new("命令行安装", "account.create_admin", "success")
        .on("user", &public_id)
        .with(serde_json::json!({ "username": username, "role": role.code() }))
        .record(&mut tx, state)
        .await?;
    tx.commit().await?;
    Ok(public_id)
}

/// The audit log's name for the operator at the host.
pub const HOST_ACTOR: &str = "主机命令行";

/// `server reset-admin`: recovers an administrator account on the host (三员分立: no administrator
/// resets another's password from the console). Sets the operator's password, which must be
/// changed at the next login, clears TOTP and any lock, ends the account's logins, and is audited.
/// Business accounts are reset by the system admin in the console instead.
pub async fn recover_admin(
    state: &AppState,
    username: &str,
    password_text: &str,
) -> Result<String, AppError> {
    use sqlx::Row;
    let username = username.trim().to_lowercase();
    let row = sqlx::query("SELECT id, public_id FROM users WHERE username = $1")
        .bind(&username)
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("账户“{username}”")))?;
    let (id, public_id): (i64, String) = (row.try_get("id")?, row.try_get("public_id")?);
    let roles = crate::server::session::roles_of(state, id).await?;
    let Some(role) = roles.iter().find(|r| r.is_separated_admin()) else {
        return Err(AppError::Conflict(format!(
            "“{username}”不是管理员账户：业务账户的密码由系统管理员在工作台“用户管理”中重置。"
        )));
    };
    let policy = crate::server::settings::security_policy(state)
        .await?
        .password_policy();
    let problems: Vec<FieldError> = password::problems(&policy, password_text, &username)
        .into_iter()
        .map(|p| FieldError {
            field: "password".into(),
            code: p.code().into(),
            message: p.message(),
        })
        .collect();
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    let hash = password::hash(password_text.to_string()).await?;
    let now = state.clock.now_text();
    let mut tx = state.db.begin().await?;
    super::account::store_password(&mut tx, id, &hash, &now, true).await?;
    sqlx::query("UPDATE users SET totp_secret_enc = NULL, totp_enabled = 0 WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let ended =
        crate::server::session::end_user_logins(&mut tx, &now, id, None, "recovered").await?;
    AuditEvent::new(HOST_ACTOR, "account.recover_admin", "success")
        .on("user", &public_id)
        .with(serde_json::json!({
            "username": username,
            "role": role.code(),
            "ended_logins": ended,
        }))
        .record(&mut tx, state)
        .await?;
    tx.commit().await?;
    Ok(role.label().to_string())
}
