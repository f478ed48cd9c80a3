//! The working-day calendar as staff keep it in the database.
use super::db::Db;
use crate::error::AppError;
use crate::rules::date::Ymd;
use crate::rules::workdays::{Calendar, DayKind};
use sqlx::Row;

pub async fn load(db: &Db) -> Result<Calendar, AppError> {
    let rows = sqlx::query("SELECT day, kind FROM holidays")
        .fetch_all(&db.pool)
        .await?;
    let mut days = Vec::with_capacity(rows.len());
    for r in rows {
        let (day, kind): (String, String) = (r.try_get("day")?, r.try_get("kind")?);
        if let (Some(d), Some(k)) = (Ymd::parse_iso(&day), DayKind::parse(&kind)) {
            days.push((d, k));
        }
    }
    Ok(Calendar::new(days))
}
