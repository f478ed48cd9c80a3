//! Takes penalties down when their display period ends (docs/domain.md §7). Public queries compare
//! `display_until` with today anyway, so a late run never shows anything too long; the job marks the
//! take-down, so that it is recorded, counted and audited, and the portal's cached pages refresh.
use crate::error::AppError;
use crate::server::{audit, AppState};

pub const JOB: &str = "credit.takedown";

/// Marks every penalty whose display period ended before today. Returns how many were taken down.
pub async fn run(state: &AppState) -> Result<u64, AppError> {
    let today = state.clock.today().iso();
    let now = state.clock.now_text();
    let mut tx = state.db.begin().await?;
    let done = sqlx::query(
        "UPDATE penalties SET taken_down_at = $1 WHERE taken_down_at IS NULL AND display_until < $2",
    )
    .bind(&now)
    .bind(&today)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if done > 0 {
        // The take-downs go to the province with them (docs/domain.md §12).
        crate::province::service::outbox::enqueue_takedowns(&mut tx, &now).await?;
        crate::server::cache::bump(&mut tx, "portal").await?;
        audit::AuditEvent::new("system", "credit.takedown", "success")
            .about("penalty")
            .with(serde_json::json!({ "taken_down": done, "display_ended_before": today }))
            .record(&mut tx, state)
            .await?;
    }
    tx.commit().await?;
    Ok(done)
}
