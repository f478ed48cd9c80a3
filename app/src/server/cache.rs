//! Cache invalidation through the database: every instance reads these counters (docs/architecture.md §4).
use crate::error::AppError;
use sqlx::{AnyConnection, AnyPool};
use std::sync::Mutex;
use std::time::{Duration, Instant};

static LAST_LOCAL_CHANGE: Mutex<Option<Instant>> = Mutex::new(None);

/// Marks everything cached under `name` stale, inside the caller's transaction.
pub async fn bump(conn: &mut AnyConnection, name: &str) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO cache_versions (name, version) VALUES ($1, 1) \
         ON CONFLICT (name) DO UPDATE SET version = cache_versions.version + 1",
    )
    .bind(name)
    .execute(&mut *conn)
    .await?;
    *LAST_LOCAL_CHANGE.lock().unwrap_or_else(|e| e.into_inner()) = Some(Instant::now());
    Ok(())
}

/// The counter `name` (0 before anything was bumped).
pub async fn version(pool: &AnyPool, name: &str) -> Result<i64, AppError> {
    let v: Option<i64> = sqlx::query_scalar("SELECT version FROM cache_versions WHERE name = $1")
        .bind(name)
        .fetch_optional(pool)
        .await?;
    Ok(v.unwrap_or(0))
}

/// How long ago this process last bumped a counter. Its transaction may still be open, so caches of
/// this process re-read the counter for a while instead of trusting their last reading.
pub fn since_local_change() -> Option<Duration> {
    LAST_LOCAL_CHANGE
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .map(|at| at.elapsed())
}
