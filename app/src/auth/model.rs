//! Account types shared by the server and the browser.
use serde::{Deserialize, Serialize};

/// The roles of docs/domain.md §2. `code()` is the key in the `roles` table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Role {
    Subject,
    Clerk,
    County,
    CmsEditor,
    CmsReviewer,
    CmsPublisher,
    Operator,
    SystemAdmin,
    SecurityAdmin,
    AuditAdmin,
}

impl Role {
    pub const ALL: [Role; 10] = [
        Role::Subject,
        Role::Clerk,
        Role::County,
        Role::CmsEditor,
        Role::CmsReviewer,
        Role::CmsPublisher,
        Role::Operator,
        Role::SystemAdmin,
        Role::SecurityAdmin,
        Role::AuditAdmin,
    ];

    pub fn code(&self) -> &'static str {
        match self {
            Role::Subject => "subject",
            Role::Clerk => "clerk",
            Role::County => "county",
            Role::CmsEditor => "cms_editor",
            Role::CmsReviewer => "cms_reviewer",
            Role::CmsPublisher => "cms_publisher",
            Role::Operator => "operator",
            Role::SystemAdmin => "system_admin",
            Role::SecurityAdmin => "security_admin",
            Role::AuditAdmin => "audit_admin",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label(&self) -> &'static str {
        match self {
            Role::Subject => "信用主体账户",
            Role::Clerk => "信源单位经办人",
            Role::County => "区县用户",
            Role::CmsEditor => "网站采编",
            Role::CmsReviewer => "网站审核",
            Role::CmsPublisher => "网站发布",
            Role::Operator => "信用办业务人员",
            Role::SystemAdmin => "系统管理员",
            Role::SecurityAdmin => "安全管理员",
            Role::AuditAdmin => "审计管理员",
        }
    }

    /// One of the three separated administrator roles (三员分立).
    pub fn is_separated_admin(&self) -> bool {
        matches!(
            self,
            Role::SystemAdmin | Role::SecurityAdmin | Role::AuditAdmin
        )
    }

    /// Roles that work in the console; the TOTP policy applies to them.
    pub fn is_console(&self) -> bool {
        *self != Role::Subject
    }

    /// Where an account must belong to hold the role: a department, a county, or the credit office.
    pub fn home(&self) -> RoleHome {
        match self {
            Role::Subject => RoleHome::Any,
            Role::Clerk => RoleHome::Department,
            Role::County => RoleHome::County,
            _ => RoleHome::CreditOffice,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleHome {
    Any,
    Department,
    County,
    CreditOffice,
}

/// Checks a set of roles for an account: 三员分立, and each role's home (department, county, office).
pub fn check_role_set(
    roles: &[Role],
    has_department: bool,
    has_county: bool,
    credit_office: bool,
) -> Result<(), String> {
    let admins: Vec<&Role> = roles.iter().filter(|r| r.is_separated_admin()).collect();
    if admins.len() > 1 {
        return Err(format!(
            "三员分立：同一账户不能同时担任{}。",
            admins
                .iter()
                .map(|r| r.label())
                .collect::<Vec<_>>()
                .join("和")
        ));
    }
    if let [admin] = admins.as_slice() {
        if roles.len() > 1 {
            return Err(format!("{}账户不能兼任其他业务角色。", admin.label()));
        }
    }
    for r in roles {
        let ok = match r.home() {
            RoleHome::Any => true,
            RoleHome::Department => has_department,
            RoleHome::County => has_county,
            RoleHome::CreditOffice => credit_office,
        };
        if !ok {
            let need = match r.home() {
                RoleHome::Department => "所属信源单位",
                RoleHome::County => "所属区县",
                _ => "信用办",
            };
            return Err(format!("“{}”角色要求账户属于{need}。", r.label()));
        }
    }
    Ok(())
}

/// The signed-in user, as the browser sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Me {
    pub public_id: String,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    /// Department or county or 信用办, for the header.
    pub unit: String,
    /// Password expired or reset by an admin: only the change-password page works until it is changed.
    pub must_change_password: bool,
    /// The TOTP policy applies but the user has not enrolled yet.
    pub must_enrol_totp: bool,
}

/// Password, session and login policy, kept in `settings` and edited by the security admin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SecurityPolicy {
    /// `dengbao` (default) or `asvs`: docs/domain.md §15.
    pub password_profile: crate::rules::password::Profile,
    pub idle_minutes: u32,
    pub absolute_hours: u32,
    pub lockout_threshold: u32,
    pub lockout_minutes: u32,
    /// TOTP second factor for console roles.
    pub totp_required: bool,
    pub audit_retention_days: u32,
}

impl Default for SecurityPolicy {
    fn default() -> Self {
        SecurityPolicy {
            password_profile: crate::rules::password::Profile::Dengbao,
            idle_minutes: 30,
            absolute_hours: 12,
            lockout_threshold: 5,
            lockout_minutes: 15,
            totp_required: false,
            audit_retention_days: 184,
        }
    }
}

impl SecurityPolicy {
    pub fn password_policy(&self) -> crate::rules::password::PasswordPolicy {
        crate::rules::password::PasswordPolicy::of(self.password_profile)
    }

    /// Range checks, with the field and the fix named in Chinese.
    pub fn problems(&self) -> Vec<crate::error::FieldError> {
        let mut out = vec![];
        let mut check = |ok: bool, field: &str, message: &str| {
            if !ok {
                out.push(crate::error::FieldError {
                    field: field.into(),
                    code: "POLICY_RANGE".into(),
                    message: message.into(),
                });
            }
        };
        check(
            (5..=120).contains(&self.idle_minutes),
            "idle_minutes",
            "空闲超时应为 5–120 分钟（等保要求不超过 30 分钟为宜）。",
        );
        check(
            (1..=24).contains(&self.absolute_hours),
            "absolute_hours",
            "会话最长时限应为 1–24 小时。",
        );
        check(
            (3..=10).contains(&self.lockout_threshold),
            "lockout_threshold",
            "锁定阈值应为 3–10 次连续失败。",
        );
        check(
            (5..=1440).contains(&self.lockout_minutes),
            "lockout_minutes",
            "锁定时长应为 5–1440 分钟。",
        );
        check(
            self.audit_retention_days >= 184,
            "audit_retention_days",
            "审计日志保存期不得少于 184 天（六个月）。",
        );
        out
    }
}

/// One login of the user, for "recent logins" and "my sessions".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct LoginRecord {
    #[cfg_attr(feature = "ssr", sqlx(rename = "created_at"))]
    pub started_at: String,
    pub last_seen_at: String,
    pub ip: String,
    pub user_agent: String,
    /// `None` while live.
    pub ended_at: Option<String>,
    pub end_reason: Option<String>,
    /// The caller's own session (`0 AS current` where there is no caller).
    #[cfg_attr(feature = "ssr", sqlx(try_from = "crate::server::db::flag::Flag"))]
    pub current: bool,
}

pub fn end_reason_label(reason: &str) -> &'static str {
    match reason {
        "logout" => "已退出",
        "idle" => "空闲超时",
        "absolute" => "超过最长时限",
        "password_changed" => "修改密码后结束",
        "admin" => "管理员结束",
        "recovered" => "主机恢复账户后结束",
        "disabled" => "账户停用",
        "logout_everywhere" => "全部退出",
        _ => "已结束",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountOverview {
    pub me: Me,
    pub totp_enabled: bool,
    pub totp_required: bool,
    pub password_changed_at: Option<String>,
    pub password_expires_at: Option<String>,
    pub password_rules: String,
    pub logins: Vec<LoginRecord>,
}

/// What the user's authenticator app needs to enrol.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TotpEnrolment {
    pub qr_svg: String,
    pub manual_key: String,
}

/// What the login step tells the browser to do next.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum LoginNext {
    /// Enter the TOTP code.
    Totp,
    /// Signed in; go here.
    Go(String),
}

/// The three separated administrator roles (三员分立): no account holds two of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AdminRole {
    System,
    Security,
    Audit,
}

impl AdminRole {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "system" => Some(AdminRole::System),
            "security" => Some(AdminRole::Security),
            "audit" => Some(AdminRole::Audit),
            _ => None,
        }
    }

    pub fn role(&self) -> Role {
        match self {
            AdminRole::System => Role::SystemAdmin,
            AdminRole::Security => Role::SecurityAdmin,
            AdminRole::Audit => Role::AuditAdmin,
        }
    }

    /// The role code in the `roles` table.
    pub fn code(&self) -> &'static str {
        self.role().code()
    }

    pub fn label(&self) -> &'static str {
        self.role().label()
    }
}

/// Usernames: 3 to 32 of a-z, 0-9, `_`, `.`, `-`, starting with a letter.
pub fn check_username(username: &str) -> Result<(), String> {
    let ok_chars = username
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_.-".contains(c));
    let starts = username
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase());
    if (3..=32).contains(&username.len()) && ok_chars && starts {
        Ok(())
    } else {
        Err(format!(
            "用户名“{username}”无效：应为3–32位小写字母、数字或 _ . -，并以字母开头。"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        assert!(check_username("sysadmin").is_ok());
        assert!(check_username("zhang.san-01").is_ok());
        assert!(check_username("ab").is_err());
        assert!(check_username("1admin").is_err());
        assert!(check_username("Admin").is_err());
        assert!(check_username("张三").is_err());
    }

    #[test]
    fn role_sets() {
        use Role::*;
        assert!(check_role_set(&[SystemAdmin], false, false, true).is_ok());
        assert!(check_role_set(&[SystemAdmin, AuditAdmin], false, false, true).is_err());
        assert!(check_role_set(&[SecurityAdmin, Operator], false, false, true).is_err());
        assert!(check_role_set(&[Clerk], true, false, false).is_ok());
        assert!(check_role_set(&[Clerk], false, true, false).is_err());
        assert!(check_role_set(&[County], false, true, false).is_ok());
        assert!(check_role_set(&[Operator, CmsEditor], false, false, true).is_ok());
        assert!(check_role_set(&[Operator], true, false, false).is_err());
        for r in Role::ALL {
            assert_eq!(Role::from_code(r.code()), Some(r));
        }
    }

    #[test]
    fn admin_roles() {
        assert_eq!(AdminRole::parse("security"), Some(AdminRole::Security));
        assert_eq!(AdminRole::parse("root"), None);
        assert_eq!(AdminRole::Audit.code(), "audit_admin");
    }
}
