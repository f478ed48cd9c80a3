//! Types of the administration consoles that cross the wire.
use crate::auth::model::{LoginRecord, Role};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserRow {
    pub public_id: String,
    pub username: String,
    pub display_name: String,
    pub unit: String,
    pub roles: Vec<Role>,
    /// `active` or `disabled`.
    pub status: String,
    pub locked: bool,
    pub last_login_at: Option<String>,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserDetail {
    pub row: UserRow,
    pub unit_kind: String,
    pub department: Option<String>,
    pub county: Option<String>,
    pub failed_logins: i64,
    pub locked_until: Option<String>,
    pub totp_enabled: bool,
    pub must_change_password: bool,
    /// The USCC a subject account is bound to.
    #[serde(default)]
    pub subject_uscc: Option<String>,
    pub sessions: Vec<LoginRecord>,
}

/// A one-time password shown once to the system admin, who hands it to the user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TemporaryPassword {
    pub public_id: String,
    pub username: String,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DepartmentRow {
    pub public_id: String,
    pub code: String,
    pub name: String,
    /// The full legal name (湘西土家族苗族自治州…局), when it differs from `name`.
    #[serde(default)]
    pub full_name: String,
    /// Other names units write (short forms, abbreviations), `;`-separated: an authority written any
    /// of these ways gets this department's code filled.
    #[serde(default)]
    pub aliases: String,
    pub uscc: String,
    pub county_code: String,
    pub county_name: String,
    pub active: bool,
    pub users: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CountyRow {
    pub code: String,
    pub name: String,
    pub sort_order: i64,
    pub departments: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Orgs {
    pub departments: crate::paging::Page<DepartmentRow>,
    pub counties: Vec<CountyRow>,
    /// The caller may add and edit.
    pub can_manage: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DepartmentDetail {
    pub row: DepartmentRow,
    pub licences: i64,
    pub penalties: i64,
    pub latest_decision: Option<String>,
    pub accounts: Vec<(String, String)>,
    /// The caller may edit the department.
    #[serde(default)]
    pub can_manage: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct HolidayRow {
    pub day: String,
    /// `holiday` or `workday` (调休 working weekend).
    pub kind: String,
    pub name: String,
    pub source: String,
}

/// One year of the holiday calendar; `year` is the one asked for, or this year by the clock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HolidayYear {
    pub year: i32,
    pub rows: Vec<HolidayRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportSummary {
    pub inserted: u64,
    pub updated: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub actor_name: String,
    pub role: String,
    pub action: String,
    pub object: String,
    pub outcome: String,
    pub ip: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditDetail {
    pub row: AuditRow,
    pub user_agent: String,
    pub detail: String,
    pub prev_hash: String,
    pub hmac: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChainStatus {
    pub intact: bool,
    pub rows: u64,
    pub message: String,
    pub broken_at: Option<i64>,
    pub checkpoint: Option<String>,
    pub checked_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlarmRow {
    pub id: i64,
    pub severity: String,
    pub title: String,
    pub detail: String,
    pub status: String,
    pub occurrences: i64,
    pub raised_at: String,
    pub last_seen_at: String,
    pub handled_by: String,
    pub note: String,
}

pub fn audit_action_label(action: &str) -> &'static str {
    match action {
        "auth.login" => "登录",
        "auth.totp" => "动态验证码",
        "auth.logout" => "退出登录",
        "account.lock" => "账户锁定",
        "account.password_change" => "修改密码",
        "account.totp_enrol" => "绑定动态验证码",
        "account.end_other_sessions" => "退出其他登录",
        "account.create_admin" => "命令行创建管理员",
        "user.create" => "创建账户",
        "user.update" => "修改账户",
        "user.disable" => "停用账户",
        "user.enable" => "启用账户",
        "user.unlock" => "解锁账户",
        "user.reset_password" => "重置密码",
        "user.end_sessions" => "结束会话",
        "user.roles" => "授予/收回角色",
        "org.department_save" => "保存信源单位",
        "org.county_save" => "保存区县",
        "policy.save" => "修改安全策略",
        "disclosure.save" => "修改公示规则",
        "holiday.save" => "保存节假日",
        "holiday.delete" => "删除节假日",
        "holiday.import" => "导入节假日",
        "audit.export" => "导出审计日志",
        "audit.verify" => "校验审计链",
        "audit.prune" => "清理过期审计日志",
        "alarm.acknowledge" => "确认告警",
        "alarm.resolve" => "解决告警",
        "export" => "导出",
        _ => "其他操作",
    }
}

pub fn outcome_label(outcome: &str) -> &'static str {
    match outcome {
        "success" => "成功",
        "failure" => "失败",
        "denied" => "拒绝",
        _ => "—",
    }
}

pub fn alarm_status_label(status: &str) -> &'static str {
    match status {
        "open" => "未处理",
        "acknowledged" => "已确认",
        "resolved" => "已解决",
        _ => "未知",
    }
}

pub fn severity_label(severity: &str) -> &'static str {
    match severity {
        "critical" => "严重",
        "warning" => "警告",
        "info" => "提示",
        _ => "—",
    }
}

/// An active unit (department) in a pick list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitOption {
    pub id: i64,
    pub name: String,
}
