//! Name/code conflicts (docs/domain.md §6.1): an incoming name that differs from the registry's name for the same
//! code is a task for the credit office. Keeping the registry name or taking the new one (the old name
//! goes into the name history) closes it; both are audited.
use crate::collect::model::ConflictRow;
use crate::error::AppError;
use crate::paging::Page;
use crate::server::authz::Caller;
use crate::server::db::sql::PER_PAGE;
use crate::server::AppState;
use sqlx::Row;

pub async fn list(
    state: &AppState,
    status: &str,
    page: i64,
) -> Result<Page<ConflictRow>, AppError> {
    let page = page.max(1);
    let status = if matches!(status, "kept" | "renamed" | "all") {
        status
    } else {
        "open"
    };
    let filter = "WHERE ($1 = 'all' OR c.status = $1)";
    let pool = &state.db.pool;
    let total: i64 = sqlx::query(&format!(
        "SELECT COUNT(*) AS n FROM subject_conflicts c {filter}"
    ))
    .bind(status)
    .fetch_one(pool)
    .await?
    .try_get("n")?;
    let rows = sqlx::query_as(&format!(
        "SELECT c.public_id, c.registry_name, c.incoming_name, c.status, c.created_at, COALESCE(s.uscc, '') AS uscc, \
         s.name AS current_name, \
         COALESCE(d.name, '') AS unit, b.public_id AS batch FROM subject_conflicts c JOIN subjects s ON s.id = c.subject_id \
         LEFT JOIN departments d ON d.id = c.department_id LEFT JOIN batches b ON b.id = c.batch_id {filter} \
         ORDER BY c.id DESC LIMIT {PER_PAGE} OFFSET {}",
        (page - 1) * PER_PAGE
    ))
    .bind(status)
    .fetch_all(pool)
    .await?;
    Ok(Page {
        rows,
        total,
        page,
        per_page: PER_PAGE,
    })
}

/// `decision`: `keep` (the registry is right) or `rename` (take the incoming name).
pub async fn resolve(
    state: &AppState,
    caller: &Caller,
    public_id: &str,
    decision: &str,
) -> Result<(), AppError> {
    let status = match decision {
        "keep" => "kept",
        "rename" => "renamed",
        _ => {
            return Err(AppError::field(
                "decision",
                "INVALID",
                "请选择“保留法人库名称”或“采用新名称”。",
            ))
        }
    };
    let now = state.clock.now_text();
    let mut tx = state.db.begin().await?;
    let row = sqlx::query(
        "SELECT c.id, c.subject_id, c.incoming_name, s.name FROM subject_conflicts c JOIN subjects s ON s.id = c.subject_id \
         WHERE c.public_id = $1 AND c.status = 'open'",
    )
    .bind(public_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| AppError::NotFound("该待核实任务（或已处理）".into()))?;
    let (id, subject_id): (i64, i64) = (row.try_get("id")?, row.try_get("subject_id")?);
    let (incoming, current): (String, String) =
        (row.try_get("incoming_name")?, row.try_get("name")?);
    if status == "renamed" {
        sqlx::query(
            "INSERT INTO subject_names (subject_id, name, seen_at, source) VALUES ($1, $2, $3, $4)",
        )
        .bind(subject_id)
        .bind(&current)
        .bind(&now)
        .bind(format!("conflict:{public_id}"))
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE subjects SET name = $2, updated_at = $3 WHERE id = $1")
            .bind(subject_id)
            .bind(&incoming)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("UPDATE subject_conflicts SET status = $2, resolved_by = $3, resolved_at = $4 WHERE id = $1")
        .bind(id)
        .bind(status)
        .bind(caller.user.user_id)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    caller.event("collect.conflict_resolve", "success")
        .on("subject", public_id)
        .with(serde_json::json!({ "decision": status, "registry_name": current, "incoming_name": incoming }))
        .record(&mut tx, state)
        .await?;
    tx.commit().await?;
    Ok(())
}
