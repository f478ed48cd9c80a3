//! Checking a batch (docs/domain.md §6): read the file in chunks, check every row, match subjects, sort rows
//! into new / update / duplicate / faulty, and stage new records unpublished. One transaction per chunk
//! keeps memory flat; a check that is interrupted starts over from a clean slate (`status::reset`), so
//! nothing half-done is ever visible. Publication is `confirm::confirm`, one transaction for the whole
//! batch.
//!
//! `read` gives the rows in chunks, `check` runs the rules and sorts each chunk, `write` stages it,
//! and `status` keeps the batch row up to date; this module drives them.
mod check;
mod read;
mod status;
mod write;

pub use check::PhaseTimes;
pub use status::{counts, CheckOutcome, Counts};

use super::batch_ctx::{self, BatchCtx};
use super::{catalogue, files, upload_limits};
use crate::error::AppError;
use crate::rules::clean::headers::{self, HeaderMap};
use crate::server::AppState;
use check::Checker;
use status::{fail, finish, reset, save_headers, set_status};
use std::time::Instant;

/// Checks a batch from its stored file. Safe to run again after an interruption.
pub async fn check_file(state: &AppState, batch_id: i64) -> Result<CheckOutcome, AppError> {
    Ok(check_file_timed(state, batch_id).await?.0)
}

/// The same, with where the time went.
pub async fn check_file_timed(
    state: &AppState,
    batch_id: i64,
) -> Result<(CheckOutcome, PhaseTimes), AppError> {
    let b = batch_ctx::load(state, batch_id).await?;
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
    let mut file = match files::open(&path, upload_limits::configured(state)) {
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
    let encoding = file.encoding.map(|e| e.label());
    status::start_file(state, b.id, encoding, file.known_rows().unwrap_or(0)).await?;
    let mut checker = Checker::new(state, &b, map).await?;
    let mut row_no = 0u64;
    loop {
        let t = Instant::now();
        let chunk = match read::next_chunk(&mut file, &mut row_no) {
            Ok(chunk) => chunk,
            Err(e) => {
                reset(state, &b).await?;
                return Ok((fail(state, b.id, e).await?, checker.times));
            }
        };
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
    let b = batch_ctx::load(state, batch_id).await?;
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
    let b = batch_ctx::load(state, batch_id).await?;
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
    let b = batch_ctx::load(state, batch_id).await?;
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
    for chunk in read::given_chunks(rows) {
        let last = chunk.last().map_or(0, |r| r.row);
        checker.chunk(chunk, last, None).await?;
    }
    finish(state, b.id).await?;
    tracing::info!(batch = %b.public_id, times = %checker.times.summary(), "rows checked");
    Ok(CheckOutcome::Checked)
}
