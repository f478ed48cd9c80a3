//! Checking a batch (DOMAIN §6): read the file in chunks, check every row, match subjects, sort rows
//! into new / update / duplicate / faulty, and stage new records unpublished. One transaction per chunk
//! keeps memory flat; a check that is interrupted starts over from a clean slate (`reset`), so nothing
//! half-done is ever visible. Publication is `confirm::confirm`, one transaction for the whole batch.
use super::files::{self, Limits};
use super::store;
use super::{catalogue, subjects};
use crate::error::AppError;
use crate::rules::catalog::{ClassSpec, LICENCE, PENALTY};
use crate::rules::clean::headers::{self, HeaderMap};
use crate::rules::clean::keys;
use crate::rules::clean::row::{self as checker, Checked, Context, Unit};
use crate::rules::clean::rules::{self as r, Fault, Level};
use crate::rules::normalize;
use crate::server::bulk::{in_list, V};
use crate::server::bulk_conn::BulkConn;
use crate::server::secrets::Secrets;
use crate::server::AppState;
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Rows per transaction: large enough that each commit writes an index page once for many rows,
/// small enough that a chunk's rows stay a few MB.
pub const CHUNK: usize = 10_000;
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
    Ok(check_file_timed(state, batch_id).await?.0)
}

/// The same, with where the time went.
pub async fn check_file_timed(
    state: &AppState,
    batch_id: i64,
) -> Result<(CheckOutcome, PhaseTimes), AppError> {
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
        Err(e) => return Ok((fail(state, b.id, e).await?, PhaseTimes::default())),
    };
    // Kept now, also when the headers need mapping: the batch page reads them, never the file.
    save_headers(state, b.id, &file.headers).await?;
    let remembered = catalogue::remembered_headers(state, b.department_id, b.class_id).await?;
    let map = headers::resolve(&b.spec, &file.headers, &remembered);
    if !map.is_complete() {
        set_status(state, b.id, "uploaded", None).await?;
        return Ok((
            CheckOutcome::NeedsMapping(map.unknown.into_iter().map(|(_, h)| h).collect()),
            PhaseTimes::default(),
        ));
    }
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
        let t = Instant::now();
        while chunk.len() < CHUNK {
            match file.next_row(row_no + 1) {
                None => break,
                Some(Err(e)) => {
                    reset(state, &b).await?;
                    return Ok((fail(state, b.id, e).await?, checker.times));
                }
                Some(Ok(cells)) => {
                    row_no += 1;
                    if cells.iter().any(|c| !c.trim().is_empty()) {
                        chunk.push((row_no, cells));
                    }
                }
            }
        }
        checker.times.read += t.elapsed();
        if chunk.is_empty() {
            break;
        }
        checker.chunk(chunk, row_no, Some(file.position())).await?;
    }
    finish(state, b.id).await?;
    tracing::info!(batch = %b.public_id, rows = row_no, times = %checker.times.summary(), "batch checked");
    Ok((CheckOutcome::Checked, checker.times))
}

/// What a batch says when the process died while checking its file (the job is not run again).
pub const CRASHED: &str = "检查该文件时处理进程意外中断，已停止自动重试：文件可能含有异常内容。请核对文件（可在 Excel/WPS 中重新另存，或改存为 CSV）后重新上传；如再次出现，请联系信用办。";

/// After the process died while checking a batch: what the check staged goes, and the batch fails with
/// `message`. A batch whose check had already ended keeps its outcome.
pub async fn abandon(state: &AppState, batch_id: i64, message: &str) -> Result<(), AppError> {
    let b = load(state, batch_id).await?;
    if b.status != "checking" {
        return Ok(());
    }
    reset(state, &b).await?;
    set_status(state, batch_id, "failed", Some(message)).await
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
    check_mapped(state, &b, &headers, map, rows).await
}

/// Checks one record from the web form: one value per catalogue field, in catalogue order.
pub async fn check_record(
    state: &AppState,
    batch_id: i64,
    values: Vec<String>,
) -> Result<CheckOutcome, AppError> {
    let b = load(state, batch_id).await?;
    reset(state, &b).await?;
    let names: Vec<String> = b.spec.fields.iter().map(|f| f.name.clone()).collect();
    let map = HeaderMap {
        columns: (0..names.len()).map(Some).collect(),
        ..HeaderMap::default()
    };
    check_mapped(state, &b, &names, map, vec![values]).await
}

async fn check_mapped(
    state: &AppState,
    b: &BatchCtx,
    headers: &[String],
    map: HeaderMap,
    rows: Vec<Vec<String>>,
) -> Result<CheckOutcome, AppError> {
    save_headers(state, b.id, headers).await?;
    set_status(state, b.id, "checking", None).await?;
    let mut checker = Checker::new(state, b, map).await?;
    let mut numbered: Vec<(u64, Vec<String>)> = rows
        .into_iter()
        .enumerate()
        .map(|(i, r)| (i as u64 + 1, r))
        .collect();
    while !numbered.is_empty() {
        let rest = numbered.split_off(numbered.len().min(CHUNK));
        let last = numbered.last().map_or(0, |(n, _)| *n);
        checker
            .chunk(std::mem::replace(&mut numbered, rest), last, None)
            .await?;
    }
    finish(state, b.id).await?;
    tracing::info!(batch = %b.public_id, times = %checker.times.summary(), "rows checked");
    Ok(CheckOutcome::Checked)
}

/// A batch's row counts so far.
pub struct Counts {
    pub rows: i64,
    pub new: i64,
    pub update: i64,
    pub duplicate: i64,
    pub faulty: i64,
}

pub async fn counts(state: &AppState, batch_id: i64) -> Result<Counts, AppError> {
    let row = sqlx::query(
        "SELECT rows_total, rows_new, rows_update, rows_duplicate, rows_faulty FROM batches WHERE id = $1",
    )
    .bind(batch_id)
    .fetch_one(&state.db.pool)
    .await?;
    Ok(Counts {
        rows: row.try_get("rows_total")?,
        new: row.try_get("rows_new")?,
        update: row.try_get("rows_update")?,
        duplicate: row.try_get("rows_duplicate")?,
        faulty: row.try_get("rows_faulty")?,
    })
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

/// Where a check's time went, for the log and the import benchmark's profile.
#[derive(Debug, Clone, Default)]
pub struct PhaseTimes {
    /// Reading and decoding the file, matching columns.
    pub read: Duration,
    /// Registry and stored-record look-ups.
    pub lookup: Duration,
    /// The cleaning rules, record keys and content hashes (on every core).
    pub rules: Duration,
    /// Building and inserting subjects, staged records, kept rows and faults.
    pub write: Duration,
    /// Committing each chunk.
    pub commit: Duration,
}

impl PhaseTimes {
    pub fn summary(&self) -> String {
        format!(
            "读取 {:.2} 秒，查询 {:.2} 秒，规则 {:.2} 秒，写入 {:.2} 秒，提交 {:.2} 秒",
            self.read.as_secs_f64(),
            self.lookup.as_secs_f64(),
            self.rules.as_secs_f64(),
            self.write.as_secs_f64(),
            self.commit.as_secs_f64()
        )
    }
}

/// The state carried across chunks: the batch, the header map, and the keys seen so far.
struct Checker<'a> {
    state: &'a AppState,
    b: &'a BatchCtx,
    map: HeaderMap,
    regime: crate::rules::disclosure::Regime,
    /// The disclosure policy's ID mask and the department register, read once per check.
    id_mask: crate::rules::mask::MaskRule,
    authorities: Vec<crate::rules::clean::row::Authority>,
    table: Option<&'static str>,
    /// Key hash → (content hash, first row) of rows already accepted in this batch. Hashes keep a
    /// million keys in about 36 MB; a hit is confirmed against the database before it counts.
    seen: HashMap<u64, (u32, u32)>,
    uscc_idx: Option<usize>,
    /// Per field: whether the file has a column for it.
    supplied: Vec<bool>,
    conn: BulkConn<'static>,
    times: PhaseTimes,
}

fn hash64(parts: &[&str]) -> u64 {
    let mut h = DefaultHasher::new();
    0x9e37_79b9u64.hash(&mut h);
    for p in parts {
        p.hash(&mut h);
    }
    h.finish()
}

/// A row after the rules: its cells as sent, the result, and for a clean row its record key and
/// comparable values.
type Ruled = (u64, Vec<String>, Checked, Option<(String, Vec<String>)>);

impl<'a> Checker<'a> {
    async fn new(state: &'a AppState, b: &'a BatchCtx, map: HeaderMap) -> Result<Self, AppError> {
        let supplied = map.supplied(b.spec.fields.len());
        Ok(Checker {
            supplied,
            state,
            b,
            map,
            regime: crate::server::settings::disclosure_regime(state).await?,
            id_mask: super::directory::id_mask(state).await?,
            authorities: super::directory::authorities(state).await?,
            table: store::typed_table(&b.spec),
            seen: HashMap::new(),
            uscc_idx: b.spec.index_of("subject_uscc"),
            conn: BulkConn::open(&state.db)?,
            times: PhaseTimes::default(),
        })
    }

    /// The record key of a clean row: decision number (or the class's dates), subject, authority.
    fn record_key(spec: &ClassSpec, secrets: &Secrets, c: &Checked) -> Option<String> {
        let subject = c.subject.as_ref()?;
        let part = keys::subject_part(subject, |n| secrets.id_hmac(n));
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

    /// Runs the rules over the chunk's rows, split across the machine's cores (the rules are pure).
    fn apply_rules(
        &self,
        gathered: Vec<(u64, Vec<String>, Vec<String>)>,
        registry: &HashMap<String, (i64, crate::rules::clean::row::RegistryEntry)>,
    ) -> Result<Vec<Ruled>, AppError> {
        let spec = &self.b.spec;
        let secrets: &Secrets = &self.state.secrets;
        let uscc_idx = self.uscc_idx;
        let ctx = Context {
            today: self.state.clock.today(),
            regime: &self.regime,
            unit: &self.b.unit,
            supplied: Some(&self.supplied),
            id_mask: self.id_mask,
            authorities: &self.authorities,
        };
        let ctx = &ctx;
        let one = move |(n, cells, values): (u64, Vec<String>, Vec<String>)| -> Ruled {
            let code = uscc_idx
                .map(|i| normalize::identifier(&values[i]))
                .unwrap_or_default();
            let reg = registry.get(&code).map(|(_, e)| e);
            let c = checker::check(spec, ctx, values, n, reg);
            let keyed = if c.has_errors() {
                None
            } else {
                Self::record_key(spec, secrets, &c)
                    .map(|k| (k, store::comparable(spec, &c, secrets)))
            };
            (n, cells, c, keyed)
        };
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
        if threads < 2 || gathered.len() < 512 {
            return Ok(gathered.into_iter().map(one).collect());
        }
        let per = gathered.len().div_ceil(threads);
        let mut parts: Vec<Vec<_>> = vec![];
        let mut rest = gathered;
        while rest.len() > per {
            let tail = rest.split_off(per);
            parts.push(rest);
            rest = tail;
        }
        parts.push(rest);
        std::thread::scope(|scope| {
            let handles: Vec<_> = parts
                .into_iter()
                .map(|part| scope.spawn(move || part.into_iter().map(one).collect::<Vec<_>>()))
                .collect();
            // A panicking rule fails the chunk (and the check), never drops its rows silently.
            let mut out = Vec::new();
            for h in handles {
                out.extend(
                    h.join()
                        .map_err(|_| AppError::internal("rules", "a rule panicked"))?,
                );
            }
            Ok(out)
        })
    }

    /// Checks and stages one chunk in one transaction; `bytes_done` (file position) for progress.
    async fn chunk(
        &mut self,
        rows: Vec<(u64, Vec<String>)>,
        last_row: u64,
        bytes_done: Option<u64>,
    ) -> Result<(), AppError> {
        let state = self.state;
        let spec = &self.b.spec;
        self.conn.begin().await?;
        let t = Instant::now();
        let gathered: Vec<(u64, Vec<String>, Vec<String>)> = rows
            .into_iter()
            .map(|(n, cells)| {
                let values = headers::gather(spec, &self.map, &cells);
                (n, cells, values)
            })
            .collect();
        self.times.read += t.elapsed();
        // Registry entries for the chunk's codes, in one pass.
        let t = Instant::now();
        let codes: Vec<String> = match self.uscc_idx {
            Some(i) => gathered
                .iter()
                .map(|(_, _, v)| normalize::identifier(&v[i]))
                .filter(|c| c.len() == 18)
                .collect(),
            None => vec![],
        };
        let registry = subjects::registry_by_uscc(&mut self.conn, state, &codes).await?;
        self.times.lookup += t.elapsed();
        let t = Instant::now();
        let ruled = self.apply_rules(gathered, &registry)?;
        self.times.rules += t.elapsed();
        let mut sorted: Vec<(u64, Vec<String>, Sorted)> = Vec::with_capacity(ruled.len());
        let mut candidates: Vec<(u64, Vec<String>, Checked, String, Vec<String>)> = vec![];
        // Keys this chunk accepted: key → index in `candidates`.
        let mut in_chunk: HashMap<String, usize> = HashMap::new();
        for (n, cells, c, keyed) in ruled {
            let Some((key, cmp)) = keyed else {
                sorted.push((n, cells, Sorted::Faulty(c)));
                continue;
            };
            if let Some(&j) = in_chunk.get(&key) {
                let (first, _, _, _, first_cmp) = &candidates[j];
                let outcome = if *first_cmp == cmp {
                    Sorted::Duplicate(c, "与本批次中前面的一行完全相同，已忽略。")
                } else {
                    Sorted::Faulty(key_conflict(c, n, *first))
                };
                sorted.push((n, cells, outcome));
                continue;
            }
            in_chunk.insert(key.clone(), candidates.len());
            candidates.push((n, cells, c, key, cmp));
        }
        // Match candidates against stored records (and earlier chunks of this batch) by key.
        let t = Instant::now();
        let keys: Vec<String> = candidates.iter().map(|(_, _, _, k, _)| k.clone()).collect();
        let existing = self.existing(&keys).await?;
        for (n, cells, c, key, cmp) in candidates {
            let key_hash = hash64(&[&key]);
            let content = hash64(&cmp.iter().map(String::as_str).collect::<Vec<_>>()) as u32;
            let earlier = self.seen.get(&key_hash).copied();
            let outcome = match (existing.get(&key), earlier) {
                // Staged by an earlier chunk of this batch, or an update this batch already makes.
                (Some(found), Some((first_content, first)))
                    if found.batch_id == Some(self.b.id) || found.published =>
                {
                    let same = if found.batch_id == Some(self.b.id) && !found.published {
                        stored_comparable(&mut self.conn, spec, self.table, found.id).await? == cmp
                    } else {
                        first_content == content
                    };
                    if same {
                        Sorted::Duplicate(c, "与本批次中前面的一行完全相同，已忽略。")
                    } else {
                        Sorted::Faulty(key_conflict(c, n, u64::from(first)))
                    }
                }
                (None, _) => Sorted::New(c, key),
                (Some(found), _) if !found.published => {
                    let mut c = c;
                    c.faults.push(Fault {
                        row: n,
                        field: "decision_no".into(),
                        code: r::KEY_CONFLICT.into(),
                        level: Level::Error,
                        message:
                            "该记录已在另一个待确认的批次中：请先确认或作废那个批次，再上传本行。"
                                .into(),
                    });
                    Sorted::Faulty(c)
                }
                (Some(found), _) => {
                    let stored =
                        stored_comparable(&mut self.conn, spec, self.table, found.id).await?;
                    if stored == cmp {
                        Sorted::Duplicate(c, "与已发布的记录完全相同，已忽略。")
                    } else {
                        Sorted::Update(c, found.id)
                    }
                }
            };
            if matches!(outcome, Sorted::New(..) | Sorted::Update(..)) {
                self.seen.insert(key_hash, (content, n as u32));
            }
            sorted.push((n, cells, outcome));
        }
        self.times.lookup += t.elapsed();
        let t = Instant::now();
        self.write(sorted, last_row, bytes_done).await?;
        self.times.write += t.elapsed();
        let t = Instant::now();
        self.conn.commit().await?;
        self.times.commit += t.elapsed();
        Ok(())
    }

    async fn existing(&mut self, keys: &[String]) -> Result<HashMap<String, Existing>, AppError> {
        let mut out = HashMap::new();
        let backend = self.state.db.backend;
        for part in keys.chunks(500) {
            if part.is_empty() {
                continue;
            }
            let sql = match self.table {
                Some(t) => format!(
                    "SELECT id, dedupe_key, published, batch_id FROM {t} WHERE dedupe_key IN ({})",
                    in_list(backend, 0, part.len())
                ),
                None => format!(
                    "SELECT id, dedupe_key, published, batch_id FROM generic_records WHERE dedupe_key IN ({}) AND class_id = {}",
                    in_list(backend, 0, part.len()),
                    self.b.class_id
                ),
            };
            let binds: Vec<V> = part.iter().map(|k| V::s(k)).collect();
            for row in self.conn.fetch(&sql, &binds).await? {
                if let [id, key, published, batch_id] = &row[..] {
                    out.insert(
                        key.text().unwrap_or_default(),
                        Existing {
                            id: id.int().unwrap_or_default(),
                            published: published.int() == Some(1),
                            batch_id: batch_id.int(),
                        },
                    );
                }
            }
        }
        Ok(out)
    }

    async fn write(
        &mut self,
        sorted: Vec<(u64, Vec<String>, Sorted)>,
        last_row: u64,
        bytes_done: Option<u64>,
    ) -> Result<(), AppError> {
        let state = self.state;
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
        subjects::stage_records(&mut self.conn, state, self.b, self.table, staged, &now).await?;
        self.conn
            .insert_rows(
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
        self.conn
            .insert_rows(
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
        self.conn.execute(
            "UPDATE batches SET rows_done = $2, rows_new = rows_new + $3, rows_update = rows_update + $4, \
             rows_duplicate = rows_duplicate + $5, rows_faulty = rows_faulty + $6, rows_warning = rows_warning + $7, \
             updated_at = $8, bytes_done = COALESCE($9, bytes_done) WHERE id = $1",
            &[
                V::I(self.b.id),
                V::I(last_row as i64),
                V::I(new),
                V::I(updates),
                V::I(dups),
                V::I(faulty),
                V::I(warned),
                V::S(now),
                V::opt_i(bytes_done.map(|b| b as i64)),
            ],
        )
        .await?;
        Ok(())
    }
}

struct Existing {
    id: i64,
    published: bool,
    batch_id: Option<i64>,
}

/// The same record (key) as an earlier row of the batch, with other content.
fn key_conflict(mut c: Checked, row: u64, first: u64) -> Checked {
    c.faults.push(Fault {
        row,
        field: "decision_no".into(),
        code: r::KEY_CONFLICT.into(),
        level: Level::Error,
        message: format!(
            "与本批次第{first}行是同一条记录（文书号、主体、机关相同）但内容不同：请核对后只保留正确的一行。"
        ),
    });
    c
}

/// A stored record's comparable values (see `store::comparable`), in field order.
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
                .map(|f| store::comparable_column(&f.key, f.field_type))
                .collect();
            let select = cols
                .iter()
                .map(|c| format!("CAST({c} AS TEXT) AS {c}"))
                .collect::<Vec<_>>()
                .join(", ");
            let rows = conn
                .fetch(
                    &format!("SELECT {select} FROM {t} WHERE id = $1"),
                    &[V::I(id)],
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
                    &[V::I(id)],
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

/// True when a licence's or penalty's state (v1 XK_ZT / CF_ZT included) takes it off public view.
pub fn is_revoked(spec: &ClassSpec, c: &Checked) -> bool {
    matches!(spec.code.as_str(), LICENCE | PENALTY)
        && matches!(c.get(spec, "state"), "撤销" | "撤回")
}
