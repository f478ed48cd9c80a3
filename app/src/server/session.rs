//! Login sessions. The cookie session (tower-sessions) holds a random token naming a `user_sessions`
//! row; that row is what an admin lists and ends. Idle and absolute limits are enforced here, with
//! the app's clock, from the times kept in the row.
use super::clock::{parse_rfc3339, rfc3339};
use super::secrets::hmac_sha256;
use super::AppState;
use crate::auth::model::{Role, SecurityPolicy};
use crate::error::AppError;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use time::Duration;
use tower_sessions::Session;

pub const AUTH_KEY: &str = "auth";
/// A one-shot notice for the login page ("your session timed out").
pub const NOTICE_KEY: &str = "notice";
/// A TOTP secret between "begin enrolment" and "confirm".
pub const PENDING_TOTP_KEY: &str = "pending_totp";

/// What the cookie session carries about the login.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AuthSession {
    pub token: String,
    pub user_id: i64,
    /// Password accepted, TOTP code still due.
    pub totp_pending: bool,
}

/// Where a request came from, for the audit log and the per-IP limits.
#[derive(Debug, Clone, Default)]
pub struct RequestMeta {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

impl RequestMeta {
    /// From request parts: the socket address, or the proxy's `X-Forwarded-For` when trusted.
    pub fn from_parts(parts: &http::request::Parts, trust_proxy: bool) -> Self {
        let forwarded = trust_proxy
            .then(|| parts.headers.get("x-forwarded-for"))
            .flatten()
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .map(|v| v.trim().to_string());
        let socket = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip().to_string());
        let user_agent = parts
            .headers
            .get(http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.chars().take(300).collect());
        RequestMeta {
            ip: forwarded.or(socket),
            user_agent,
        }
    }
}

/// The account behind a live session, as loaded for one request.
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub user_id: i64,
    pub public_id: String,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub department_id: Option<i64>,
    pub county_code: Option<String>,
    pub credit_office: bool,
    pub must_change_password: bool,
    pub must_enrol_totp: bool,
    pub totp_enabled: bool,
    /// `user_sessions.id` of this login.
    pub login_id: i64,
}

pub fn token_hash(state: &AppState, token: &str) -> String {
    hex::encode(hmac_sha256(
        &state.secrets.csrf_key,
        format!("session:{token}").as_bytes(),
    ))
}

pub fn new_token() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub fn session_error(e: tower_sessions::session::Error) -> AppError {
    AppError::internal("session store", e)
}

pub async fn auth_of(session: &Session) -> Result<Option<AuthSession>, AppError> {
    session.get(AUTH_KEY).await.map_err(session_error)
}

/// Loads the signed-in user, or `None` when there is no live, fully authenticated login. An expired
/// login is ended here (idle or absolute limit), and the login page is told why.
pub async fn current_user(
    state: &AppState,
    session: &Session,
    policy: &SecurityPolicy,
    allow_totp_pending: bool,
) -> Result<Option<SessionUser>, AppError> {
    let Some(auth) = auth_of(session).await? else {
        return Ok(None);
    };
    if auth.totp_pending && !allow_totp_pending {
        return Ok(None);
    }
    let row = sqlx::query(
        "SELECT s.id AS login_id, s.created_at, s.last_seen_at, s.ended_at, u.id, u.public_id, u.username, \
         u.display_name, u.department_id, u.county_code, u.is_credit_office, u.status, u.must_change_password, \
         u.password_changed_at, u.totp_enabled FROM user_sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.token_hash = $1",
    )
    .bind(token_hash(state, &auth.token))
    .fetch_optional(&state.db.pool)
    .await?;
    let Some(row) = row else {
        forget(session, None).await?;
        return Ok(None);
    };
    let login_id: i64 = row.try_get("login_id")?;
    let ended: Option<String> = row.try_get("ended_at")?;
    let status: String = row.try_get("status")?;
    if ended.is_some() || status != "active" {
        forget(session, Some("ended")).await?;
        return Ok(None);
    }
    let now = state.clock.now();
    let created = parse_rfc3339(&row.try_get::<String, _>("created_at")?).unwrap_or(now);
    let last_seen = parse_rfc3339(&row.try_get::<String, _>("last_seen_at")?).unwrap_or(now);
    let expired = if now - last_seen > Duration::minutes(policy.idle_minutes as i64) {
        Some("idle")
    } else if now - created > Duration::hours(policy.absolute_hours as i64) {
        Some("absolute")
    } else {
        None
    };
    if let Some(reason) = expired {
        end_login(state, login_id, reason).await?;
        forget(session, Some("timeout")).await?;
        return Ok(None);
    }
    // Touch at most once a minute: the idle limit is in minutes, and writes cost.
    if now - last_seen > Duration::seconds(60) {
        sqlx::query("UPDATE user_sessions SET last_seen_at = $1 WHERE id = $2")
            .bind(rfc3339(now))
            .bind(login_id)
            .execute(&state.db.pool)
            .await?;
    }
    let user_id: i64 = row.try_get("id")?;
    let roles = roles_of(state, user_id).await?;
    let password_changed = row
        .try_get::<Option<String>, _>("password_changed_at")?
        .and_then(|t| parse_rfc3339(&t));
    let expired_password = match (policy.password_policy().expiry_days, password_changed) {
        (Some(days), Some(at)) => now - at > Duration::days(days as i64),
        (Some(_), None) => true,
        (None, _) => false,
    };
    let totp_enabled = row.try_get::<i64, _>("totp_enabled")? == 1;
    Ok(Some(SessionUser {
        user_id,
        public_id: row.try_get("public_id")?,
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        must_enrol_totp: policy.totp_required
            && !totp_enabled
            && roles.iter().any(Role::is_console),
        roles,
        department_id: row.try_get("department_id")?,
        county_code: row.try_get("county_code")?,
        credit_office: row.try_get::<i64, _>("is_credit_office")? == 1,
        must_change_password: row.try_get::<i64, _>("must_change_password")? == 1
            || expired_password,
        totp_enabled,
        login_id,
    }))
}

pub async fn roles_of(state: &AppState, user_id: i64) -> Result<Vec<Role>, AppError> {
    let rows =
        sqlx::query("SELECT role_code FROM user_roles WHERE user_id = $1 ORDER BY role_code")
            .bind(user_id)
            .fetch_all(&state.db.pool)
            .await?;
    let mut roles: Vec<Role> = rows
        .iter()
        .filter_map(|r| r.try_get::<String, _>("role_code").ok())
        .filter_map(|c| Role::from_code(&c))
        .collect();
    roles.sort();
    Ok(roles)
}

/// Drops the login from the cookie session, leaving an optional notice for the login page.
pub async fn forget(session: &Session, notice: Option<&str>) -> Result<(), AppError> {
    session.flush().await.map_err(session_error)?;
    if let Some(n) = notice {
        session.insert(NOTICE_KEY, n).await.map_err(session_error)?;
    }
    Ok(())
}

/// Ends one login (the row stays, for the list of recent logins).
pub async fn end_login(state: &AppState, login_id: i64, reason: &str) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE user_sessions SET ended_at = $1, end_reason = $2 WHERE id = $3 AND ended_at IS NULL",
    )
    .bind(state.clock.now_text())
    .bind(reason)
    .bind(login_id)
    .execute(&state.db.pool)
    .await?;
    Ok(())
}

/// Ends every live login of a user, except `keep`. Runs in the caller's transaction.
pub async fn end_user_logins(
    conn: &mut sqlx::AnyConnection,
    now: &str,
    user_id: i64,
    keep: Option<i64>,
    reason: &str,
) -> Result<u64, AppError> {
    let done = sqlx::query(
        "UPDATE user_sessions SET ended_at = $1, end_reason = $2 \
         WHERE user_id = $3 AND ended_at IS NULL AND id <> $4",
    )
    .bind(now)
    .bind(reason)
    .bind(user_id)
    .bind(keep.unwrap_or(0))
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}
