//! Cache invalidation through the database: every instance reads these counters (ARCHITECTURE "Data").
use crate::error::AppError;
use sqlx::AnyConnection;

/// Marks everything cached under `name` stale, inside the caller's transaction.
pub async fn bump(conn: &mut AnyConnection, name: &str) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO cache_versions (name, version) VALUES ($1, 1) \
         ON CONFLICT (name) DO UPDATE SET version = cache_versions.version + 1",
    )
    .bind(name)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
