//! A batch as the pipeline, confirmation and staging see it: its class, unit and file, and the rows it
//! has staged. One job: load a batch and clear what a check of it staged.
use super::{catalogue, store};
use crate::error::AppError;
use crate::rules::catalog::{ClassSpec, LICENCE, PENALTY};
use crate::rules::clean::row::{Checked, Unit};
use crate::server::AppState;
use sqlx::{AnyConnection, Row};
use std::path::PathBuf;

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

/// True when a licence's or penalty's state (v1 XK_ZT / CF_ZT included) takes it off public view.
pub fn is_revoked(spec: &ClassSpec, c: &Checked) -> bool {
    matches!(spec.code.as_str(), LICENCE | PENALTY)
        && matches!(c.get(spec, "state"), "撤销" | "撤回")
}
