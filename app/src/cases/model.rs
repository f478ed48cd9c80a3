//! What crosses the wire for cases.
use serde::{Deserialize, Serialize};

/// One case in the desk's list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseRow {
    pub public_id: String,
    pub tracking_code: String,
    pub kind: String,
    pub kind_label: String,
    pub state: String,
    pub state_label: String,
    pub subject_name: String,
    pub department: Option<String>,
    pub submitted_on: String,
    /// The next date to keep (step or result), Beijing date.
    pub next_due: Option<String>,
    /// in_time | due_soon | overdue | paused | closed
    pub standing: String,
}

/// The desk's filters (in the URL).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseFilter {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub state: String,
    /// A department's public id.
    #[serde(default)]
    pub unit: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseList {
    pub rows: Vec<CaseRow>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    /// (public id, name) of the units the filter offers.
    pub units: Vec<(String, String)>,
}

/// One move as the case's history shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepView {
    /// Beijing minute.
    pub at: String,
    pub label: String,
    pub actor: String,
    pub to_label: String,
    pub text: String,
}

/// A stored material.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileView {
    pub purpose_label: String,
    pub name: String,
    pub size: i64,
    /// Where staff download it.
    pub href: String,
}

/// A move the caller may make now (a button).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoveOption {
    pub code: String,
    pub label: String,
    pub needs_text: bool,
    pub picks_unit: bool,
}

/// One case on the desk.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseDetail {
    pub row: CaseRow,
    pub record_kind: String,
    pub record_public_id: String,
    pub subject_uscc: String,
    pub applicant_name: String,
    pub contact_masked: String,
    pub by_agent: bool,
    pub commitment: String,
    pub certificate_no: String,
    pub step_due_on: Option<String>,
    pub result_due_on: Option<String>,
    pub paused_since: Option<String>,
    pub paused_days: i64,
    pub extended: bool,
    pub extend_reason: Option<String>,
    pub steps: Vec<StepView>,
    pub files: Vec<FileView>,
    pub moves: Vec<MoveOption>,
    /// (public id, name) of active units, for a move that picks one.
    pub units: Vec<(String, String)>,
    /// How it came: 网站, 电话, 窗口, 信函.
    #[serde(default)]
    pub channel_label: String,
    /// An objection's ground (信息错误 …).
    #[serde(default)]
    pub ground_label: String,
    /// An objection's or complaint's description.
    #[serde(default)]
    pub description: String,
    /// The record's public display is suspended (open objections).
    #[serde(default)]
    pub record_suspended: bool,
    /// The caller may suspend or resume the record's display.
    #[serde(default)]
    pub can_suspend: bool,
    /// Where staff correct the record (the collection pipeline's form: a new version).
    #[serde(default)]
    pub correct_href: Option<String>,
}

/// What the applicant reads by tracking code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tracked {
    pub code: String,
    pub kind_label: String,
    pub state: String,
    pub state_label: String,
    pub closed: bool,
    pub subject_name: String,
    pub submitted_on: String,
    pub next_due: Option<String>,
    /// Waiting for the applicant's materials.
    pub waiting_for_applicant: bool,
    pub steps: Vec<StepView>,
}

/// The record a repair application is about, as the application form shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepairTarget {
    pub record_public_id: String,
    pub subject_name: String,
    pub decision_no: String,
    pub decision_date: String,
    pub authority: String,
    pub title: String,
    pub repair_eligible_from: String,
    /// Eligible today (the minimum display period has passed).
    pub eligible: bool,
    /// Already repaired, or a repair case is open.
    pub blocked: Option<String>,
}

/// The answer to an application.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applied {
    pub code: String,
    pub result_due_on: String,
}

/// The record an objection or complaint form is about, as the form shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordTarget {
    pub record_public_id: String,
    /// penalty | licence
    pub record_kind: String,
    pub subject_name: String,
    pub decision_no: String,
    pub decision_date: String,
    pub authority: String,
    pub title: String,
    /// An objection on it is open already.
    pub objection_open: bool,
}
