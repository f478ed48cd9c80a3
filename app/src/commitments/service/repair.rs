//! The 信用修复型 commitment of a repair application (docs/domain.md §10), for the case engine. It is
//! written inside the caller's transaction, so the commitment exists exactly when the application
//! does: as a one-row CSV batch of the accepting unit whose check is a queued job (the pipeline
//! commits per chunk, so it cannot run inside someone else's transaction). The unit confirms the
//! batch like any other, or the case engine calls [`confirm_checked`] on approval.
use crate::collect::service::{catalogue, confirm, intake};
use crate::commitments::rules::{self, CLASS, IN_PROGRESS, REPAIR};
use crate::error::AppError;
use crate::server::audit::Actor;
use crate::server::jobs::{self, NewJob};
use crate::server::AppState;
use sqlx::Row;

/// What the repair application commits to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RepairCommitment {
    pub subject_name: String,
    pub subject_uscc: String,
    /// The commitment text the applicant accepted.
    pub text: String,
    /// The accepting unit: the source unit of the record to repair.
    pub department_id: i64,
    /// The case's tracking code or public id, kept in the audit line.
    pub case_ref: String,
}

/// A CSV cell, quoted when it holds a separator, a quote or a line break.
fn cell(v: &str) -> String {
    if v.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v.to_string()
    }
}

/// Records the commitment as a batch of `input.department_id` inside the caller's transaction and
/// queues its check. Returns the batch's public id.
pub async fn record_repair_commitment(
    conn: &mut sqlx::AnyConnection,
    state: &AppState,
    input: &RepairCommitment,
) -> Result<String, AppError> {
    let uscc = crate::rules::uscc::validate(&input.subject_uscc)
        .map_err(|e| AppError::field("subject_uscc", e.code(), e.message()))?
        .code;
    let text = input.text.trim();
    if text.chars().count() < rules::MIN_TEXT || text.chars().count() > rules::MAX_TEXT {
        return Err(AppError::field(
            "text",
            "TEXT_LENGTH",
            format!(
                "信用修复承诺内容须在 {} 至 {} 字之间。",
                rules::MIN_TEXT,
                rules::MAX_TEXT
            ),
        ));
    }
    let unit: String = sqlx::query("SELECT name FROM departments WHERE id = $1")
        .bind(input.department_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| AppError::NotFound("该受理单位".into()))?
        .try_get("name")?;
    let (_, spec) = catalogue::load(state, CLASS).await?;
    let today = state.clock.today().iso();
    let value = |key: &str| match key {
        "subject_name" => input.subject_name.trim().to_string(),
        "subject_uscc" => uscc.clone(),
        "commitment_type" => REPAIR.to_string(),
        "text" => text.to_string(),
        "committed_on" => today.clone(),
        "accepting_unit" => unit.clone(),
        "fulfilment" => IN_PROGRESS.to_string(),
        _ => String::new(),
    };
    let header: Vec<String> = spec.fields.iter().map(|f| cell(&f.name)).collect();
    let row: Vec<String> = spec.fields.iter().map(|f| cell(&value(&f.key))).collect();
    let csv = format!("{}\r\n{}\r\n", header.join(","), row.join(","));
    let stored = intake::store_file(state, "信用修复承诺.csv", csv.as_bytes())?;
    let sub = intake::Submission {
        class_code: CLASS,
        department_id: input.department_id,
        user_id: None,
        channel: "form",
    };
    let (batch_id, public_id) = intake::insert(conn, state, &sub, Some(stored.columns())).await?;
    sqlx::query("UPDATE batches SET status = 'checking' WHERE id = $1")
        .bind(batch_id)
        .execute(&mut *conn)
        .await?;
    let mut job = NewJob::new(intake::CHECK_JOB);
    job.payload = serde_json::json!({ "batch_id": batch_id }).to_string();
    job.dedupe_key = Some(format!("{}:{batch_id}:repair", intake::CHECK_JOB));
    job.max_attempts = 3;
    jobs::enqueue_in(conn, state, job).await?;
    Actor::named("信用修复")
        .audit(
            conn,
            state,
            "commitments.repair_record",
            Some(("batch", &public_id)),
            serde_json::json!({ "case": input.case_ref, "uscc": uscc, "unit": unit }),
        )
        .await?;
    Ok(public_id)
}

/// Publishes the commitment's batch once its check has run clean. False when the check has not run
/// yet or found faults (the batch then waits in the unit's 数据报送 list).
pub async fn confirm_checked(
    state: &AppState,
    batch_public_id: &str,
    actor: &Actor,
) -> Result<bool, AppError> {
    let row = sqlx::query(
        "SELECT b.id, b.status, b.rows_new + b.rows_update AS good, b.rows_faulty FROM batches b \
         JOIN data_classes c ON c.id = b.class_id WHERE b.public_id = $1 AND c.code = $2",
    )
    .bind(batch_public_id)
    .bind(CLASS)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or_else(|| AppError::NotFound("该承诺批次".into()))?;
    let ready = row.try_get::<String, _>("status")? == "checked"
        && row.try_get::<i64, _>("good")? > 0
        && row.try_get::<i64, _>("rows_faulty")? == 0;
    if !ready {
        return Ok(false);
    }
    let id: i64 = row.try_get("id")?;
    confirm::confirm(state, id, actor).await?;
    Ok(true)
}
