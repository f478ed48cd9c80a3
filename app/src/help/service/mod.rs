//! Help-centre services (server only): taking a question, the asker's and the public's reads, the
//! staff desk and its audited moves, and the deadline scan.
pub mod desk;
pub mod due;
pub mod intake;
pub mod moves;
pub mod public;

use crate::error::AppError;
use crate::rules::date::beijing_minute;
use sqlx::any::AnyRow;
use sqlx::Row;

/// A consultation row as the services read it.
#[derive(Debug, Clone)]
pub(crate) struct Stored {
    pub id: i64,
    pub public_id: String,
    pub tracking_code: String,
    pub topic: String,
    pub question: String,
    pub asker_name: String,
    pub contact_masked: String,
    pub consent_publish: bool,
    pub status: String,
    pub department_id: Option<i64>,
    pub department_public_id: Option<String>,
    pub department_name: Option<String>,
    pub received_on: String,
    pub due_on: String,
    pub routed_at: Option<String>,
    pub routed_by: Option<String>,
    pub answer: Option<String>,
    pub answered_at: Option<String>,
    pub answered_by: Option<String>,
    pub published: bool,
    pub published_at: Option<String>,
    pub public_question: Option<String>,
    pub public_answer: Option<String>,
}

/// The columns `Stored` reads, from `consultations c LEFT JOIN departments d`.
pub(crate) const COLUMNS: &str = "c.id, c.public_id, c.tracking_code, c.topic, c.question, c.asker_name, \
     c.contact_masked, c.consent_publish, c.status, c.department_id, d.public_id AS department_public_id, \
     d.name AS department_name, c.received_on, c.due_on, c.routed_at, c.routed_by, c.answer, c.answered_at, \
     c.answered_by, c.published, c.published_at, c.public_question, c.public_answer";

pub(crate) const FROM: &str =
    "FROM consultations c LEFT JOIN departments d ON d.id = c.department_id";

impl Stored {
    pub fn from_row(r: &AnyRow) -> Result<Self, AppError> {
        Ok(Stored {
            id: r.try_get("id")?,
            public_id: r.try_get("public_id")?,
            tracking_code: r.try_get("tracking_code")?,
            topic: r.try_get("topic")?,
            question: r.try_get("question")?,
            asker_name: r.try_get("asker_name")?,
            contact_masked: r.try_get("contact_masked")?,
            consent_publish: r.try_get::<i64, _>("consent_publish")? != 0,
            status: r.try_get("status")?,
            department_id: r.try_get("department_id")?,
            department_public_id: r.try_get("department_public_id")?,
            department_name: r.try_get("department_name")?,
            received_on: r.try_get("received_on")?,
            due_on: r.try_get("due_on")?,
            routed_at: r.try_get("routed_at")?,
            routed_by: r.try_get("routed_by")?,
            answer: r.try_get("answer")?,
            answered_at: r.try_get("answered_at")?,
            answered_by: r.try_get("answered_by")?,
            published: r.try_get::<i64, _>("published")? != 0,
            published_at: r.try_get("published_at")?,
            public_question: r.try_get("public_question")?,
            public_answer: r.try_get("public_answer")?,
        })
    }

    pub fn status(&self) -> crate::help::consult::Status {
        crate::help::consult::Status::parse(&self.status)
            .unwrap_or(crate::help::consult::Status::New)
    }
}

/// A stored timestamp as a Beijing minute, for display.
pub(crate) fn minute(t: &Option<String>) -> Option<String> {
    t.as_deref().map(beijing_minute)
}

/// The alarm keys of one consultation: due soon, overdue.
pub(crate) fn alarm_keys(public_id: &str) -> [String; 2] {
    [
        format!("help.due_soon:{public_id}"),
        format!("help.overdue:{public_id}"),
    ]
}
