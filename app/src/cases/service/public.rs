//! What the applicant reads by tracking code (`/track`): kind, state, the history's public lines and the
//! next deadline. No contact, no materials: the code alone opens it.
use super::super::model::Tracked;
use super::super::repair::CODE_LEN;
use super::{Stored, COLUMNS, FROM};
use crate::error::AppError;
use crate::server::AppState;

/// The case with the tracking code `typed` (loosely typed: case and separators do not matter); a
/// malformed and an unknown code are the same 404.
pub(crate) async fn by_code(state: &AppState, typed: &str) -> Result<Stored, AppError> {
    let missing = || AppError::NotFound("该查询码对应的申请".into());
    let code = crate::rules::code::normalise(typed, CODE_LEN).ok_or_else(missing)?;
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} {FROM} WHERE c.tracking_code = $1"
    ))
    .bind(&code)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or_else(missing)?;
    Stored::from_row(&row)
}

pub async fn track(state: &AppState, typed: &str) -> Result<Tracked, AppError> {
    let s = by_code(state, typed).await?;
    let flow = s.kind.flow();
    Ok(Tracked {
        code: s.tracking_code.clone(),
        kind_label: s.kind.label().into(),
        state: s.state.clone(),
        state_label: flow.state_label(&s.state).into(),
        closed: s.closed(),
        subject_name: s.subject_name.clone(),
        submitted_on: s.submitted_on.clone(),
        next_due: if s.closed() {
            None
        } else {
            s.clock.next_due().map(|d| d.iso())
        },
        waiting_for_applicant: s.clock.paused_since.is_some(),
        // Staff are named by their office, not by name, on the public page.
        steps: super::desk::steps(state, s.id, s.kind)
            .await?
            .into_iter()
            .map(|mut st| {
                if st.actor != "申请人" {
                    st.actor = "承办部门".into();
                }
                st
            })
            .collect(),
    })
}
