//! Login, the TOTP step and logout. Every attempt, successful or not, is audited in the transaction
//! that records its effect (failure count, lock, new session).
use super::model::{LoginNext, SecurityPolicy};
use crate::error::AppError;
use crate::server::audit::{Actor, AuditEvent};
use crate::server::clock::rfc3339;
use crate::server::session::{
    self, auth_of, new_token, session_error, token_hash, AuthSession, RequestMeta, AUTH_KEY,
};
use crate::server::settings::security_policy;
use crate::server::{password, AppState};
use sqlx::Row;
use time::Duration;
use tower_sessions::Session;

/// One message for every failure, so that it reveals neither the account nor its state.
pub const LOGIN_FAILED: &str =
    "用户名或密码错误，或账户已被锁定、停用。连续多次失败后账户将被临时锁定，请稍后再试或联系系统管理员。";
const TOTP_FAILED: &str = "动态验证码错误或已过期，请查看验证器中的最新验证码后重试。";

/// An event about an account by whoever tries to sign in as it (not yet a caller).
fn event(
    meta: &RequestMeta,
    actor: &str,
    actor_id: Option<i64>,
    action: &str,
    outcome: &str,
) -> AuditEvent {
    let who = Actor {
        user_id: actor_id,
        name: actor.into(),
        role: None,
        ip: meta.ip.clone(),
        user_agent: meta.user_agent.clone(),
    };
    who.event(action, outcome).about("user")
}

/// Only same-site paths are followed after login; anything else goes to the console.
pub fn safe_next(next: &str) -> String {
    // Checked as given and once decoded, for a value that was encoded once more on its way here.
    let ok = next.len() <= 2_000
        && is_local_path(next)
        && is_local_path(&percent_decode(next))
        && !next.starts_with("/login");
    if ok {
        next.to_string()
    } else {
        "/console".to_string()
    }
}

/// A path on this site: one leading `/`, and no backslash, whitespace or control character.
/// Browsers read `\` as `/` and drop tabs and newlines from URLs (`/\t/evil.example` is
/// `//evil.example`, another site), and a newline cannot go into the `Location` header.
fn is_local_path(p: &str) -> bool {
    p.starts_with('/')
        && !p.starts_with("//")
        && !p
            .chars()
            .any(|c| c == '\\' || c.is_whitespace() || c.is_control())
}

/// `%XX` sequences decoded (invalid UTF-8 replaced); anything else kept as it is.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes.get(i),
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (Some(b'%'), Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (Some(b), _, _) => {
                out.push(*b);
                i += 1;
            }
            (None, _, _) => break,
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The typed user name as the audit log keeps it: at most 64 characters, without control
/// characters (a name is typed by anyone, and the log is read by people and tools).
fn typed_username(raw: &str) -> String {
    raw.trim()
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_control())
        .take(64)
        .collect()
}

pub async fn login(
    state: &AppState,
    session: &Session,
    meta: &RequestMeta,
    username: &str,
    password_text: &str,
    next: &str,
) -> Result<LoginNext, AppError> {
    if !state.limits.allow_login(meta.ip.as_deref()) {
        tracing::warn!(ip = ?meta.ip, "login rate limit hit");
        return Err(AppError::RateLimited);
    }
    let username = typed_username(username);
    // Oversized input is refused before hashing (argon2 time grows with it), with the same message.
    if username.is_empty() || password_text.is_empty() || password_text.len() > 256 {
        return Err(AppError::field("password", "LOGIN_FAILED", LOGIN_FAILED));
    }
    let policy = security_policy(state).await?;
    let row = sqlx::query(
        "SELECT id, public_id, password_hash, status, failed_logins, locked_until, totp_enabled \
         FROM users WHERE username = $1",
    )
    .bind(&username)
    .fetch_optional(&state.db.pool)
    .await?;
    let stored: Option<String> = match &row {
        Some(r) => r.try_get("password_hash")?,
        None => None,
    };
    let password_ok = password::verify(stored.clone(), password_text.to_string()).await;
    let now = state.clock.now();
    let now_text = rfc3339(now);
    let mut tx = state.db.begin().await?;
    let Some(row) = row else {
        event(meta, &username, None, "auth.login", "failure")
            .with(serde_json::json!({ "reason": "unknown_user" }))
            .record(&mut tx, state)
            .await?;
        tx.commit().await?;
        return Err(AppError::field("password", "LOGIN_FAILED", LOGIN_FAILED));
    };
    let user_id: i64 = row.try_get("id")?;
    let public_id: String = row.try_get("public_id")?;
    let status: String = row.try_get("status")?;
    let locked_until: Option<String> = row.try_get("locked_until")?;
    let locked = locked_until
        .as_deref()
        .is_some_and(|t| t > now_text.as_str());
    let refusal = if status != "active" {
        Some("disabled")
    } else if locked {
        Some("locked")
    } else if !password_ok {
        Some("bad_password")
    } else {
        None
    };
    if let Some(reason) = refusal {
        let e = event(meta, &username, Some(user_id), "auth.login", "failure")
            .on("user", &public_id)
            .with(serde_json::json!({ "reason": reason }));
        if reason == "bad_password" {
            register_failure(
                state, &mut tx, &policy, user_id, &public_id, &username, meta,
            )
            .await?;
        }
        e.record(&mut tx, state).await?;
        tx.commit().await?;
        return Err(AppError::field("password", "LOGIN_FAILED", LOGIN_FAILED));
    }
    // Enrolled means asked, whatever the policy requires (the policy only decides who must enrol).
    let totp_pending = row.try_get::<i64, _>("totp_enabled")? == 1;
    let token = new_token();
    sqlx::query(
        "UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = $1 WHERE id = $2",
    )
    .bind(&now_text)
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO user_sessions (token_hash, user_id, created_at, last_seen_at, ip, user_agent) \
         VALUES ($1, $2, $3, $3, $4, $5)",
    )
    .bind(token_hash(state, &token))
    .bind(user_id)
    .bind(&now_text)
    .bind(meta.ip.as_deref())
    .bind(meta.user_agent.as_deref())
    .execute(&mut *tx)
    .await?;
    event(meta, &username, Some(user_id), "auth.login", "success")
        .on("user", public_id)
        .with(serde_json::json!({ "totp_pending": totp_pending }))
        .record(&mut tx, state)
        .await?;
    tx.commit().await?;
    if stored.as_deref().is_some_and(password::needs_rehash) {
        if let Ok(fresh) = password::hash(password_text.to_string()).await {
            sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
                .bind(fresh)
                .bind(user_id)
                .execute(&state.db.pool)
                .await?;
        }
    }
    // A new session id at login: an id planted before it (session fixation) is worthless.
    session.cycle_id().await.map_err(session_error)?;
    session
        .insert(
            AUTH_KEY,
            AuthSession {
                token,
                user_id,
                totp_pending,
            },
        )
        .await
        .map_err(session_error)?;
    session
        .remove::<String>(session::NOTICE_KEY)
        .await
        .map_err(session_error)?;
    Ok(if totp_pending {
        LoginNext::Totp
    } else {
        LoginNext::Go(landing(state, user_id, next).await?)
    })
}

/// Counts a failed password (or TOTP code) and locks the account at the threshold.
async fn register_failure(
    state: &AppState,
    tx: &mut sqlx::AnyConnection,
    policy: &SecurityPolicy,
    user_id: i64,
    public_id: &str,
    username: &str,
    meta: &RequestMeta,
) -> Result<(), AppError> {
    let failures: i64 = sqlx::query(
        "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING failed_logins",
    )
    .bind(user_id)
    .fetch_one(&mut *tx)
    .await?
    .try_get("failed_logins")?;
    if failures >= policy.lockout_threshold as i64 {
        let e =
            event(meta, username, Some(user_id), "account.lock", "success").on("user", public_id);
        lock_account(state, tx, policy, user_id, e, failures).await?;
    }
    Ok(())
}

/// Locks an account for the policy's lockout time, in the caller's transaction. `lock_event` (action
/// `account.lock`, with who and from where) is written with the time and the failure count.
pub(crate) async fn lock_account(
    state: &AppState,
    tx: &mut sqlx::AnyConnection,
    policy: &SecurityPolicy,
    user_id: i64,
    lock_event: AuditEvent,
    failures: i64,
) -> Result<(), AppError> {
    let until = rfc3339(state.clock.now() + Duration::minutes(policy.lockout_minutes as i64));
    sqlx::query("UPDATE users SET failed_logins = 0, locked_until = $1 WHERE id = $2")
        .bind(&until)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    lock_event
        .with(serde_json::json!({ "until": until, "failures": failures }))
        .record(tx, state)
        .await?;
    Ok(())
}

/// The second step: the TOTP code of an account whose password was accepted.
pub async fn totp_step(
    state: &AppState,
    session: &Session,
    meta: &RequestMeta,
    code: &str,
    next: &str,
) -> Result<LoginNext, AppError> {
    let Some(mut auth) = auth_of(session).await?.filter(|a| a.totp_pending) else {
        return Err(AppError::field(
            "code",
            "TOTP_NOT_PENDING",
            "请先输入用户名和密码，再输入动态验证码。",
        ));
    };
    if !state.limits.allow_login(meta.ip.as_deref()) {
        return Err(AppError::RateLimited);
    }
    let policy = security_policy(state).await?;
    let row = sqlx::query(
        "SELECT public_id, username, totp_secret_enc, totp_last_step FROM users WHERE id = $1",
    )
    .bind(auth.user_id)
    .fetch_one(&state.db.pool)
    .await?;
    let username: String = row.try_get("username")?;
    let public_id: String = row.try_get("public_id")?;
    let last_step: i64 = row.try_get("totp_last_step")?;
    let secret = row
        .try_get::<Option<String>, _>("totp_secret_enc")?
        .map(|s| state.secrets.decrypt_id(&s))
        .transpose()?;
    // A code is good once: a step at or before the last accepted one is a replay.
    let step = secret
        .and_then(|s| super::totp::matching_step(&s, &username, code, state.clock.now()))
        .filter(|s| *s > last_step);
    let ok = step.is_some();
    let mut tx = state.db.begin().await?;
    let e = event(
        meta,
        &username,
        Some(auth.user_id),
        "auth.totp",
        if ok { "success" } else { "failure" },
    )
    .on("user", &public_id);
    if !ok {
        register_failure(
            state,
            &mut tx,
            &policy,
            auth.user_id,
            &public_id,
            &username,
            meta,
        )
        .await?;
        e.record(&mut tx, state).await?;
        tx.commit().await?;
        return Err(AppError::field("code", "TOTP_FAILED", TOTP_FAILED));
    }
    sqlx::query("UPDATE users SET failed_logins = 0, totp_last_step = $1 WHERE id = $2")
        .bind(step.unwrap_or(last_step))
        .bind(auth.user_id)
        .execute(&mut *tx)
        .await?;
    e.record(&mut tx, state).await?;
    tx.commit().await?;
    auth.totp_pending = false;
    let user_id = auth.user_id;
    session.cycle_id().await.map_err(session_error)?;
    session
        .insert(AUTH_KEY, auth)
        .await
        .map_err(session_error)?;
    Ok(LoginNext::Go(landing(state, user_id, next).await?))
}

/// Where a login goes: the page asked for, else the console; a subject account, which has no console,
/// goes to its cases (`/my/cases`).
async fn landing(state: &AppState, user_id: i64, next: &str) -> Result<String, AppError> {
    use crate::auth::policy::{may, Action};
    let to = safe_next(next);
    if to != "/console" {
        return Ok(to);
    }
    let roles = crate::server::session::roles_of(state, user_id).await?;
    Ok(
        if !may(&roles, Action::ConsoleEnter) && may(&roles, Action::CaseOwn) {
            "/my/cases".to_string()
        } else {
            to
        },
    )
}

/// Ends this login. Without a login it does nothing (and says nothing).
pub async fn logout(
    state: &AppState,
    session: &Session,
    meta: &RequestMeta,
) -> Result<(), AppError> {
    if let Some(auth) = auth_of(session).await? {
        let row = sqlx::query(
            "SELECT s.id, u.username FROM user_sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1",
        )
        .bind(token_hash(state, &auth.token))
        .fetch_optional(&state.db.pool)
        .await?;
        if let Some(row) = row {
            let login_id: i64 = row.try_get("id")?;
            let username: String = row.try_get("username")?;
            let mut tx = state.db.begin().await?;
            sqlx::query(
                "UPDATE user_sessions SET ended_at = $1, end_reason = 'logout' WHERE id = $2 AND ended_at IS NULL",
            )
            .bind(state.clock.now_text())
            .bind(login_id)
            .execute(&mut *tx)
            .await?;
            event(
                meta,
                &username,
                Some(auth.user_id),
                "auth.logout",
                "success",
            )
            .record(&mut tx, state)
            .await?;
            tx.commit().await?;
        }
    }
    session.flush().await.map_err(session_error)?;
    Ok(())
}
