//! What the 联合奖惩 pages and server functions exchange.
use serde::{Deserialize, Serialize};

/// One measure as the console lists it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeasureRow {
    pub public_id: String,
    pub code: String,
    pub kind: String,
    pub kind_label: String,
    pub list_kind: String,
    pub list_label: String,
    pub content: String,
    pub basis: String,
    pub agency: String,
    /// 国家基础清单 or 本地措施.
    pub origin_label: String,
    /// The day it was retired (Beijing date) and why; none while in use.
    pub retired_on: Option<String>,
    pub retired_reason: Option<String>,
}

/// The measures page's filters (in the URL).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeasureFilter {
    /// Words of the content, the basis or the agency, or a code.
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub list_kind: String,
    #[serde(default)]
    pub kind: String,
    /// Empty: in use; `retired`; `all`.
    #[serde(default)]
    pub status: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeasureList {
    pub rows: Vec<MeasureRow>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// What an import did: new measures, changed ones, and rows already as stored.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub added: i64,
    pub updated: i64,
    pub unchanged: i64,
}

/// One service matter as the console lists it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatterRow {
    pub public_id: String,
    pub code: String,
    pub name: String,
    pub department_id: String,
    pub department: String,
    pub active: bool,
    /// (public id, code, content) of the measures linked (retired ones included: they are history).
    pub measures: Vec<(String, String, String)>,
}

/// A measure the matter form offers: (public id, code, list label, content).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeasureOption {
    pub public_id: String,
    pub code: String,
    pub list_label: String,
    pub content: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatterFilter {
    #[serde(default)]
    pub q: String,
    /// A department's public id.
    #[serde(default)]
    pub unit: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatterList {
    pub rows: Vec<MatterRow>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    /// (public id, name) of the units the caller may pick.
    pub units: Vec<(String, String)>,
    /// Measures in use, for the form.
    pub measures: Vec<MeasureOption>,
}

/// A list entry a check found in force on its day.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckHit {
    /// `red`, `black` or `watch`.
    pub list: String,
    /// 守信激励对象（红名单）…
    pub list_label: String,
    /// The subject as the entry names it (a person's ID number masked).
    pub subject_name: String,
    pub authority: String,
    pub basis: String,
    pub listed_on: String,
    /// Empty while open-ended.
    pub removed_on: String,
}

/// A measure a check tells the handler to apply (a reward for the red list, a sanction otherwise).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckMeasure {
    pub code: String,
    /// `reward` or `sanction`.
    pub kind: String,
    /// `red`, `black` or `watch`: the list whose entry calls for it.
    pub list: String,
    pub content: String,
    pub basis: String,
    pub agency: String,
}

/// The feedback recorded on a check.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckFeedback {
    pub applied: bool,
    /// Codes of the measures applied.
    pub measures: Vec<String>,
    pub result: String,
    pub reason: String,
    /// Beijing time, minute precision.
    pub at: String,
    pub by: String,
}

/// One check as its handler sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckView {
    pub public_id: String,
    pub matter_code: String,
    pub matter_name: String,
    pub department: String,
    /// The query as logged (an ID number masked) and the subject the registry matched, if any.
    pub subject_shown: String,
    pub subject_name: String,
    pub channel: String,
    pub checked_by: String,
    /// Beijing time, minute precision.
    pub checked_at: String,
    pub checked_on: String,
    pub hits: Vec<CheckHit>,
    pub measures: Vec<CheckMeasure>,
    /// The last day feedback is on time; none without hits.
    pub feedback_due: Option<String>,
    pub feedback: Option<CheckFeedback>,
    pub overdue: bool,
}

/// One line of the check log.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckLogRow {
    pub public_id: String,
    pub checked_at: String,
    pub department: String,
    pub matter: String,
    pub subject_shown: String,
    pub checked_by: String,
    pub channel: String,
    pub hit_count: i64,
    /// `none` (no hits), `awaiting`, `overdue`, `applied`, `not_applied`.
    pub state: String,
}

/// The check log's filters (in the URL).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckFilter {
    /// A matter's code or words of its name, or words of the subject.
    #[serde(default)]
    pub q: String,
    /// As `CheckLogRow::state`; empty for all.
    #[serde(default)]
    pub state: String,
    /// A department's public id.
    #[serde(default)]
    pub unit: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckLog {
    pub rows: Vec<CheckLogRow>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    pub units: Vec<(String, String)>,
    /// Checks of the caller's scope awaiting feedback, and how many of them are late.
    pub awaiting: i64,
    pub overdue: i64,
}

/// A matter the check form offers: (code, name, department).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatterChoice {
    pub code: String,
    pub name: String,
    pub department: String,
}

/// A batch check and its progress.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckBatchView {
    pub public_id: String,
    pub matter: String,
    pub department: String,
    pub file_name: String,
    /// `queued`, `running`, `done`, `failed`.
    pub status: String,
    pub rows_total: i64,
    pub rows_done: i64,
    pub rows_hit: i64,
    pub rows_faulty: i64,
    pub message: Option<String>,
    /// Beijing time, minute precision.
    pub created_at: String,
    /// Seconds from the upload to the end; none while working.
    pub seconds: Option<i64>,
}

/// The embedded check page's settings as the console shows them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmbedSettings {
    /// This platform's public address (empty when not configured: the page's own is used).
    pub origin: String,
    /// (public id, name, origins allowed to frame its page).
    pub units: Vec<(String, String, Vec<String>)>,
    pub may_edit: bool,
}
