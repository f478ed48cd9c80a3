//! Writing a checked chunk: new records staged unpublished (with their subjects), the rows kept for
//! the batch page (updates, duplicates, faulty rows) and their faults, and the batch's progress.
use crate::collect::service::batch_ctx::BatchCtx;
use crate::collect::service::subjects::{self, StagedRecord};
use crate::error::AppError;
use crate::rules::clean::row::Checked;
use crate::rules::clean::rules::{self as r, Level};
use crate::server::db::{BindValue, BulkConn};
use crate::server::secrets::Secrets;
use crate::server::AppState;

/// Cells kept for the error report are cut at this many characters.
const KEPT_CELL_CHARS: usize = 4_000;

/// How a row came out.
pub enum Sorted {
    /// A record not stored yet, with its record key.
    New(Checked, String),
    /// A change to the stored record with this id.
    Update(Checked, i64),
    /// The same as a stored or earlier row; why.
    Duplicate(Checked, &'static str),
    Faulty(Checked),
}

impl Sorted {
    fn checked(&self) -> &Checked {
        match self {
            Sorted::New(c, _)
            | Sorted::Update(c, _)
            | Sorted::Duplicate(c, _)
            | Sorted::Faulty(c) => c,
        }
    }
}

/// A row with its outcome and its cells as sent.
pub struct SortedRow {
    pub row: u64,
    pub cells: Vec<String>,
    pub outcome: Sorted,
}

/// How far the check has come: the last row of the chunk, and the file position if read from a file.
pub struct Progress {
    pub last_row: u64,
    pub bytes_done: Option<u64>,
}

/// A chunk's outcome counts, added to the batch's.
#[derive(Default)]
struct Tally {
    new: i64,
    updates: i64,
    duplicates: i64,
    faulty: i64,
    warned: i64,
}

/// What a chunk's rows become in the database.
#[derive(Default)]
struct ChunkRows {
    staged: Vec<StagedRecord>,
    /// `batch_rows` values (see `KEPT_COLUMNS`).
    kept: Vec<Vec<BindValue>>,
    /// `batch_faults` values (see `FAULT_COLUMNS`).
    faults: Vec<Vec<BindValue>>,
    tally: Tally,
}

const KEPT_COLUMNS: [&str; 6] = [
    "batch_id",
    "row_no",
    "outcome",
    "target_id",
    "cells",
    "checked",
];
const FAULT_COLUMNS: [&str; 6] = [
    "batch_id",
    "row_no",
    "field_key",
    "rule_code",
    "level",
    "message",
];

/// Writes one sorted chunk inside the connection's open transaction.
pub async fn write_chunk(
    conn: &mut BulkConn<'_>,
    state: &AppState,
    b: &BatchCtx,
    table: Option<&'static str>,
    sorted: Vec<SortedRow>,
    progress: Progress,
) -> Result<(), AppError> {
    let now = state.clock.now_text();
    let rows = chunk_rows(&state.secrets, b.id, sorted)?;
    subjects::stage_records(conn, state, b, table, rows.staged, &now).await?;
    conn.insert_rows("batch_rows", &KEPT_COLUMNS, &rows.kept)
        .await?;
    conn.insert_rows("batch_faults", &FAULT_COLUMNS, &rows.faults)
        .await?;
    add_progress(conn, b.id, &rows.tally, progress, now).await
}

/// Sorts the chunk's rows into staged records, kept rows and faults, and counts them.
fn chunk_rows(
    secrets: &Secrets,
    batch_id: i64,
    sorted: Vec<SortedRow>,
) -> Result<ChunkRows, AppError> {
    let mut out = ChunkRows::default();
    for SortedRow {
        row,
        cells,
        outcome,
    } in sorted
    {
        let n = row as i64;
        let c = outcome.checked();
        for f in &c.faults {
            out.faults.push(fault_row(
                batch_id,
                n,
                &f.field,
                &f.code,
                f.level.as_str(),
                &f.message,
            ));
        }
        let has_warnings = c.faults.iter().any(|f| f.level == Level::Warning);
        match outcome {
            Sorted::New(checked, key) => {
                out.tally.new += 1;
                out.tally.warned += i64::from(has_warnings);
                out.staged.push(StagedRecord { checked, key });
            }
            Sorted::Update(c, target) => {
                out.tally.updates += 1;
                out.tally.warned += i64::from(has_warnings);
                let checked =
                    serde_json::to_string(&c).map_err(|e| AppError::internal("checked json", e))?;
                out.kept.push(kept_row(
                    batch_id,
                    n,
                    "update",
                    BindValue::Int(target),
                    seal(secrets, &cells),
                    BindValue::Text(secrets.encrypt_id(&checked)),
                ));
            }
            Sorted::Duplicate(_, why) => {
                out.tally.duplicates += 1;
                out.faults.push(fault_row(
                    batch_id,
                    n,
                    "",
                    r::DUPLICATE,
                    Level::Warning.as_str(),
                    why,
                ));
                out.kept.push(kept_row(
                    batch_id,
                    n,
                    "duplicate",
                    BindValue::NullInt,
                    seal(secrets, &cells),
                    BindValue::NullText,
                ));
            }
            Sorted::Faulty(c) => {
                out.tally.faulty += 1;
                if !c.has_errors() {
                    // No key could be formed (no usable subject identifier).
                    out.faults.push(fault_row(
                        batch_id,
                        n,
                        "subject_name",
                        r::REQUIRED,
                        Level::Error.as_str(),
                        "无法确定信用主体：请填写统一社会信用代码、证件号码或主体名称。",
                    ));
                }
                out.kept.push(kept_row(
                    batch_id,
                    n,
                    "faulty",
                    BindValue::NullInt,
                    seal(secrets, &cells),
                    BindValue::NullText,
                ));
            }
        }
    }
    Ok(out)
}

/// A `batch_faults` row.
fn fault_row(
    batch_id: i64,
    row: i64,
    field: &str,
    code: &str,
    level: &str,
    message: &str,
) -> Vec<BindValue> {
    vec![
        BindValue::Int(batch_id),
        BindValue::Int(row),
        BindValue::str(field),
        BindValue::str(code),
        BindValue::str(level),
        BindValue::str(message),
    ]
}

/// A `batch_rows` row.
fn kept_row(
    batch_id: i64,
    row: i64,
    outcome: &str,
    target: BindValue,
    cells: BindValue,
    checked: BindValue,
) -> Vec<BindValue> {
    vec![
        BindValue::Int(batch_id),
        BindValue::Int(row),
        BindValue::str(outcome),
        target,
        cells,
        checked,
    ]
}

/// The row's cells as sent (each cut to `KEPT_CELL_CHARS`), encrypted: they may hold ID numbers.
fn seal(secrets: &Secrets, cells: &[String]) -> BindValue {
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
    BindValue::Text(secrets.encrypt_id(&serde_json::to_string(&cut).unwrap_or_default()))
}

/// Adds the chunk's counts and progress to the batch row.
async fn add_progress(
    conn: &mut BulkConn<'_>,
    batch_id: i64,
    tally: &Tally,
    progress: Progress,
    now: String,
) -> Result<(), AppError> {
    conn.execute(
        "UPDATE batches SET rows_done = $2, rows_new = rows_new + $3, rows_update = rows_update + $4, \
         rows_duplicate = rows_duplicate + $5, rows_faulty = rows_faulty + $6, rows_warning = rows_warning + $7, \
         updated_at = $8, bytes_done = COALESCE($9, bytes_done) WHERE id = $1",
        &[
            BindValue::Int(batch_id),
            BindValue::Int(progress.last_row as i64),
            BindValue::Int(tally.new),
            BindValue::Int(tally.updates),
            BindValue::Int(tally.duplicates),
            BindValue::Int(tally.faulty),
            BindValue::Int(tally.warned),
            BindValue::Text(now),
            BindValue::opt_int(progress.bytes_done.map(|b| b as i64)),
        ],
    )
    .await?;
    Ok(())
}
