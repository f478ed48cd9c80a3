//! Types shared by the collection pages (browser) and services (server).
use serde::{Deserialize, Serialize};

/// Batch states, in the order a batch moves through them.
pub const BATCH_STATUSES: &[(&str, &str)] = &[
    ("uploaded", "待映射表头"),
    ("checking", "检查中"),
    ("checked", "待确认"),
    ("published", "已发布"),
    ("discarded", "已作废"),
    ("failed", "无法读取"),
];

pub fn status_label(code: &str) -> &'static str {
    BATCH_STATUSES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("未知", |(_, l)| l)
}

pub fn channel_label(code: &str) -> &'static str {
    match code {
        "form" => "在线填报",
        "file" => "文件上传",
        "api" => "接口报送",
        "exchange" => "定时交换",
        _ => "其他",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ClassOption {
    pub code: String,
    pub name: String,
}

/// A unit in a pick list; the unit register is the admin domain's.
pub use crate::admin::model::UnitOption;

/// What the upload form offers this caller.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubmitOptions {
    pub classes: Vec<ClassOption>,
    /// Empty for a clerk, who always submits for their own unit.
    pub units: Vec<UnitOption>,
    pub own_unit: Option<String>,
    pub max_mb: u64,
}

/// What the web form and the browser's pre-check need to run the server's rules for one unit and
/// class: the class as the catalogue has it now, the trusted unit, the regime and today's date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FormSpec {
    pub class: crate::rules::catalog::ClassSpec,
    pub department_id: i64,
    pub unit: crate::rules::clean::row::Unit,
    pub regime: crate::rules::disclosure::Regime,
    pub today: crate::rules::date::Ymd,
    /// The unit's confirmed header mappings for the class: header → field key.
    pub remembered: Vec<(String, String)>,
    /// The department register the server fills authorities' codes from.
    #[serde(default)]
    pub authorities: Vec<crate::rules::clean::row::Authority>,
    /// The disclosure policy's mask for ID numbers found in text.
    #[serde(default)]
    pub id_mask: crate::rules::mask::MaskRule,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct BatchRow {
    pub public_id: String,
    pub class_name: String,
    pub unit_name: String,
    pub channel: String,
    pub file_name: String,
    pub status: String,
    pub rows_total: i64,
    pub rows_new: i64,
    pub rows_update: i64,
    pub rows_duplicate: i64,
    pub rows_faulty: i64,
    pub created_at: String,
    pub created_by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleCount {
    pub code: String,
    pub name: String,
    pub level: String,
    pub rows: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaultRow {
    pub row_no: i64,
    pub field: String,
    pub code: String,
    pub level: String,
    pub message: String,
}

/// A header the pipeline did not recognise, with the fields it could be mapped to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MappingNeed {
    pub headers: Vec<String>,
    pub fields: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatchDetail {
    pub batch: BatchRow,
    pub encoding: String,
    pub rows_done: i64,
    pub rows_warning: i64,
    pub error: String,
    /// Rows per second and seconds left while checking.
    pub speed: Option<f64>,
    pub remaining_secs: Option<f64>,
    pub checked_at: String,
    pub confirmed_at: String,
    pub rule_counts: Vec<RuleCount>,
    pub faults: crate::paging::Page<FaultRow>,
    pub mapping: Option<MappingNeed>,
    pub can_confirm: bool,
    pub can_submit: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ClassSummary {
    pub code: String,
    pub name: String,
    pub storage: String,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "crate::server::db::flag::Flag"))]
    pub builtin: bool,
    pub fields: i64,
    pub units: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleView {
    pub code: String,
    pub duty: String,
    pub name: String,
    pub level: String,
    pub enabled: bool,
    pub optional: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceView {
    pub department_id: i64,
    pub unit: String,
    /// Frequency code (see `catalog::FREQUENCIES`).
    pub frequency: String,
    pub exchange_url: String,
    /// The last scheduled exchange: time and outcome, empty when none ran.
    pub last_exchange: String,
}

/// One class as the catalogue page shows it; `units` (the pick list for adding a source unit) is
/// filled only for those who may edit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassDetail {
    pub spec: crate::rules::catalog::ClassSpec,
    pub builtin: bool,
    pub may_manage: bool,
    pub rules: Vec<RuleView>,
    pub sources: Vec<SourceView>,
    pub units: Vec<UnitOption>,
}

/// A field as the edit form sends it: lists as typed (separated by ； 、 or new lines).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FieldForm {
    pub key: String,
    pub name: String,
    #[serde(default)]
    pub code_v2: String,
    #[serde(default)]
    pub codes_v1: String,
    #[serde(default)]
    pub synonyms: String,
    pub field_type: String,
    pub requirement: String,
    #[serde(default)]
    pub options: String,
    pub max_len: String,
}

/// Record kinds with a typed table, as used in URLs.
pub const RECORD_KINDS: &[(&str, &str)] = &[("penalty", "行政处罚"), ("licence", "行政许可")];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordRow {
    pub kind: String,
    pub public_id: String,
    pub decision_no: String,
    pub subject_name: String,
    pub decision_date: String,
    pub unit: String,
    pub state: String,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeView {
    pub label: String,
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersionView {
    pub version: i64,
    pub action: String,
    pub actor: String,
    pub at: String,
    pub reason: String,
    pub batch: Option<String>,
    pub changes: Vec<ChangeView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordDetail {
    pub kind: String,
    pub kind_name: String,
    pub public_id: String,
    pub title: String,
    pub state: String,
    pub fields: Vec<(String, String)>,
    pub filled: Vec<(String, String)>,
    pub versions: Vec<VersionView>,
    pub can_withdraw: bool,
    /// Some text fields had personal numbers masked, and the caller may read them as sent (audited).
    #[serde(default)]
    pub can_unmask: bool,
}

pub fn version_action_label(action: &str) -> &'static str {
    match action {
        "create" => "首次报送",
        "update" => "更新",
        "withdraw" => "撤下公示",
        "correct" => "更正",
        "restore" => "恢复",
        _ => "变更",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ApiKeyRow {
    pub public_id: String,
    pub name: String,
    pub prefix: String,
    pub scopes: String,
    pub unit: String,
    pub created_at: String,
    pub last_used_at: String,
    pub revoked_at: String,
    /// The key's own requests per minute; 0 when it takes the platform's default.
    pub rate_per_min: i64,
}

/// What the key console offers: units and classes to scope a key to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiKeyPage {
    pub keys: Vec<ApiKeyRow>,
    pub units: Vec<UnitOption>,
    pub classes: Vec<ClassOption>,
}

/// A key just made: shown once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewApiKey {
    pub key: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ConflictRow {
    pub public_id: String,
    pub uscc: String,
    pub registry_name: String,
    pub incoming_name: String,
    pub current_name: String,
    pub unit: String,
    pub batch: Option<String>,
    pub status: String,
    pub created_at: String,
}

/// One row of the due-date board: a unit's class and when its next update is due.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DueItem {
    pub unit_id: i64,
    pub unit_name: String,
    pub class_code: String,
    pub class_name: String,
    pub frequency: String,
    /// Last confirmed batch (UTC timestamp), if any.
    pub last_submitted: Option<String>,
    pub due_on: String,
    /// Negative: days overdue.
    pub days_left: i64,
    /// `ok` | `soon` | `overdue` | `long_overdue` (`rules::due::DueState`).
    pub state: String,
}

/// A unit's publication timeliness: records of the last `days` days and those published later than
/// the working-day rule allows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LateSummary {
    pub unit_id: i64,
    pub unit_name: String,
    pub published: i64,
    pub late: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReminderRow {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub created_at: String,
    pub read: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DueBoard {
    pub today: String,
    pub items: Vec<DueItem>,
    pub late: Vec<LateSummary>,
    pub window_days: i64,
    pub workdays: u32,
    /// The caller's unit's reminders (empty for staff without a unit).
    pub reminders: Vec<ReminderRow>,
}

/// Quality of one unit's class in a month (docs/domain.md §6a). Shares are 0–1; `None` when there was nothing
/// to measure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QualityRow {
    pub unit_id: i64,
    pub unit_name: String,
    pub class_code: String,
    pub class_name: String,
    /// Records published in the month.
    pub records: i64,
    /// Rows checked in the month, and how many were faulty.
    pub rows_checked: i64,
    pub rows_faulty: i64,
    pub completeness: Option<f64>,
    pub timeliness: Option<f64>,
    pub accuracy: Option<f64>,
    pub availability: Option<f64>,
}

/// A unit's overall figures, for the league table and trends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QualityScore {
    pub unit_id: i64,
    pub unit_name: String,
    pub month: String,
    pub records: i64,
    pub completeness: Option<f64>,
    pub timeliness: Option<f64>,
    pub accuracy: Option<f64>,
    pub availability: Option<f64>,
    /// Mean of the measured shares, 0–100.
    pub score: Option<f64>,
    /// Catalogue items overdue now.
    pub overdue: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldFill {
    pub class_name: String,
    pub field: String,
    pub filled: i64,
    pub total: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaultCount {
    pub code: String,
    pub name: String,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QualityBoard {
    pub month: String,
    /// Months offered in the picker, newest first.
    pub months: Vec<String>,
    pub rows: Vec<QualityRow>,
    /// Units ranked by score (the credit office's league table).
    pub league: Vec<QualityScore>,
    /// The whole scope's figures for the last six months, oldest first.
    pub trend: Vec<QualityScore>,
}

/// The monthly quality report of one unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QualityReport {
    pub unit_id: i64,
    pub unit_name: String,
    pub month: String,
    pub score: QualityScore,
    pub rows: Vec<QualityRow>,
    pub fields: Vec<FieldFill>,
    pub faults: Vec<FaultCount>,
    pub advice: Vec<String>,
    pub overdue: Vec<DueItem>,
    pub trend: Vec<QualityScore>,
}

/// One subject in the registry list (法人库).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubjectRow {
    pub public_id: String,
    pub name: String,
    /// The USCC, or the masked ID number of a person.
    pub identifier: String,
    pub kind: String,
    pub county: String,
    pub updated_at: String,
}

/// A subject with its register details, name history and record counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubjectDetail {
    pub row: SubjectRow,
    pub legal_rep: String,
    pub reg_no: String,
    pub org_code: String,
    pub address: String,
    pub established_on: String,
    pub source: String,
    pub created_at: String,
    /// Former names: (name, until, source), latest first.
    pub names: Vec<(String, String, String)>,
    /// (record kind, label, count) for the typed classes, then other classes by name.
    pub records: Vec<(String, String, i64)>,
    pub open_conflicts: i64,
}

pub fn subject_kind_label(kind: &str) -> &'static str {
    match kind {
        "organisation" => "法人及非法人组织",
        "individual_business" => "个体工商户",
        "person" => "自然人",
        _ => "其他",
    }
}
