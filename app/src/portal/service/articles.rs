//! An article as the public reads it: the published copy, its neighbours in the column, and a view count.
use super::columns::{self, article_item, ITEM_COLS};
use crate::error::AppError;
use crate::portal::model::{ArticleItem, ArticleView, Attachment};
use crate::rules::date::beijing_minute;
use crate::server::AppState;
use sqlx::Row;

/// How the reader's opening of the article is counted.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum ViewCount {
    /// Written here (a call from the browser after an in-app navigation).
    Write,
    /// Already counted by the server's page cache, which writes views in batches: shown, not written.
    Counted,
}

/// The published article `public_id`, with the reader's view included in its count.
pub async fn article(
    state: &AppState,
    public_id: &str,
    view: ViewCount,
) -> Result<ArticleView, AppError> {
    let pool = &state.db.pool;
    let row = sqlx::query(&format!(
        "SELECT l.article_id, l.public_id, l.column_code, l.title, l.subtitle, l.summary, l.body_html, l.source, \
         l.author, l.cover, l.cover_alt, l.tags, l.attachments, l.published_at, a.views, {} \
         FROM article_live l JOIN articles a ON a.id = l.article_id WHERE l.public_id = $1",
        super::policies::select_list("l")
    ))
    .bind(public_id)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| AppError::NotFound("该文章".into()))?;
    let id: i64 = row.try_get("article_id")?;
    let views: i64 = row.try_get::<i64, _>("views")? + 1;
    if view == ViewCount::Write {
        sqlx::query("UPDATE articles SET views = views + 1 WHERE id = $1")
            .bind(id)
            .execute(pool)
            .await?;
    }
    let column_code: String = row.try_get("column_code")?;
    let published_at: String = row.try_get("published_at")?;
    let neighbour = |newer: bool| {
        let (cmp, order) = if newer { (">", "ASC") } else { ("<", "DESC") };
        format!(
            "SELECT {ITEM_COLS} FROM article_live l JOIN site_columns c ON c.code = l.column_code \
             WHERE l.column_code = $1 AND (l.published_at {cmp} $2 OR (l.published_at = $2 AND l.article_id {cmp} $3)) \
             ORDER BY l.published_at {order}, l.article_id {order} LIMIT 1"
        )
    };
    let mut around: Vec<Option<ArticleItem>> = vec![];
    for newer in [false, true] {
        let r = sqlx::query(&neighbour(newer))
            .bind(&column_code)
            .bind(&published_at)
            .bind(id)
            .fetch_optional(pool)
            .await?;
        around.push(r.as_ref().map(article_item).transpose()?);
    }
    let next = around.pop().flatten();
    let prev = around.pop().flatten();
    let attachments: Vec<Attachment> =
        serde_json::from_str(&row.try_get::<String, _>("attachments")?).unwrap_or_default();
    let tags: String = row.try_get("tags")?;
    Ok(ArticleView {
        public_id: row.try_get("public_id")?,
        column: columns::find_any(state, &column_code).await?,
        title: row.try_get("title")?,
        subtitle: row.try_get("subtitle")?,
        summary: row.try_get("summary")?,
        body_html: row.try_get("body_html")?,
        source: row.try_get("source")?,
        author: row.try_get("author")?,
        cover: row.try_get("cover")?,
        cover_alt: row.try_get("cover_alt")?,
        tags: tags
            .split(';')
            .filter(|t| !t.is_empty())
            .map(String::from)
            .collect(),
        attachments,
        published_at: beijing_minute(&published_at),
        views,
        prev,
        next,
        policy: super::policies::read_doc(&row)?,
    })
}
