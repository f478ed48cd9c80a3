//! Checking a batch (DOMAIN §6): read the file in chunks, check every row, match subjects, sort rows
//! into new / update / duplicate / faulty, and stage new records unpublished. One transaction per chunk
//! keeps memory flat; a check that is interrupted starts over from a clean slate (`reset`), so nothing
//! half-done is ever visible. Publication is `confirm::confirm`, one transaction for the whole batch.
use super::files::{self, Limits};
use super::store;
use super::{catalogue, subjects};
use crate::error::AppError;
use crate::rules::catalog::{ClassSpec, LICENCE};
use crate::rules::clean::headers::{self, HeaderMap};
use crate::rules::clean::keys;
use crate::rules::clean::row::{self as checker, Checked, Context, Unit};
use crate::rules::clean::rules::{self as r, Fault, Level};
use crate::rules::normalize;
use crate::server::bulk::{in_list, insert_rows, V};
use crate::server::AppState;
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::PathBuf;

/// Rows per transaction.
pub const CHUNK: usize = 2_000;
/// Cells kept for the error report are cut at this many characters.
const KEPT_CELL_CHARS: usize = 4_000;

/// A batch with what checking it needs.
pub struct BatchCtx {
    pub id: i64,
    pub public_id: String,
    pub class_id: i64,
    pub department_id: i64,
    pub spec: ClassSpec,
    pub unit: Unit,
    pub file_path: Option<PathBuf>,
    pub status: String,
}

pub async fn load(state: &AppState, batch_id: i64) -> Result<BatchCtx, AppError> {
    let row = sqlx::query(
        "SELECT b.id, b.public_id, b.class_id, b.department_id, b.file_path, b.status, d.name AS dname, \
         d.uscc AS duscc, d.county_code AS dcounty FROM batches b JOIN departments d ON d.id = b.department_id \
         WHERE b.id = $1",
    )
    .bind(batch_id)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or_else(|| AppError::NotFound("该批次".into()))?;
    let class_id: i64 = row.try_get("class_id")?;
    Ok(BatchCtx {
        id: row.try_get("id")?,
        public_id: row.try_get("public_id")?,
        class_id,
        department_id: row.try_get("department_id")?,
        spec: catalogue::load_by_id(state, class_id).await?,
        unit: Unit {
            name: row.try_get("dname")?,
            uscc: row.try_get("duscc")?,
            county_code: row.try_get("dcounty")?,
        },
        file_path: row
            .try_get::<Option<String>, _>("file_path")?
            .map(PathBuf::from),
        status: row.try_get("status")?,
    })
}

/// What a check ended with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckOutcome {
    Checked,
    /// Headers nobody knows: the unit maps them on the mapping screen, then the check runs again.
    NeedsMapping(Vec<String>),
    /// The file cannot be read (encoding, size, broken XLSX …); the message says why.
    Failed(String),
}

/// Removes everything an earlier (perhaps interrupted) check of this batch left behind.
pub async fn reset(state: &AppState, b: &BatchCtx) -> Result<(), AppError> {
    let mut tx = state.db.begin().await?;
    clear_staging(&mut tx, b).await?;
    sqlx::query(
        "UPDATE batches SET rows_total = 0, rows_done = 0, rows_new = 0, rows_update = 0, rows_duplicate = 0, \
         rows_faulty = 0, rows_warning = 0, error = NULL, updated_at = $2 WHERE id = $1",
    )
    .bind(b.id)
    .bind(state.clock.now_text())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes the batch's staged records, kept rows and faults.
pub async fn clear_staging(conn: &mut AnyConnection, b: &BatchCtx) -> Result<(), AppError> {
    match store::typed_table(&b.spec) {
        Some(table) => {
            sqlx::query(&format!(
                "DELETE FROM {table} WHERE batch_id = $1 AND published = 0"
            ))
            .bind(b.id)
            .execute(&mut *conn)
            .await?
        }
        None => {
            sqlx::query("DELETE FROM generic_records WHERE batch_id = $1 AND published = 0")
                .bind(b.id)
                .execute(&mut *conn)
                .await?
        }
    };
    for table in ["batch_rows", "batch_faults"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE batch_id = $1"))
            .bind(b.id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

async fn set_status(
    state: &AppState,
    batch_id: i64,
    status: &str,
    error: Option<&str>,
) -> Result<(), AppError> {
    let now = state.clock.now_text();
    let checked_at = (status == "checked").then(|| now.clone());
    sqlx::query(
        "UPDATE batches SET status = $2, error = $3, updated_at = $4, \
         checked_at = COALESCE($5, checked_at) WHERE id = $1",
    )
    .bind(batch_id)
    .bind(status)
    .bind(error)
    .bind(&now)
    .bind(checked_at)
    .execute(&state.db.pool)
    .await?;
    Ok(())
}

/// Checks a batch from its stored file. Safe to run again after an interruption.
pub async fn check_file(state: &AppState, batch_id: i64) -> Result<CheckOutcome, AppError> {
    let b = load(state, batch_id).await?;
    if !matches!(b.status.as_str(), "uploaded" | "checking" | "checked") {
        return Err(AppError::Conflict(
            "该批次已确认发布或已作废，不能重新检查。".into(),
        ));
    }
    let path = b
        .file_path
        .clone()
        .ok_or_else(|| AppError::Conflict("该批次没有上传文件。".into()))?;
    reset(state, &b).await?;
    let mut file = match files::open(&path, upload_limits(state)) {
        Ok(f) => f,
        Err(e) => return fail(state, b.id, e).await,
    };
    let remembered = catalogue::remembered_headers(state, b.department_id, b.class_id).await?;
    let map = headers::resolve(&b.spec, &file.headers, &remembered);
    if !map.is_complete() {
        set_status(state, b.id, "uploaded", None).await?;
        return Ok(CheckOutcome::NeedsMapping(
            map.unknown.into_iter().map(|(_, h)| h).collect(),
        ));
    }
    save_headers(state, b.id, &file.headers).await?;
    sqlx::query(
        "UPDATE batches SET status = 'checking', check_started_at = $2, encoding = $3, rows_total = $4, \
         bytes_done = 0 WHERE id = $1",
    )
        .bind(b.id)
        .bind(state.clock.now_text())
        .bind(file.encoding.map(|e| e.label()))
        .bind(file.known_rows().unwrap_or(0) as i64)
        .execute(&state.db.pool)
        .await?;
    let mut checker = Checker::new(state, &b, map).await?;
    let mut row_no = 0u64;
    loop {
        let mut chunk = Vec::with_capacity(CHUNK);
        while chunk.len() < CHUNK {
            match file.next_row(row_no + 1) {
                None => break,
                Some(Err(e)) => {
                    reset(state, &b).await?;
                    return fail(state, b.id, e).await;
                }
                Some(Ok(cells)) => {
                    row_no += 1;
                    if cells.iter().any(|c| !c.trim().is_empty()) {
                        chunk.push((row_no, cells));
                    }
                }
            }
        }
        if chunk.is_empty() {
            break;
        }
        checker.chunk(chunk, row_no).await?;
        sqlx::query("UPDATE batches SET bytes_done = $2 WHERE id = $1")
            .bind(b.id)
            .bind(file.position() as i64)
            .execute(&state.db.pool)
            .await?;
    }
    finish(state, b.id).await?;
    Ok(CheckOutcome::Checked)
}

/// Checks rows given directly (API and web form): the same pipeline, without a file.
pub async fn check_rows(
    state: &AppState,
    batch_id: i64,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
) -> Result<CheckOutcome, AppError> {
    let b = load(state, batch_id).await?;
    reset(state, &b).await?;
    let remembered = catalogue::remembered_headers(state, b.department_id, b.class_id).await?;
    let map = headers::resolve(&b.spec, &headers, &remembered);
    if !map.is_complete() {
        let unknown: Vec<String> = map.unknown.into_iter().map(|(_, h)| h).collect();
        return fail(
            state,
            b.id,
            AppError::field(
                "headers",
                "HDR_UNKNOWN",
                format!(
                    "无法识别的字段：{}。请使用目录中的字段代码或中文名称。",
                    unknown.join("、")
                ),
            ),
        )
        .await;
    }
    save_headers(state, b.id, &headers).await?;
    set_status(state, b.id, "checking", None).await?;
    let mut checker = Checker::new(state, &b, map).await?;
    let mut numbered: Vec<(u64, Vec<String>)> = rows
        .into_iter()
        .enumerate()
        .map(|(i, r)| (i as u64 + 1, r))
        .collect();
    while !numbered.is_empty() {
        let rest = numbered.split_off(numbered.len().min(CHUNK));
        let last = numbered.last().map_or(0, |(n, _)| *n);
        checker
            .chunk(std::mem::replace(&mut numbered, rest), last)
            .await?;
    }
    finish(state, b.id).await?;
    Ok(CheckOutcome::Checked)
}

/// The header row as the unit sent it, for the error report.
async fn save_headers(state: &AppState, batch_id: i64, headers: &[String]) -> Result<(), AppError> {
    sqlx::query("UPDATE batches SET headers = $2 WHERE id = $1")
        .bind(batch_id)
        .bind(serde_json::to_string(headers).map_err(|e| AppError::internal("headers json", e))?)
        .execute(&state.db.pool)
        .await?;
    Ok(())
}

async fn finish(state: &AppState, batch_id: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE batches SET rows_total = rows_done WHERE id = $1")
        .bind(batch_id)
        .execute(&state.db.pool)
        .await?;
    set_status(state, batch_id, "checked", None).await
}

async fn fail(state: &AppState, batch_id: i64, e: AppError) -> Result<CheckOutcome, AppError> {
    let message = match &e {
        AppError::Validation(list) => list
            .iter()
            .map(|f| f.message.as_str())
            .collect::<Vec<_>>()
            .join("；"),
        other => other.to_string(),
    };
    set_status(state, batch_id, "failed", Some(&message)).await?;
    Ok(CheckOutcome::Failed(message))
}

pub fn upload_limits(state: &AppState) -> Limits {
    Limits {
        max_bytes: state.config.upload_max_mb * 1024 * 1024,
        ..Limits::default()
    }
}

/// How a row came out.
enum Sorted {
    New(Checked, String),
    Update(Checked, i64),
    Duplicate(Checked, &'static str),
    Faulty(Checked),
}

/// The state carried across chunks: the batch, the header map, and the keys seen so far.
struct Checker<'a> {
    state: &'a AppState,
    b: &'a BatchCtx,
    map: HeaderMap,
    regime: crate::rules::disclosure::Regime,
    table: Option<&'static str>,
    /// Key hash → (content hash, first row) of rows already accepted in this batch.
    seen: HashMap<u128, (u128, u64)>,
    uscc_idx: Option<usize>,
    /// Per field: whether the file has a column for it.
    supplied: Vec<bool>,
}

fn hash128(parts: &[&str]) -> u128 {
    let mut out = 0u128;
    for seed in [0x9e37_79b9u64, 0x85eb_ca6b] {
        let mut h = DefaultHasher::new();
        seed.hash(&mut h);
        for p in parts {
            p.hash(&mut h);
        }
        out = (out << 64) | u128::from(h.finish());
    }
    out
}

impl<'a> Checker<'a> {
    async fn new(state: &'a AppState, b: &'a BatchCtx, map: HeaderMap) -> Result<Self, AppError> {
        let supplied = (0..b.spec.fields.len())
            .map(|i| map.columns.contains(&Some(i)))
            .collect();
        Ok(Checker {
            supplied,
            state,
            b,
            map,
            regime: crate::server::settings::disclosure_regime(state).await?,
            table: store::typed_table(&b.spec),
            seen: HashMap::new(),
            uscc_idx: b.spec.index_of("subject_uscc"),
        })
    }

    /// The record key of a clean row: decision number (or the class's dates), subject, authority.
    fn record_key(&self, c: &Checked) -> Option<String> {
        let spec = &self.b.spec;
        let subject = c.subject.as_ref()?;
        let part = keys::subject_part(subject, |n| self.state.secrets.id_hmac(n));
        let doc = if spec.index_of("decision_no").is_some() {
            c.get(spec, "decision_no").to_string()
        } else {
            spec.fields
                .iter()
                .enumerate()
                .filter(|(_, f)| {
                    matches!(
                        f.field_type,
                        crate::rules::catalog::FieldType::Date
                            | crate::rules::catalog::FieldType::Enum
                    )
                })
                .map(|(i, _)| c.values[i].as_str())
                .collect::<Vec<_>>()
                .join("/")
        };
        let authority = ["authority", "accepting_unit"]
            .iter()
            .map(|k| c.get(spec, k))
            .find(|v| !v.is_empty())
            .unwrap_or_default();
        Some(keys::record_key(&doc, &part, authority))
    }

    async fn chunk(
        &mut self,
        rows: Vec<(u64, Vec<String>)>,
        last_row: u64,
    ) -> Result<(), AppError> {
        let state = self.state;
        let spec = &self.b.spec;
        let secrets = &state.secrets;
        let mut tx = state.db.begin().await?;
        let gathered: Vec<(u64, Vec<String>, Vec<String>)> = rows
            .into_iter()
            .map(|(n, cells)| {
                let values = headers::gather(spec, &self.map, &cells);
                (n, cells, values)
            })
            .collect();
        // Registry entries for the chunk's codes, in one query.
        let codes: Vec<String> = match self.uscc_idx {
            Some(i) => gathered
                .iter()
                .map(|(_, _, v)| normalize::identifier(&v[i]))
                .filter(|c| c.len() == 18)
                .collect(),
            None => vec![],
        };
        let registry = subjects::registry_by_uscc(&mut tx, state, &codes).await?;
        let today = state.clock.today();
        let ctx = Context {
            today,
            regime: &self.regime,
            unit: &self.b.unit,
            supplied: Some(&self.supplied),
        };
        let mut sorted: Vec<(u64, Vec<String>, Sorted)> = Vec::with_capacity(gathered.len());
        let mut candidates: Vec<(u64, Vec<String>, Checked, String, u128)> = vec![];
        for (n, cells, values) in gathered {
            let code = self
                .uscc_idx
                .map(|i| normalize::identifier(&values[i]))
                .unwrap_or_default();
            let reg = registry.get(&code).map(|(_, e)| e);
            let c = checker::check(spec, &ctx, values, n, reg);
            if c.has_errors() {
                sorted.push((n, cells, Sorted::Faulty(c)));
                continue;
            }
            let Some(key) = self.record_key(&c) else {
                sorted.push((n, cells, Sorted::Faulty(c)));
                continue;
            };
            let cmp = store::comparable(spec, &c, secrets);
            let content = hash128(&cmp.iter().map(String::as_str).collect::<Vec<_>>());
            let key_hash = hash128(&[&key]);
            match self.seen.get(&key_hash) {
                Some((seen_content, _)) if *seen_content == content => {
                    sorted.push((
                        n,
                        cells,
                        Sorted::Duplicate(c, "与本批次中前面的一行完全相同，已忽略。"),
                    ));
                }
                Some((_, first)) => {
                    let first = *first;
                    let mut c = c;
                    c.faults.push(Fault {
                        row: n,
                        field: "decision_no".into(),
                        code: r::KEY_CONFLICT.into(),
                        level: Level::Error,
                        message: format!(
                            "与本批次第{first}行是同一条记录（文书号、主体、机关相同）但内容不同：请核对后只保留正确的一行。"
                        ),
                    });
                    sorted.push((n, cells, Sorted::Faulty(c)));
                }
                None => {
                    self.seen.insert(key_hash, (content, n));
                    candidates.push((n, cells, c, key, content));
                }
            }
        }
        // Match candidates against stored records by key.
        let keys: Vec<String> = candidates.iter().map(|(_, _, _, k, _)| k.clone()).collect();
        let existing = self.existing(&mut tx, &keys).await?;
        for (n, cells, mut c, key, _) in candidates {
            match existing.get(&key) {
                None => sorted.push((n, cells, Sorted::New(c, key))),
                Some(found) if !found.published => {
                    c.faults.push(Fault {
                        row: n,
                        field: "decision_no".into(),
                        code: r::KEY_CONFLICT.into(),
                        level: Level::Error,
                        message:
                            "该记录已在另一个待确认的批次中：请先确认或作废那个批次，再上传本行。"
                                .into(),
                    });
                    sorted.push((n, cells, Sorted::Faulty(c)));
                }
                Some(found) => {
                    let stored = self.stored_comparable(&mut tx, found.id).await?;
                    let incoming = store::comparable(spec, &c, secrets);
                    if stored == incoming {
                        sorted.push((
                            n,
                            cells,
                            Sorted::Duplicate(c, "与已发布的记录完全相同，已忽略。"),
                        ));
                    } else {
                        sorted.push((n, cells, Sorted::Update(c, found.id)));
                    }
                }
            }
        }
        self.write(&mut tx, sorted, last_row).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn existing(
        &self,
        conn: &mut AnyConnection,
        keys: &[String],
    ) -> Result<HashMap<String, Existing>, AppError> {
        let mut out = HashMap::new();
        let backend = self.state.db.backend;
        for part in keys.chunks(500) {
            if part.is_empty() {
                continue;
            }
            let sql = match self.table {
                Some(t) => format!(
                    "SELECT id, dedupe_key, published FROM {t} WHERE dedupe_key IN ({})",
                    in_list(backend, 0, part.len())
                ),
                None => format!(
                    "SELECT id, dedupe_key, published FROM generic_records WHERE dedupe_key IN ({}) AND class_id = {}",
                    in_list(backend, 0, part.len()),
                    self.b.class_id
                ),
            };
            let mut q = sqlx::query(&sql);
            for k in part {
                q = q.bind(k);
            }
            for row in q.fetch_all(&mut *conn).await? {
                out.insert(
                    row.try_get::<String, _>("dedupe_key")?,
                    Existing {
                        id: row.try_get("id")?,
                        published: row.try_get::<i64, _>("published")? == 1,
                    },
                );
            }
        }
        Ok(out)
    }

    /// The stored record's comparable values, in field order.
    async fn stored_comparable(
        &self,
        conn: &mut AnyConnection,
        id: i64,
    ) -> Result<Vec<String>, AppError> {
        stored_comparable(conn, &self.b.spec, self.table, id).await
    }

    async fn write(
        &self,
        conn: &mut AnyConnection,
        sorted: Vec<(u64, Vec<String>, Sorted)>,
        last_row: u64,
    ) -> Result<(), AppError> {
        let state = self.state;
        let backend = state.db.backend;
        let now = state.clock.now_text();
        let (mut new, mut updates, mut dups, mut faulty, mut warned) =
            (0i64, 0i64, 0i64, 0i64, 0i64);
        let mut kept_rows: Vec<Vec<V>> = vec![];
        let mut faults: Vec<Vec<V>> = vec![];
        let mut staged: Vec<(Checked, String)> = vec![];
        let seal = |cells: &[String]| -> V {
            let cut: Vec<String> = cells
                .iter()
                .map(|c| {
                    if c.chars().count() > KEPT_CELL_CHARS {
                        c.chars().take(KEPT_CELL_CHARS).collect::<String>() + "…（已截断）"
                    } else {
                        c.clone()
                    }
                })
                .collect();
            V::S(
                state
                    .secrets
                    .encrypt_id(&serde_json::to_string(&cut).unwrap_or_default()),
            )
        };
        for (n, cells, outcome) in sorted {
            let c = match &outcome {
                Sorted::New(c, _)
                | Sorted::Update(c, _)
                | Sorted::Duplicate(c, _)
                | Sorted::Faulty(c) => c,
            };
            for f in &c.faults {
                faults.push(vec![
                    V::I(self.b.id),
                    V::I(n as i64),
                    V::S(f.field.clone()),
                    V::S(f.code.clone()),
                    V::s(f.level.as_str()),
                    V::S(f.message.clone()),
                ]);
            }
            let has_warnings = c.faults.iter().any(|f| f.level == Level::Warning);
            match outcome {
                Sorted::New(c, key) => {
                    new += 1;
                    warned += i64::from(has_warnings);
                    staged.push((c, key));
                }
                Sorted::Update(c, target) => {
                    updates += 1;
                    warned += i64::from(has_warnings);
                    let checked = serde_json::to_string(&c)
                        .map_err(|e| AppError::internal("checked json", e))?;
                    kept_rows.push(vec![
                        V::I(self.b.id),
                        V::I(n as i64),
                        V::s("update"),
                        V::I(target),
                        seal(&cells),
                        V::S(state.secrets.encrypt_id(&checked)),
                    ]);
                }
                Sorted::Duplicate(_, why) => {
                    dups += 1;
                    faults.push(vec![
                        V::I(self.b.id),
                        V::I(n as i64),
                        V::s(""),
                        V::s(r::DUPLICATE),
                        V::s(Level::Warning.as_str()),
                        V::s(why),
                    ]);
                    kept_rows.push(vec![
                        V::I(self.b.id),
                        V::I(n as i64),
                        V::s("duplicate"),
                        V::NullI,
                        seal(&cells),
                        V::NullS,
                    ]);
                }
                Sorted::Faulty(c) => {
                    faulty += 1;
                    if !c.has_errors() {
                        // No key could be formed (no usable subject identifier).
                        faults.push(vec![
                            V::I(self.b.id),
                            V::I(n as i64),
                            V::s("subject_name"),
                            V::s(r::REQUIRED),
                            V::s(Level::Error.as_str()),
                            V::s("无法确定信用主体：请填写统一社会信用代码、证件号码或主体名称。"),
                        ]);
                    }
                    kept_rows.push(vec![
                        V::I(self.b.id),
                        V::I(n as i64),
                        V::s("faulty"),
                        V::NullI,
                        seal(&cells),
                        V::NullS,
                    ]);
                }
            }
        }
        subjects::stage_records(conn, state, self.b, self.table, staged, &now).await?;
        insert_rows(
            conn,
            backend,
            "batch_rows",
            &[
                "batch_id",
                "row_no",
                "outcome",
                "target_id",
                "cells",
                "checked",
            ],
            &kept_rows,
        )
        .await?;
        insert_rows(
            conn,
            backend,
            "batch_faults",
            &[
                "batch_id",
                "row_no",
                "field_key",
                "rule_code",
                "level",
                "message",
            ],
            &faults,
        )
        .await?;
        sqlx::query(
            "UPDATE batches SET rows_done = $2, rows_new = rows_new + $3, rows_update = rows_update + $4, \
             rows_duplicate = rows_duplicate + $5, rows_faulty = rows_faulty + $6, rows_warning = rows_warning + $7, \
             updated_at = $8 WHERE id = $1",
        )
        .bind(self.b.id)
        .bind(last_row as i64)
        .bind(new)
        .bind(updates)
        .bind(dups)
        .bind(faulty)
        .bind(warned)
        .bind(&now)
        .execute(&mut *conn)
        .await?;
        Ok(())
    }
}

struct Existing {
    id: i64,
    published: bool,
}

/// A stored record's comparable values (see `store::comparable`), in field order.
pub async fn stored_comparable(
    conn: &mut AnyConnection,
    spec: &ClassSpec,
    table: Option<&str>,
    id: i64,
) -> Result<Vec<String>, AppError> {
    match table {
        Some(t) => {
            let cols: Vec<String> = spec
                .fields
                .iter()
                .map(|f| store::comparable_column(&f.key, f.field_type))
                .collect();
            let select = cols
                .iter()
                .map(|c| format!("CAST({c} AS TEXT) AS {c}"))
                .collect::<Vec<_>>()
                .join(", ");
            let row = sqlx::query(&format!("SELECT {select} FROM {t} WHERE id = $1"))
                .bind(id)
                .fetch_one(&mut *conn)
                .await?;
            cols.iter()
                .map(|c| {
                    Ok(row
                        .try_get::<Option<String>, _>(c.as_str())?
                        .unwrap_or_default())
                })
                .collect()
        }
        None => {
            let payload: String = sqlx::query("SELECT payload FROM generic_records WHERE id = $1")
                .bind(id)
                .fetch_one(&mut *conn)
                .await?
                .try_get("payload")?;
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

/// True when a licence's state takes it off public view.
pub fn is_revoked(spec: &ClassSpec, c: &Checked) -> bool {
    spec.code == LICENCE && matches!(c.get(spec, "state"), "撤销" | "撤回")
}
