//! Typed settings kept as JSON in the `settings` table.
use super::AppState;
use crate::auth::model::SecurityPolicy;
use crate::error::AppError;
use sqlx::{AnyConnection, Row};

const SECURITY_POLICY: &str = "security_policy";

/// The security policy in force; the defaults of DOMAIN §15 until the security admin saves one.
pub async fn security_policy(state: &AppState) -> Result<SecurityPolicy, AppError> {
    let row = sqlx::query("SELECT value FROM settings WHERE key = $1")
        .bind(SECURITY_POLICY)
        .fetch_optional(&state.db.pool)
        .await?;
    Ok(match row {
        Some(r) => serde_json::from_str(&r.try_get::<String, _>("value")?).unwrap_or_default(),
        None => SecurityPolicy::default(),
    })
}

pub async fn save_security_policy(
    conn: &mut AnyConnection,
    now: &str,
    by: &str,
    policy: &SecurityPolicy,
) -> Result<(), AppError> {
    let value = serde_json::to_string(policy).map_err(|e| AppError::internal("policy json", e))?;
    sqlx::query(
        "INSERT INTO settings (key, value, updated_at, updated_by) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, \
         updated_by = excluded.updated_by",
    )
    .bind(SECURITY_POLICY)
    .bind(value)
    .bind(now)
    .bind(by)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A setting stored as JSON, or `default` when absent or unreadable.
pub async fn get_or<T: serde::de::DeserializeOwned>(
    state: &AppState,
    key: &str,
    default: T,
) -> Result<T, AppError> {
    let row = sqlx::query("SELECT value FROM settings WHERE key = $1")
        .bind(key)
        .fetch_optional(&state.db.pool)
        .await?;
    Ok(match row {
        Some(r) => serde_json::from_str(&r.try_get::<String, _>("value")?).unwrap_or(default),
        None => default,
    })
}

/// The disclosure-period regime in force (DOMAIN §7): the 2025 rules until an operator picks another.
pub async fn disclosure_regime(
    state: &AppState,
) -> Result<crate::rules::disclosure::Regime, AppError> {
    get_or(
        state,
        "disclosure_regime",
        crate::rules::disclosure::Regime::regime_2025(),
    )
    .await
}
