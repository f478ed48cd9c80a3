//! The alarm list of the operations console: acknowledge and resolve with a note, audited.
use crate::admin::model::AlarmRow;
use crate::error::AppError;
use crate::paging::Page;
use crate::server::alarms::{self, Alarm};
use crate::server::authz::Caller;
use crate::server::db::sql::PER_PAGE;
use crate::server::AppState;

fn row(a: Alarm) -> AlarmRow {
    AlarmRow {
        id: a.id,
        severity: a.severity,
        title: a.title,
        detail: a.detail,
        status: a.status,
        occurrences: a.occurrences,
        raised_at: a.raised_at,
        last_seen_at: a.last_seen_at,
        handled_by: a.resolved_by.or(a.acknowledged_by).unwrap_or_default(),
        note: a.note.unwrap_or_default(),
    }
}

pub async fn list(
    state: &AppState,
    status: &str,
    page: i64,
    limit: Option<i64>,
) -> Result<Page<AlarmRow>, AppError> {
    let per_page = limit.unwrap_or(PER_PAGE);
    let page = page.max(1);
    let (rows, total) = alarms::list(&state.db, status, per_page, (page - 1) * per_page).await?;
    Ok(Page {
        rows: rows.into_iter().map(row).collect(),
        total,
        page,
        per_page,
    })
}

pub async fn handle(
    state: &AppState,
    caller: &Caller,
    id: i64,
    resolve: bool,
    note: &str,
) -> Result<(), AppError> {
    let note = note.trim();
    if note.chars().count() > 500 {
        return Err(AppError::field(
            "note",
            "NOTE_LONG",
            "处理说明不能超过 500 字。",
        ));
    }
    if resolve && note.is_empty() {
        return Err(AppError::field(
            "note",
            "NOTE_REQUIRED",
            "解决告警时请填写处理说明（原因和采取的措施）。",
        ));
    }
    let mut tx = state.db.begin().await?;
    alarms::transition_in(
        &mut tx,
        &state.clock,
        id,
        &caller.user.username,
        note,
        resolve,
    )
    .await?;
    caller
        .event(
            if resolve {
                "alarm.resolve"
            } else {
                "alarm.acknowledge"
            },
            "success",
        )
        .on("alarm", id)
        .with(serde_json::json!({ "note": note }))
        .record(&mut tx, state)
        .await?;
    tx.commit().await?;
    Ok(())
}
