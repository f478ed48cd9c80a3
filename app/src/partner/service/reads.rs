//! What a partner key reads (docs/domain.md §12): a subject by its USCC and its records on public
//! display, class by class — exactly what the public site shows, ID numbers masked. The caller's scopes
//! are checked by the handler; here, only what is public is read.
use crate::credit::model::{GenericEntry, PublicRecord, SubjectBasics};
use crate::credit::service::subject;
use crate::error::AppError;
use crate::server::AppState;
use sqlx::Row;

/// A subject the public may see, by its USCC (a malformed code is a field error naming the fix).
pub async fn subject_by_uscc(
    state: &AppState,
    raw: &str,
) -> Result<
    (
        subject::Subject,
        crate::credit::visibility::DisclosurePolicy,
    ),
    AppError,
> {
    let code = crate::rules::uscc::validate(raw)
        .map_err(|e| AppError::field("uscc", e.code(), e.message()))?
        .code;
    let found = sqlx::query("SELECT public_id FROM subjects WHERE uscc = $1")
        .bind(&code)
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or_else(|| AppError::NotFound("该统一社会信用代码的信用主体".into()))?;
    let public_id: String = found.try_get("public_id")?;
    let policy = crate::credit::service::policy(state).await?;
    let s = subject::load(state, &policy, &public_id).await?;
    Ok((s, policy))
}

/// The active data classes as (code, name), in the catalogue's order.
pub async fn classes(state: &AppState) -> Result<Vec<(String, String)>, AppError> {
    sqlx::query("SELECT code, name FROM data_classes WHERE active = 1 ORDER BY id")
        .fetch_all(&state.db.pool)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("code")?, r.try_get("name")?)))
        .collect::<Result<_, sqlx::Error>>()
        .map_err(Into::into)
}

/// A class's records of a subject on display today, with the class's name.
pub struct ClassRecords {
    pub class: String,
    pub name: String,
    pub records: Vec<PublicRecord>,
    pub entries: Vec<GenericEntry>,
}

/// The subject of `uscc` and, for each of `classes` (code, name), its records on display today.
pub async fn subject_records(
    state: &AppState,
    uscc: &str,
    classes: &[(String, String)],
) -> Result<(SubjectBasics, Vec<ClassRecords>), AppError> {
    let (s, policy) = subject_by_uscc(state, uscc).await?;
    let mut out = Vec::with_capacity(classes.len());
    for (class, name) in classes {
        let (records, entries) = subject::public_of_class(state, &policy, s.id, class).await?;
        out.push(ClassRecords {
            class: class.clone(),
            name: name.clone(),
            records,
            entries,
        });
    }
    Ok((s.basics, out))
}
