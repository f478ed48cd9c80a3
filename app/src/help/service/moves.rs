//! The staff's moves on a consultation, each audited in its transaction (docs/architecture.md §7):
//! route it to a unit, answer it, publish it as a public Q&A (texts masked) or take it down.
use super::desk::load;
use super::{alarm_keys, Stored};
use crate::error::AppError;
use crate::help::consult::{self, Status};
use crate::server::alarms;
use crate::server::authz::Caller;
use crate::server::AppState;
use sqlx::Row;

/// Text on its way to the public Q&A: the asker's name and personal numbers masked with the
/// disclosure policy's rule (docs/domain.md §3.3), whatever staff typed.
async fn public_text(state: &AppState, asker: &str, text: &str) -> Result<String, AppError> {
    let policy = crate::credit::service::policy(state).await?;
    let named = if asker.chars().count() >= 2 {
        text.replace(asker, &crate::rules::mask::person_name(asker))
    } else {
        text.to_string()
    };
    Ok(crate::rules::pii::public_text(
        &named,
        state.clock.today(),
        policy.id_mask,
    ))
}

/// The masked texts offered for editing before publication.
pub(crate) async fn proposals(state: &AppState, s: &Stored) -> Result<(String, String), AppError> {
    Ok((
        public_text(state, &s.asker_name, &s.question).await?,
        public_text(
            state,
            &s.asker_name,
            s.answer.as_deref().unwrap_or_default(),
        )
        .await?,
    ))
}

fn not_after_answer(s: &Stored) -> Result<(), AppError> {
    if s.status() == Status::Answered {
        Err(AppError::Conflict(
            "该咨询已答复，不能再分办或答复。".into(),
        ))
    } else {
        Ok(())
    }
}

/// Sends the consultation to a unit (承办单位) to answer.
pub async fn route(
    state: &AppState,
    caller: &Caller,
    public_id: &str,
    department: &str,
) -> Result<(), AppError> {
    let s = load(state, caller, public_id).await?;
    not_after_answer(&s)?;
    let row = sqlx::query("SELECT id, name FROM departments WHERE public_id = $1 AND active = 1")
        .bind(department)
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or_else(|| AppError::field("department", "DEPARTMENT_MISSING", "请选择承办单位。"))?;
    let (dept_id, dept_name): (i64, String) = (row.try_get("id")?, row.try_get("name")?);
    let now = state.clock.now_text();
    let mut tx = state.db.begin().await?;
    sqlx::query(
        "UPDATE consultations SET status = 'routed', department_id = $1, routed_at = $2, routed_by = $3, \
         updated_at = $2 WHERE id = $4",
    )
    .bind(dept_id)
    .bind(&now)
    .bind(&caller.user.display_name)
    .bind(s.id)
    .execute(&mut *tx)
    .await?;
    caller
        .audit(
            &mut tx,
            state,
            "help.consult.route",
            Some(("consultation", &s.public_id)),
            serde_json::json!({ "department": dept_name, "from": s.department_name }),
        )
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Answers the consultation; its reminder and overdue alarms are resolved.
pub async fn answer(
    state: &AppState,
    caller: &Caller,
    public_id: &str,
    text: &str,
) -> Result<(), AppError> {
    let s = load(state, caller, public_id).await?;
    not_after_answer(&s)?;
    let text = consult::check_text("answer", text, "答复内容")?;
    let now = state.clock.now_text();
    let mut tx = state.db.begin().await?;
    sqlx::query(
        "UPDATE consultations SET status = 'answered', answer = $1, answered_at = $2, answered_by = $3, \
         updated_at = $2 WHERE id = $4",
    )
    .bind(&text)
    .bind(&now)
    .bind(&caller.user.display_name)
    .bind(s.id)
    .execute(&mut *tx)
    .await?;
    caller
        .audit(
            &mut tx,
            state,
            "help.consult.answer",
            Some(("consultation", &s.public_id)),
            serde_json::json!({ "late": s.due_on < state.clock.today().iso(), "chars": text.chars().count() }),
        )
        .await?;
    tx.commit().await?;
    for key in alarm_keys(&s.public_id) {
        alarms::resolve_key(&state.db, &state.clock, &key, "咨询已答复，自动解除。").await?;
    }
    Ok(())
}

/// Publishes an answered consultation as a public Q&A with the edited texts (masked again on the
/// way in), or (`publish` false) takes it down.
pub async fn publish(
    state: &AppState,
    caller: &Caller,
    public_id: &str,
    publish: bool,
    question: &str,
    answer: &str,
) -> Result<(), AppError> {
    let s = load(state, caller, public_id).await?;
    let now = state.clock.now_text();
    let mut tx = state.db.begin().await?;
    if publish {
        if s.status() != Status::Answered {
            return Err(AppError::Conflict("尚未答复的咨询不能公开。".into()));
        }
        if !s.consent_publish {
            return Err(AppError::Conflict("咨询人未同意公开，不能公开。".into()));
        }
        let q = consult::check_text("question", question, "公开的问题")?;
        let a = consult::check_text("answer", answer, "公开的答复")?;
        let (q, a) = (
            public_text(state, &s.asker_name, &q).await?,
            public_text(state, &s.asker_name, &a).await?,
        );
        sqlx::query(
            "UPDATE consultations SET published = 1, published_at = $1, public_question = $2, \
             public_answer = $3, updated_at = $1 WHERE id = $4",
        )
        .bind(&now)
        .bind(&q)
        .bind(&a)
        .bind(s.id)
        .execute(&mut *tx)
        .await?;
    } else {
        sqlx::query("UPDATE consultations SET published = 0, updated_at = $1 WHERE id = $2")
            .bind(&now)
            .bind(s.id)
            .execute(&mut *tx)
            .await?;
    }
    caller
        .audit(
            &mut tx,
            state,
            if publish {
                "help.consult.publish"
            } else {
                "help.consult.unpublish"
            },
            Some(("consultation", &s.public_id)),
            serde_json::json!({}),
        )
        .await?;
    tx.commit().await?;
    Ok(())
}
