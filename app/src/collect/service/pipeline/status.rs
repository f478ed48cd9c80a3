//! The batch row's bookkeeping during a check: its status, error, headers and row counts.
use crate::collect::service::batch_ctx::{clear_staging, BatchCtx};
use crate::error::AppError;
use crate::server::AppState;
use sqlx::Row;

/// What a check ended with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckOutcome {
    Checked,
    /// Headers nobody knows: the unit maps them on the mapping screen, then the check runs again.
    NeedsMapping(Vec<String>),
    /// The file cannot be read (encoding, size, broken XLSX …); the message says why.
    Failed(String),
}

/// Removes everything an earlier (perhaps interrupted) check of this batch left behind.
pub async fn reset(state: &AppState, b: &BatchCtx) -> Result<(), AppError> {
    let mut tx = state.db.begin().await?;
    clear_staging(&mut tx, b).await?;
    sqlx::query(
        "UPDATE batches SET rows_total = 0, rows_done = 0, rows_new = 0, rows_update = 0, rows_duplicate = 0, \
         rows_faulty = 0, rows_warning = 0, error = NULL, updated_at = $2 WHERE id = $1",
    )
    .bind(b.id)
    .bind(state.clock.now_text())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn set_status(
    state: &AppState,
    batch_id: i64,
    status: &str,
    error: Option<&str>,
) -> Result<(), AppError> {
    let now = state.clock.now_text();
    let checked_at = (status == "checked").then(|| now.clone());
    sqlx::query(
        "UPDATE batches SET status = $2, error = $3, updated_at = $4, \
         checked_at = COALESCE($5, checked_at) WHERE id = $1",
    )
    .bind(batch_id)
    .bind(status)
    .bind(error)
    .bind(&now)
    .bind(checked_at)
    .execute(&state.db.pool)
    .await?;
    Ok(())
}

/// A batch's row counts so far.
pub struct Counts {
    pub rows: i64,
    pub new: i64,
    pub update: i64,
    pub duplicate: i64,
    pub faulty: i64,
}

pub async fn counts(state: &AppState, batch_id: i64) -> Result<Counts, AppError> {
    let row = sqlx::query(
        "SELECT rows_total, rows_new, rows_update, rows_duplicate, rows_faulty FROM batches WHERE id = $1",
    )
    .bind(batch_id)
    .fetch_one(&state.db.pool)
    .await?;
    Ok(Counts {
        rows: row.try_get("rows_total")?,
        new: row.try_get("rows_new")?,
        update: row.try_get("rows_update")?,
        duplicate: row.try_get("rows_duplicate")?,
        faulty: row.try_get("rows_faulty")?,
    })
}

/// The header row as the unit sent it, for the error report.
pub async fn save_headers(
    state: &AppState,
    batch_id: i64,
    headers: &[String],
) -> Result<(), AppError> {
    sqlx::query("UPDATE batches SET headers = $2 WHERE id = $1")
        .bind(batch_id)
        .bind(serde_json::to_string(headers).map_err(|e| AppError::internal("headers json", e))?)
        .execute(&state.db.pool)
        .await?;
    Ok(())
}

/// Marks the file's check as begun: its encoding and (for a CSV) an estimate of its rows.
pub async fn start_file(
    state: &AppState,
    batch_id: i64,
    encoding: Option<&str>,
    known_rows: u64,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE batches SET status = 'checking', check_started_at = $2, encoding = $3, rows_total = $4, \
         bytes_done = 0 WHERE id = $1",
    )
    .bind(batch_id)
    .bind(state.clock.now_text())
    .bind(encoding)
    .bind(known_rows as i64)
    .execute(&state.db.pool)
    .await?;
    Ok(())
}

pub async fn finish(state: &AppState, batch_id: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE batches SET rows_total = rows_done WHERE id = $1")
        .bind(batch_id)
        .execute(&state.db.pool)
        .await?;
    set_status(state, batch_id, "checked", None).await
}

pub async fn fail(state: &AppState, batch_id: i64, e: AppError) -> Result<CheckOutcome, AppError> {
    let message = match &e {
        AppError::Validation(list) => list
            .iter()
            .map(|f| f.message.as_str())
            .collect::<Vec<_>>()
            .join("；"),
        other => other.to_string(),
    };
    set_status(state, batch_id, "failed", Some(&message)).await?;
    Ok(CheckOutcome::Failed(message))
}
