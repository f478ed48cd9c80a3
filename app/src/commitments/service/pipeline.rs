//! Commitments enter through the collection pipeline (docs/architecture.md §10): one record as a batch
//! of the `form` channel for the accepting unit, checked by the catalogue's rules, confirmed with a
//! version trace. This file is the one way in for the online form and the fulfilment change.
use crate::collect::service::{catalogue, confirm, intake, pipeline};
use crate::commitments::rules::CLASS;
use crate::error::{AppError, FieldError};
use crate::help::consult::Contact;
use crate::server::audit::Actor;
use crate::server::AppState;
use sqlx::Row;
use std::collections::HashMap;

/// A checked one-record batch.
pub struct Checked {
    pub batch_id: i64,
    pub public_id: String,
    /// A new record, or an update of the stored one with the same key.
    pub new: bool,
    pub update: bool,
}

/// The catalogue field a form field stands for, to show a pipeline fault beside the right input.
fn form_field(key: &str) -> &str {
    match key {
        "subject_uscc" => "uscc",
        "subject_name" => "name",
        "commitment_type" => "kind",
        "accepting_unit" => "unit",
        "text" => "text",
        _ => "record",
    }
}

/// The values in the catalogue's field order.
pub async fn ordered(
    state: &AppState,
    values: &HashMap<&str, String>,
) -> Result<Vec<String>, AppError> {
    let (_, spec) = catalogue::load(state, CLASS).await?;
    Ok(spec
        .fields
        .iter()
        .map(|f| values.get(f.key.as_str()).cloned().unwrap_or_default())
        .collect())
}

/// Stores the record as a batch of `department_id` (audited as `action` by `actor`) and checks it. A
/// record the rules refuse is discarded and its faults come back as field errors.
pub async fn submit(
    state: &AppState,
    actor: &Actor,
    department_id: i64,
    values: Vec<String>,
    action: &str,
    detail: serde_json::Value,
    contact: Option<&Contact>,
) -> Result<Checked, AppError> {
    let sub = intake::Submission {
        class_code: CLASS,
        department_id,
        user_id: actor.user_id,
        channel: "form",
    };
    let mut tx = state.db.begin().await?;
    let (batch_id, public_id) = intake::insert(&mut tx, state, &sub, None).await?;
    if let Some(c) = contact {
        // The subject's contact, for the unit that verifies the commitment; never published.
        sqlx::query(
            "INSERT INTO commitment_contacts (batch_id, contact_enc, contact_masked, created_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(batch_id)
        .bind(state.secrets.encrypt_id(c.value()))
        .bind(c.masked())
        .bind(state.clock.now_text())
        .execute(&mut *tx)
        .await?;
    }
    actor
        .audit(&mut tx, state, action, Some(("batch", &public_id)), detail)
        .await?;
    tx.commit().await?;
    if let pipeline::CheckOutcome::Failed(why) =
        pipeline::check_record(state, batch_id, values).await?
    {
        return Err(AppError::internal("commitment check", why));
    }
    let row =
        sqlx::query("SELECT status, rows_new, rows_update, rows_faulty FROM batches WHERE id = $1")
            .bind(batch_id)
            .fetch_one(&state.db.pool)
            .await?;
    let (new, update, faulty): (i64, i64, i64) = (
        row.try_get("rows_new")?,
        row.try_get("rows_update")?,
        row.try_get("rows_faulty")?,
    );
    if faulty > 0 || new + update == 0 {
        let errors = faults(state, batch_id).await?;
        confirm::discard(state, batch_id, actor).await?;
        return Err(if errors.is_empty() {
            AppError::Conflict("该承诺与已有记录完全相同，无需重复提交。".into())
        } else {
            AppError::Validation(errors)
        });
    }
    Ok(Checked {
        batch_id,
        public_id,
        new: new > 0,
        update: update > 0,
    })
}

/// The batch's errors as field errors of the form.
async fn faults(state: &AppState, batch_id: i64) -> Result<Vec<FieldError>, AppError> {
    sqlx::query(
        "SELECT field_key, rule_code, message FROM batch_faults WHERE batch_id = $1 AND level = 'error' \
         ORDER BY id",
    )
    .bind(batch_id)
    .fetch_all(&state.db.pool)
    .await?
    .iter()
    .map(|r| {
        let key: String = r.try_get("field_key")?;
        Ok(FieldError {
            field: form_field(&key).into(),
            code: r.try_get("rule_code")?,
            message: r.try_get("message")?,
        })
    })
    .collect()
}

/// Publishes a checked batch (the accepting unit's confirmation, or 承诺即公示).
pub async fn publish(state: &AppState, batch_id: i64, actor: &Actor) -> Result<(), AppError> {
    confirm::confirm(state, batch_id, actor).await.map(|_| ())
}
