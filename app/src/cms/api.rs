//! Server functions of the CMS: authorise, then call the service. The workflow move has one endpoint;
//! the service checks the move's own permission (one per transition) once the article is found.
use super::model::*;
use super::workflow::Status;
use crate::error::AppError;
use crate::ui::table::Page;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use super::service::{articles, checks};
#[cfg(feature = "ssr")]
use super::workflow::Transition;
#[cfg(feature = "ssr")]
use crate::auth::policy::Action;
#[cfg(feature = "ssr")]
use crate::server::{authz, AppState};

#[server(endpoint = "cms/articles")]
pub async fn list_articles(
    #[server(default)] status: String,
    #[server(default)] q: String,
    #[server(default)] page: i64,
) -> Result<Page<ArticleRow>, AppError> {
    authz::respond(async move {
        let state = AppState::get()?;
        let caller = authz::authorize(Action::CmsView).await?;
        articles::list(&state, &caller, &status, &q, page).await
    })
    .await
}

#[server(endpoint = "cms/article")]
pub async fn get_cms_article(id: String) -> Result<ArticleDetail, AppError> {
    authz::respond(async move {
        let state = AppState::get()?;
        let caller = authz::authorize(Action::CmsView).await?;
        articles::detail(&state, &caller, &id).await
    })
    .await
}

/// Saves the editor's text (JSON: the editor needs JavaScript). Returns the article id and new version.
#[server(endpoint = "cms/article_save", input = Json)]
pub async fn save_article(save: ArticleSave) -> Result<(String, i64), AppError> {
    authz::respond(async move {
        let state = AppState::get()?;
        let caller = authz::authorize(Action::ArticleEdit).await?;
        articles::save(&state, &caller, save).await
    })
    .await
}

/// A workflow move. `publish_at` is Beijing time as a `datetime-local` field sends it (2026-12-01T09:00).
#[server(endpoint = "cms/article_move")]
pub async fn move_article(
    id: String,
    transition: String,
    #[server(default)] comment: String,
    #[server(default)] publish_at: String,
) -> Result<Status, AppError> {
    authz::respond(async move {
        let state = AppState::get()?;
        let caller = authz::authorize(Action::CmsView).await?;
        let t = Transition::parse(&transition)
            .ok_or_else(|| AppError::field("transition", "UNKNOWN", "未知的操作。"))?;
        let at = if publish_at.trim().is_empty() {
            None
        } else {
            Some(
                super::service::schedule::beijing_local_to_utc(&publish_at).ok_or_else(|| {
                    AppError::field(
                        "publish_at",
                        "BAD_TIME",
                        "请按“年-月-日 时:分”填写发布时间。",
                    )
                })?,
            )
        };
        articles::transition(&state, &caller, &id, t, &comment, at.as_deref()).await
    })
    .await
}

/// The fields that differ between two versions.
#[server(endpoint = "cms/article_diff")]
pub async fn diff_revisions(id: String, from: i64, to: i64) -> Result<Vec<FieldDiff>, AppError> {
    authz::respond(async move {
        let state = AppState::get()?;
        let caller = authz::authorize(Action::CmsView).await?;
        // The detail call checks the caller's column.
        articles::detail(&state, &caller, &id).await?;
        let a = articles::revision(&state, &id, from).await?;
        let b = articles::revision(&state, &id, to).await?;
        Ok(super::revision::diff(&a, &b))
    })
    .await
}

/// Makes an earlier version the working text again (a new draft version).
#[server(endpoint = "cms/article_restore")]
pub async fn restore_revision(id: String, version: i64) -> Result<(String, i64), AppError> {
    authz::respond(async move {
        let state = AppState::get()?;
        let caller = authz::authorize(Action::ArticleEdit).await?;
        articles::restore(&state, &caller, &id, version).await
    })
    .await
}

/// The pre-publication check of the stored text.
#[server(endpoint = "cms/article_checks")]
pub async fn article_checks(id: String) -> Result<Vec<Finding>, AppError> {
    authz::respond(async move {
        let state = AppState::get()?;
        let caller = authz::authorize(Action::CmsView).await?;
        articles::detail(&state, &caller, &id).await?;
        let article_id: i64 = sqlx::Row::try_get(
            &sqlx::query("SELECT id FROM articles WHERE public_id = $1")
                .bind(&id)
                .fetch_one(&state.db.pool)
                .await?,
            "id",
        )?;
        let mut conn = state.db.pool.acquire().await?;
        checks::run(&state, &mut conn, article_id).await
    })
    .await
}
