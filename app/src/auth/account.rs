//! The signed-in user's own account: overview, password change, TOTP enrolment, ending sessions.
use super::model::{AccountOverview, LoginRecord, Me, SecurityPolicy, TotpEnrolment};
use super::totp;
use crate::error::{AppError, FieldError};
use crate::server::audit;
use crate::server::authz::Caller;
use crate::server::clock::{parse_rfc3339, rfc3339};
use crate::server::session::{end_user_logins, session_error, SessionUser, PENDING_TOTP_KEY};
use crate::server::{password, AppState};
use sqlx::Row;
use tower_sessions::Session;

/// The user as the browser sees them, with the name of their unit.
pub async fn me_of(state: &AppState, user: &SessionUser) -> Result<Me, AppError> {
    let unit = if let Some(d) = user.department_id {
        sqlx::query("SELECT name FROM departments WHERE id = $1")
            .bind(d)
            .fetch_optional(&state.db.pool)
            .await?
            .map(|r| r.try_get::<String, _>("name"))
            .transpose()?
    } else if let Some(c) = &user.county_code {
        sqlx::query("SELECT name FROM counties WHERE code = $1")
            .bind(c)
            .fetch_optional(&state.db.pool)
            .await?
            .map(|r| r.try_get::<String, _>("name"))
            .transpose()?
    } else {
        None
    };
    Ok(Me {
        public_id: user.public_id.clone(),
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        roles: user.roles.clone(),
        unit: unit.unwrap_or_else(|| {
            if user.credit_office {
                "州信用办".into()
            } else {
                "—".into()
            }
        }),
        must_change_password: user.must_change_password,
        must_enrol_totp: user.must_enrol_totp,
    })
}

pub async fn overview(
    state: &AppState,
    caller: &Caller,
    policy: &SecurityPolicy,
) -> Result<AccountOverview, AppError> {
    let me = me_of(state, &caller.user).await?;
    let row = sqlx::query("SELECT password_changed_at FROM users WHERE id = $1")
        .bind(caller.user.user_id)
        .fetch_one(&state.db.pool)
        .await?;
    let changed: Option<String> = row.try_get("password_changed_at")?;
    let expires = match (policy.password_policy().expiry_days, changed.as_deref()) {
        (Some(days), Some(at)) => {
            parse_rfc3339(at).map(|t| rfc3339(t + time::Duration::days(days as i64)))
        }
        _ => None,
    };
    let logins: Vec<LoginRecord> = sqlx::query_as(
        "SELECT created_at, last_seen_at, COALESCE(ip, '') AS ip, COALESCE(user_agent, '') AS user_agent, \
         ended_at, end_reason, CASE WHEN id = $2 THEN 1 ELSE 0 END AS current FROM user_sessions \
         WHERE user_id = $1 ORDER BY id DESC LIMIT 20",
    )
    .bind(caller.user.user_id)
    .bind(caller.user.login_id)
    .fetch_all(&state.db.pool)
    .await?;
    let p = policy.password_policy();
    Ok(AccountOverview {
        me,
        totp_enabled: caller.user.totp_enabled,
        totp_required: policy.totp_required,
        password_changed_at: changed,
        password_expires_at: expires,
        password_rules: password_rules_text(&p),
        logins,
    })
}

pub fn password_rules_text(p: &crate::rules::password::PasswordPolicy) -> String {
    let mut parts = vec![format!("至少 {} 个字符", p.min_length)];
    if p.min_classes > 0 {
        parts.push(format!(
            "包含大写字母、小写字母、数字、符号中的至少 {} 类",
            p.min_classes
        ));
    }
    parts.push("不能是常见弱密码，不能包含用户名".into());
    if p.history > 0 {
        parts.push(format!("不能与最近 {} 次使用过的密码相同", p.history));
    }
    if let Some(d) = p.expiry_days {
        parts.push(format!("每 {d} 天须更换"));
    }
    parts.join("；") + "。"
}

fn field(field: &str, code: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.into(),
        code: code.into(),
        message: message.into(),
    }
}

/// Checks a new password against the policy and the user's history (the current one included).
pub async fn check_new_password(
    state: &AppState,
    policy: &SecurityPolicy,
    user_id: i64,
    username: &str,
    new_password: &str,
) -> Result<(), AppError> {
    let p = policy.password_policy();
    let mut problems: Vec<FieldError> = password::problems(&p, new_password, username)
        .iter()
        .map(|x| field("new_password", x.code(), x.message()))
        .collect();
    if problems.is_empty() && p.history > 0 {
        let rows = sqlx::query(
            "SELECT password_hash FROM password_history WHERE user_id = $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(user_id)
        .bind(p.history as i64)
        .fetch_all(&state.db.pool)
        .await?;
        for r in rows {
            let old: String = r.try_get("password_hash")?;
            if password::verify(Some(old), new_password.to_string()).await {
                problems.push(field(
                    "new_password",
                    "PASSWORD_REUSED",
                    format!("不能使用最近 {} 次用过的密码，请换一个新密码。", p.history),
                ));
                break;
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(problems))
    }
}

/// Stores a new password hash and keeps it in the history. Runs in the caller's transaction.
pub async fn store_password(
    conn: &mut sqlx::AnyConnection,
    user_id: i64,
    hash: &str,
    now: &str,
    must_change: bool,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE users SET password_hash = $1, password_changed_at = $2, must_change_password = $3, \
         failed_logins = 0, locked_until = NULL, updated_at = $2 WHERE id = $4",
    )
    .bind(hash)
    .bind(now)
    .bind(must_change as i64)
    .bind(user_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO password_history (user_id, password_hash, created_at) VALUES ($1, $2, $3)",
    )
    .bind(user_id)
    .bind(hash)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn change_password(
    state: &AppState,
    caller: &Caller,
    policy: &SecurityPolicy,
    current: &str,
    new_password: &str,
    confirm: &str,
) -> Result<(), AppError> {
    // A guess at the current password from a signed-in session counts as a failed login: the same
    // counter and lockout (安全策略), so a stolen session gets no more guesses than the login page.
    // The attempt is counted before the password is checked, so parallel guesses are counted too.
    let uid = caller.user.user_id;
    let threshold = i64::from(policy.lockout_threshold);
    let attempt: Option<i64> = sqlx::query(
        "UPDATE users SET failed_logins = failed_logins + 1 \
         WHERE id = $1 AND (locked_until IS NULL OR locked_until <= $2) RETURNING failed_logins",
    )
    .bind(uid)
    .bind(rfc3339(state.clock.now()))
    .fetch_optional(&state.db.pool)
    .await?
    .map(|r| r.try_get("failed_logins"))
    .transpose()?;
    let Some(attempt) = attempt.filter(|n| *n <= threshold) else {
        // Locked, or past the allowance (guesses in parallel): lock now if not yet locked.
        refuse_password_check(state, caller, policy, attempt.is_some(), "locked").await?;
        return Err(AppError::field(
            "current_password",
            "ACCOUNT_LOCKED",
            format!(
                "当前密码连续输错次数过多，账户已临时锁定：请 {} 分钟后再试，或联系系统管理员解锁。",
                policy.lockout_minutes
            ),
        ));
    };
    let stored: Option<String> = sqlx::query("SELECT password_hash FROM users WHERE id = $1")
        .bind(uid)
        .fetch_one(&state.db.pool)
        .await?
        .try_get("password_hash")?;
    if current.len() > 256 || !password::verify(stored, current.to_string()).await {
        refuse_password_check(state, caller, policy, attempt >= threshold, "bad_password").await?;
        return Err(AppError::field(
            "current_password",
            "PASSWORD_WRONG",
            "当前密码不正确，请重新输入。连续多次输错后账户将被临时锁定。",
        ));
    }
    // The current password was proven: earlier wrong guesses no longer count (as after a login).
    sqlx::query("UPDATE users SET failed_logins = 0 WHERE id = $1")
        .bind(uid)
        .execute(&state.db.pool)
        .await?;
    if new_password != confirm {
        return Err(AppError::field(
            "confirm_password",
            "PASSWORD_MISMATCH",
            "两次输入的新密码不一致，请重新输入。",
        ));
    }
    if new_password == current {
        return Err(AppError::field(
            "new_password",
            "PASSWORD_UNCHANGED",
            "新密码不能与当前密码相同。",
        ));
    }
    check_new_password(
        state,
        policy,
        caller.user.user_id,
        &caller.user.username,
        new_password,
    )
    .await?;
    let hash = password::hash(new_password.to_string()).await?;
    let now = state.clock.now_text();
    let mut tx = state.db.begin().await?;
    store_password(&mut tx, caller.user.user_id, &hash, &now, false).await?;
    let ended = end_user_logins(
        &mut tx,
        &now,
        caller.user.user_id,
        Some(caller.user.login_id),
        "password_changed",
    )
    .await?;
    caller
        .event("account.password_change", "success")
        .on("user", &caller.user.public_id)
        .with(serde_json::json!({ "other_sessions_ended": ended }))
        .record(&mut tx, state)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Audits a refused password change (`reason`: bad_password, locked), locking the account first
/// when `lock` (the attempt reached the policy's threshold), as a failed login would.
async fn refuse_password_check(
    state: &AppState,
    caller: &Caller,
    policy: &SecurityPolicy,
    lock: bool,
    reason: &str,
) -> Result<(), AppError> {
    let object = |e: audit::AuditEvent| e.on("user", &caller.user.public_id);
    let mut tx = state.db.begin().await?;
    if lock {
        let e = object(caller.event("account.lock", "success"));
        let failures = i64::from(policy.lockout_threshold);
        super::login::lock_account(state, &mut tx, policy, caller.user.user_id, e, failures)
            .await?;
    }
    object(caller.event("account.password_change", "failure"))
        .with(serde_json::json!({ "reason": reason }))
        .record(&mut tx, state)
        .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn totp_begin(
    state: &AppState,
    caller: &Caller,
    session: &Session,
) -> Result<TotpEnrolment, AppError> {
    let _ = state;
    let secret = totp::new_secret();
    session
        .insert(PENDING_TOTP_KEY, secret.clone())
        .await
        .map_err(session_error)?;
    let url = totp::otpauth_url(&secret, &caller.user.username);
    Ok(TotpEnrolment {
        qr_svg: totp::qr_svg(&url),
        manual_key: totp::manual_key(&secret),
    })
}

pub async fn totp_confirm(
    state: &AppState,
    caller: &Caller,
    session: &Session,
    code: &str,
) -> Result<(), AppError> {
    let secret: Option<String> = session.get(PENDING_TOTP_KEY).await.map_err(session_error)?;
    let Some(secret) = secret else {
        return Err(AppError::field(
            "code",
            "TOTP_NOT_STARTED",
            "请先点击“生成二维码”，用验证器扫描后再输入验证码。",
        ));
    };
    let Some(step) = totp::matching_step(&secret, &caller.user.username, code, state.clock.now())
    else {
        return Err(AppError::field(
            "code",
            "TOTP_FAILED",
            "验证码不正确：请输入验证器中显示的 6 位数字，并确认手机时间准确。",
        ));
    };
    let mut tx = state.db.begin().await?;
    sqlx::query(
        "UPDATE users SET totp_secret_enc = $1, totp_enabled = 1, totp_last_step = $2, updated_at = $3 \
         WHERE id = $4",
    )
    .bind(state.secrets.encrypt_id(&secret))
    .bind(step)
    .bind(state.clock.now_text())
    .bind(caller.user.user_id)
    .execute(&mut *tx)
    .await?;
    caller
        .event("account.totp_enrol", "success")
        .on("user", &caller.user.public_id)
        .record(&mut tx, state)
        .await?;
    tx.commit().await?;
    session
        .remove::<String>(PENDING_TOTP_KEY)
        .await
        .map_err(session_error)?;
    Ok(())
}

/// "Log out everywhere else": ends every other login of the caller.
pub async fn end_other_sessions(state: &AppState, caller: &Caller) -> Result<u64, AppError> {
    let now = state.clock.now_text();
    let mut tx = state.db.begin().await?;
    let ended = end_user_logins(
        &mut tx,
        &now,
        caller.user.user_id,
        Some(caller.user.login_id),
        "logout_everywhere",
    )
    .await?;
    caller
        .event("account.end_other_sessions", "success")
        .with(serde_json::json!({ "ended": ended }))
        .record(&mut tx, state)
        .await?;
    tx.commit().await?;
    Ok(ended)
}
