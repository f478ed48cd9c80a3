//! Types of training (培训) that cross the wire.
use crate::help::model::DepartmentOption;
use crate::portal::model::ArticleItem;
use serde::{Deserialize, Serialize};

/// A training session as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRow {
    pub public_id: String,
    pub title: String,
    /// Kind code (`rules::Kind`) and its label.
    pub kind: String,
    pub kind_label: String,
    /// Beijing date and time.
    pub session_date: String,
    pub start_time: String,
    pub place: String,
    pub department: Option<DepartmentOption>,
    pub capacity: i64,
    /// Status code (`rules::Status`) and its label.
    pub status: String,
    pub status_label: String,
    pub attendees: i64,
    pub signed_in: i64,
}

/// One attendee of a session's sign-in list (签到表).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendeeRow {
    pub public_id: String,
    pub name: String,
    pub organisation: String,
    /// The subject's USCC (repair training), or "".
    pub uscc: String,
    pub phone_masked: String,
    /// Beijing minute of the sign-in.
    pub signed_in_at: Option<String>,
    /// 证书编号, issued at sign-in for a repair training.
    pub certificate_no: Option<String>,
}

/// The console's session list with what its form offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionList {
    pub sessions: Vec<SessionRow>,
    pub departments: Vec<DepartmentOption>,
}

/// One session with its sign-in list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionDetail {
    pub session: SessionRow,
    pub attendees: Vec<AttendeeRow>,
    pub departments: Vec<DepartmentOption>,
}

/// The public training page: upcoming sessions and the materials column's newest articles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicTraining {
    pub upcoming: Vec<SessionRow>,
    pub materials: Vec<ArticleItem>,
}
