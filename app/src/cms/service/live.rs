//! The portal's copy of an article (`article_live`): written when an article is published, removed
//! when it is unpublished. The portal reads nothing else, so a draft never shows.
use crate::cms::html::{plain_text, sanitize};
use crate::error::AppError;
use sqlx::{AnyConnection, Row};

/// Copies the article's working text to the portal (replacing an earlier copy), inside the caller's
/// transaction. An article published before keeps the date of its first publication.
pub async fn put_live(
    conn: &mut AnyConnection,
    article_id: i64,
    now: &str,
) -> Result<(), AppError> {
    let a = sqlx::query(
        "SELECT public_id, column_code, columns, title, subtitle, summary, body_html, source, author, cover, \
         cover_alt, tags, attachments, headline, published_at, doc_issuer, doc_number, doc_level, doc_issued_on, \
         doc_effective_on, doc_status FROM articles WHERE id = $1",
    )
    .bind(article_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| AppError::NotFound("该文章".into()))?;
    let earlier: Option<String> =
        sqlx::query("SELECT published_at FROM article_live WHERE article_id = $1")
            .bind(article_id)
            .fetch_optional(&mut *conn)
            .await?
            .map(|r| r.try_get("published_at"))
            .transpose()?;
    let published_at = earlier
        .or(a.try_get::<Option<String>, _>("published_at")?)
        .unwrap_or_else(|| now.to_string());
    let body = sanitize(&a.try_get::<String, _>("body_html")?);
    let title: String = a.try_get("title")?;
    let summary: String = a.try_get("summary")?;
    // A policy document is also found by its 文号 and issuing body (empty for other articles).
    let search_text = format!(
        "{title} {summary} {} {} {}",
        plain_text(&body),
        a.try_get::<String, _>("doc_number")?,
        a.try_get::<String, _>("doc_issuer")?
    )
    .trim_end()
    .to_string();
    let primary: String = a.try_get("column_code")?;
    let mut columns: Vec<String> =
        serde_json::from_str(&a.try_get::<String, _>("columns")?).unwrap_or_default();
    if !columns.contains(&primary) {
        columns.insert(0, primary.clone());
    }
    withdraw_live(conn, article_id).await?;
    sqlx::query(
        "INSERT INTO article_live (article_id, public_id, column_code, title, subtitle, summary, body_html, source, \
         author, cover, cover_alt, tags, attachments, headline, search_text, published_at, updated_at, doc_issuer, \
         doc_number, doc_level, doc_issued_on, doc_effective_on, doc_status) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)",
    )
    .bind(article_id)
    .bind(a.try_get::<String, _>("public_id")?)
    .bind(&primary)
    .bind(&title)
    .bind(a.try_get::<String, _>("subtitle")?)
    .bind(&summary)
    .bind(&body)
    .bind(a.try_get::<String, _>("source")?)
    .bind(a.try_get::<String, _>("author")?)
    .bind(a.try_get::<Option<String>, _>("cover")?)
    .bind(a.try_get::<String, _>("cover_alt")?)
    .bind(a.try_get::<String, _>("tags")?)
    .bind(a.try_get::<String, _>("attachments")?)
    .bind(a.try_get::<i64, _>("headline")?)
    .bind(&search_text)
    .bind(&published_at)
    .bind(now)
    .bind(a.try_get::<String, _>("doc_issuer")?)
    .bind(a.try_get::<String, _>("doc_number")?)
    .bind(a.try_get::<String, _>("doc_level")?)
    .bind(a.try_get::<Option<String>, _>("doc_issued_on")?)
    .bind(a.try_get::<Option<String>, _>("doc_effective_on")?)
    .bind(a.try_get::<String, _>("doc_status")?)
    .execute(&mut *conn)
    .await?;
    for code in columns {
        sqlx::query(
            "INSERT INTO article_live_columns (article_id, column_code, published_at) VALUES ($1, $2, $3)",
        )
        .bind(article_id)
        .bind(&code)
        .bind(&published_at)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query("UPDATE articles SET published_at = $2 WHERE id = $1")
        .bind(article_id)
        .bind(&published_at)
        .execute(&mut *conn)
        .await?;
    crate::server::cache::bump(conn, "portal").await
}

/// Takes the article off the portal (no error if it was not on it).
pub async fn withdraw_live(conn: &mut AnyConnection, article_id: i64) -> Result<(), AppError> {
    sqlx::query("DELETE FROM article_live_columns WHERE article_id = $1")
        .bind(article_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM article_live WHERE article_id = $1")
        .bind(article_id)
        .execute(&mut *conn)
        .await?;
    crate::server::cache::bump(conn, "portal").await
}
