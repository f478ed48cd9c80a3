//! The demo's push queue: the penalties and licences decided in the ten days before the seed's day wait
//! to be pushed to the province (docs/domain.md §12), as if they had just been confirmed, so the push
//! log shows messages and their lag against the 7-working-day rule from the first start.
use app::error::AppError;
use app::rules::date::Ymd;
use app::server::AppState;

pub async fn seed(state: &AppState, as_of: Ymd) -> Result<u64, AppError> {
    let since = as_of.add_days(-10).iso();
    let now = state.clock.now_text();
    let mut queued = 0;
    for (kind, table) in [("penalty", "penalties"), ("licence", "licences")] {
        queued += sqlx::query(&format!(
            "INSERT INTO push_outbox (record_kind, record_id, version, action, department_id, created_at) \
             SELECT $1, id, version, 'create', department_id, $3 FROM {table} \
             WHERE decision_date >= $2 AND withdrawn = 0 ORDER BY decision_date, id ON CONFLICT DO NOTHING"
        ))
        .bind(kind)
        .bind(&since)
        .bind(&now)
        .execute(&state.db.pool)
        .await?
        .rows_affected();
    }
    Ok(queued)
}
