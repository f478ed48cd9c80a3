//! Types of the help centre that cross the wire.
use serde::{Deserialize, Serialize};

/// What the asker reads by tracking code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tracked {
    pub code: String,
    pub topic: String,
    pub question: String,
    /// Status code (`consult::Status`) and its label.
    pub status: String,
    pub status_label: String,
    /// Beijing dates.
    pub received_on: String,
    pub due_on: String,
    pub contact_masked: String,
    /// The unit that answers, once routed.
    pub department: Option<String>,
    pub answer: Option<String>,
    /// Beijing minute of the answer.
    pub answered_at: Option<String>,
}

/// A published question and answer (texts masked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicQa {
    pub public_id: String,
    pub topic: String,
    pub question: String,
    pub answer: String,
    pub department: Option<String>,
    /// Beijing dates.
    pub asked_on: String,
    pub answered_on: String,
}

/// The console's filters of the consultation list (all in the URL).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultFilter {
    /// "" (all), new, routed, answered, open (new + routed).
    #[serde(default)]
    pub status: String,
    /// A department's public id, or "".
    #[serde(default)]
    pub department: String,
    /// "1": only unanswered ones past their due date.
    #[serde(default)]
    pub overdue: String,
}

/// A row of the console list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultRow {
    pub public_id: String,
    pub topic: String,
    /// The first characters of the question.
    pub excerpt: String,
    pub status: String,
    pub status_label: String,
    pub department: Option<String>,
    pub received_on: String,
    pub due_on: String,
    pub overdue: bool,
    pub published: bool,
}

/// A unit a consultation may be routed to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentOption {
    pub public_id: String,
    pub name: String,
}

/// The console list with what its filters offer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsultList {
    pub page: crate::paging::Page<ConsultRow>,
    /// Units for the department filter (the caller's own only, for a clerk).
    pub departments: Vec<DepartmentOption>,
    /// Working days to answer, as set.
    pub answer_days: u32,
}

/// One consultation for staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultDetail {
    pub public_id: String,
    pub tracking_code: String,
    pub topic: String,
    pub question: String,
    pub asker_name: String,
    /// Masked: staff answer through the platform; the full contact is not shown.
    pub contact_masked: String,
    pub consent_publish: bool,
    pub status: String,
    pub status_label: String,
    pub department: Option<DepartmentOption>,
    pub received_on: String,
    pub due_on: String,
    pub overdue: bool,
    pub routed_at: Option<String>,
    pub routed_by: Option<String>,
    pub answer: Option<String>,
    pub answered_at: Option<String>,
    pub answered_by: Option<String>,
    pub published: bool,
    pub published_at: Option<String>,
    /// The published texts, or (before publication) the masked proposals to edit.
    pub public_question: String,
    pub public_answer: String,
    /// Units to route to (filled for callers who may route).
    pub departments: Vec<DepartmentOption>,
}

/// The help centre's home.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelpHome {
    pub latest: Vec<PublicQa>,
}

/// What the submit answers with (the page goes to the tracking page of the code).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submitted {
    pub code: String,
    pub due_on: String,
}
