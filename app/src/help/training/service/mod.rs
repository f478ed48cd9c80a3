//! Training services (server only): the sessions, their sign-in lists and the public page.
pub mod attendees;
pub mod sessions;

use super::model::{AttendeeRow, SessionRow};
use super::rules::{kind_label, status_label};
use crate::error::AppError;
use crate::help::model::DepartmentOption;
use crate::rules::date::beijing_minute;
use crate::server::AppState;
use sqlx::any::AnyRow;
use sqlx::Row;

/// The columns `session_row` reads, with the attendee counts.
pub(crate) const SESSION_SELECT: &str = "SELECT s.id, s.public_id, s.title, s.kind, s.session_date, \
     s.start_time, s.place, s.capacity, s.status, d.public_id AS department_public_id, d.name AS department_name, \
     (SELECT COUNT(*) FROM training_attendees a WHERE a.session_id = s.id) AS attendees, \
     (SELECT COUNT(*) FROM training_attendees a WHERE a.session_id = s.id AND a.signed_in_at IS NOT NULL) AS signed_in \
     FROM training_sessions s LEFT JOIN departments d ON d.id = s.department_id";

/// A session row and its internal id.
pub(crate) fn session_row(r: &AnyRow) -> Result<(i64, SessionRow), AppError> {
    let kind: String = r.try_get("kind")?;
    let status: String = r.try_get("status")?;
    let department = match (
        r.try_get::<Option<String>, _>("department_public_id")?,
        r.try_get::<Option<String>, _>("department_name")?,
    ) {
        (Some(public_id), Some(name)) => Some(DepartmentOption { public_id, name }),
        _ => None,
    };
    Ok((
        r.try_get("id")?,
        SessionRow {
            public_id: r.try_get("public_id")?,
            title: r.try_get("title")?,
            kind_label: kind_label(&kind).into(),
            kind,
            session_date: r.try_get("session_date")?,
            start_time: r.try_get("start_time")?,
            place: r.try_get("place")?,
            department,
            capacity: r.try_get("capacity")?,
            status_label: status_label(&status).into(),
            status,
            attendees: r.try_get("attendees")?,
            signed_in: r.try_get("signed_in")?,
        },
    ))
}

/// One session by its public id.
pub(crate) async fn load(state: &AppState, public_id: &str) -> Result<(i64, SessionRow), AppError> {
    let r = sqlx::query(&format!("{SESSION_SELECT} WHERE s.public_id = $1"))
        .bind(public_id)
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or_else(|| AppError::NotFound("该培训场次".into()))?;
    session_row(&r)
}

/// The sign-in list of a session, in the order people were added.
pub async fn attendee_rows(
    state: &AppState,
    session_id: i64,
) -> Result<Vec<AttendeeRow>, AppError> {
    sqlx::query(
        "SELECT public_id, name, organisation, uscc, phone_masked, signed_in_at, certificate_no \
         FROM training_attendees WHERE session_id = $1 ORDER BY id",
    )
    .bind(session_id)
    .fetch_all(&state.db.pool)
    .await?
    .iter()
    .map(|r| {
        let signed: Option<String> = r.try_get("signed_in_at")?;
        Ok(AttendeeRow {
            public_id: r.try_get("public_id")?,
            name: r.try_get("name")?,
            organisation: r.try_get("organisation")?,
            uscc: r.try_get("uscc")?,
            phone_masked: r.try_get("phone_masked")?,
            signed_in_at: signed.as_deref().map(beijing_minute),
            certificate_no: r.try_get("certificate_no")?,
        })
    })
    .collect()
}
