//! Account actions. Every one writes its audit event in the same transaction as the change.
use super::model::{check_username, AdminRole};
use crate::error::{AppError, FieldError};
use crate::server::audit::{self, AuditEvent};
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
    let (user_id, public_id) = crate::admin::service::users::insert_account(
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
    let mut event = AuditEvent::new("命令行安装", "account.create_admin", "success");
    event.object_type = Some("user".into());
    event.object_id = Some(public_id.clone());
    event.detail = serde_json::json!({ "username": username, "role": role.code() });
    audit::append(&mut tx, &state.secrets, &state.clock, &event).await?;
    tx.commit().await?;
    Ok(public_id)
}
