//! Ends the list entries whose removal date has come (docs/domain.md §8): each becomes 已移出 as a new
//! version of its record (the version trace, and so the push to the province, sees it), all in one
//! transaction with one audit line, and the portal's cached pages refresh. The public lists and the
//! check compare `removed_on` with the day anyway, so a late run never keeps an entry in force.
use super::super::lifecycle::{Term, IN_FORCE, LIST_CLASSES, REMOVED};
use crate::collect::service::confirm::{insert_version, Actor, Change};
use crate::credit::service::list_filter::payload_field;
use crate::error::AppError;
use crate::server::{audit, AppState};
use serde_json::Value;
use sqlx::Row;

pub const JOB: &str = "joint.list_expiry";

/// Ends every entry still marked 有效 whose `removed_on` is today or earlier. Answers how many.
pub async fn run(state: &AppState) -> Result<u64, AppError> {
    let today = state.clock.today();
    let now = state.clock.now_text();
    let removed_on = payload_field(state.db.backend, "g", "removed_on");
    let classes = LIST_CLASSES
        .iter()
        .map(|c| format!("'{c}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut tx = state.db.begin().await?;
    let rows = sqlx::query(&format!(
        "SELECT g.id, g.public_id, g.payload FROM generic_records g JOIN data_classes dc ON dc.id = g.class_id \
         WHERE dc.code IN ({classes}) AND g.withdrawn = 0 AND {removed_on} <> '' AND {removed_on} <= $1 \
         ORDER BY g.id"
    ))
    .bind(today.iso())
    .fetch_all(&mut *tx)
    .await?;
    let actor = Actor::named("系统（名单到期移出）");
    let mut ended = 0u64;
    for r in rows {
        let id: i64 = r.try_get("id")?;
        let stored: String = r.try_get("payload")?;
        let Ok(Value::Object(mut payload)) = serde_json::from_str::<Value>(&stored) else {
            continue;
        };
        if !Term::from_payload(&payload).due_to_end(today) {
            continue;
        }
        let from = payload
            .get("status")
            .and_then(Value::as_str)
            .unwrap_or(IN_FORCE)
            .to_string();
        payload.insert("status".into(), REMOVED.into());
        let version: i64 = sqlx::query(
            "UPDATE generic_records SET payload = $2, version = version + 1, updated_at = $3 \
             WHERE id = $1 RETURNING version",
        )
        .bind(id)
        .bind(Value::Object(payload).to_string())
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?
        .try_get("version")?;
        let change = Change {
            field: "status".into(),
            label: "状态".into(),
            from,
            to: REMOVED.into(),
        };
        insert_version(
            &mut tx,
            "generic",
            id,
            version,
            "update",
            None,
            &actor,
            "移出日期已到",
            &[change],
            &now,
        )
        .await?;
        ended += 1;
    }
    if ended > 0 {
        crate::server::cache::bump(&mut tx, "portal").await?;
        audit::AuditEvent::new("system", "joint.list_expiry", "success")
            .about("generic")
            .with(serde_json::json!({ "ended": ended, "removed_by": today.iso() }))
            .record(&mut tx, state)
            .await?;
    }
    tx.commit().await?;
    Ok(ended)
}
