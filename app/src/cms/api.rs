//! Server functions of the CMS: authorise, then call the service. The workflow move has one endpoint;
//! the service checks the move's own permission (one per transition) once the article is found.
use super::model::*;
use super::workflow::Status;
use crate::error::AppError;
use crate::paging::Page;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use super::service::{articles, checks};
#[cfg(feature = "ssr")]
use super::workflow::Transition;
#[cfg(feature = "ssr")]
use crate::auth::policy::Action;
#[cfg(feature = "ssr")]
use crate::server::authz;

/// An optional Beijing time as a `datetime-local` field sends it (2026-12-01T09:00), as RFC 3339 UTC;
/// `what` names the time in the message (发布时间, 撤下时间).
#[cfg(feature = "ssr")]
fn beijing_field(text: &str, field: &str, what: &str) -> Result<Option<String>, AppError> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    super::service::schedule::beijing_local_to_utc(text)
        .map(Some)
        .ok_or_else(|| {
            AppError::field(
                field,
                "BAD_TIME",
                format!("请按“年-月-日 时:分”填写{what}。"),
            )
        })
}

#[server(endpoint = "cms/articles")]
pub async fn list_articles(
    #[server(default)] status: String,
    #[server(default)] q: String,
    #[server(default)] page: i64,
) -> Result<Page<ArticleRow>, AppError> {
    authz::serve(Action::CmsView, move |state, caller| async move {
        articles::list(&state, &caller, &status, &q, page).await
    })
    .await
}

#[server(endpoint = "cms/article")]
pub async fn get_cms_article(id: String) -> Result<ArticleDetail, AppError> {
    authz::serve(Action::CmsView, move |state, caller| async move {
        articles::detail(&state, &caller, &id).await
    })
    .await
}

/// Saves the editor's text (JSON: the editor needs JavaScript). Returns the article id and new version.
#[server(endpoint = "cms/article_save", input = Json)]
pub async fn save_article(save: ArticleSave) -> Result<(String, i64), AppError> {
    authz::serve(Action::ArticleEdit, move |state, caller| async move {
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
    authz::serve(Action::CmsView, move |state, caller| async move {
        let t = Transition::parse(&transition)
            .ok_or_else(|| AppError::field("transition", "UNKNOWN", "未知的操作。"))?;
        let at = beijing_field(&publish_at, "publish_at", "发布时间")?;
        articles::transition(&state, &caller, &id, t, &comment, at.as_deref()).await
    })
    .await
}

/// Sets the time the article comes down by itself (Beijing `datetime-local`), or clears it (empty).
#[server(endpoint = "cms/article_expiry")]
pub async fn set_article_expiry(
    id: String,
    #[server(default)] unpublish_at: String,
) -> Result<(), AppError> {
    authz::serve(Action::ArticleUnpublish, move |state, caller| async move {
        let at = beijing_field(&unpublish_at, "unpublish_at", "撤下时间")?;
        articles::set_expiry(&state, &caller, &id, at.as_deref()).await
    })
    .await
}

/// The fields that differ between two versions.
#[server(endpoint = "cms/article_diff")]
pub async fn diff_revisions(id: String, from: i64, to: i64) -> Result<Vec<FieldDiff>, AppError> {
    authz::serve(Action::CmsView, move |state, caller| async move {
        // The detail call checks the caller's column.
        articles::detail(&state, &caller, &id).await?;
        let a = articles::revision(&state, &id, from).await?;
        let b = articles::revision(&state, &id, to).await?;
        Ok(super::revision::diff(&a, &b))
    })
    .await
}

/// A saved version as the portal will show it.
#[server(endpoint = "cms/article_preview")]
pub async fn preview_revision(
    id: String,
    version: i64,
) -> Result<crate::portal::model::ArticleView, AppError> {
    authz::serve(Action::CmsView, move |state, caller| async move {
        articles::detail(&state, &caller, &id).await?;
        super::service::preview::preview(&state, &id, version).await
    })
    .await
}

/// Makes an earlier version the working text again (a new draft version).
#[server(endpoint = "cms/article_restore")]
pub async fn restore_revision(id: String, version: i64) -> Result<(String, i64), AppError> {
    authz::serve(Action::ArticleEdit, move |state, caller| async move {
        articles::restore(&state, &caller, &id, version).await
    })
    .await
}

/// The pre-publication check of the stored text.
#[server(endpoint = "cms/article_checks")]
pub async fn article_checks(id: String) -> Result<Vec<Finding>, AppError> {
    authz::serve(Action::CmsView, move |state, caller| async move {
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

/// Every release (发布包), newest first.
#[server(endpoint = "cms/releases")]
pub async fn list_releases() -> Result<Vec<ReleaseRow>, AppError> {
    authz::serve(Action::CmsView, move |state, _| async move {
        super::service::releases::list(&state).await
    })
    .await
}

#[server(endpoint = "cms/release")]
pub async fn get_release(id: String) -> Result<ReleaseDetail, AppError> {
    authz::serve(Action::CmsView, move |state, _| async move {
        super::service::releases::detail(&state, &id).await
    })
    .await
}

/// A new, empty release; returns its id.
#[server(endpoint = "cms/release_create")]
pub async fn create_release(name: String) -> Result<String, AppError> {
    authz::serve(Action::ArticlePublish, move |state, caller| async move {
        super::service::releases::create(&state, &caller, &name).await
    })
    .await
}

/// Adds or removes an article, publishes, schedules (Beijing `datetime-local`), unschedules or cancels.
#[server(endpoint = "cms/release_change")]
pub async fn change_release(
    id: String,
    change: String,
    #[server(default)] article: String,
    #[server(default)] publish_at: String,
) -> Result<(), AppError> {
    authz::serve(Action::ArticlePublish, move |state, caller| async move {
        let change = ReleaseChange::parse(&change)
            .ok_or_else(|| AppError::field("change", "UNKNOWN", "未知的操作。"))?;
        let at = beijing_field(&publish_at, "publish_at", "发布时间")?;
        super::service::releases::change(&state, &caller, &id, change, &article, at.as_deref())
            .await
    })
    .await
}

/// The site health board.
#[server(endpoint = "cms/health")]
pub async fn get_health() -> Result<HealthBoard, AppError> {
    authz::serve(Action::CmsView, move |state, _| async move {
        super::service::health::board(&state).await
    })
    .await
}

/// Asks for a link check now (the crawler runs as a job, within a minute or two).
#[server(endpoint = "cms/health_check")]
pub async fn check_links() -> Result<(), AppError> {
    authz::serve(Action::CmsView, move |state, caller| async move {
        let mut job = crate::server::jobs::NewJob::new(super::service::health::CRAWL_JOB);
        // One request per minute is enough; a finished job's key stays in the table.
        let minute = state.clock.now_text().chars().take(16).collect::<String>();
        job.dedupe_key = Some(format!("{}:{minute}", super::service::health::CRAWL_JOB));
        let mut tx = state.db.begin().await?;
        crate::server::jobs::enqueue_in(&mut tx, &state, job).await?;
        caller
            .audit(
                &mut tx,
                &state,
                "cms.health.check",
                None,
                serde_json::json!({}),
            )
            .await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// The column tree with grants, and the sensitive-word list.
#[server(endpoint = "cms/site")]
pub async fn get_site_admin() -> Result<SiteAdmin, AppError> {
    authz::serve(Action::CmsManage, move |state, _| async move {
        super::service::site_admin::load(&state).await
    })
    .await
}

pub use save_column_fn::{save_column, SaveColumn};

/// The arguments of `save_column` are the form's fields, posted by name. The lint is allowed on a
/// module because the server macro does not carry a function's own `#[allow]` to every copy it makes.
#[allow(clippy::too_many_arguments)]
mod save_column_fn {
    use super::*;

    /// Adds a column (`original` empty) or changes the column `original`.
    #[server(endpoint = "cms/column_save")]
    pub async fn save_column(
        #[server(default)] original: String,
        #[server(default)] code: String,
        name: String,
        #[server(default)] parent_code: String,
        #[server(default)] sort_order: String,
        kind: String,
        #[server(default)] update_days: String,
        #[server(default)] description: String,
        #[server(default)] visible: String,
        #[server(default)] link_path: String,
    ) -> Result<(), AppError> {
        authz::serve(Action::CmsManage, move |state, caller| async move {
            let number = |field: &str, v: &str| -> Result<Option<i64>, AppError> {
                let v = v.trim();
                if v.is_empty() {
                    return Ok(None);
                }
                v.parse::<i64>()
                    .map(Some)
                    .map_err(|_| AppError::field(field, "NUMBER", "请填写整数。"))
            };
            let edit = ColumnEdit {
                code,
                name,
                parent_code,
                sort_order: number("sort_order", &sort_order)?.unwrap_or(0),
                kind,
                update_days: number("update_days", &update_days)?,
                description,
                visible: visible == "true" || visible == "on",
                link_path,
            };
            crate::cms::service::site_admin::save_column(&state, &caller, &original, edit).await
        })
        .await
    }
}

#[server(endpoint = "cms/column_delete")]
pub async fn delete_column(code: String) -> Result<(), AppError> {
    authz::serve(Action::CmsManage, move |state, caller| async move {
        super::service::site_admin::delete_column(&state, &caller, &code).await
    })
    .await
}

/// Lets a user work in a column (`grant` = "true") or stops it.
#[server(endpoint = "cms/column_grant")]
pub async fn grant_column(code: String, username: String, grant: String) -> Result<(), AppError> {
    authz::serve(Action::CmsManage, move |state, caller| async move {
        super::service::site_admin::set_grant(&state, &caller, &code, &username, grant == "true")
            .await
    })
    .await
}

/// Adds a sensitive word (`level` block or warn) or removes it (`level` empty).
#[server(endpoint = "cms/word_set")]
pub async fn set_word(word: String, #[server(default)] level: String) -> Result<(), AppError> {
    authz::serve(Action::CmsManage, move |state, caller| async move {
        super::service::site_admin::set_word(&state, &caller, &word, &level).await
    })
    .await
}
