//! Demo accounts, one per role, for trying the platform (demo mode only; production refuses
//! `seed-demo`). They share one published password, so they must never exist in production.
use app::admin::service::users::insert_account;
use app::auth::model::Role;
use app::error::AppError;
use app::server::{audit, password, AppState};
use sqlx::Row;

pub const DEMO_PASSWORD: &str = "Credit#Demo2026";

/// Where a demo account belongs.
pub enum Home {
    Office,
    /// The n-th department by code.
    Department(usize),
    County(&'static str),
}

pub const DEMO_ACCOUNTS: &[(&str, &str, Role, Home)] = &[
    (
        "sysadmin",
        "系统管理员（演示）",
        Role::SystemAdmin,
        Home::Office,
    ),
    (
        "secadmin",
        "安全管理员（演示）",
        Role::SecurityAdmin,
        Home::Office,
    ),
    (
        "auditor",
        "审计管理员（演示）",
        Role::AuditAdmin,
        Home::Office,
    ),
    (
        "operator",
        "信用办业务员（演示）",
        Role::Operator,
        Home::Office,
    ),
    ("editor", "网站采编（演示）", Role::CmsEditor, Home::Office),
    (
        "reviewer",
        "网站审核（演示）",
        Role::CmsReviewer,
        Home::Office,
    ),
    (
        "publisher",
        "网站发布（演示）",
        Role::CmsPublisher,
        Home::Office,
    ),
    (
        "clerk",
        "信源单位经办人（演示）",
        Role::Clerk,
        Home::Department(0),
    ),
    (
        "clerk2",
        "另一单位经办人（演示）",
        Role::Clerk,
        Home::Department(1),
    ),
    (
        "county",
        "吉首市区县用户（演示）",
        Role::County,
        Home::County("433101"),
    ),
    (
        "subject",
        "信用主体账户（演示）",
        Role::Subject,
        Home::Office,
    ),
];

/// Creates the demo accounts that do not exist yet. Returns how many were created.
pub async fn seed(state: &AppState) -> Result<usize, AppError> {
    if state.config.is_production() {
        return Err(AppError::Conflict("生产模式不允许创建演示账户。".into()));
    }
    let departments: Vec<i64> = sqlx::query("SELECT id FROM departments ORDER BY code")
        .fetch_all(&state.db.pool)
        .await?
        .iter()
        .map(|r| r.try_get("id"))
        .collect::<Result<_, _>>()?;
    // One hash for all: they share the published demo password anyway.
    let hash = password::hash(DEMO_PASSWORD.to_string()).await?;
    let now = state.clock.now_text();
    let mut created = 0;
    let mut tx = state.db.begin().await?;
    for (username, name, role, home) in DEMO_ACCOUNTS {
        let exists = sqlx::query("SELECT id FROM users WHERE username = $1")
            .bind(*username)
            .fetch_optional(&mut *tx)
            .await?
            .is_some();
        let unit = match home {
            Home::Office => (None, None, *role != Role::Subject),
            Home::Department(i) => match departments.get(*i) {
                Some(id) => (Some(*id), None, false),
                None => continue,
            },
            Home::County(code) => (None, Some(code.to_string()), false),
        };
        if exists {
            continue;
        }
        let (id, _) = insert_account(&mut tx, &now, username, name, &hash, unit, false).await?;
        sqlx::query("INSERT INTO user_roles (user_id, role_code, granted_at) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(role.code())
            .bind(&now)
            .execute(&mut *tx)
            .await?;
        created += 1;
    }
    if created > 0 {
        audit::AuditEvent::new("演示数据", "user.create", "success")
            .with(serde_json::json!({ "demo_accounts": created }))
            .record(&mut tx, state)
            .await?;
    }
    tx.commit().await?;
    Ok(created)
}

/// The table the run command prints.
pub fn describe() -> String {
    let mut out = format!("演示账户（密码均为 {DEMO_PASSWORD}，仅限演示模式）：\n");
    for (username, _, role, _) in DEMO_ACCOUNTS {
        out.push_str(&format!("  {username:<10} {}\n", role.label()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The demo accounts must be able to log in under the policy they demonstrate.
    #[test]
    fn the_demo_password_meets_both_profiles() {
        use app::rules::password::PasswordPolicy;
        for policy in [PasswordPolicy::dengbao(), PasswordPolicy::asvs()] {
            for (username, ..) in DEMO_ACCOUNTS {
                let problems = app::server::password::problems(&policy, DEMO_PASSWORD, username);
                assert!(problems.is_empty(), "{username}: {problems:?}");
            }
        }
    }
}
