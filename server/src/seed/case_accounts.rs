//! The demo subject account (`subject`) bound to a demo enterprise with a penalty on display, so that
//! its cases show at `/my/cases` once it applies for repair (issue 20).
use app::error::AppError;
use app::server::AppState;

/// Binds the demo subject account, if it exists and is not bound yet. Answers the USCC bound.
pub async fn seed(state: &AppState) -> Result<Option<String>, AppError> {
    let uscc: Option<String> = sqlx::query_scalar(
        "SELECT s.uscc FROM penalties p JOIN subjects s ON s.id = p.subject_id \
         WHERE p.published = 1 AND p.withdrawn = 0 AND s.uscc IS NOT NULL ORDER BY p.id LIMIT 1",
    )
    .fetch_optional(&state.db.pool)
    .await?
    .flatten();
    let Some(uscc) = uscc else {
        return Ok(None);
    };
    sqlx::query(
        "UPDATE users SET subject_uscc = $1 WHERE username = 'subject' AND subject_uscc IS NULL",
    )
    .bind(&uscc)
    .execute(&state.db.pool)
    .await?;
    Ok(Some(uscc))
}
