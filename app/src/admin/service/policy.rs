//! The security policy (password profile, session limits, lockout, TOTP, audit retention).
use crate::auth::model::SecurityPolicy;
use crate::error::AppError;
use crate::server::authz::Caller;
use crate::server::{settings, AppState};

pub async fn save(
    state: &AppState,
    caller: &Caller,
    policy: &SecurityPolicy,
) -> Result<(), AppError> {
    let problems = policy.problems();
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    let before = settings::security_policy(state).await?;
    let now = state.clock.now_text();
    let mut tx = state.db.begin().await?;
    settings::save_security_policy(&mut tx, &now, &caller.user.username, policy).await?;
    caller
        .event("policy.save", "success")
        .on("setting", "security_policy")
        .with(serde_json::json!({ "before": before, "after": policy }))
        .record(&mut tx, state)
        .await?;
    tx.commit().await?;
    Ok(())
}
