//! How a checked row is stored: the typed tables' columns for licences and penalties, a JSON payload
//! for other classes. ID numbers are encrypted, hashed and masked here and nowhere else.
use crate::error::AppError;
use crate::rules::catalog::{ClassSpec, FieldType, Storage, LICENCE, PENALTY};
use crate::rules::clean::row::Checked;
use crate::rules::clean::values;
use crate::rules::mask;
use crate::server::db::{BindValue, BulkConn};
use crate::server::secrets::Secrets;
use std::collections::HashMap;

/// The typed table of a class, if it has one.
pub fn typed_table(spec: &ClassSpec) -> Option<&'static str> {
    match (spec.storage, spec.code.as_str()) {
        (Storage::Typed, PENALTY) => Some("penalties"),
        (Storage::Typed, LICENCE) => Some("licences"),
        _ => None,
    }
}

/// The kind name used in the version trace and URLs.
pub fn record_kind(spec: &ClassSpec) -> &str {
    match typed_table(spec) {
        Some("penalties") => "penalty",
        Some("licences") => "licence",
        _ => spec.code.as_str(),
    }
}

/// Stored columns of one field in a typed table.
fn field_columns(key: &str, ty: FieldType) -> Vec<String> {
    match (key, ty) {
        (_, FieldType::IdNumber) => vec![
            format!("{key}_enc"),
            format!("{key}_masked"),
            format!("{key}_hmac"),
        ],
        ("fine", _) => vec!["fine_fen".into()],
        ("confiscated", _) => vec!["confiscated_fen".into()],
        // The given severity feeds the derived one, which has its own column.
        ("severity", _) => vec![],
        _ => vec![key.to_string()],
    }
}

/// The sealed texts as sent, beside the fields (typed tables) or in the payload (generic records).
pub const ORIGINALS_COLUMN: &str = "text_originals_enc";
const ORIGINALS_KEY: &str = "_originals_enc";

/// The catalogue fields' columns, in order, then the sealed originals of masked text (the typed insert
/// adds the common ones).
pub fn field_column_list(spec: &ClassSpec) -> Vec<String> {
    spec.fields
        .iter()
        .flat_map(|f| field_columns(&f.key, f.field_type))
        .chain(std::iter::once(ORIGINALS_COLUMN.to_string()))
        .collect()
}

/// The text fields whose personal numbers were masked, as sent, sealed with the ID key as JSON
/// {field key: text}; `None` when nothing was masked.
pub fn sealed_originals(spec: &ClassSpec, checked: &Checked, secrets: &Secrets) -> Option<String> {
    if checked.originals.is_empty() {
        return None;
    }
    let map: serde_json::Map<String, serde_json::Value> = checked
        .originals
        .iter()
        .filter_map(|(i, text)| Some((spec.fields.get(*i)?.key.clone(), text.clone().into())))
        .collect();
    Some(secrets.encrypt_id(&serde_json::Value::Object(map).to_string()))
}

/// Opens what `sealed_originals` sealed: (field key, text as sent).
pub fn open_originals(secrets: &Secrets, sealed: &str) -> Result<Vec<(String, String)>, AppError> {
    let json = secrets.decrypt_id(sealed)?;
    let map: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&json).map_err(|e| AppError::internal("originals json", e))?;
    Ok(map
        .into_iter()
        .map(|(k, v)| (k, v.as_str().unwrap_or_default().to_string()))
        .collect())
}

/// The sealed originals of a generic record's payload.
pub fn payload_originals(payload: &str) -> Option<String> {
    serde_json::from_str::<serde_json::Value>(payload)
        .ok()?
        .get(ORIGINALS_KEY)?
        .as_str()
        .map(String::from)
}

/// Values for [`field_column_list`].
pub fn field_values(spec: &ClassSpec, checked: &Checked, secrets: &Secrets) -> Vec<BindValue> {
    let mut out = Vec::with_capacity(spec.fields.len() + 6);
    for (i, f) in spec.fields.iter().enumerate() {
        let v = checked.value(i);
        match (f.key.as_str(), f.field_type) {
            (_, FieldType::IdNumber) if v.is_empty() => out.extend([
                BindValue::NullText,
                BindValue::NullText,
                BindValue::NullText,
            ]),
            (_, FieldType::IdNumber) => out.extend([
                BindValue::Text(secrets.encrypt_id(v)),
                BindValue::Text(mask::resident_id(v)),
                BindValue::Text(secrets.id_hmac(v)),
            ]),
            ("fine" | "confiscated", _) => {
                out.push(BindValue::opt_int(values::parse_wan_yuan(v).ok()))
            }
            ("severity", _) => {}
            _ => out.push(BindValue::text_or_null(v)),
        }
    }
    out.push(BindValue::opt(sealed_originals(spec, checked, secrets)));
    out
}

/// A value as compared between an incoming row and a stored record: IDs by their keyed hash, money in
/// fen, everything else as canonical text. Equal comparables mean "nothing changed".
pub fn comparable(spec: &ClassSpec, checked: &Checked, secrets: &Secrets) -> Vec<String> {
    spec.fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let v = checked.value(i);
            match (f.key.as_str(), f.field_type) {
                (_, FieldType::IdNumber) if !v.is_empty() => secrets.id_hmac(v),
                ("fine" | "confiscated", _) => values::parse_wan_yuan(v)
                    .map(|fen| fen.to_string())
                    .unwrap_or_default(),
                ("severity", _) => checked
                    .penalty
                    .as_ref()
                    .map(|t| t.severity.as_str().to_string())
                    .unwrap_or_default(),
                _ => v.to_string(),
            }
        })
        .collect()
}

/// The SQL expression that reads a field's comparable back from a typed row.
pub fn comparable_column(key: &str, ty: FieldType) -> String {
    match (key, ty) {
        (_, FieldType::IdNumber) => format!("{key}_hmac"),
        ("fine", _) => "fine_fen".into(),
        ("confiscated", _) => "confiscated_fen".into(),
        _ => key.to_string(),
    }
}

/// How a field's value is shown in a diff: ID numbers masked, money in 万元.
pub fn display_value(key: &str, ty: FieldType, comparable: &str, masked: Option<&str>) -> String {
    match (key, ty) {
        (_, FieldType::IdNumber) => masked
            .unwrap_or(if comparable.is_empty() {
                ""
            } else {
                "（已加密）"
            })
            .to_string(),
        ("fine" | "confiscated", _) => comparable
            .parse::<i64>()
            .map(values::fen_to_wan_yuan)
            .unwrap_or_default(),
        _ => comparable.to_string(),
    }
}

/// The JSON payload of a generic record: shown values (ID numbers masked), the encrypted numbers, and
/// each field's comparable (`_cmp_<key>`) for duplicate and update detection.
pub fn generic_payload(spec: &ClassSpec, checked: &Checked, secrets: &Secrets) -> String {
    let cmp = comparable(spec, checked, secrets);
    let mut map = serde_json::Map::new();
    // `comparable` gives one value per field.
    for ((i, f), cmp) in spec.fields.iter().enumerate().zip(cmp) {
        let v = checked.value(i);
        if f.field_type == FieldType::IdNumber && !v.is_empty() {
            map.insert(f.key.clone(), mask::resident_id(v).into());
            map.insert(format!("{}_enc", f.key), secrets.encrypt_id(v).into());
        } else {
            map.insert(f.key.clone(), v.into());
        }
        map.insert(format!("_cmp_{}", f.key), cmp.into());
    }
    if let Some(sealed) = sealed_originals(spec, checked, secrets) {
        map.insert(ORIGINALS_KEY.into(), sealed.into());
    }
    serde_json::Value::Object(map).to_string()
}

/// A stored record's comparable values (see `comparable`), in field order.
pub async fn stored_comparable(
    conn: &mut BulkConn<'_>,
    spec: &ClassSpec,
    table: Option<&str>,
    id: i64,
) -> Result<Vec<String>, AppError> {
    match table {
        Some(t) => {
            let cols: Vec<String> = spec
                .fields
                .iter()
                .map(|f| comparable_column(&f.key, f.field_type))
                .collect();
            let select = cols
                .iter()
                .map(|c| format!("CAST({c} AS TEXT) AS {c}"))
                .collect::<Vec<_>>()
                .join(", ");
            let rows = conn
                .fetch(
                    &format!("SELECT {select} FROM {t} WHERE id = $1"),
                    &[BindValue::Int(id)],
                )
                .await?;
            let row = rows
                .into_iter()
                .next()
                .ok_or_else(|| AppError::NotFound("该记录".into()))?;
            Ok(row.iter().map(|v| v.text().unwrap_or_default()).collect())
        }
        None => {
            let payload = conn
                .fetch(
                    "SELECT payload FROM generic_records WHERE id = $1",
                    &[BindValue::Int(id)],
                )
                .await?
                .into_iter()
                .next()
                .and_then(|r| r.into_iter().next())
                .and_then(|v| v.text())
                .ok_or_else(|| AppError::NotFound("该记录".into()))?;
            let map: HashMap<String, String> = serde_json::from_str(&payload).unwrap_or_default();
            Ok(spec
                .fields
                .iter()
                .map(|f| {
                    map.get(&format!("_cmp_{}", f.key))
                        .cloned()
                        .unwrap_or_default()
                })
                .collect())
        }
    }
}
