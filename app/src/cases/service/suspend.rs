//! The objection mark on a record (docs/domain.md §11): set while an objection on it is open (the
//! subject page shows "异议处理中"); the operator may suspend the record's public display meanwhile
//! (`display_suspended` is part of every public visibility condition); closing the case clears both.
//! Each change bumps the portal's cached pages.
use super::super::flow::Kind;
use super::{load, Stored};
use crate::auth::policy::Action;
use crate::error::AppError;
use crate::server::authz::Caller;
use crate::server::AppState;
use sqlx::AnyConnection;

/// The table of a record kind a case may concern.
pub(crate) fn table(record_kind: &str) -> Option<&'static str> {
    match record_kind {
        "penalty" => Some("penalties"),
        "licence" => Some("licences"),
        _ => None,
    }
}

/// Sets the mark when an objection is filed.
pub(crate) async fn mark(
    conn: &mut AnyConnection,
    record_kind: &str,
    record_id: i64,
) -> Result<(), AppError> {
    let Some(t) = table(record_kind) else {
        return Ok(());
    };
    sqlx::query(&format!("UPDATE {t} SET objection_open = 1 WHERE id = $1"))
        .bind(record_id)
        .execute(&mut *conn)
        .await?;
    crate::server::cache::bump(conn, "portal").await
}

/// Clears the mark and any suspension when the objection closes (inside the move's transaction).
pub(crate) async fn clear(conn: &mut AnyConnection, s: &Stored) -> Result<(), AppError> {
    let Some(t) = table(&s.record_kind) else {
        return Ok(());
    };
    sqlx::query(&format!(
        "UPDATE {t} SET objection_open = 0, display_suspended = 0 WHERE id = $1"
    ))
    .bind(s.record_id)
    .execute(&mut *conn)
    .await?;
    crate::server::cache::bump(conn, "portal").await
}

/// Whether the record of a case is suspended now.
pub(crate) async fn suspended(state: &AppState, s: &Stored) -> Result<bool, AppError> {
    let Some(t) = table(&s.record_kind) else {
        return Ok(false);
    };
    let n: Option<i64> =
        sqlx::query_scalar(&format!("SELECT display_suspended FROM {t} WHERE id = $1"))
            .bind(s.record_id)
            .fetch_optional(&state.db.pool)
            .await?;
    Ok(n.unwrap_or(0) != 0)
}

/// The operator suspends (or resumes) the public display of an open objection's record; audited.
pub async fn set(
    state: &AppState,
    caller: &Caller,
    public_id: &str,
    on: bool,
) -> Result<(), AppError> {
    let s = load(state, caller, public_id).await?;
    let mover = caller.clone().require(Action::CaseAssign)?;
    mover.check_unit(s.department_id, s.county_code.as_deref())?;
    let t = table(&s.record_kind)
        .filter(|_| s.kind == Kind::Objection && !s.closed())
        .ok_or_else(|| {
            AppError::Conflict("只有办理中的异议申诉可以暂停公示其涉及的信息。".into())
        })?;
    let mut tx = state.db.begin().await?;
    sqlx::query(&format!(
        "UPDATE {t} SET display_suspended = $1 WHERE id = $2 AND objection_open = 1"
    ))
    .bind(i64::from(on))
    .bind(s.record_id)
    .execute(&mut *tx)
    .await?;
    crate::server::cache::bump(&mut tx, "portal").await?;
    mover
        .audit(
            &mut tx,
            state,
            if on {
                "cases.objection.suspend_display"
            } else {
                "cases.objection.resume_display"
            },
            Some(("case", &s.public_id)),
            serde_json::json!({ "record_kind": s.record_kind, "record": s.record_public_id }),
        )
        .await?;
    tx.commit().await?;
    Ok(())
}
