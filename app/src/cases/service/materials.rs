//! What every public form of cases shares (repair, objection, complaint, the applicant's supplement):
//! every file judged by content before any is stored, the files kept in the private upload store,
//! recorded on the case's step; and a new case row with its unguessable tracking code.
use super::apply::Upload;
use crate::cms::files::accept;
use crate::cms::service::uploads;
use crate::error::AppError;
use crate::portal::model::Attachment;
use sqlx::{AnyConnection, Row};

/// Every file is judged before any is stored: one refusal refuses the whole form.
pub(crate) fn judge(files: &[Upload]) -> Result<(), AppError> {
    for f in files {
        accept(&f.name, &f.bytes).map_err(|m| {
            AppError::field(f.purpose, "UPLOAD_REFUSED", format!("“{}”：{m}", f.name))
        })?;
    }
    Ok(())
}

/// Stores judged files in the private store (by hash: storing one twice is harmless).
pub(crate) async fn store(
    state: &crate::server::AppState,
    files: &[Upload],
) -> Result<Vec<(&'static str, Attachment)>, AppError> {
    let mut stored = Vec::with_capacity(files.len());
    for f in files {
        stored.push((
            f.purpose,
            uploads::store_private(state, &f.name, &f.bytes).await?,
        ));
    }
    Ok(stored)
}

/// Records stored files on a case's step (inside the step's transaction).
pub(crate) async fn attach(
    conn: &mut AnyConnection,
    case_id: i64,
    step_id: i64,
    stored: &[(&'static str, Attachment)],
    now: &str,
) -> Result<(), AppError> {
    for (purpose, a) in stored {
        sqlx::query(
            "INSERT INTO case_files (public_id, case_id, step_id, purpose, file_name, original_name, size_bytes, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(uuid::Uuid::now_v7().simple().to_string())
        .bind(case_id)
        .bind(step_id)
        .bind(*purpose)
        .bind(&a.file)
        .bind(&a.name)
        .bind(a.size)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// A new case's row. A case about no record (a complaint about the platform's service) has
/// record kind `none`, record id 0 and an empty public id (migration 0021 says why).
pub(crate) struct NewCase<'a> {
    pub public_id: &'a str,
    pub kind: &'a str,
    pub state: &'a str,
    pub record: (&'a str, i64, &'a str),
    pub subject: (&'a str, &'a str),
    pub department_id: Option<i64>,
    pub county_code: Option<&'a str>,
    pub applicant_name: &'a str,
    /// (encrypted, masked)
    pub contact: (String, String),
    pub by_agent: bool,
    pub details: &'a serde_json::Value,
    pub clock: &'a super::super::deadline::Clock,
    pub channel: &'a str,
    pub submitted_on: &'a str,
    pub now: &'a str,
}

/// Inserts a case with a fresh tracking code. 31^15 codes: a clash is all but impossible, but the
/// unique index decides; another code is tried on one. Answers (id, tracking code).
pub(crate) async fn insert_case(
    conn: &mut AnyConnection,
    c: &NewCase<'_>,
) -> Result<(i64, String), AppError> {
    let iso = |d: Option<crate::rules::date::Ymd>| d.map(|d| d.iso());
    for _ in 0..3 {
        let code = crate::rules::code::random_tracking(super::super::repair::CODE_LEN);
        let id: Option<i64> = sqlx::query(
            "INSERT INTO cases (public_id, tracking_code, kind, state, record_kind, record_id, record_public_id, \
             subject_name, subject_uscc, department_id, county_code, applicant_name, contact_enc, contact_masked, \
             by_agent, details, step, step_started_on, step_due_on, result_due_on, channel, submitted_on, \
             created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, \
             $21, $22, $23, $23) ON CONFLICT (tracking_code) DO NOTHING RETURNING id",
        )
        .bind(c.public_id)
        .bind(&code)
        .bind(c.kind)
        .bind(c.state)
        .bind(c.record.0)
        .bind(c.record.1)
        .bind(c.record.2)
        .bind(c.subject.0)
        .bind(c.subject.1)
        .bind(c.department_id)
        .bind(c.county_code)
        .bind(c.applicant_name)
        .bind(&c.contact.0)
        .bind(&c.contact.1)
        .bind(i64::from(c.by_agent))
        .bind(c.details.to_string())
        .bind(c.clock.step.clone())
        .bind(iso(c.clock.step_started_on))
        .bind(iso(c.clock.step_due_on))
        .bind(iso(c.clock.result_due_on))
        .bind(c.channel)
        .bind(c.submitted_on)
        .bind(c.now)
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| r.try_get("id"))
        .transpose()?;
        if let Some(id) = id {
            return Ok((id, code));
        }
    }
    Err(AppError::internal(
        "tracking code",
        "three clashes in a row",
    ))
}
