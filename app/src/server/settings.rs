//! Typed settings kept as JSON in the `settings` table.
use super::AppState;
use crate::auth::model::SecurityPolicy;
use crate::error::AppError;
use sqlx::{AnyConnection, Row};

const SECURITY_POLICY: &str = "security_policy";

/// The security policy in force; the defaults of docs/domain.md §15 until the security admin saves one.
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
    put(conn, SECURITY_POLICY, policy, now, by).await
}

/// Stores a setting as JSON (inside the caller's transaction, which also audits the change).
pub async fn put<T: serde::Serialize>(
    conn: &mut AnyConnection,
    key: &str,
    value: &T,
    now: &str,
    by: &str,
) -> Result<(), AppError> {
    let value = serde_json::to_string(value).map_err(|e| AppError::internal("setting json", e))?;
    sqlx::query(
        "INSERT INTO settings (key, value, updated_at, updated_by) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, \
         updated_by = excluded.updated_by",
    )
    .bind(key)
    .bind(value)
    .bind(now)
    .bind(by)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A count of working days (a deadline) saved with its audit line in one transaction: refused outside
/// `1..=max` with `message`. Answers the value it replaced.
pub async fn save_days(
    state: &AppState,
    by: &crate::server::audit::Actor,
    key: &str,
    days: u32,
    max: u32,
    message: &str,
) -> Result<(), AppError> {
    if !(1..=max).contains(&days) {
        return Err(AppError::field("days", "DAYS_OUT_OF_RANGE", message));
    }
    let before: Option<u32> = get_or(state, key, None).await?;
    let now = state.clock.now_text();
    let mut tx = state.db.begin().await?;
    put(&mut tx, key, &days, &now, &by.name).await?;
    by.audit(
        &mut tx,
        state,
        &format!("{key}.save"),
        None,
        serde_json::json!({ "from": before, "to": days }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// When and by whom a setting was last saved (`None` while it has its default).
pub async fn last_change(
    state: &AppState,
    key: &str,
) -> Result<Option<(String, String)>, AppError> {
    let row = sqlx::query("SELECT updated_at, updated_by FROM settings WHERE key = $1")
        .bind(key)
        .fetch_optional(&state.db.pool)
        .await?;
    Ok(match row {
        Some(r) => Some((
            r.try_get("updated_at")?,
            r.try_get::<Option<String>, _>("updated_by")?
                .unwrap_or_default(),
        )),
        None => None,
    })
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

/// The setting that holds the disclosure-period regime.
pub const DISCLOSURE_REGIME: &str = "disclosure_regime";

/// The disclosure-period regime in force (docs/domain.md §7): the 2025 rules until an operator picks another.
pub async fn disclosure_regime(
    state: &AppState,
) -> Result<crate::rules::disclosure::Regime, AppError> {
    get_or(
        state,
        DISCLOSURE_REGIME,
        crate::rules::disclosure::Regime::regime_2025(),
    )
    .await
}
