//! The subject registry (法人库) as the pipeline sees it: look subjects up by code or ID hash, create the
//! ones first seen in a batch, and stage the batch's new records against them.
use super::pipeline::{is_revoked, BatchCtx};
use super::store;
use crate::error::AppError;
use crate::rules::clean::row::{normalize_name, Checked, RegistryEntry, SubjectKey, SubjectKind};
use crate::rules::{division, resident_id};
use crate::server::bulk::{in_list, V};
use crate::server::bulk_conn::{BulkConn, Val};
use crate::server::AppState;
use std::collections::HashMap;

/// Registry entries by USCC: code → (subject id, entry).
pub async fn registry_by_uscc(
    conn: &mut BulkConn<'_>,
    state: &AppState,
    codes: &[String],
) -> Result<HashMap<String, (i64, RegistryEntry)>, AppError> {
    let mut codes: Vec<&String> = codes.iter().collect();
    codes.sort();
    codes.dedup();
    let mut out = HashMap::new();
    for part in codes.chunks(500) {
        let sql = format!(
            "SELECT id, uscc, name, legal_rep, county_code FROM subjects WHERE uscc IN ({})",
            in_list(state.db.backend, 0, part.len())
        );
        let binds: Vec<V> = part.iter().map(|c| V::s(c)).collect();
        for r in conn.fetch(&sql, &binds).await? {
            let [id, uscc, name, legal_rep, county] = &r[..] else {
                continue;
            };
            out.insert(
                uscc.text().unwrap_or_default(),
                (
                    id.int().unwrap_or_default(),
                    RegistryEntry {
                        name: name.text().unwrap_or_default(),
                        legal_rep: legal_rep.text(),
                        county_code: county.text(),
                    },
                ),
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
        let binds: Vec<V> = part.iter().map(|v| V::s(v)).collect();
        for r in conn.fetch(&sql, &binds).await? {
            if let [Val::I(id), v] = &r[..] {
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

/// Finds or creates the subject of every row, then inserts the rows as unpublished records.
pub async fn stage_records(
    conn: &mut BulkConn<'_>,
    state: &AppState,
    b: &BatchCtx,
    table: Option<&'static str>,
    rows: Vec<(Checked, String)>,
    now: &str,
) -> Result<(), AppError> {
    if rows.is_empty() {
        return Ok(());
    }
    let spec = &b.spec;
    let secrets = &state.secrets;
    let today = state.clock.today();
    let unit_county = b.unit.county_code.clone();
    // Subject ids by their registry key.
    let codes: Vec<String> = rows
        .iter()
        .filter_map(|(c, _)| match &c.subject {
            Some(SubjectKey::Uscc(code)) => Some(code.clone()),
            _ => None,
        })
        .collect();
    let hmacs: Vec<String> = rows
        .iter()
        .filter_map(|(c, _)| match &c.subject {
            Some(SubjectKey::Person(n)) => Some(secrets.id_hmac(n)),
            _ => None,
        })
        .collect();
    let mut by_code = ids_by(conn, state, "uscc", &codes).await?;
    let mut by_hmac = ids_by(conn, state, "id_number_hmac", &hmacs).await?;
    let mut new_subjects: Vec<Vec<V>> = vec![];
    let mut planned: std::collections::HashSet<String> = Default::default();
    let source = format!("batch:{}", b.public_id);
    for (c, _) in &rows {
        let name = c.get(spec, "subject_name").to_string();
        let legal_rep = c.get(spec, "legal_rep").to_string();
        let (key, row) = match &c.subject {
            Some(SubjectKey::Uscc(code)) if !by_code.contains_key(code) => {
                let kind = if c.kind == SubjectKind::IndividualBusiness || code.starts_with("92") {
                    "individual_business"
                } else {
                    "organisation"
                };
                let county = local_county(&code[2..8]).or_else(|| unit_county.clone());
                (
                    format!("U:{code}"),
                    vec![
                        V::S(public_id()),
                        V::s(kind),
                        V::S(name),
                        V::S(code.clone()),
                        V::NullS,
                        V::NullS,
                        V::NullS,
                        V::NullS,
                        V::text(&legal_rep),
                        V::opt(county),
                        V::S(source.clone()),
                        V::s(now),
                        V::s(now),
                    ],
                )
            }
            Some(SubjectKey::Person(number)) if !by_hmac.contains_key(&secrets.id_hmac(number)) => {
                let info = resident_id::validate(number, today).ok();
                let county = info
                    .as_ref()
                    .and_then(|i| local_county(&i.region_code))
                    .or_else(|| unit_county.clone());
                (
                    format!("P:{}", secrets.id_hmac(number)),
                    vec![
                        V::S(public_id()),
                        V::s("person"),
                        V::S(name),
                        V::NullS,
                        V::S(secrets.encrypt_id(number)),
                        V::S(secrets.id_hmac(number)),
                        V::S(crate::rules::mask::resident_id(number)),
                        V::opt(info.map(|i| i.birth.iso())),
                        V::NullS,
                        V::opt(county),
                        V::S(source.clone()),
                        V::s(now),
                        V::s(now),
                    ],
                )
            }
            _ => continue,
        };
        if planned.insert(key) {
            new_subjects.push(row);
        }
    }
    conn.insert_rows(
        "subjects",
        &[
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
        ],
        &new_subjects,
    )
    .await?;
    if !new_subjects.is_empty() {
        by_code = ids_by(conn, state, "uscc", &codes).await?;
        by_hmac = ids_by(conn, state, "id_number_hmac", &hmacs).await?;
    }
    let mut records: Vec<Vec<V>> = Vec::with_capacity(rows.len());
    for (c, key) in &rows {
        let subject_id = match &c.subject {
            Some(SubjectKey::Uscc(code)) => by_code.get(code).copied(),
            Some(SubjectKey::Person(n)) => by_hmac.get(&secrets.id_hmac(n)).copied(),
            Some(SubjectKey::NameArea(name, area)) => {
                Some(subject_by_name(conn, c, name, area, &source, now).await?)
            }
            None => None,
        };
        let subject_id =
            subject_id.ok_or_else(|| AppError::internal("stage", "subject not matched"))?;
        let county = local_county(c.get(spec, "area_code"))
            .or_else(|| match &c.subject {
                Some(SubjectKey::Uscc(code)) => local_county(&code[2..8]),
                _ => None,
            })
            .or_else(|| unit_county.clone());
        let filled = c
            .filled
            .iter()
            .map(|(i, src)| format!("{}:{src}", spec.fields[*i].key))
            .collect::<Vec<_>>()
            .join(";");
        let mut row = vec![
            V::S(public_id()),
            V::I(subject_id),
            V::I(b.department_id),
            V::opt(county),
            V::I(b.id),
            V::S(key.clone()),
            V::I(0),
            V::text(&filled),
            V::I(i64::from(is_revoked(spec, c))),
            V::s(now),
            V::s(now),
        ];
        match table {
            Some(_) => {
                row.extend(store::field_values(spec, c, secrets));
                if let Some(t) = &c.penalty {
                    row.extend([
                        V::s(t.severity.as_str()),
                        V::S(t.display_until.iso()),
                        V::S(t.repair_eligible_from.iso()),
                    ]);
                }
            }
            None => {
                row.push(V::S(normalize_name(c.get(spec, "subject_name"))));
                row.push(V::S(store::generic_payload(spec, c, secrets)));
            }
        }
        records.push(row);
    }
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
    let target = match table {
        Some(t) => {
            cols.extend(store::field_column_list(spec));
            if rows.iter().any(|(c, _)| c.penalty.is_some()) {
                cols.extend(
                    ["severity", "display_until", "repair_eligible_from"].map(String::from),
                );
            }
            t
        }
        None => {
            cols.extend(["subject_name", "payload"].map(String::from));
            cols.push("class_id".into());
            for r in &mut records {
                r.push(V::I(b.class_id));
            }
            "generic_records"
        }
    };
    let col_refs: Vec<&str> = cols.iter().map(String::as_str).collect();
    conn.insert_rows(target, &col_refs, &records).await
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
            &[V::s(name), V::S(county.clone().unwrap_or_default())],
        )
        .await?;
    if let Some(id) = found.first().and_then(|r| r.first()).and_then(Val::int) {
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
            V::S(public_id()),
            V::s(kind),
            V::s(name),
            V::opt(county),
            V::s(source),
            V::s(now),
        ],
    )
    .await?
    .first()
    .and_then(|r| r.first())
    .and_then(Val::int)
    .ok_or_else(|| AppError::internal("subject", "insert returned no id"))
}

/// Time-ordered ids (UUID v7): a million new rows append to the `public_id` index instead of
/// landing on random pages of it.
pub fn public_id() -> String {
    uuid::Uuid::now_v7().simple().to_string()
}
