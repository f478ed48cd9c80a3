//! A saved version shown the way the portal would show it once published: the same sanitising and
//! the same page component, with the time of viewing as its date.
use crate::cms::html::sanitize;
use crate::error::AppError;
use crate::portal::model::ArticleView;
use crate::rules::date::beijing_minute;
use crate::server::AppState;

pub async fn preview(
    state: &AppState,
    public_id: &str,
    version: i64,
) -> Result<ArticleView, AppError> {
    let c = super::articles::revision(state, public_id, version).await?;
    let home = c.columns.first().cloned().unwrap_or_default();
    let column = crate::portal::service::column_by_code(state, &home).await?;
    Ok(ArticleView {
        public_id: public_id.to_string(),
        column,
        title: c.title,
        subtitle: c.subtitle,
        summary: c.summary,
        body_html: sanitize(&c.body_html),
        source: c.source,
        author: c.author,
        cover: c.cover,
        cover_alt: c.cover_alt,
        tags: c.tags,
        attachments: c.attachments,
        published_at: beijing_minute(&state.clock.now_text()),
        views: 0,
        prev: None,
        next: None,
        policy: c.policy,
    })
}
