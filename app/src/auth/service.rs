//! Account actions. Every one writes its audit event in the same transaction as the change.
use super::model::{check_username, AdminRole};
use crate::error::{AppError, FieldError};
use crate::rules::password::PasswordPolicy;
use crate::server::audit::{self, AuditEvent};
use crate::server::{password, AppState};
use sqlx::Row;

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
    for p in PasswordPolicy::default().check(password_text, &username) {
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
    let public_id = uuid::Uuid::new_v4().simple().to_string();
    let mut tx = state.db.pool.begin().await?;
    let taken = sqlx::query("SELECT id FROM users WHERE username = $1")
        .bind(&username)
        .fetch_optional(&mut *tx)
        .await?;
    if taken.is_some() {
        return Err(AppError::Conflict(format!(
            "用户名“{username}”已被使用，请换一个。"
        )));
    }
    let user_id: i64 = sqlx::query(
        "INSERT INTO users (public_id, username, display_name, password_hash, is_credit_office, status, \
         password_changed_at, must_change_password, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 1, 'active', $5, 0, $5, $5) RETURNING id",
    )
    .bind(&public_id)
    .bind(&username)
    .bind(display_name.trim())
    .bind(&hash)
    .bind(&now)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    sqlx::query("INSERT INTO user_roles (user_id, role_code, granted_at) VALUES ($1, $2, $3)")
        .bind(user_id)
        .bind(role.code())
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    let mut event = AuditEvent::new("命令行安装", "account.create_admin", "success");
    event.object_type = Some("user".into());
    event.object_id = Some(public_id.clone());
    event.detail = serde_json::json!({ "username": username, "role": role.code() });
    audit::append(&mut tx, &state.secrets, &state.clock, &event).await?;
    tx.commit().await?;
    Ok(public_id)
}
