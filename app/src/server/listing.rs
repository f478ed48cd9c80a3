//! What console lists share: the caller's units for the unit filter, and the filter itself (the unit
//! picked from the list's select, `d` being the unit, and words searched in the list's own columns).
//! Placeholders number on from `binds`.
use crate::collect::service::batches::unit_scope_clause;
use crate::error::AppError;
use crate::server::authz::Caller;
use crate::server::db::sql::escape_like;
use crate::server::AppState;
use sqlx::Row;

/// The units the caller may pick (the office: all active ones; others: their own).
pub async fn units(state: &AppState, caller: &Caller) -> Result<Vec<(String, String)>, AppError> {
    let (scope, bound) = unit_scope_clause(caller, 1, "d.id");
    let sql = format!(
        "SELECT d.public_id, d.name FROM departments d WHERE d.active = 1{scope} ORDER BY d.code"
    );
    let mut q = sqlx::query(&sql);
    if let Some(b) = bound {
        q = q.bind(b);
    }
    q.fetch_all(&state.db.pool)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("public_id")?, r.try_get("name")?)))
        .collect()
}

/// Adds `AND d.public_id = $n` for a picked unit and `AND (c1 LIKE $n OR …)` for words to `filter`.
pub fn unit_and_words(
    binds: &mut Vec<String>,
    filter: &mut String,
    unit: &str,
    words: &str,
    columns: &[&str],
) {
    if !unit.is_empty() {
        binds.push(unit.to_string());
        filter.push_str(&format!(" AND d.public_id = ${}", binds.len()));
    }
    let words = words.trim();
    if !words.is_empty() && !columns.is_empty() {
        binds.push(format!("%{}%", escape_like(words)));
        let n = binds.len();
        let any = columns
            .iter()
            .map(|c| format!("{c} LIKE ${n} ESCAPE '\\'"))
            .collect::<Vec<_>>()
            .join(" OR ");
        filter.push_str(&format!(" AND ({any})"));
    }
}
