//! A subject account's own cases (`/my/cases`): those whose subject USCC is the one the credit office
//! bound to the account. An account without a bound USCC has none.
use super::super::model::CaseRow;
use super::desk::row;
use super::{Stored, COLUMNS, FROM};
use crate::error::AppError;
use crate::server::authz::Caller;
use crate::server::{calendar, AppState};

/// The USCC bound to the caller's account, if any.
pub async fn bound_uscc(state: &AppState, caller: &Caller) -> Result<Option<String>, AppError> {
    let uscc: Option<String> = sqlx::query_scalar("SELECT subject_uscc FROM users WHERE id = $1")
        .bind(caller.user.user_id)
        .fetch_optional(&state.db.pool)
        .await?
        .flatten();
    Ok(uscc.filter(|u| !u.is_empty()))
}

/// The caller's cases, the newest first (at most 200: a subject has a handful).
pub async fn mine(state: &AppState, caller: &Caller) -> Result<Vec<CaseRow>, AppError> {
    let Some(uscc) = bound_uscc(state, caller).await? else {
        return Ok(vec![]);
    };
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} {FROM} WHERE c.subject_uscc = $1 ORDER BY c.id DESC LIMIT 200"
    ))
    .bind(&uscc)
    .fetch_all(&state.db.pool)
    .await?;
    let cal = calendar::load(&state.db).await?;
    let today = state.clock.today();
    rows.iter()
        .map(|r| Ok(row(&Stored::from_row(r)?, &cal, today)))
        .collect()
}
