//! The document fields of articles in a policy-kind column (政策法规): checked when saved, stored on
//! the working copy beside the article's text, read back for the editor. `live::put_live` copies them
//! to the portal with the rest of the article.
use crate::cms::model::ArticleContent;
use crate::error::{AppError, FieldError};
use crate::rules::policy_doc::{self, PolicyDoc};
use crate::server::AppState;
use sqlx::{AnyConnection, Row};

pub use crate::portal::service::{policy_doc_columns as select_list, policy_doc_from_row as read};

/// Whether the column `code` is a policy-kind column.
pub async fn is_policy_column(state: &AppState, code: &str) -> Result<bool, AppError> {
    let kind: Option<String> = sqlx::query("SELECT kind FROM site_columns WHERE code = $1")
        .bind(code)
        .fetch_optional(&state.db.pool)
        .await?
        .map(|r| r.try_get("kind"))
        .transpose()?;
    Ok(kind.as_deref() == Some("policy"))
}

/// The document fields the article keeps: checked when its home column (the first listed) is a
/// policy-kind column, dropped otherwise.
pub async fn check(
    state: &AppState,
    columns: &[String],
    doc: Option<PolicyDoc>,
) -> Result<Result<Option<PolicyDoc>, Vec<FieldError>>, AppError> {
    let home = columns.iter().map(|c| c.trim()).find(|c| !c.is_empty());
    let is_policy = match home {
        Some(code) => is_policy_column(state, code).await?,
        None => false,
    };
    if !is_policy {
        return Ok(Ok(None));
    }
    Ok(policy_doc::clean(doc.unwrap_or_default()).map(Some))
}

/// The checked text with its checked document fields, or every problem of both at once.
pub fn merge(
    content: Result<ArticleContent, AppError>,
    doc: Result<Option<PolicyDoc>, Vec<FieldError>>,
) -> Result<ArticleContent, AppError> {
    match (content, doc) {
        (Ok(mut c), Ok(d)) => {
            c.policy = d;
            Ok(c)
        }
        (Err(AppError::Validation(mut errors)), Err(more)) => {
            errors.extend(more);
            Err(AppError::Validation(errors))
        }
        (Err(e), _) => Err(e),
        (Ok(_), Err(more)) => Err(AppError::Validation(more)),
    }
}

/// Writes the fields on the working copy (all empty when the article is not a policy document).
pub async fn store(
    conn: &mut AnyConnection,
    article_id: i64,
    doc: Option<&PolicyDoc>,
) -> Result<(), AppError> {
    let d = doc.cloned().unwrap_or_default();
    let date = |s: &str| (!s.is_empty()).then(|| s.to_string());
    sqlx::query(
        "UPDATE articles SET doc_issuer = $2, doc_number = $3, doc_level = $4, doc_issued_on = $5, \
         doc_effective_on = $6, doc_status = $7 WHERE id = $1",
    )
    .bind(article_id)
    .bind(&d.issuer)
    .bind(&d.number)
    .bind(&d.level)
    .bind(date(&d.issued_on))
    .bind(date(&d.effective_on))
    .bind(&d.status)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
