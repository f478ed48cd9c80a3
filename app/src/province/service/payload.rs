//! The record of a push message by its v2 field codes (docs/domain.md §5), read from the stored record:
//! typed columns for licences and penalties, the JSON payload for other classes. Fields without a v2
//! code are not sent. The province receives ID numbers in full (it is a government platform entitled
//! to them, over a signed channel); they are decrypted here and nowhere else on the way out.
use crate::collect::service::{catalogue, store};
use crate::error::AppError;
use crate::rules::catalog::{ClassSpec, FieldType};
use crate::rules::clean::values;
use crate::server::AppState;
use serde_json::{Map, Value};
use sqlx::Row;
use std::collections::HashMap;

/// A record as sent: its public id and its fields by v2 code.
pub struct SentRecord {
    pub public_id: String,
    pub fields: Map<String, Value>,
}

/// The fields of a kind that carry a v2 code.
fn coded(spec: &ClassSpec) -> impl Iterator<Item = (&crate::rules::catalog::FieldSpec, &str)> {
    spec.fields
        .iter()
        .filter_map(|f| f.code_v2.as_deref().map(|c| (f, c)))
        .filter(|(_, c)| !c.is_empty() && *c != "-")
}

/// The catalogue's description of a kind (load once per push, not per batch).
pub async fn spec(state: &AppState, kind: &str) -> Result<ClassSpec, AppError> {
    Ok(catalogue::load(state, kind).await?.1)
}

/// The v2 codes a kind's records carry, in catalogue order.
pub fn codes(spec: &ClassSpec) -> Vec<String> {
    coded(spec).map(|(_, c)| c.to_string()).collect()
}

/// The records of `ids` (one kind), by internal id. A record that no longer exists is absent.
pub async fn records(
    state: &AppState,
    spec: &ClassSpec,
    ids: &[i64],
) -> Result<HashMap<i64, SentRecord>, AppError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    // Internal ids are integers: listing them inline is safe and keeps one statement per batch.
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    match store::typed_table(spec) {
        Some(table) => typed(state, spec, table, &list).await,
        None => generic(state, spec, &list).await,
    }
}

async fn typed(
    state: &AppState,
    spec: &ClassSpec,
    table: &str,
    list: &str,
) -> Result<HashMap<i64, SentRecord>, AppError> {
    let columns: Vec<String> = coded(spec)
        .map(|(f, _)| {
            let c = column(&f.key, f.field_type);
            format!("CAST({c} AS TEXT) AS {c}")
        })
        .collect();
    let sql = format!(
        "SELECT id, public_id{}{} FROM {table} WHERE id IN ({list})",
        if columns.is_empty() { "" } else { ", " },
        columns.join(", ")
    );
    // The fast read path: a batch is hundreds of rows of some thirty columns each.
    let rows = state.db.readers.fetch(&state.db.pool, &sql, &[]).await?;
    let mut out = HashMap::with_capacity(rows.len());
    for row in rows {
        let mut cells = row.into_iter();
        let (Some(id), Some(public_id)) = (
            cells.next().and_then(|v| v.int()),
            cells.next().and_then(|v| v.text()),
        ) else {
            continue;
        };
        let mut fields = Map::new();
        for ((f, code), cell) in coded(spec).zip(cells) {
            let raw = cell.text().filter(|t| !t.is_empty());
            let value = match (raw, f.field_type, f.key.as_str()) {
                (None, _, _) => String::new(),
                (Some(sealed), FieldType::IdNumber, _) => state.secrets.decrypt_id(&sealed)?,
                (Some(fen), _, "fine" | "confiscated") => fen
                    .parse::<i64>()
                    .map(values::fen_to_wan_yuan)
                    .unwrap_or_default(),
                (Some(text), _, _) => text,
            };
            fields.insert(code.to_string(), Value::String(value));
        }
        out.insert(id, SentRecord { public_id, fields });
    }
    Ok(out)
}

/// The stored column of a field in a typed table (the sealed number for ID numbers).
fn column(key: &str, ty: FieldType) -> String {
    match (key, ty) {
        (_, FieldType::IdNumber) => format!("{key}_enc"),
        _ => store::comparable_column(key, ty),
    }
}

async fn generic(
    state: &AppState,
    spec: &ClassSpec,
    list: &str,
) -> Result<HashMap<i64, SentRecord>, AppError> {
    let rows = sqlx::query(&format!(
        "SELECT id, public_id, payload FROM generic_records WHERE id IN ({list})"
    ))
    .fetch_all(&state.db.pool)
    .await?;
    let mut out = HashMap::with_capacity(rows.len());
    for row in rows {
        let payload: String = row.try_get("payload")?;
        let stored: Map<String, Value> = serde_json::from_str(&payload).unwrap_or_default();
        let text = |k: &str| stored.get(k).and_then(Value::as_str).unwrap_or_default();
        let mut fields = Map::new();
        for (f, code) in coded(spec) {
            let sealed = text(&format!("{}_enc", f.key));
            let value = if f.field_type == FieldType::IdNumber && !sealed.is_empty() {
                state.secrets.decrypt_id(sealed)?
            } else {
                text(&f.key).to_string()
            };
            fields.insert(code.to_string(), Value::String(value));
        }
        out.insert(
            row.try_get("id")?,
            SentRecord {
                public_id: row.try_get("public_id")?,
                fields,
            },
        );
    }
    Ok(out)
}
