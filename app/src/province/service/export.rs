//! A range of the push log as a file (docs/province-interface.md), for provinces that take files
//! rather than the interface: one row per message of one kind — its key, action, version and time, then
//! the record by its v2 field codes as it stands. The filters are the push log's.
use super::log::{bind_all, filter_sql, kind_labels, label_of, FROM};
use super::payload;
use crate::error::AppError;
use crate::province::model::PushFilter;
use crate::province::wire;
use crate::rules::date::beijing_minute;
use crate::server::AppState;
use serde_json::Value;
use sqlx::Row;

/// At most this many messages go into one file.
pub const MAX_ROWS: i64 = 50_000;

/// A file's name, header row and rows.
pub struct PushSheet {
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

pub async fn sheet(state: &AppState, f: &PushFilter) -> Result<PushSheet, AppError> {
    if f.kind.is_empty() {
        return Err(AppError::field(
            "kind",
            "KIND_REQUIRED",
            "导出文件每次一个类别：请先在“类别”中选择，再导出。",
        ));
    }
    let (filter, binds) = filter_sql(state, f).await?;
    let sql = format!(
        "SELECT o.record_id, o.version, o.action, o.created_at, \
         COALESCE(p.public_id, l.public_id, g.public_id, '') AS public_id \
         {FROM}{filter} ORDER BY o.id LIMIT {}",
        MAX_ROWS + 1
    );
    let found = bind_all(sqlx::query(&sql), &binds)
        .fetch_all(&state.db.pool)
        .await?;
    if found.len() as i64 > MAX_ROWS {
        return Err(AppError::field(
            "range",
            "RANGE_TOO_LARGE",
            format!("一个文件最多 {MAX_ROWS} 条消息，请缩小日期范围。"),
        ));
    }
    let ids: Vec<i64> = found
        .iter()
        .map(|r| r.try_get("record_id"))
        .collect::<Result<_, _>>()?;
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    let spec = payload::spec(state, &f.kind).await?;
    let mut records = std::collections::HashMap::new();
    for chunk in unique.chunks(1_000) {
        records.extend(payload::records(state, &spec, chunk).await?);
    }
    let codes = payload::codes(&spec);
    let mut headers: Vec<String> = ["消息键", "变更", "版本", "变更时间"]
        .into_iter()
        .map(str::to_string)
        .collect();
    headers.extend(codes.iter().cloned());
    let mut rows = Vec::with_capacity(found.len());
    for (r, id) in found.iter().zip(ids) {
        let public_id: String = r.try_get("public_id")?;
        let version: i64 = r.try_get("version")?;
        let action: String = r.try_get("action")?;
        let mut row = vec![
            wire::idempotency_key(&f.kind, &public_id, version, &action),
            action,
            version.to_string(),
            beijing_minute(&r.try_get::<String, _>("created_at")?),
        ];
        let fields = records.get(&id).map(|s| &s.fields);
        row.extend(codes.iter().map(|c| {
            fields
                .and_then(|m| m.get(c))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        }));
        rows.push(row);
    }
    let labels = kind_labels(state).await?;
    Ok(PushSheet {
        name: format!("{}推送", label_of(&labels, &f.kind)),
        headers,
        rows,
    })
}

/// The same rows as CSV (UTF-8 with a byte-order mark, which spreadsheet programs need for Chinese).
pub fn csv_bytes(sheet: &PushSheet) -> Result<Vec<u8>, AppError> {
    let mut out = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    let err = |e: csv::Error| AppError::internal("csv", e);
    out.write_record(&sheet.headers).map_err(err)?;
    for r in &sheet.rows {
        out.write_record(r).map_err(err)?;
    }
    out.into_inner()
        .map_err(|e| AppError::internal("csv", e.to_string()))
}
