//! Releases (发布包): several approved articles published together, now or at a set time, all or none.
//! Publishing a release makes the same move, with the same checks, as publishing each article by hand
//! (permission, four-eyes, pre-publication findings), inside one transaction: if one article cannot
//! go out, none does, and the message names it. A scheduled release is published by the scheduler,
//! claimed by a compare-and-set on its state so two instances never publish it twice.
use super::articles;
use crate::cms::model::{ReleaseArticle, ReleaseChange, ReleaseDetail, ReleaseRow};
use crate::cms::workflow::{Status, Transition};
use crate::error::AppError;
use crate::rules::date::beijing_minute;
use crate::server::alarms::{self, Severity};
use crate::server::authz::Caller;
use crate::server::AppState;
use sqlx::{AnyConnection, Row};

const NAME_MAX: usize = 100;

struct Current {
    id: i64,
    status: String,
    name: String,
}

async fn current(conn: &mut AnyConnection, public_id: &str) -> Result<Current, AppError> {
    let r = sqlx::query("SELECT id, status, name FROM releases WHERE public_id = $1")
        .bind(public_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| AppError::NotFound("该发布包".into()))?;
    Ok(Current {
        id: r.try_get("id")?,
        status: r.try_get("status")?,
        name: r.try_get("name")?,
    })
}

pub fn status_label(code: &str) -> &'static str {
    match code {
        "open" => "编辑中",
        "scheduled" => "定时发布",
        "published" => "已发布",
        "cancelled" => "已取消",
        _ => "未知",
    }
}

async fn audit_release(
    conn: &mut AnyConnection,
    state: &AppState,
    caller: &Caller,
    action: &str,
    public_id: &str,
    detail: serde_json::Value,
) -> Result<(), AppError> {
    caller
        .audit(conn, state, action, Some(("release", public_id)), detail)
        .await
}

/// Every release, newest first.
pub async fn list(state: &AppState) -> Result<Vec<ReleaseRow>, AppError> {
    let rows = sqlx::query(
        "SELECT r.public_id, r.name, r.status, r.publish_at, r.published_at, r.created_at, \
         COALESCE(u.display_name, '') AS creator, \
         (SELECT COUNT(*) FROM articles a WHERE a.release_id = r.id) AS articles \
         FROM releases r LEFT JOIN users u ON u.id = r.created_by ORDER BY r.id DESC",
    )
    .fetch_all(&state.db.pool)
    .await?;
    rows.iter().map(row).collect()
}

fn row(r: &sqlx::any::AnyRow) -> Result<ReleaseRow, AppError> {
    let status: String = r.try_get("status")?;
    Ok(ReleaseRow {
        public_id: r.try_get("public_id")?,
        name: r.try_get("name")?,
        status_label: status_label(&status).to_string(),
        status,
        publish_at: r
            .try_get::<Option<String>, _>("publish_at")?
            .map(|t| beijing_minute(&t)),
        published_at: r
            .try_get::<Option<String>, _>("published_at")?
            .map(|t| beijing_minute(&t)),
        created_by: r.try_get("creator")?,
        created_at: beijing_minute(&r.try_get::<String, _>("created_at")?),
        articles: r.try_get("articles")?,
    })
}

/// A new, empty release.
pub async fn create(state: &AppState, caller: &Caller, name: &str) -> Result<String, AppError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > NAME_MAX {
        return Err(AppError::field(
            "name",
            "NAME",
            format!("请填写发布包名称（不超过 {NAME_MAX} 个字），例如“诚信宣传月专题”。"),
        ));
    }
    let public_id = uuid::Uuid::now_v7().simple().to_string();
    let now = state.clock.now_text();
    let mut tx = state.db.begin().await?;
    sqlx::query(
        "INSERT INTO releases (public_id, name, status, created_by, created_at) VALUES ($1, $2, 'open', $3, $4)",
    )
    .bind(&public_id)
    .bind(name)
    .bind(caller.user.user_id)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    audit_release(
        &mut tx,
        state,
        caller,
        "cms.release.create",
        &public_id,
        serde_json::json!({ "name": name }),
    )
    .await?;
    tx.commit().await?;
    Ok(public_id)
}

fn release_article(r: &sqlx::any::AnyRow) -> Result<ReleaseArticle, AppError> {
    Ok(ReleaseArticle {
        public_id: r.try_get("public_id")?,
        title: r.try_get("title")?,
        status: Status::parse(&r.try_get::<String, _>("status")?).unwrap_or(Status::Draft),
        column: r.try_get("column_name")?,
    })
}

const ARTICLE_COLS: &str =
    "a.public_id, a.title, a.status, COALESCE(c.name, a.column_code) AS column_name";

/// A release with its articles, and the approved articles that could join it.
pub async fn detail(state: &AppState, public_id: &str) -> Result<ReleaseDetail, AppError> {
    let pool = &state.db.pool;
    let r = sqlx::query(
        "SELECT r.id, r.public_id, r.name, r.status, r.publish_at, r.published_at, r.created_at, \
         COALESCE(u.display_name, '') AS creator, \
         (SELECT COUNT(*) FROM articles a WHERE a.release_id = r.id) AS articles \
         FROM releases r LEFT JOIN users u ON u.id = r.created_by WHERE r.public_id = $1",
    )
    .bind(public_id)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| AppError::NotFound("该发布包".into()))?;
    let id: i64 = r.try_get("id")?;
    let articles = sqlx::query(&format!(
        "SELECT {ARTICLE_COLS} FROM articles a LEFT JOIN site_columns c ON c.code = a.column_code \
         WHERE a.release_id = $1 ORDER BY a.title"
    ))
    .bind(id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(release_article)
    .collect::<Result<_, _>>()?;
    let candidates = sqlx::query(&format!(
        "SELECT {ARTICLE_COLS} FROM articles a LEFT JOIN site_columns c ON c.code = a.column_code \
         WHERE a.status = 'approved' AND (a.release_id IS NULL OR a.release_id NOT IN \
         (SELECT id FROM releases WHERE status IN ('open', 'scheduled'))) ORDER BY a.updated_at DESC"
    ))
    .fetch_all(pool)
    .await?
    .iter()
    .map(release_article)
    .collect::<Result<_, _>>()?;
    Ok(ReleaseDetail {
        release: row(&r)?,
        articles,
        candidates,
    })
}

/// One change to a release. `publish_at` (RFC 3339 UTC) is for `Schedule`.
pub async fn change(
    state: &AppState,
    caller: &Caller,
    public_id: &str,
    change: ReleaseChange,
    article: &str,
    publish_at: Option<&str>,
) -> Result<(), AppError> {
    let mut tx = state.db.begin().await?;
    let cur = current(&mut tx, public_id).await?;
    let detail = match change {
        ReleaseChange::Add | ReleaseChange::Remove => {
            move_article(&mut tx, state, caller, &cur, change, article).await?
        }
        ReleaseChange::Publish => publish_now(&mut tx, state, caller, &cur).await?,
        ReleaseChange::Schedule => schedule(&mut tx, state, &cur, publish_at).await?,
        ReleaseChange::Unschedule => unschedule(&mut tx, &cur).await?,
        ReleaseChange::Cancel => cancel(&mut tx, &cur).await?,
    };
    audit_release(
        &mut tx,
        state,
        caller,
        &format!("cms.release.{}", change.code()),
        public_id,
        detail,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The refusal of a change to a release that is no longer pending.
fn closed(cur: &Current) -> AppError {
    AppError::Conflict(format!(
        "发布包“{}”{}，不能再修改。",
        cur.name,
        status_label(&cur.status)
    ))
}

/// A release waiting to go out: being edited or scheduled.
fn pending(cur: &Current) -> bool {
    matches!(cur.status.as_str(), "open" | "scheduled")
}

/// Adds an approved article to an open release, or removes one; returns the audit detail.
async fn move_article(
    conn: &mut AnyConnection,
    state: &AppState,
    caller: &Caller,
    cur: &Current,
    change: ReleaseChange,
    article: &str,
) -> Result<serde_json::Value, AppError> {
    if cur.status != "open" {
        return Err(if pending(cur) {
            AppError::Conflict("发布包已定时发布：请先取消定时，再增删文章。".into())
        } else {
            closed(cur)
        });
    }
    let a = sqlx::query(
        "SELECT id, status, title, release_id, column_code, columns FROM articles WHERE public_id = $1",
    )
    .bind(article)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| AppError::NotFound("该文章".into()))?;
    let columns = articles::stored_columns(
        &a.try_get::<String, _>("column_code")?,
        &a.try_get::<String, _>("columns")?,
    );
    articles::check_columns(state, caller, &columns).await?;
    let article_id: i64 = a.try_get("id")?;
    let title: String = a.try_get("title")?;
    if change == ReleaseChange::Add {
        let status: String = a.try_get("status")?;
        check_addable(conn, cur, &title, &status, a.try_get("release_id")?).await?;
        sqlx::query("UPDATE articles SET release_id = $2 WHERE id = $1")
            .bind(article_id)
            .bind(cur.id)
            .execute(&mut *conn)
            .await?;
    } else {
        sqlx::query("UPDATE articles SET release_id = NULL WHERE id = $1 AND release_id = $2")
            .bind(article_id)
            .bind(cur.id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(serde_json::json!({ "article": article, "title": title }))
}

/// Only an approved article that no other pending release holds may be added.
async fn check_addable(
    conn: &mut AnyConnection,
    cur: &Current,
    title: &str,
    status: &str,
    other: Option<i64>,
) -> Result<(), AppError> {
    if status != Status::Approved.code() {
        return Err(AppError::Conflict(format!(
            "《{title}》还没有审核通过：只有审核通过的文章可以放入发布包。"
        )));
    }
    if let Some(other) = other.filter(|o| *o != cur.id) {
        let busy: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM releases WHERE id = $1 AND status IN ('open', 'scheduled')",
        )
        .bind(other)
        .fetch_one(&mut *conn)
        .await?;
        if busy > 0 {
            return Err(AppError::Conflict(format!(
                "《{title}》已在另一个发布包中。"
            )));
        }
    }
    Ok(())
}

/// Publishes every article of a pending release now, all or none.
async fn publish_now(
    conn: &mut AnyConnection,
    state: &AppState,
    caller: &Caller,
    cur: &Current,
) -> Result<serde_json::Value, AppError> {
    if !pending(cur) {
        return Err(closed(cur));
    }
    let now = state.clock.now_text();
    let published = publish_articles(conn, state, caller, cur.id).await?;
    sqlx::query("UPDATE releases SET status = 'published', published_at = $2 WHERE id = $1")
        .bind(cur.id)
        .bind(&now)
        .execute(&mut *conn)
        .await?;
    Ok(serde_json::json!({ "articles": published }))
}

/// Sets an open release, whose articles are all approved, to go out at a future time.
async fn schedule(
    conn: &mut AnyConnection,
    state: &AppState,
    cur: &Current,
    publish_at: Option<&str>,
) -> Result<serde_json::Value, AppError> {
    if cur.status != "open" {
        return Err(closed(cur));
    }
    let at = publish_at
        .and_then(crate::server::clock::parse_rfc3339)
        .ok_or_else(|| AppError::field("publish_at", "BAD_TIME", "请填写发布时间。"))?;
    if at <= state.clock.now() {
        return Err(AppError::field(
            "publish_at",
            "PAST_TIME",
            "定时发布的时间必须晚于现在；要马上发布请用“立即发布”。",
        ));
    }
    let at = crate::server::clock::rfc3339(at);
    if let Some(msg) = unready_titles(conn, cur.id).await? {
        return Err(AppError::Conflict(msg));
    }
    sqlx::query("UPDATE releases SET status = 'scheduled', publish_at = $2 WHERE id = $1")
        .bind(cur.id)
        .bind(&at)
        .execute(&mut *conn)
        .await?;
    Ok(serde_json::json!({ "publish_at": at }))
}

/// Takes a scheduled release back to being edited.
async fn unschedule(
    conn: &mut AnyConnection,
    cur: &Current,
) -> Result<serde_json::Value, AppError> {
    if cur.status != "scheduled" {
        return Err(AppError::Conflict("发布包没有定时发布。".into()));
    }
    sqlx::query("UPDATE releases SET status = 'open', publish_at = NULL WHERE id = $1")
        .bind(cur.id)
        .execute(&mut *conn)
        .await?;
    Ok(serde_json::json!({}))
}

/// Cancels a pending release and frees its articles.
async fn cancel(conn: &mut AnyConnection, cur: &Current) -> Result<serde_json::Value, AppError> {
    if !pending(cur) {
        return Err(closed(cur));
    }
    sqlx::query("UPDATE articles SET release_id = NULL WHERE release_id = $1")
        .bind(cur.id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE releases SET status = 'cancelled', publish_at = NULL WHERE id = $1")
        .bind(cur.id)
        .execute(&mut *conn)
        .await?;
    Ok(serde_json::json!({}))
}

/// A message naming the articles of the release that are not (or no longer) approved, if any; an
/// empty release is not ready either.
async fn unready_titles(
    conn: &mut AnyConnection,
    release_id: i64,
) -> Result<Option<String>, AppError> {
    let rows = sqlx::query("SELECT title, status FROM articles WHERE release_id = $1")
        .bind(release_id)
        .fetch_all(&mut *conn)
        .await?;
    if rows.is_empty() {
        return Ok(Some("发布包中还没有文章。".into()));
    }
    let mut not_ready = vec![];
    for r in &rows {
        if r.try_get::<String, _>("status")? != Status::Approved.code() {
            not_ready.push(format!("《{}》", r.try_get::<String, _>("title")?));
        }
    }
    Ok((!not_ready.is_empty()).then(|| {
        format!(
            "{}不是“已审核待发布”状态：请重新审核，或把它移出发布包。",
            not_ready.join("、")
        )
    }))
}

/// Publishes every article of the release as `caller`, in the caller's transaction. The first
/// refusal stops all of them, with the article's title in the message.
async fn publish_articles(
    tx: &mut AnyConnection,
    state: &AppState,
    caller: &Caller,
    release_id: i64,
) -> Result<usize, AppError> {
    if let Some(msg) = unready_titles(tx, release_id).await? {
        return Err(AppError::Conflict(msg));
    }
    let rows =
        sqlx::query("SELECT public_id, title FROM articles WHERE release_id = $1 ORDER BY id")
            .bind(release_id)
            .fetch_all(&mut *tx)
            .await?;
    for r in &rows {
        let public_id: String = r.try_get("public_id")?;
        let title: String = r.try_get("title")?;
        articles::transition_in(
            tx,
            state,
            caller,
            &public_id,
            Transition::Publish,
            "随发布包发布",
            None,
        )
        .await
        .map_err(|e| name_article(e, &title))?;
    }
    Ok(rows.len())
}

/// Puts the article's title in front of a refusal, so the publisher knows which one stopped the release.
fn name_article(e: AppError, title: &str) -> AppError {
    match e {
        AppError::Conflict(m) => AppError::Conflict(format!("《{title}》：{m}")),
        AppError::Validation(mut list) => {
            for f in &mut list {
                f.message = format!("《{title}》：{}", f.message);
            }
            AppError::Validation(list)
        }
        other => other,
    }
}

/// The scheduler's part: publishes releases whose time has come. A release whose articles cannot all
/// go out stays scheduled and raises an alarm; the next run tries again.
pub async fn run_due(state: &AppState) -> Result<usize, AppError> {
    let now_text = state.clock.now_text();
    let due = sqlx::query(
        "SELECT id, public_id, name, publish_at FROM releases WHERE status = 'scheduled' AND publish_at <= $1 ORDER BY publish_at",
    )
    .bind(&now_text)
    .fetch_all(&state.db.pool)
    .await?;
    let mut published = 0;
    for r in due {
        let id: i64 = r.try_get("id")?;
        let public_id: String = r.try_get("public_id")?;
        let name: String = r.try_get("name")?;
        let at: String = r.try_get("publish_at")?;
        let mut tx = state.db.begin().await?;
        let claimed = sqlx::query(
            "UPDATE releases SET status = 'published', published_at = $2 WHERE id = $1 AND status = 'scheduled' AND publish_at = $3",
        )
        .bind(id)
        .bind(&now_text)
        .bind(&at)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if claimed == 0 {
            continue;
        }
        match publish_scheduled(&mut tx, state, id, &public_id).await {
            Ok(n) => {
                tx.commit().await?;
                alarms::resolve_key(
                    &state.db,
                    &state.clock,
                    &format!("cms.release.held:{public_id}"),
                    "发布包已发布",
                )
                .await?;
                published += n;
            }
            Err(e) => {
                tx.rollback().await?;
                alarms::raise(
                    &state.db,
                    &state.clock,
                    &format!("cms.release.held:{public_id}"),
                    Severity::Warning,
                    "定时发布包未能发布",
                    &format!("发布包“{name}”：{e}"),
                )
                .await?;
            }
        }
    }
    Ok(published)
}

async fn publish_scheduled(
    tx: &mut AnyConnection,
    state: &AppState,
    release_id: i64,
    public_id: &str,
) -> Result<usize, AppError> {
    if let Some(msg) = unready_titles(tx, release_id).await? {
        return Err(AppError::Conflict(msg));
    }
    let rows =
        sqlx::query("SELECT id, public_id, title FROM articles WHERE release_id = $1 ORDER BY id")
            .bind(release_id)
            .fetch_all(&mut *tx)
            .await?;
    for r in &rows {
        let id: i64 = r.try_get("id")?;
        let title: String = r.try_get("title")?;
        let findings = super::checks::run(state, tx, id).await?;
        if let Some(block) = findings.iter().find(|f| f.blocks) {
            return Err(AppError::Conflict(format!(
                "《{title}》：{}",
                block.message
            )));
        }
        super::schedule::system_publish(
            tx,
            state,
            id,
            Status::Approved,
            "release_publish",
            "随发布包定时发布",
            serde_json::json!({ "release": public_id }),
        )
        .await?;
    }
    Ok(rows.len())
}
