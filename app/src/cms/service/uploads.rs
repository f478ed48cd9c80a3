//! Storing an upload: accepted by content (`cms::files`), named by its SHA-256, written next to its
//! final place and renamed there (no half-written file is ever served), recorded once per content.
use crate::cms::files::accept;
use crate::error::AppError;
use crate::portal::model::Attachment;
use crate::server::audit::Actor;
use crate::server::authz::Caller;
use crate::server::AppState;
use sha2::{Digest, Sha256};
use sqlx::Row;

/// The stored file as the editor gets it back.
pub async fn store(
    state: &AppState,
    caller: &Caller,
    original_name: &str,
    bytes: &[u8],
) -> Result<Attachment, AppError> {
    store_as(state, &caller.actor(), original_name, bytes).await
}

/// Where the CMS's published files live (served to anyone at `/files/…`).
pub const PUBLIC_DIR: &str = "uploads";
/// Where applicants' materials live (a case's proofs and authorisations): never under `/files/`,
/// only through the case desk's scoped download.
pub const PRIVATE_DIR: &str = "case-files";

/// A file accepted by content and written under its SHA-256 name.
struct Written {
    sha: String,
    file_name: String,
    name: String,
    accepted: crate::cms::files::Accepted,
}

/// Judges `bytes` by content and writes them to `dir` under `{sha256}.{ext}`, next to the final
/// place first and renamed there, so that no half-written file is ever read.
async fn write_checked(
    state: &AppState,
    dir: &str,
    original_name: &str,
    bytes: &[u8],
) -> Result<Written, AppError> {
    let name: String = original_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control())
        .take(120)
        .collect();
    let accepted =
        accept(&name, bytes).map_err(|m| AppError::field("file", "UPLOAD_REFUSED", m))?;
    let sha = hex::encode(Sha256::digest(bytes));
    let file_name = format!("{sha}.{}", accepted.ext);
    let dir = state.config.data_path(dir);
    tokio::fs::create_dir_all(&dir)
        .await
        .map_err(|e| AppError::internal("uploads dir", e))?;
    let target = dir.join(&file_name);
    if tokio::fs::metadata(&target).await.is_err() {
        let partial = dir.join(format!(".{file_name}.{}", uuid::Uuid::now_v7().simple()));
        tokio::fs::write(&partial, bytes)
            .await
            .map_err(|e| AppError::internal("upload write", e))?;
        tokio::fs::rename(&partial, &target)
            .await
            .map_err(|e| AppError::internal("upload rename", e))?;
    }
    Ok(Written {
        sha,
        file_name,
        name,
        accepted,
    })
}

/// An applicant's material (a case's proof, authorisation or supplement), checked like any upload
/// but kept in the private store: the case records it (`case_files`) and staff download it through
/// the case's scoped route. Returns the stored name.
pub async fn store_private(
    state: &AppState,
    original_name: &str,
    bytes: &[u8],
) -> Result<Attachment, AppError> {
    let w = write_checked(state, PRIVATE_DIR, original_name, bytes).await?;
    Ok(Attachment {
        file: w.file_name,
        name: w.name,
        size: bytes.len() as i64,
    })
}

/// The path of a private material, if `file_name` is a stored name (`{sha256}.{ext}`).
pub fn private_path(state: &AppState, file_name: &str) -> Option<std::path::PathBuf> {
    crate::cms::files::stored_ext(file_name)?;
    Some(state.config.data_path(PRIVATE_DIR).join(file_name))
}

/// A published file, stored once per content and audited.
async fn store_as(
    state: &AppState,
    caller: &Actor,
    original_name: &str,
    bytes: &[u8],
) -> Result<Attachment, AppError> {
    let Written {
        sha,
        file_name,
        name,
        accepted,
    } = write_checked(state, PUBLIC_DIR, original_name, bytes).await?;
    let mut tx = state.db.begin().await?;
    // The same content uploaded again (under any name) is one stored file.
    let existing = sqlx::query("SELECT file_name FROM uploads WHERE sha256 = $1")
        .bind(&sha)
        .fetch_optional(&mut *tx)
        .await?;
    let file_name = match existing {
        Some(r) => r.try_get("file_name")?,
        None => {
            sqlx::query(
                "INSERT INTO uploads (sha256, file_name, kind, mime, size_bytes, original_name, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(&sha)
            .bind(&file_name)
            .bind(accepted.kind.code())
            .bind(crate::cms::files::mime(accepted.ext))
            .bind(bytes.len() as i64)
            .bind(&name)
            .bind(caller.user_id)
            .bind(state.clock.now_text())
            .execute(&mut *tx)
            .await?;
            caller
                .audit(
                    &mut tx,
                    state,
                    "cms.upload",
                    Some(("upload", &file_name)),
                    serde_json::json!({ "name": name, "size": bytes.len() }),
                )
                .await?;
            file_name
        }
    };
    tx.commit().await?;
    Ok(Attachment {
        file: file_name,
        name,
        size: bytes.len() as i64,
    })
}
