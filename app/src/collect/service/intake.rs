//! Creating batches: a stored upload (content-addressed under the data directory), or rows sent by the
//! API or the web form. Checking is a job, so a large file never holds a request open.
use super::catalogue;
use super::upload_limits;
use crate::error::AppError;
use crate::server::jobs::{self, NewJob};
use crate::server::AppState;
use sha2::{Digest, Sha256};
use sqlx::Row;
use std::io::{Read, Write};
use std::path::Path;

pub const CHECK_JOB: &str = "collect.check_batch";

/// Who submits, for which unit, which class, by which channel.
pub struct Submission<'a> {
    pub class_code: &'a str,
    pub department_id: i64,
    pub user_id: Option<i64>,
    pub channel: &'a str,
}

/// Stores an uploaded file and creates its batch (status `uploaded`). Returns (id, public id).
pub async fn create_file_batch(
    state: &AppState,
    sub: &Submission<'_>,
    file_name: &str,
    bytes: &[u8],
) -> Result<(i64, String), AppError> {
    let stored = store_file(state, file_name, bytes)?;
    create(state, sub, Some(stored.columns())).await
}

/// An upload kept under the data directory: what its batch row records.
pub struct StoredFile {
    pub name: String,
    pub sha256: String,
    pub size: i64,
    pub path: String,
}

impl StoredFile {
    /// (file name, SHA-256, size, stored path), as [`create`] takes them.
    pub fn columns(&self) -> (&str, &str, i64, &str) {
        (&self.name, &self.sha256, self.size, &self.path)
    }
}

/// Checks and stores an uploaded file (see `store_upload`), before its batch is created.
pub fn store_file(state: &AppState, file_name: &str, bytes: &[u8]) -> Result<StoredFile, AppError> {
    let (sha256, path) = store_upload(state, &mut &bytes[..], bytes.len() as u64)?;
    Ok(StoredFile {
        name: clean_name(file_name),
        sha256,
        size: bytes.len() as i64,
        path,
    })
}

/// The same for a file on disk (`server import`): streamed, never held in memory whole.
pub async fn create_path_batch(
    state: &AppState,
    sub: &Submission<'_>,
    source: &Path,
) -> Result<(i64, String), AppError> {
    let open_err = |e: std::io::Error| {
        AppError::field(
            "file",
            "FILE_OPEN",
            format!("无法读取文件 {}：{e}", source.display()),
        )
    };
    let len = std::fs::metadata(source).map_err(open_err)?.len();
    let mut file = std::fs::File::open(source).map_err(open_err)?;
    let (sha, path) = store_upload(state, &mut file, len)?;
    let name = source
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    create(
        state,
        sub,
        Some((&clean_name(&name), &sha, len as i64, &path)),
    )
    .await
}

fn clean_name(file_name: &str) -> String {
    file_name
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect()
}

/// Checks size and type (by content), then stores the upload content-addressed under the data
/// directory. Returns (SHA-256, stored path).
fn store_upload(
    state: &AppState,
    input: &mut impl Read,
    len: u64,
) -> Result<(String, String), AppError> {
    let limits = upload_limits::configured(state);
    if len > limits.max_bytes {
        return Err(AppError::field(
            "file",
            "FILE_TOO_LARGE",
            format!(
                "文件大小 {:.1} MB 超过上限 {} MB：请拆分成多个文件分别上传。",
                len as f64 / 1_048_576.0,
                limits.max_bytes / 1_048_576
            ),
        ));
    }
    let io = |e: std::io::Error| AppError::internal("store upload", e);
    let dir = state.config.data_path("uploads");
    std::fs::create_dir_all(&dir).map_err(io)?;
    let tmp = dir.join(format!("{}.tmp", uuid::Uuid::new_v4().simple()));
    let stored = (|| {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&tmp).map_err(io)?);
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 64 * 1024];
        let mut first = true;
        loop {
            let n = input.read(&mut buf).map_err(io)?;
            // `read` returns at most the buffer's length.
            let chunk = match buf.get(..n) {
                Some(c) if !c.is_empty() => c,
                _ => break,
            };
            if first {
                // Type by content, before anything is kept.
                super::files::sniff(chunk)?;
                first = false;
            }
            hasher.update(chunk);
            out.write_all(chunk).map_err(io)?;
        }
        if first {
            super::files::sniff(&[])?;
        }
        out.flush().map_err(io)?;
        Ok::<_, AppError>(hex::encode(hasher.finalize()))
    })();
    let sha = match stored {
        Ok(sha) => sha,
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
    };
    let path = dir.join(format!("{sha}.upload"));
    if path.exists() {
        let _ = std::fs::remove_file(&tmp);
    } else {
        std::fs::rename(&tmp, &path).map_err(io)?;
    }
    Ok((sha, path.to_string_lossy().to_string()))
}

/// A batch row; file details when the batch comes from a file.
pub async fn create(
    state: &AppState,
    sub: &Submission<'_>,
    file: Option<(&str, &str, i64, &str)>,
) -> Result<(i64, String), AppError> {
    let mut conn = state.db.pool.acquire().await?;
    insert(&mut conn, state, sub, file).await
}

/// As [`create`], on the caller's connection: inside a transaction, the batch commits with the
/// audit row of its submission.
pub async fn insert(
    conn: &mut sqlx::AnyConnection,
    state: &AppState,
    sub: &Submission<'_>,
    file: Option<(&str, &str, i64, &str)>,
) -> Result<(i64, String), AppError> {
    let (class_id, _) = catalogue::load(state, sub.class_code).await?;
    let now = state.clock.now_text();
    let public_id = uuid::Uuid::new_v4().simple().to_string();
    let id: i64 = sqlx::query(
        "INSERT INTO batches (public_id, class_id, department_id, channel, file_name, file_sha256, file_size, \
         file_path, status, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, \
         'uploaded', $9, $10, $10) RETURNING id",
    )
    .bind(&public_id)
    .bind(class_id)
    .bind(sub.department_id)
    .bind(sub.channel)
    .bind(file.map(|f| f.0))
    .bind(file.map(|f| f.1))
    .bind(file.map(|f| f.2))
    .bind(file.map(|f| f.3))
    .bind(sub.user_id)
    .bind(&now)
    .fetch_one(&mut *conn)
    .await?
    .try_get("id")?;
    Ok((id, public_id))
}

/// Queues the check of a file batch; a second request for the same batch is not queued twice.
pub async fn queue_check(
    state: &AppState,
    batch_id: i64,
    attempt_key: &str,
) -> Result<(), AppError> {
    let mut job = NewJob::new(CHECK_JOB);
    job.payload = serde_json::json!({ "batch_id": batch_id }).to_string();
    job.dedupe_key = Some(format!("{CHECK_JOB}:{batch_id}:{attempt_key}"));
    job.max_attempts = 3;
    sqlx::query("UPDATE batches SET status = 'checking', updated_at = $2 WHERE id = $1 AND status IN ('uploaded', 'checked')")
        .bind(batch_id)
        .bind(state.clock.now_text())
        .execute(&state.db.pool)
        .await?;
    jobs::enqueue(state, job).await?;
    Ok(())
}

/// Remembers a unit's header → field choices for a class (the mapping screen).
pub async fn save_mappings(
    state: &AppState,
    department_id: i64,
    class_id: i64,
    mappings: &[(String, String)],
) -> Result<(), AppError> {
    let now = state.clock.now_text();
    let mut tx = state.db.begin().await?;
    for (header, key) in mappings {
        sqlx::query(
            "INSERT INTO header_mappings (department_id, class_id, header, field_key, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (department_id, class_id, header) \
             DO UPDATE SET field_key = excluded.field_key",
        )
        .bind(department_id)
        .bind(class_id)
        .bind(header.trim())
        .bind(key)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
