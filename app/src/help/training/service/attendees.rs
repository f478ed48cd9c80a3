//! A session's sign-in list (签到表): adding an attendee (phone sealed and masked), signing in, and
//! the certificate number of a repair training issued at sign-in. Each move audited in its transaction.
use super::load;
use crate::error::AppError;
use crate::help::training::rules::{self, AttendeeInput};
use crate::server::authz::Caller;
use crate::server::AppState;
use sqlx::Row;

fn open(status: &str) -> Result<(), AppError> {
    if status == "cancelled" {
        Err(AppError::Conflict(
            "该培训已取消，不能再登记或签到。".into(),
        ))
    } else {
        Ok(())
    }
}

/// Adds a person to the sign-in list of a session (not yet signed in); answers their public id.
pub async fn add(
    state: &AppState,
    caller: &Caller,
    session: &str,
    input: &AttendeeInput,
) -> Result<String, AppError> {
    let (session_id, s) = load(state, session).await?;
    open(&s.status)?;
    let a = rules::check_attendee(input, s.kind == "repair")?;
    if s.attendees >= s.capacity {
        return Err(AppError::Conflict(format!(
            "该培训名额（{} 人）已满。",
            s.capacity
        )));
    }
    let now = state.clock.now_text();
    let id = uuid::Uuid::now_v7().simple().to_string();
    let mut tx = state.db.begin().await?;
    sqlx::query(
        "INSERT INTO training_attendees (public_id, session_id, name, organisation, uscc, phone_enc, \
         phone_masked, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
    )
    .bind(&id)
    .bind(session_id)
    .bind(&a.name)
    .bind(&a.organisation)
    .bind(&a.uscc)
    .bind(state.secrets.encrypt_id(&a.phone))
    .bind(&a.phone_masked)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    caller
        .audit(
            &mut tx,
            state,
            "training.attendee.add",
            Some(("training_session", &s.public_id)),
            serde_json::json!({ "attendee": id, "organisation": a.organisation, "uscc": a.uscc }),
        )
        .await?;
    tx.commit().await?;
    Ok(id)
}

/// The next certificate number of the year: one past the year's highest.
async fn next_certificate(state: &AppState, year: i32) -> Result<String, AppError> {
    let prefix = rules::certificate_prefix(year);
    let rows =
        sqlx::query("SELECT certificate_no FROM training_attendees WHERE certificate_no LIKE $1")
            .bind(format!("{prefix}%"))
            .fetch_all(&state.db.pool)
            .await?;
    let mut last: i64 = 0;
    for r in &rows {
        let no: String = r.try_get("certificate_no")?;
        last = last.max(rules::certificate_seq(year, &no).unwrap_or(0));
    }
    Ok(rules::certificate_no(year, last + 1))
}

/// Marks the attendee signed in; at a repair training this issues their certificate number, once.
/// Answers the certificate number, if one was issued.
pub async fn sign_in(
    state: &AppState,
    caller: &Caller,
    attendee: &str,
) -> Result<Option<String>, AppError> {
    let r = sqlx::query(
        "SELECT a.id, a.signed_in_at, s.public_id AS session FROM training_attendees a \
         JOIN training_sessions s ON s.id = a.session_id WHERE a.public_id = $1",
    )
    .bind(attendee)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or_else(|| AppError::NotFound("该学员".into()))?;
    let attendee_id: i64 = r.try_get("id")?;
    if r.try_get::<Option<String>, _>("signed_in_at")?.is_some() {
        return Err(AppError::Conflict("该学员已签到。".into()));
    }
    let (_, s) = load(state, &r.try_get::<String, _>("session")?).await?;
    open(&s.status)?;
    let now = state.clock.now_text();
    // Two sign-ins at once may pick the same number: the unique index refuses one; it tries again.
    for _ in 0..3 {
        let certificate = if s.kind == "repair" {
            Some(next_certificate(state, state.clock.today().year).await?)
        } else {
            None
        };
        let mut tx = state.db.begin().await?;
        let done = sqlx::query(
            "UPDATE training_attendees SET signed_in_at = $1, certificate_no = $2, updated_at = $1 \
             WHERE id = $3 AND signed_in_at IS NULL",
        )
        .bind(&now)
        .bind(&certificate)
        .bind(attendee_id)
        .execute(&mut *tx)
        .await;
        let changed = match done {
            Ok(d) => d.rows_affected(),
            Err(e)
                if e.as_database_error()
                    .is_some_and(|d| d.is_unique_violation()) =>
            {
                continue
            }
            Err(e) => return Err(e.into()),
        };
        if changed == 0 {
            return Err(AppError::Conflict("该学员已签到。".into()));
        }
        caller
            .audit(
                &mut tx,
                state,
                "training.sign_in",
                Some(("training_attendee", attendee)),
                serde_json::json!({ "session": s.public_id, "certificate_no": certificate }),
            )
            .await?;
        tx.commit().await?;
        return Ok(certificate);
    }
    Err(AppError::internal(
        "certificate number",
        "three clashes in a row",
    ))
}

/// The sign-in list of a session by its public id, for the XLSX export.
pub async fn sign_in_list(
    state: &AppState,
    session: &str,
) -> Result<Vec<crate::help::training::model::AttendeeRow>, AppError> {
    let (id, _) = load(state, session).await?;
    super::attendee_rows(state, id).await
}
