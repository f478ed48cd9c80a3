//! The push outbox (docs/domain.md §12): a message per published record version, written inside the
//! transaction of the change, so that a change never commits without its message and a rolled-back
//! change leaves none. The collection pipeline, the version trace and the take-down job call here (the
//! documented way in from other domains, docs/architecture.md §2). Keyed by record, version and action:
//! enqueuing the same change twice leaves one message.
use crate::error::AppError;
use sqlx::AnyConnection;

/// The table of a record kind as the version trace names it.
pub fn table_of(kind: &str) -> &'static str {
    match kind {
        "penalty" => "penalties",
        "licence" => "licences",
        _ => "generic_records",
    }
}

const COLUMNS: &str = "record_kind, record_id, version, action, department_id, created_at";

/// The message of one new version of a record (`action` as in the version trace).
pub async fn enqueue_version(
    conn: &mut AnyConnection,
    kind: &str,
    record_id: i64,
    version: i64,
    action: &str,
    now: &str,
) -> Result<(), AppError> {
    let table = table_of(kind);
    sqlx::query(&format!(
        "INSERT INTO push_outbox ({COLUMNS}) SELECT $1, r.id, $3, $4, r.department_id, $5 FROM {table} r \
         WHERE r.id = $2 ON CONFLICT DO NOTHING"
    ))
    .bind(kind)
    .bind(record_id)
    .bind(version)
    .bind(action)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The messages of the records a batch's confirmation published just now (`published_at = now`).
pub async fn enqueue_published(
    conn: &mut AnyConnection,
    kind: &str,
    batch_id: i64,
    now: &str,
) -> Result<u64, AppError> {
    let table = table_of(kind);
    Ok(sqlx::query(&format!(
        "INSERT INTO push_outbox ({COLUMNS}) SELECT $1, r.id, r.version, 'create', r.department_id, $3 \
         FROM {table} r WHERE r.batch_id = $2 AND r.published_at = $3 ON CONFLICT DO NOTHING"
    ))
    .bind(kind)
    .bind(batch_id)
    .bind(now)
    .execute(&mut *conn)
    .await?
    .rows_affected())
}

/// The messages of the penalties the take-down job took down just now (`taken_down_at = now`).
pub async fn enqueue_takedowns(conn: &mut AnyConnection, now: &str) -> Result<u64, AppError> {
    Ok(sqlx::query(&format!(
        "INSERT INTO push_outbox ({COLUMNS}) SELECT 'penalty', r.id, r.version, 'takedown', r.department_id, $1 \
         FROM penalties r WHERE r.taken_down_at = $1 ON CONFLICT DO NOTHING"
    ))
    .bind(now)
    .execute(&mut *conn)
    .await?
    .rows_affected())
}
