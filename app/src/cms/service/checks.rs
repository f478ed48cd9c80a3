//! The pre-publication check against the stored text and the configured word list.
use crate::cms::checks::{check, SensitiveWord};
use crate::cms::model::{ArticleContent, Finding};
use crate::error::AppError;
use crate::server::AppState;
use sqlx::{AnyConnection, Row};

/// The sensitive-word list (docs/domain.md §13): data the credit office edits.
pub async fn words(conn: &mut AnyConnection) -> Result<Vec<SensitiveWord>, AppError> {
    let rows = sqlx::query("SELECT word, level FROM sensitive_words ORDER BY word")
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(SensitiveWord {
                word: r.try_get("word")?,
                blocks: r.try_get::<String, _>("level")? == "block",
            })
        })
        .collect()
}

/// The article's working text as the checks see it.
async fn content(conn: &mut AnyConnection, article_id: i64) -> Result<ArticleContent, AppError> {
    let r = sqlx::query(
        "SELECT title, subtitle, summary, body_html, source, cover, cover_alt, attachments FROM articles WHERE id = $1",
    )
    .bind(article_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| AppError::NotFound("该文章".into()))?;
    Ok(ArticleContent {
        title: r.try_get("title")?,
        subtitle: r.try_get("subtitle")?,
        summary: r.try_get("summary")?,
        body_html: r.try_get("body_html")?,
        source: r.try_get("source")?,
        cover: r.try_get("cover")?,
        cover_alt: r.try_get("cover_alt")?,
        attachments: serde_json::from_str(&r.try_get::<String, _>("attachments")?)
            .unwrap_or_default(),
        ..Default::default()
    })
}

/// Every finding for the stored article, blocking ones first.
pub async fn run(
    state: &AppState,
    conn: &mut AnyConnection,
    article_id: i64,
) -> Result<Vec<Finding>, AppError> {
    let words = words(conn).await?;
    let content = content(conn, article_id).await?;
    let mut findings = check(&content, &words, state.clock.today());
    findings.extend(dead_internal_links(conn, &content.body_html).await?);
    Ok(findings)
}

/// Links to our own articles and columns that readers could not open: an article that is not on the
/// portal, a column that does not exist or is hidden. They warn before publication; once published, the
/// link crawler reports what breaks later.
async fn dead_internal_links(
    conn: &mut AnyConnection,
    html: &str,
) -> Result<Vec<Finding>, AppError> {
    let mut out = vec![];
    for href in crate::cms::checks::links(html) {
        let path = href.split(['?', '#']).next().unwrap_or("");
        let exists = if let Some(id) = path.strip_prefix("/article/") {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM article_live WHERE public_id = $1")
                .bind(id)
                .fetch_one(&mut *conn)
                .await?
                > 0
        } else if let Some(code) = path.strip_prefix("/column/") {
            sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM site_columns WHERE code = $1 AND visible = 1",
            )
            .bind(code)
            .fetch_one(&mut *conn)
            .await?
                > 0
        } else {
            continue;
        };
        if !exists {
            out.push(Finding {
                blocks: false,
                code: "LINK_DEAD".into(),
                message: format!(
                    "链接“{href}”指向的页面不存在或未发布，读者点击后会看到“页面不存在”。"
                ),
            });
        }
    }
    Ok(out)
}
