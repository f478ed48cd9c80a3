//! What the public reads: a consultation by its tracking code, and the published questions and
//! answers (only the masked texts staff approved).
use super::{minute, Stored, COLUMNS, FROM};
use crate::error::AppError;
use crate::help::consult::{self, topic_label};
use crate::help::model::{PublicQa, Tracked};
use crate::paging::Page;
use crate::server::db::sql::{clamp_page, like_pattern};
use crate::server::AppState;
use sqlx::Row;

/// Public Q&A per page.
pub const QA_PER_PAGE: i64 = 10;

/// The consultation with this tracking code (typed loosely); 404 for a malformed or unknown code alike.
pub async fn track(state: &AppState, typed: &str) -> Result<Tracked, AppError> {
    let missing = || AppError::NotFound("该查询码对应的咨询（请核对查询码）".into());
    let code = consult::normalise_code(typed).ok_or_else(missing)?;
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} {FROM} WHERE c.tracking_code = $1"
    ))
    .bind(&code)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or_else(missing)?;
    let s = Stored::from_row(&row)?;
    let status = s.status();
    let answered = status == consult::Status::Answered;
    // Whoever holds the code reads the page: personal numbers in the texts are masked.
    let id_mask = crate::credit::service::policy(state).await?.id_mask;
    let scrub = |t: &str| crate::rules::pii::public_text(t, state.clock.today(), id_mask);
    Ok(Tracked {
        code: s.tracking_code.clone(),
        topic: topic_label(&s.topic).into(),
        question: scrub(&s.question),
        status: status.code().into(),
        status_label: status.label().into(),
        received_on: s.received_on.clone(),
        due_on: s.due_on.clone(),
        contact_masked: s.contact_masked.clone(),
        department: s.department_name.clone(),
        answer: s.answer.as_deref().filter(|_| answered).map(scrub),
        answered_at: minute(&s.answered_at).filter(|_| answered),
    })
}

fn qa_of(r: &sqlx::any::AnyRow) -> Result<PublicQa, AppError> {
    let day = |t: Option<String>| {
        t.and_then(|t| minute(&Some(t)))
            .map(|m| m.chars().take(10).collect())
            .unwrap_or_default()
    };
    Ok(PublicQa {
        public_id: r.try_get("public_id")?,
        topic: topic_label(&r.try_get::<String, _>("topic")?).into(),
        question: r
            .try_get::<Option<String>, _>("public_question")?
            .unwrap_or_default(),
        answer: r
            .try_get::<Option<String>, _>("public_answer")?
            .unwrap_or_default(),
        department: r.try_get("department_name")?,
        asked_on: r.try_get("received_on")?,
        answered_on: day(r.try_get("answered_at")?),
    })
}

const QA_COLUMNS: &str = "c.public_id, c.topic, c.public_question, c.public_answer, \
     d.name AS department_name, c.received_on, c.answered_at";

/// Published Q&A, newest first, optionally those whose question or answer contains `q`.
pub async fn qa(state: &AppState, q: &str, page: i64) -> Result<Page<PublicQa>, AppError> {
    let page = clamp_page(page);
    let q = q.trim();
    let (clause, pattern) = if q.is_empty() {
        ("", None)
    } else {
        (
            " AND (LOWER(c.public_question) LIKE $1 ESCAPE '\\' OR LOWER(c.public_answer) LIKE $1 ESCAPE '\\')",
            Some(like_pattern(q)),
        )
    };
    let count_sql = format!("SELECT COUNT(*) AS n {FROM} WHERE c.published = 1{clause}");
    let mut count = sqlx::query(&count_sql);
    let limit_at = if pattern.is_some() { 2 } else { 1 };
    let sql = format!(
        "SELECT {QA_COLUMNS} {FROM} WHERE c.published = 1{clause} \
         ORDER BY c.published_at DESC, c.id DESC LIMIT ${limit_at} OFFSET ${}",
        limit_at + 1
    );
    let mut rows = sqlx::query(&sql);
    if let Some(p) = &pattern {
        count = count.bind(p.clone());
        rows = rows.bind(p.clone());
    }
    let total: i64 = count.fetch_one(&state.db.pool).await?.try_get("n")?;
    let rows = rows
        .bind(QA_PER_PAGE)
        .bind((page - 1) * QA_PER_PAGE)
        .fetch_all(&state.db.pool)
        .await?;
    Ok(Page {
        rows: rows.iter().map(qa_of).collect::<Result<_, _>>()?,
        total,
        page,
        per_page: QA_PER_PAGE,
    })
}
