//! Alarms: raised by jobs and checks, acknowledged and resolved by operators (the list page
//! comes with the admin consoles). An open alarm with the same key is counted, not duplicated.
use super::{clock::Clock, db::Db};
use crate::error::AppError;
use serde::{Deserialize, Serialize};
use sqlx::Row;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Severity {
    Info,
    Warning,
    Critical,
}

impl Severity {
    pub fn as_str(&self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Critical => "critical",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct Alarm {
    pub id: i64,
    #[sqlx(rename = "alarm_key")]
    pub key: String,
    pub severity: String,
    pub title: String,
    pub detail: String,
    pub status: String,
    pub occurrences: i64,
    pub raised_at: String,
    pub last_seen_at: String,
    pub acknowledged_by: Option<String>,
    pub acknowledged_at: Option<String>,
    pub resolved_by: Option<String>,
    pub resolved_at: Option<String>,
    pub note: Option<String>,
}

/// Raises an alarm, or counts another occurrence of the open one with the same key. Returns its id.
pub async fn raise(
    db: &Db,
    clock: &Clock,
    key: &str,
    severity: Severity,
    title: &str,
    detail: &str,
) -> Result<i64, AppError> {
    let now = clock.now_text();
    // One statement against a unique index of open alarms: two instances raising at once count, never duplicate.
    let id: i64 = sqlx::query(
        "INSERT INTO alarms (alarm_key, severity, title, detail, status, occurrences, raised_at, last_seen_at) \
         VALUES ($1, $2, $3, $4, 'open', 1, $5, $5) \
         ON CONFLICT (alarm_key) WHERE status <> 'resolved' DO UPDATE SET \
         occurrences = alarms.occurrences + 1, last_seen_at = excluded.last_seen_at, detail = excluded.detail \
         RETURNING id",
    )
    .bind(key)
    .bind(severity.as_str())
    .bind(title)
    .bind(detail)
    .bind(&now)
    .fetch_one(&db.pool)
    .await?
    .try_get("id")?;
    Ok(id)
}

async fn transition(
    db: &Db,
    clock: &Clock,
    id: i64,
    by: &str,
    note: &str,
    resolve: bool,
) -> Result<(), AppError> {
    let mut tx = db.begin().await?;
    transition_in(&mut tx, clock, id, by, note, resolve).await?;
    tx.commit().await?;
    Ok(())
}

/// Acknowledges (`resolve = false`) or resolves an alarm inside the caller's transaction, so that the
/// console can audit it in the same transaction.
pub async fn transition_in(
    conn: &mut sqlx::AnyConnection,
    clock: &Clock,
    id: i64,
    by: &str,
    note: &str,
    resolve: bool,
) -> Result<(), AppError> {
    let now = clock.now_text();
    let sql = if resolve {
        "UPDATE alarms SET status = 'resolved', resolved_by = $1, resolved_at = $2, note = $3 \
         WHERE id = $4 AND status <> 'resolved'"
    } else {
        "UPDATE alarms SET status = 'acknowledged', acknowledged_by = $1, acknowledged_at = $2, note = $3 \
         WHERE id = $4 AND status = 'open'"
    };
    let done = sqlx::query(sql)
        .bind(by)
        .bind(&now)
        .bind(note)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() == 0 {
        let row: Option<Alarm> =
            sqlx::query_as(&format!("SELECT {COLUMNS} FROM alarms WHERE id = $1"))
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?;
        return Err(match row {
            None => AppError::NotFound("告警".into()),
            Some(a) => AppError::Conflict(format!(
                "告警当前状态为“{}”，不能执行此操作。",
                status_label(&a.status)
            )),
        });
    }
    Ok(())
}

pub async fn acknowledge(
    db: &Db,
    clock: &Clock,
    id: i64,
    by: &str,
    note: &str,
) -> Result<(), AppError> {
    transition(db, clock, id, by, note, false).await
}

pub async fn resolve(
    db: &Db,
    clock: &Clock,
    id: i64,
    by: &str,
    note: &str,
) -> Result<(), AppError> {
    transition(db, clock, id, by, note, true).await
}

pub fn status_label(status: &str) -> &'static str {
    crate::admin::model::alarm_status_label(status)
}

const COLUMNS: &str =
    "id, alarm_key, severity, title, detail, status, occurrences, raised_at, last_seen_at, \
    acknowledged_by, acknowledged_at, resolved_by, resolved_at, note";

/// Resolves the open alarm with this key, if any (the condition that raised it has cleared).
pub async fn resolve_key(db: &Db, clock: &Clock, key: &str, note: &str) -> Result<(), AppError> {
    let open = sqlx::query("SELECT id FROM alarms WHERE alarm_key = $1 AND status <> 'resolved'")
        .bind(key)
        .fetch_optional(&db.pool)
        .await?;
    if let Some(r) = open {
        resolve(db, clock, r.try_get("id")?, "system", note).await?;
    }
    Ok(())
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Alarm>, AppError> {
    Ok(
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM alarms WHERE id = $1"))
            .bind(id)
            .fetch_optional(&db.pool)
            .await?,
    )
}

/// Open and acknowledged alarms, newest first.
pub async fn list_active(db: &Db, limit: i64) -> Result<Vec<Alarm>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM alarms WHERE status <> 'resolved' ORDER BY last_seen_at DESC LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(&db.pool)
    .await?)
}

/// Alarms for the console: `status` = open / acknowledged / resolved / "" (all but resolved).
pub async fn list(
    db: &Db,
    status: &str,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Alarm>, i64), AppError> {
    let (cond, bind) = match status {
        "open" | "acknowledged" | "resolved" => ("status = $1", status),
        "all" => ("status <> $1", "-"),
        _ => ("status <> $1", "resolved"),
    };
    let total: i64 = sqlx::query(&format!("SELECT COUNT(*) AS n FROM alarms WHERE {cond}"))
        .bind(bind)
        .fetch_one(&db.pool)
        .await?
        .try_get("n")?;
    let rows = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM alarms WHERE {cond} ORDER BY last_seen_at DESC, id DESC LIMIT {limit} OFFSET {offset}"
    ))
    .bind(bind)
    .fetch_all(&db.pool)
    .await?;
    Ok((rows, total))
}
