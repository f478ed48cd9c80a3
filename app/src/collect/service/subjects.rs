//! The subject registry (法人库) as the pipeline sees it: look subjects up by code or ID hash, create the
//! ones first seen in a batch, and stage the batch's new records against them.
use super::batch_ctx::{is_revoked, BatchCtx};
use super::store;
use crate::error::AppError;
use crate::rules::catalog::ClassSpec;
use crate::rules::clean::row::{normalize_name, Checked, RegistryEntry, SubjectKey, SubjectKind};
use crate::rules::date::Ymd;
use crate::rules::{division, resident_id};
use crate::server::db::{in_list, BindValue, BulkConn, ReadValue};
use crate::server::AppState;
use std::collections::HashMap;

/// Registry entries by USCC: code → entry.
pub async fn registry_by_uscc(
    conn: &mut BulkConn<'_>,
    state: &AppState,
    codes: &[String],
) -> Result<HashMap<String, RegistryEntry>, AppError> {
    let mut codes: Vec<&String> = codes.iter().collect();
    codes.sort();
    codes.dedup();
    let mut out = HashMap::new();
    for part in codes.chunks(500) {
        let sql = format!(
            "SELECT uscc, name, legal_rep, county_code FROM subjects WHERE uscc IN ({})",
            in_list(state.db.backend, 0, part.len())
        );
        let binds: Vec<BindValue> = part.iter().map(|c| BindValue::str(c)).collect();
        for r in conn.fetch(&sql, &binds).await? {
            let [uscc, name, legal_rep, county] = &r[..] else {
                continue;
            };
            out.insert(
                uscc.text().unwrap_or_default(),
                RegistryEntry {
                    name: name.text().unwrap_or_default(),
                    legal_rep: legal_rep.text(),
                    county_code: county.text(),
                },
            );
        }
    }
    Ok(out)
}

async fn ids_by(
    conn: &mut BulkConn<'_>,
    state: &AppState,
    column: &str,
    values: &[String],
) -> Result<HashMap<String, i64>, AppError> {
    let mut out = HashMap::new();
    for part in values.chunks(500) {
        let sql = format!(
            "SELECT id, {column} AS v FROM subjects WHERE {column} IN ({})",
            in_list(state.db.backend, 0, part.len())
        );
        let binds: Vec<BindValue> = part.iter().map(|v| BindValue::str(v)).collect();
        for r in conn.fetch(&sql, &binds).await? {
            if let [ReadValue::Int(id), v] = &r[..] {
                out.insert(v.text().unwrap_or_default(), *id);
            }
        }
    }
    Ok(out)
}

/// A Xiangxi county code from a division code, if it is one (the counties table holds only these).
fn local_county(code: &str) -> Option<String> {
    division::xiangxi_name(code).map(|_| code.to_string())
}

/// A new record to stage: the checked row and its record key.
pub struct StagedRecord {
    pub checked: Checked,
    pub key: String,
}

/// Subject ids by registry key: USCC, and the HMAC of a person's ID number.
struct SubjectIds {
    by_code: HashMap<String, i64>,
    by_hmac: HashMap<String, i64>,
}

/// What staging a batch's records needs to know once.
struct Staging<'s> {
    state: &'s AppState,
    b: &'s BatchCtx,
    /// The `source` of subjects this batch creates.
    source: String,
    now: &'s str,
    today: Ymd,
}

/// Finds or creates the subject of every row, then inserts the rows as unpublished records.
pub async fn stage_records(
    conn: &mut BulkConn<'_>,
    state: &AppState,
    b: &BatchCtx,
    table: Option<&'static str>,
    rows: Vec<StagedRecord>,
    now: &str,
) -> Result<(), AppError> {
    if rows.is_empty() {
        return Ok(());
    }
    let staging = Staging {
        state,
        b,
        source: format!("batch:{}", b.public_id),
        now,
        today: state.clock.today(),
    };
    let ids = ensure_subjects(conn, &staging, &rows).await?;
    let mut records: Vec<Vec<BindValue>> = Vec::with_capacity(rows.len());
    for r in &rows {
        let subject_id = subject_id_of(conn, &staging, &ids, &r.checked).await?;
        records.push(record_values(&staging, table, r, subject_id));
    }
    let any_penalty = rows.iter().any(|r| r.checked.penalty.is_some());
    let (target, cols) = record_columns(&b.spec, table, any_penalty);
    if table.is_none() {
        for r in &mut records {
            r.push(BindValue::Int(b.class_id));
        }
    }
    let col_refs: Vec<&str> = cols.iter().map(String::as_str).collect();
    conn.insert_rows(target, &col_refs, &records).await
}

/// The subject ids of the rows' codes and ID numbers, creating the subjects not yet registered.
async fn ensure_subjects(
    conn: &mut BulkConn<'_>,
    staging: &Staging<'_>,
    rows: &[StagedRecord],
) -> Result<SubjectIds, AppError> {
    let state = staging.state;
    let secrets = &state.secrets;
    let codes: Vec<String> = rows
        .iter()
        .filter_map(|r| match &r.checked.subject {
            Some(SubjectKey::Uscc(code)) => Some(code.clone()),
            _ => None,
        })
        .collect();
    let hmacs: Vec<String> = rows
        .iter()
        .filter_map(|r| match &r.checked.subject {
            Some(SubjectKey::Person(n)) => Some(secrets.id_hmac(n)),
            _ => None,
        })
        .collect();
    let ids = SubjectIds {
        by_code: ids_by(conn, state, "uscc", &codes).await?,
        by_hmac: ids_by(conn, state, "id_number_hmac", &hmacs).await?,
    };
    let mut new_subjects: Vec<Vec<BindValue>> = vec![];
    let mut planned: std::collections::HashSet<String> = Default::default();
    for r in rows {
        if let Some((key, row)) = new_subject(staging, &ids, &r.checked) {
            if planned.insert(key) {
                new_subjects.push(row);
            }
        }
    }
    conn.insert_rows("subjects", &SUBJECT_COLUMNS, &new_subjects)
        .await?;
    if new_subjects.is_empty() {
        return Ok(ids);
    }
    Ok(SubjectIds {
        by_code: ids_by(conn, state, "uscc", &codes).await?,
        by_hmac: ids_by(conn, state, "id_number_hmac", &hmacs).await?,
    })
}

const SUBJECT_COLUMNS: [&str; 13] = [
    "public_id",
    "kind",
    "name",
    "uscc",
    "id_number_enc",
    "id_number_hmac",
    "id_number_masked",
    "birth_date",
    "legal_rep",
    "county_code",
    "source",
    "created_at",
    "updated_at",
];

/// A subject the row names that is not registered yet: its registry key and `SUBJECT_COLUMNS` values.
fn new_subject(
    staging: &Staging<'_>,
    ids: &SubjectIds,
    c: &Checked,
) -> Option<(String, Vec<BindValue>)> {
    let spec = &staging.b.spec;
    let secrets = &staging.state.secrets;
    let now = staging.now;
    let unit_county = || staging.b.unit.county_code.clone();
    let name = c.get(spec, "subject_name").to_string();
    let legal_rep = c.get(spec, "legal_rep").to_string();
    match &c.subject {
        Some(SubjectKey::Uscc(code)) if !ids.by_code.contains_key(code) => {
            let kind = if c.kind == SubjectKind::IndividualBusiness || code.starts_with("92") {
                "individual_business"
            } else {
                "organisation"
            };
            let county = local_county(&code[2..8]).or_else(unit_county);
            Some((
                format!("U:{code}"),
                vec![
                    BindValue::Text(public_id()),
                    BindValue::str(kind),
                    BindValue::Text(name),
                    BindValue::Text(code.clone()),
                    BindValue::NullText,
                    BindValue::NullText,
                    BindValue::NullText,
                    BindValue::NullText,
                    BindValue::text_or_null(&legal_rep),
                    BindValue::opt(county),
                    BindValue::Text(staging.source.clone()),
                    BindValue::str(now),
                    BindValue::str(now),
                ],
            ))
        }
        Some(SubjectKey::Person(number)) if !ids.by_hmac.contains_key(&secrets.id_hmac(number)) => {
            let info = resident_id::validate(number, staging.today).ok();
            let county = info
                .as_ref()
                .and_then(|i| local_county(&i.region_code))
                .or_else(unit_county);
            Some((
                format!("P:{}", secrets.id_hmac(number)),
                vec![
                    BindValue::Text(public_id()),
                    BindValue::str("person"),
                    BindValue::Text(name),
                    BindValue::NullText,
                    BindValue::Text(secrets.encrypt_id(number)),
                    BindValue::Text(secrets.id_hmac(number)),
                    BindValue::Text(crate::rules::mask::resident_id(number)),
                    BindValue::opt(info.map(|i| i.birth.iso())),
                    BindValue::NullText,
                    BindValue::opt(county),
                    BindValue::Text(staging.source.clone()),
                    BindValue::str(now),
                    BindValue::str(now),
                ],
            ))
        }
        _ => None,
    }
}

/// The subject a row's record belongs to (a subject without a code is matched or made by name).
async fn subject_id_of(
    conn: &mut BulkConn<'_>,
    staging: &Staging<'_>,
    ids: &SubjectIds,
    c: &Checked,
) -> Result<i64, AppError> {
    let subject_id = match &c.subject {
        Some(SubjectKey::Uscc(code)) => ids.by_code.get(code).copied(),
        Some(SubjectKey::Person(n)) => ids.by_hmac.get(&staging.state.secrets.id_hmac(n)).copied(),
        Some(SubjectKey::NameArea(name, area)) => {
            Some(subject_by_name(conn, c, name, area, &staging.source, staging.now).await?)
        }
        None => None,
    };
    subject_id.ok_or_else(|| AppError::internal("stage", "subject not matched"))
}

/// A staged record's values, in `record_columns` order (without the class id of a generic record).
fn record_values(
    staging: &Staging<'_>,
    table: Option<&'static str>,
    r: &StagedRecord,
    subject_id: i64,
) -> Vec<BindValue> {
    let (b, now, c) = (staging.b, staging.now, &r.checked);
    let spec = &b.spec;
    let secrets = &staging.state.secrets;
    let county = local_county(c.get(spec, "area_code"))
        .or_else(|| match &c.subject {
            // A subject's code is a valid 18-character USCC: its 3rd to 8th are the area.
            Some(SubjectKey::Uscc(code)) => local_county(code.get(2..8).unwrap_or_default()),
            _ => None,
        })
        .or_else(|| b.unit.county_code.clone());
    let filled = c
        .filled
        .iter()
        .map(|(i, src)| {
            let key = spec.fields.get(*i).map_or("", |f| f.key.as_str());
            format!("{key}:{src}")
        })
        .collect::<Vec<_>>()
        .join(";");
    let mut row = vec![
        BindValue::Text(public_id()),
        BindValue::Int(subject_id),
        BindValue::Int(b.department_id),
        BindValue::opt(county),
        BindValue::Int(b.id),
        BindValue::Text(r.key.clone()),
        BindValue::Int(0),
        BindValue::text_or_null(&filled),
        BindValue::Int(i64::from(is_revoked(spec, c))),
        BindValue::str(now),
        BindValue::str(now),
    ];
    match table {
        Some(_) => {
            row.extend(store::field_values(spec, c, secrets));
            if let Some(t) = &c.penalty {
                row.extend([
                    BindValue::str(t.severity.as_str()),
                    BindValue::Text(t.display_until.iso()),
                    BindValue::Text(t.repair_eligible_from.iso()),
                ]);
            }
        }
        None => {
            row.push(BindValue::Text(normalize_name(c.get(spec, "subject_name"))));
            row.push(BindValue::Text(store::generic_payload(spec, c, secrets)));
        }
    }
    row
}

/// The table staged records go to and its columns: the class's typed table, or the generic one.
fn record_columns(
    spec: &ClassSpec,
    table: Option<&'static str>,
    any_penalty: bool,
) -> (&'static str, Vec<String>) {
    let mut cols: Vec<String> = [
        "public_id",
        "subject_id",
        "department_id",
        "county_code",
        "batch_id",
        "dedupe_key",
        "published",
        "filled",
        "withdrawn",
        "created_at",
        "updated_at",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    match table {
        Some(t) => {
            cols.extend(store::field_column_list(spec));
            if any_penalty {
                cols.extend(
                    ["severity", "display_until", "repair_eligible_from"].map(String::from),
                );
            }
            (t, cols)
        }
        None => {
            cols.extend(["subject_name", "payload"].map(String::from));
            cols.push("class_id".into());
            ("generic_records", cols)
        }
    }
}

/// Subjects without a code are matched by normalised name and area (a weak key an operator confirms).
async fn subject_by_name(
    conn: &mut BulkConn<'_>,
    c: &Checked,
    name: &str,
    area: &str,
    source: &str,
    now: &str,
) -> Result<i64, AppError> {
    let county = local_county(area);
    let found = conn
        .fetch(
            "SELECT id FROM subjects WHERE name = $1 AND uscc IS NULL AND id_number_hmac IS NULL \
             AND COALESCE(county_code, '') = $2 ORDER BY id LIMIT 1",
            &[
                BindValue::str(name),
                BindValue::Text(county.clone().unwrap_or_default()),
            ],
        )
        .await?;
    if let Some(id) = found
        .first()
        .and_then(|r| r.first())
        .and_then(ReadValue::int)
    {
        return Ok(id);
    }
    let kind = match c.kind {
        SubjectKind::IndividualBusiness => "individual_business",
        _ => "organisation",
    };
    conn.fetch(
        "INSERT INTO subjects (public_id, kind, name, county_code, source, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
        &[
            BindValue::Text(public_id()),
            BindValue::str(kind),
            BindValue::str(name),
            BindValue::opt(county),
            BindValue::str(source),
            BindValue::str(now),
        ],
    )
    .await?
    .first()
    .and_then(|r| r.first())
    .and_then(ReadValue::int)
    .ok_or_else(|| AppError::internal("subject", "insert returned no id"))
}

/// Time-ordered ids (UUID v7): a million new rows append to the `public_id` index instead of
/// landing on random pages of it.
pub fn public_id() -> String {
    uuid::Uuid::now_v7().simple().to_string()
}
