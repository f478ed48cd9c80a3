//! The error report a unit downloads: its faulty rows as it sent them, with the row number and the
//! reasons in two extra columns that a re-upload ignores, so the fixed file goes back in as it is.
use crate::error::AppError;
use crate::rules::clean::headers::{REPORT_FAULTS, REPORT_ROW};
use crate::server::AppState;
use sqlx::Row;
use std::collections::BTreeMap;

pub struct ErrorReport {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

pub async fn faulty_rows(state: &AppState, batch_id: i64) -> Result<ErrorReport, AppError> {
    let pool = &state.db.pool;
    let headers: Vec<String> = sqlx::query("SELECT headers FROM batches WHERE id = $1")
        .bind(batch_id)
        .fetch_one(pool)
        .await?
        .try_get::<Option<String>, _>("headers")?
        .and_then(|h| serde_json::from_str(&h).ok())
        .unwrap_or_default();
    let mut reasons: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for r in sqlx::query(
        "SELECT row_no, message FROM batch_faults WHERE batch_id = $1 AND level = 'error' ORDER BY row_no, id",
    )
    .bind(batch_id)
    .fetch_all(pool)
    .await?
    {
        reasons
            .entry(r.try_get("row_no")?)
            .or_default()
            .push(r.try_get("message")?);
    }
    let mut rows = vec![];
    for r in sqlx::query(
        "SELECT row_no, cells FROM batch_rows WHERE batch_id = $1 AND outcome = 'faulty' ORDER BY row_no",
    )
    .bind(batch_id)
    .fetch_all(pool)
    .await?
    {
        let row_no: i64 = r.try_get("row_no")?;
        let cells: Vec<String> =
            serde_json::from_str(&state.secrets.decrypt_id(&r.try_get::<String, _>("cells")?)?)
                .unwrap_or_default();
        let mut out = Vec::with_capacity(headers.len() + 2);
        out.push(row_no.to_string());
        for i in 0..headers.len() {
            out.push(cells.get(i).cloned().unwrap_or_default());
        }
        out.push(
            reasons
                .get(&row_no)
                .map(|m| m.join("\n"))
                .unwrap_or_default(),
        );
        rows.push(out);
    }
    let mut all_headers = vec![REPORT_ROW.to_string()];
    all_headers.extend(headers);
    all_headers.push(REPORT_FAULTS.to_string());
    Ok(ErrorReport {
        headers: all_headers,
        rows,
    })
}
