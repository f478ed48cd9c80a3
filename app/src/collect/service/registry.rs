//! 法人库 (the subject registry) as staff see it, and its import from a register file. Subjects are
//! otherwise built from incoming records; an import brings in the authoritative register (names,
//! legal representatives, addresses), so a renamed company keeps its old name in the history and no
//! name-conflict task is raised for it. Valid rows are applied in one transaction; faulty rows are
//! reported with their row and reason and change nothing.
use super::files;
use super::subjects;
use super::upload_limits::Limits;
use crate::collect::model::{subject_kind_label, SubjectDetail, SubjectRow, RECORD_KINDS};
use crate::error::AppError;
use crate::paging::Page;
use crate::rules::catalog::registry_spec;
use crate::rules::clean::headers;
use crate::rules::clean::values::parse_date;
use crate::rules::{division, normalize, uscc};
use crate::server::audit::Actor;
use crate::server::authz::Caller;
use crate::server::db::in_list;
use crate::server::db::sql::PER_PAGE;
use crate::server::AppState;
use sqlx::Row;
use std::collections::HashMap;
use std::path::Path;

/// Rows looked up per query.
const PART: usize = 500;

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RegistryReport {
    pub rows: u64,
    pub added: u64,
    pub renamed: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// (row, reason) of the rows left out.
    pub faults: Vec<(u64, String)>,
}

struct Entry {
    uscc: String,
    name: String,
    legal_rep: Option<String>,
    reg_no: Option<String>,
    org_code: Option<String>,
    county: Option<String>,
    address: Option<String>,
    established_on: Option<String>,
}

fn opt(v: &str) -> Option<String> {
    Some(v.trim().to_string()).filter(|s| !s.is_empty())
}

/// Reads and checks one row; Err is the reason it is left out.
fn entry(values: &[String]) -> Result<Entry, String> {
    // `headers::gather` gives one value per field of `registry_spec`, in its order.
    let [code, name, legal_rep, reg_no, org_code, area, address, established_on, ..] = values
    else {
        return Err("登记信息的列不完整".into());
    };
    let code = normalize::identifier(code);
    uscc::validate(&code).map_err(|e| format!("统一社会信用代码 {code}：{}", e.message()))?;
    let name = name.trim();
    if name.is_empty() {
        return Err("名称为空".into());
    }
    let established_on = match opt(established_on) {
        Some(d) => Some(
            parse_date(&d)
                .ok_or_else(|| format!("成立日期“{d}”无法识别，请写作 2020-05-01"))?
                .iso(),
        ),
        None => None,
    };
    // A valid code is 18 ASCII characters; its 3rd to 8th are the registering area.
    let area = opt(area).unwrap_or_else(|| code.get(2..8).unwrap_or_default().to_string());
    Ok(Entry {
        uscc: code,
        name: name.chars().take(200).collect(),
        legal_rep: opt(legal_rep),
        reg_no: opt(reg_no),
        org_code: opt(org_code),
        county: division::xiangxi_name(&area).map(|_| area),
        address: opt(address),
        established_on,
    })
}

/// Reads a register file: its valid entries, and the report with its row count and faulty rows.
fn read_entries(path: &Path) -> Result<(RegistryReport, Vec<Entry>), AppError> {
    let spec = registry_spec();
    let mut file = files::open(path, Limits::default())?;
    let map = headers::resolve(&spec, &file.headers, &HashMap::new());
    if !map.missing_required.is_empty() {
        return Err(AppError::field(
            "file",
            "HDR_MISSING",
            "登记文件须包含“统一社会信用代码”和“名称”两列。",
        ));
    }
    let mut report = RegistryReport::default();
    let mut entries = Vec::new();
    let mut row = 0u64;
    while let Some(cells) = file.next_row(row + 1) {
        row += 1;
        let cells = cells?;
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        report.rows += 1;
        match entry(&headers::gather(&spec, &map, &cells)) {
            Ok(e) => entries.push(e),
            Err(reason) => report.faults.push((row, reason)),
        }
    }
    Ok((report, entries))
}

/// Imports a register file (CSV in UTF-8/GBK, or XLSX) into the registry, audited as
/// `registry.import` by `by`. `source` names it in the name history (e.g. the file name).
pub async fn import_file(
    state: &AppState,
    by: &Actor,
    path: &Path,
    source: &str,
) -> Result<RegistryReport, AppError> {
    let (mut report, entries) = read_entries(path)?;
    let now = state.clock.now_text();
    let mut tx = state.db.begin().await?;
    for part in entries.chunks(PART) {
        let sql = format!(
            "SELECT id, uscc, name, legal_rep, reg_no, org_code, county_code, address, established_on \
             FROM subjects WHERE uscc IN ({})",
            in_list(state.db.backend, 0, part.len())
        );
        let mut q = sqlx::query(&sql);
        for e in part {
            q = q.bind(&e.uscc);
        }
        let mut existing: HashMap<String, (i64, String, Vec<Option<String>>)> = HashMap::new();
        for r in q.fetch_all(&mut *tx).await? {
            let fields = [
                "legal_rep",
                "reg_no",
                "org_code",
                "county_code",
                "address",
                "established_on",
            ]
            .iter()
            .map(|c| r.try_get::<Option<String>, _>(*c))
            .collect::<Result<Vec<_>, _>>()?;
            existing.insert(
                r.try_get("uscc")?,
                (r.try_get("id")?, r.try_get("name")?, fields),
            );
        }
        for e in part {
            let new_fields = [
                e.legal_rep.clone(),
                e.reg_no.clone(),
                e.org_code.clone(),
                e.county.clone(),
                e.address.clone(),
                e.established_on.clone(),
            ];
            match existing.get(&e.uscc) {
                None => {
                    let kind = if e.uscc.starts_with("92") {
                        "individual_business"
                    } else {
                        "organisation"
                    };
                    sqlx::query(
                        "INSERT INTO subjects (public_id, kind, name, uscc, legal_rep, reg_no, org_code, county_code, \
                         address, established_on, source, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)",
                    )
                    .bind(subjects::public_id())
                    .bind(kind)
                    .bind(&e.name)
                    .bind(&e.uscc)
                    .bind(&e.legal_rep)
                    .bind(&e.reg_no)
                    .bind(&e.org_code)
                    .bind(&e.county)
                    .bind(&e.address)
                    .bind(&e.established_on)
                    .bind(format!("registry:{source}"))
                    .bind(&now)
                    .execute(&mut *tx)
                    .await?;
                    report.added += 1;
                }
                Some((id, name, fields)) => {
                    // Blank cells in the register do not erase what is known.
                    let merged: Vec<Option<String>> = new_fields
                        .iter()
                        .zip(fields)
                        .map(|(n, o)| n.clone().or_else(|| o.clone()))
                        .collect();
                    let renamed = subjects_differ(name, &e.name);
                    if !renamed && &merged == fields {
                        report.unchanged += 1;
                        continue;
                    }
                    if renamed {
                        sqlx::query(
                            "INSERT INTO subject_names (subject_id, name, seen_at, source) VALUES ($1, $2, $3, $4)",
                        )
                        .bind(id)
                        .bind(name)
                        .bind(&now)
                        .bind(format!("registry:{source}"))
                        .execute(&mut *tx)
                        .await?;
                        // An open name-conflict task about this subject is settled by the register.
                        sqlx::query(
                            "UPDATE subject_conflicts SET status = 'renamed', resolved_at = $2 \
                             WHERE subject_id = $1 AND status = 'open' AND incoming_name = $3",
                        )
                        .bind(id)
                        .bind(&now)
                        .bind(&e.name)
                        .execute(&mut *tx)
                        .await?;
                        report.renamed += 1;
                    } else {
                        report.updated += 1;
                    }
                    // $3 to $8: the six merged fields, in the order of `new_fields`.
                    let mut update = sqlx::query(
                        "UPDATE subjects SET name = $2, legal_rep = $3, reg_no = $4, org_code = $5, county_code = $6, \
                         address = $7, established_on = $8, updated_at = $9 WHERE id = $1",
                    )
                    .bind(id)
                    .bind(&e.name);
                    for value in &merged {
                        update = update.bind(value);
                    }
                    update.bind(&now).execute(&mut *tx).await?;
                }
            }
        }
    }
    by.audit(
        &mut tx,
        state,
        "registry.import",
        Some(("file", source)),
        serde_json::json!({
            "rows": report.rows, "added": report.added, "renamed": report.renamed,
            "updated": report.updated, "faulty": report.faults.len(),
        }),
    )
    .await?;
    tx.commit().await?;
    tracing::info!(
        rows = report.rows,
        added = report.added,
        renamed = report.renamed,
        faults = report.faults.len(),
        "registry imported"
    );
    Ok(report)
}

fn subjects_differ(a: &str, b: &str) -> bool {
    crate::rules::clean::row::normalize_name(a) != crate::rules::clean::row::normalize_name(b)
}

/// `AND …` limiting subjects `s` to the caller's subject scope (`authz::SubjectScope`, the rule the
/// staff search uses), as the n-th bind.
async fn county_scope(
    state: &AppState,
    caller: &Caller,
    n: usize,
) -> Result<(String, Option<String>), AppError> {
    Ok(match caller.subject_scope(state).await?.county_filter() {
        None => (String::new(), None),
        Some(county) => (format!(" AND s.county_code = ${n}"), Some(county)),
    })
}

fn subject_row(r: &sqlx::any::AnyRow) -> Result<SubjectRow, AppError> {
    let kind: String = r.try_get("kind")?;
    let county: Option<String> = r.try_get("county_code")?;
    Ok(SubjectRow {
        public_id: r.try_get("public_id")?,
        name: r.try_get("name")?,
        identifier: r
            .try_get::<Option<String>, _>("uscc")?
            .or(r.try_get::<Option<String>, _>("id_number_masked")?)
            .unwrap_or_default(),
        kind: subject_kind_label(&kind).into(),
        county: county
            .as_deref()
            .and_then(division::xiangxi_name)
            .unwrap_or_default()
            .to_string(),
        updated_at: r.try_get("updated_at")?,
    })
}

const SUBJECT_COLUMNS: &str =
    "s.public_id, s.kind, s.name, s.uscc, s.id_number_masked, s.county_code, s.updated_at";

/// Subjects by name fragment or code, ranked by the credit search (the same service as the portal's,
/// natural persons included and masked, within the caller's county); the latest first without a query.
pub async fn search(
    state: &AppState,
    caller: &Caller,
    q: &str,
    page: i64,
) -> Result<Page<SubjectRow>, AppError> {
    let page = page.max(1);
    if !q.trim().is_empty() {
        let county = caller.subject_scope(state).await?.county_filter();
        let found = crate::credit::service::staff_subject_search(state, county, q, page).await?;
        if let Some(message) = found.message {
            return Err(AppError::field("q", "QUERY_SHORT", message));
        }
        return Ok(Page {
            rows: found
                .hits
                .into_iter()
                .map(|h| SubjectRow {
                    public_id: h.public_id,
                    name: h.name,
                    identifier: h.uscc,
                    kind: h.kind,
                    county: h.county,
                    updated_at: h.updated_at,
                })
                .collect(),
            total: found.total,
            page,
            per_page: found.per_page,
        });
    }
    let (scope, scope_value) = county_scope(state, caller, 1).await?;
    let filter = if scope.is_empty() {
        String::new()
    } else {
        format!("WHERE 1 = 1{scope}")
    };
    let count_sql = format!("SELECT COUNT(*) AS n FROM subjects s {filter}");
    let rows_sql = format!(
        "SELECT {SUBJECT_COLUMNS} FROM subjects s {filter} ORDER BY s.id DESC LIMIT {PER_PAGE} OFFSET {}",
        (page - 1) * PER_PAGE
    );
    let mut count = sqlx::query(&count_sql);
    let mut rows = sqlx::query(&rows_sql);
    if let Some(v) = &scope_value {
        count = count.bind(v.clone());
        rows = rows.bind(v.clone());
    }
    let pool = &state.db.pool;
    let total: i64 = count.fetch_one(pool).await?.try_get("n")?;
    let rows = rows
        .fetch_all(pool)
        .await?
        .iter()
        .map(subject_row)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Page {
        rows,
        total,
        page,
        per_page: PER_PAGE,
    })
}

/// One subject: register details, former names and how many records each class holds for it.
pub async fn detail(
    state: &AppState,
    caller: &Caller,
    public_id: &str,
) -> Result<SubjectDetail, AppError> {
    let sql = format!(
        "SELECT s.id, {SUBJECT_COLUMNS}, COALESCE(s.legal_rep, '') AS legal_rep, COALESCE(s.reg_no, '') AS reg_no, \
         COALESCE(s.org_code, '') AS org_code, COALESCE(s.address, '') AS address, \
         COALESCE(s.established_on, '') AS established_on, COALESCE(s.source, '') AS source, s.created_at \
         FROM subjects s WHERE s.public_id = $1"
    );
    let pool = &state.db.pool;
    let r = sqlx::query(&sql)
        .bind(public_id)
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| AppError::NotFound("该主体".into()))?;
    let county: Option<String> = r.try_get("county_code")?;
    caller
        .check_subject(state, "subject.view", public_id, county.as_deref())
        .await?;
    let id: i64 = r.try_get("id")?;
    let names = sqlx::query(
        "SELECT name, seen_at, source FROM subject_names WHERE subject_id = $1 ORDER BY seen_at DESC, id DESC",
    )
    .bind(id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|n| Ok((n.try_get("name")?, n.try_get("seen_at")?, n.try_get("source")?)))
    .collect::<Result<Vec<_>, AppError>>()?;
    let mut records = vec![];
    for (kind, label) in RECORD_KINDS {
        let n: i64 = sqlx::query(&format!(
            "SELECT COUNT(*) AS n FROM {} WHERE subject_id = $1",
            if *kind == "penalty" {
                "penalties"
            } else {
                "licences"
            }
        ))
        .bind(id)
        .fetch_one(pool)
        .await?
        .try_get("n")?;
        records.push((kind.to_string(), label.to_string(), n));
    }
    for g in sqlx::query(
        "SELECT c.code, c.name, COUNT(*) AS n FROM generic_records g JOIN data_classes c ON c.id = g.class_id \
         WHERE g.subject_id = $1 GROUP BY c.code, c.name ORDER BY c.name",
    )
    .bind(id)
    .fetch_all(pool)
    .await?
    {
        records.push((g.try_get("code")?, g.try_get("name")?, g.try_get("n")?));
    }
    let open_conflicts: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM subject_conflicts WHERE subject_id = $1 AND status = 'open'",
    )
    .bind(id)
    .fetch_one(pool)
    .await?
    .try_get("n")?;
    Ok(SubjectDetail {
        row: subject_row(&r)?,
        legal_rep: r.try_get("legal_rep")?,
        reg_no: r.try_get("reg_no")?,
        org_code: r.try_get("org_code")?,
        address: r.try_get("address")?,
        established_on: r.try_get("established_on")?,
        source: r.try_get("source")?,
        created_at: r.try_get("created_at")?,
        names,
        records,
        open_conflicts,
    })
}
