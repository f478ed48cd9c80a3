//! Articles in the CMS: saving with optimistic locking and an append-only revision per save, the
//! workflow moves with their four-eyes checks, and the editor's view with history and revisions.
//! Every save and move is audited (`cms.article.*`) and written to the article's history tab.
use super::live;
use super::policy_fields;
use crate::auth::policy::scope_for;
use crate::cms::model::{ArticleContent, ArticleDetail, ArticleEvent, ArticleSave, RevisionRow};
use crate::cms::workflow::{self, Hands, Status, Transition};
use crate::error::{AppError, FieldError};
use crate::rules::date::beijing_minute;
use crate::server::authz::Caller;
use crate::server::AppState;
use sqlx::{AnyConnection, Row};

const TITLE_MAX: usize = 200;
const SUMMARY_MAX: usize = 500;
const BODY_MAX: usize = 300_000;
const TAGS_MAX: usize = 10;

fn invalid(field: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.into(),
        code: "ARTICLE_INVALID".into(),
        message: message.into(),
    }
}

/// Trims the text fields and checks them; the body is sanitised here, so nothing unsafe is stored.
pub fn clean_content(mut c: ArticleContent) -> Result<ArticleContent, AppError> {
    for f in [
        &mut c.title,
        &mut c.subtitle,
        &mut c.source,
        &mut c.author,
        &mut c.summary,
        &mut c.cover_alt,
    ] {
        *f = f.trim().to_string();
    }
    c.columns.retain(|code| !code.trim().is_empty());
    c.columns.dedup();
    c.tags = c
        .tags
        .iter()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect();
    c.body_html = crate::cms::html::sanitize(&c.body_html);
    let mut errors = vec![];
    if c.title.is_empty() {
        errors.push(invalid("title", "请填写标题。"));
    } else if c.title.chars().count() > TITLE_MAX {
        errors.push(invalid("title", format!("标题不能超过 {TITLE_MAX} 个字。")));
    }
    if c.columns.is_empty() {
        errors.push(invalid("columns", "请至少选择一个栏目。"));
    }
    if c.summary.chars().count() > SUMMARY_MAX {
        errors.push(invalid(
            "summary",
            format!("摘要不能超过 {SUMMARY_MAX} 个字。"),
        ));
    }
    if c.body_html.len() > BODY_MAX {
        errors.push(invalid(
            "body_html",
            "正文过长：请把长文拆分，或作为附件上传。",
        ));
    }
    if c.tags.len() > TAGS_MAX {
        errors.push(invalid("tags", format!("标签最多 {TAGS_MAX} 个。")));
    }
    if errors.is_empty() {
        Ok(c)
    } else {
        Err(AppError::Validation(errors))
    }
}

/// The columns a CMS user works in: none listed means all (docs/domain.md §2 "assigned columns").
async fn granted_columns(state: &AppState, user_id: i64) -> Result<Vec<String>, AppError> {
    let rows = sqlx::query("SELECT column_code FROM cms_column_grants WHERE user_id = $1")
        .bind(user_id)
        .fetch_all(&state.db.pool)
        .await?;
    Ok(rows
        .iter()
        .map(|r| r.try_get("column_code"))
        .collect::<Result<_, _>>()?)
}

/// 403 unless the caller works in every one of the article's columns (its home column and the
/// further ones it also appears in): a grant for one column must not open an article that is
/// published in another.
pub(super) async fn check_columns(
    state: &AppState,
    caller: &Caller,
    columns: &[String],
) -> Result<(), AppError> {
    let granted = granted_columns(state, caller.user.user_id).await?;
    if granted.is_empty() || columns.iter().all(|c| granted.contains(c)) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Every column of a stored article: the `columns` JSON list, which starts with the home column
/// (`column_code`, kept first should the list be unreadable or miss it).
pub(super) fn stored_columns(home: &str, json: &str) -> Vec<String> {
    let mut all = vec![home.to_string()];
    let listed: Vec<String> = serde_json::from_str(json).unwrap_or_default();
    all.extend(listed.into_iter().filter(|c| c != home));
    all
}

/// Every column code exists, and the stored files named exist.
async fn check_references(state: &AppState, c: &ArticleContent) -> Result<(), AppError> {
    for code in &c.columns {
        let found = sqlx::query("SELECT 1 FROM site_columns WHERE code = $1")
            .bind(code)
            .fetch_optional(&state.db.pool)
            .await?;
        if found.is_none() {
            return Err(AppError::field(
                "columns",
                "UNKNOWN_COLUMN",
                format!("栏目“{code}”不存在，请重新选择。"),
            ));
        }
    }
    let files = c.cover.iter().chain(c.attachments.iter().map(|a| &a.file));
    for file in files {
        let found = sqlx::query("SELECT 1 FROM uploads WHERE file_name = $1")
            .bind(file)
            .fetch_optional(&state.db.pool)
            .await?;
        if found.is_none() {
            return Err(AppError::field(
                "attachments",
                "UNKNOWN_FILE",
                "有文件未上传成功，请重新上传。",
            ));
        }
    }
    Ok(())
}

/// The stored article row we need for locking and the workflow.
struct Current {
    id: i64,
    live: bool,
    version: i64,
    status: Status,
    /// Home column first, then the further ones.
    columns: Vec<String>,
    hands: Hands,
}

async fn current(conn: &mut AnyConnection, public_id: &str) -> Result<Current, AppError> {
    let r = sqlx::query(
        "SELECT id, version, status, column_code, columns, created_by, updated_by, approved_by, \
         (SELECT COUNT(*) FROM article_live l WHERE l.article_id = articles.id) AS live FROM articles WHERE public_id = $1",
    )
    .bind(public_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| AppError::NotFound("该文章".into()))?;
    let status: String = r.try_get("status")?;
    Ok(Current {
        id: r.try_get("id")?,
        live: r.try_get::<i64, _>("live")? > 0,
        version: r.try_get("version")?,
        status: Status::parse(&status).unwrap_or(Status::Draft),
        columns: stored_columns(
            &r.try_get::<String, _>("column_code")?,
            &r.try_get::<String, _>("columns")?,
        ),
        hands: Hands {
            author: r.try_get("created_by")?,
            last_editor: r.try_get("updated_by")?,
            approver: r.try_get("approved_by")?,
        },
    })
}

/// One step in an article's history (`article_events`).
struct Event<'a> {
    article_id: i64,
    action: &'a str,
    from: Option<Status>,
    to: Status,
    version: i64,
    actor: i64,
    comment: &'a str,
}

async fn add_event(
    conn: &mut AnyConnection,
    state: &AppState,
    event: Event<'_>,
) -> Result<(), AppError> {
    let Event {
        article_id,
        action,
        from,
        to,
        version,
        actor,
        comment,
    } = event;
    sqlx::query(
        "INSERT INTO article_events (article_id, action, from_status, to_status, version, actor_id, comment, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(article_id)
    .bind(action)
    .bind(from.map(Status::code))
    .bind(to.code())
    .bind(version)
    .bind(actor)
    .bind(comment)
    .bind(state.clock.now_text())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn audit_article(
    conn: &mut AnyConnection,
    state: &AppState,
    caller: &Caller,
    action: &str,
    public_id: &str,
    detail: serde_json::Value,
) -> Result<(), AppError> {
    caller
        .audit(conn, state, action, Some(("article", public_id)), detail)
        .await
}

fn content_json(c: &ArticleContent) -> Result<String, AppError> {
    serde_json::to_string(c).map_err(|e| AppError::internal("article json", e))
}

/// The article's content columns, in the order `bind_content` binds them ($1 … $13).
const CONTENT_COLUMNS: &str =
    "column_code, columns, title, subtitle, summary, body_html, source, author, cover, \
     cover_alt, tags, attachments, headline";

/// The content as stored: lists as JSON or joined text.
struct Stored<'a> {
    home: String,
    columns: String,
    tags: String,
    attachments: String,
    content: &'a ArticleContent,
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

fn bind_content<'q>(q: AnyQuery<'q>, s: &'q Stored<'q>) -> AnyQuery<'q> {
    let c = s.content;
    q.bind(&s.home)
        .bind(&s.columns)
        .bind(&c.title)
        .bind(&c.subtitle)
        .bind(&c.summary)
        .bind(&c.body_html)
        .bind(&c.source)
        .bind(&c.author)
        .bind(&c.cover)
        .bind(&c.cover_alt)
        .bind(&s.tags)
        .bind(&s.attachments)
        .bind(i64::from(c.headline))
}

/// Saves the editor's text as a new version. A new article starts as a draft; saving an article that
/// was in review, approved, scheduled or published returns it to draft (the portal keeps showing the
/// published text until the new one is published). Saving over a newer version is refused.
pub async fn save(
    state: &AppState,
    caller: &Caller,
    s: ArticleSave,
) -> Result<(String, i64), AppError> {
    let mut raw = s.content;
    let doc = policy_fields::check(state, &raw.columns, raw.policy.take()).await?;
    let content = policy_fields::merge(clean_content(raw), doc)?;
    check_references(state, &content).await?;
    // `clean_content` already refuses an article without a column.
    let home =
        content.columns.first().cloned().ok_or_else(|| {
            AppError::Validation(vec![invalid("columns", "请至少选择一个栏目。")])
        })?;
    check_columns(state, caller, &content.columns).await?;
    let now = state.clock.now_text();
    let user = caller.user.user_id;
    let stored = Stored {
        home: home.clone(),
        columns: serde_json::to_string(&content.columns)
            .map_err(|e| AppError::internal("columns", e))?,
        tags: content.tags.join(";"),
        attachments: serde_json::to_string(&content.attachments)
            .map_err(|e| AppError::internal("attachments", e))?,
        content: &content,
    };
    let mut tx = state.db.begin().await?;
    let (id, public_id, version, from) = match s.public_id.filter(|p| !p.is_empty()) {
        None => {
            let public_id = uuid::Uuid::now_v7().simple().to_string();
            let id: i64 = bind_content(
                sqlx::query(&format!(
                    "INSERT INTO articles ({CONTENT_COLUMNS}, public_id, created_by, updated_by, created_at, updated_at, \
                     status, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, $16, $16, \
                     'draft', 1) RETURNING id"
                )),
                &stored,
            )
            .bind(&public_id)
            .bind(user)
            .bind(&now)
            .fetch_one(&mut *tx)
            .await?
            .try_get("id")?;
            (id, public_id, 1, None)
        }
        Some(public_id) => {
            let cur = current(&mut tx, &public_id).await?;
            check_columns(state, caller, &cur.columns).await?;
            if cur.status == Status::Archived {
                return Err(AppError::Conflict(
                    "文章已归档：请先“重新编辑”，再修改。".into(),
                ));
            }
            if cur.version != s.version {
                return Err(conflict(&mut tx, cur.id, s.version).await);
            }
            let to = workflow::after_edit(cur.status);
            let assignments: Vec<String> = CONTENT_COLUMNS
                .split(", ")
                .enumerate()
                .map(|(i, c)| format!("{c} = ${}", i + 1))
                .collect();
            let done = bind_content(
                sqlx::query(&format!(
                    "UPDATE articles SET {}, status = $16, approved_by = NULL, approved_version = NULL, publish_at = NULL, \
                     updated_by = $17, updated_at = $18, version = version + 1 WHERE id = $14 AND version = $15",
                    assignments.join(", ")
                )),
                &stored,
            )
            .bind(cur.id)
            .bind(s.version)
            .bind(to.code())
            .bind(user)
            .bind(&now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if done == 0 {
                return Err(conflict(&mut tx, cur.id, s.version).await);
            }
            (cur.id, public_id, cur.version + 1, Some((cur.status, to)))
        }
    };
    policy_fields::store(&mut tx, id, content.policy.as_ref()).await?;
    sqlx::query(
        "INSERT INTO article_revisions (article_id, version, content, created_by, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(version)
    .bind(content_json(&content)?)
    .bind(user)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    match from {
        None => {
            add_event(
                &mut tx,
                state,
                Event {
                    article_id: id,
                    action: "create",
                    from: None,
                    to: Status::Draft,
                    version,
                    actor: user,
                    comment: "",
                },
            )
            .await?
        }
        Some((was, to)) if was != to => {
            let note = "保存了修改，文章回到草稿，需重新审核。";
            add_event(
                &mut tx,
                state,
                Event {
                    article_id: id,
                    action: "edit",
                    from: Some(was),
                    to,
                    version,
                    actor: user,
                    comment: note,
                },
            )
            .await?
        }
        Some(_) => {}
    }
    audit_article(
        &mut tx,
        state,
        caller,
        if from.is_none() {
            "cms.article.create"
        } else {
            "cms.article.save"
        },
        &public_id,
        serde_json::json!({ "version": version, "title": content.title }),
    )
    .await?;
    tx.commit().await?;
    Ok((public_id, version))
}

/// The message for a save over a newer version: who saved it and when.
async fn conflict(conn: &mut AnyConnection, article_id: i64, editing: i64) -> AppError {
    let latest = sqlx::query(
        "SELECT a.version, a.updated_at, COALESCE(u.display_name, '') AS who FROM articles a \
         LEFT JOIN users u ON u.id = a.updated_by WHERE a.id = $1",
    )
    .bind(article_id)
    .fetch_optional(&mut *conn)
    .await;
    let (version, at, who) = match latest {
        Ok(Some(r)) => (
            r.try_get::<i64, _>("version").unwrap_or_default(),
            r.try_get::<String, _>("updated_at").unwrap_or_default(),
            r.try_get::<String, _>("who").unwrap_or_default(),
        ),
        _ => (0, String::new(), String::new()),
    };
    AppError::Conflict(format!(
        "保存冲突：{who}已于 {} 保存了第 {version} 版，而您编辑的是第 {editing} 版。为避免覆盖他人的修改，本次保存未生效。请复制您的修改，刷新页面后在最新版本上重新编辑。",
        beijing_minute(&at)
    ))
}

/// Whether the administrator lets an approver also publish (setting `cms.publisher_may_approve`).
async fn publisher_may_approve(state: &AppState) -> Result<bool, AppError> {
    let v = sqlx::query("SELECT value FROM settings WHERE key = 'cms.publisher_may_approve'")
        .fetch_optional(&state.db.pool)
        .await?
        .map(|r| r.try_get::<String, _>("value"))
        .transpose()?;
    Ok(v.as_deref() == Some("true"))
}

/// Makes a workflow move. `comment` is required to send an article back; `publish_at` (RFC 3339 UTC)
/// is required to schedule. The caller's own permission for this move is checked here, after the
/// article is found, so the one endpoint serves every move.
pub async fn transition(
    state: &AppState,
    caller: &Caller,
    public_id: &str,
    t: Transition,
    comment: &str,
    publish_at: Option<&str>,
) -> Result<Status, AppError> {
    let mut tx = state.db.begin().await?;
    let to = transition_in(&mut tx, state, caller, public_id, t, comment, publish_at).await?;
    tx.commit().await?;
    Ok(to)
}

/// The move inside the caller's transaction (a release publishes several articles in one).
pub async fn transition_in(
    tx: &mut AnyConnection,
    state: &AppState,
    caller: &Caller,
    public_id: &str,
    t: Transition,
    comment: &str,
    publish_at: Option<&str>,
) -> Result<Status, AppError> {
    let comment = comment.trim();
    let cur = current(tx, public_id).await?;
    if scope_for(&caller.user.roles, t.action()).is_none() {
        return Err(AppError::Forbidden);
    }
    check_columns(state, caller, &cur.columns).await?;
    let to = workflow::check(
        t,
        cur.status,
        cur.live,
        caller.user.user_id,
        &cur.hands,
        publisher_may_approve(state).await?,
    )
    .map_err(|r| AppError::Conflict(r.message(t)))?;
    if t.needs_comment() && comment.is_empty() {
        return Err(AppError::field(
            "comment",
            "COMMENT_REQUIRED",
            "请写明需要修改的地方，作者会看到这条意见。",
        ));
    }
    let now = state.clock.now_text();
    let when = match (t, publish_at) {
        (Transition::Schedule, Some(at)) => {
            let at = crate::server::clock::parse_rfc3339(at).ok_or_else(|| {
                AppError::field("publish_at", "BAD_TIME", "请填写正确的发布时间。")
            })?;
            if at <= state.clock.now() {
                return Err(AppError::field(
                    "publish_at",
                    "PAST_TIME",
                    "定时发布的时间必须晚于现在；要马上发布请用“立即发布”。",
                ));
            }
            Some(crate::server::clock::rfc3339(at))
        }
        (Transition::Schedule, None) => {
            return Err(AppError::field(
                "publish_at",
                "BAD_TIME",
                "请填写发布时间。",
            ))
        }
        _ => None,
    };
    if matches!(t, Transition::Publish) {
        let findings = super::checks::run(state, tx, cur.id).await?;
        if let Some(block) = findings.iter().find(|f| f.blocks) {
            return Err(AppError::field(
                "body_html",
                &block.code,
                format!("发布前检查未通过：{}", block.message),
            ));
        }
    }
    let approver = match t {
        Transition::Approve => Some(caller.user.user_id),
        Transition::RequestChanges | Transition::Withdraw => None,
        _ => cur.hands.approver,
    };
    sqlx::query(
        "UPDATE articles SET status = $2, approved_by = $3, approved_version = CASE WHEN $3 IS NULL THEN NULL ELSE version END, \
         publish_at = $4, submitted_by = CASE WHEN $2 = 'in_review' THEN $5 ELSE submitted_by END, updated_at = $6 WHERE id = $1",
    )
    .bind(cur.id)
    .bind(to.code())
    .bind(approver)
    .bind(&when)
    .bind(caller.user.user_id)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    match t {
        Transition::Publish => live::put_live(tx, cur.id, &now).await?,
        Transition::Unpublish | Transition::Archive => live::withdraw_live(tx, cur.id).await?,
        _ => {}
    }
    let note = match &when {
        Some(at) => format!(
            "定时发布：{}{}",
            beijing_minute(at),
            if comment.is_empty() {
                String::new()
            } else {
                format!("。{comment}")
            }
        ),
        None => comment.to_string(),
    };
    add_event(
        tx,
        state,
        Event {
            article_id: cur.id,
            action: t.code(),
            from: Some(cur.status),
            to,
            version: cur.version,
            actor: caller.user.user_id,
            comment: &note,
        },
    )
    .await?;
    audit_article(
        tx,
        state,
        caller,
        &format!("cms.article.{}", t.code()),
        public_id,
        serde_json::json!({ "from": cur.status.code(), "to": to.code(), "version": cur.version, "comment": comment, "publish_at": when }),
    )
    .await?;
    Ok(to)
}

/// The editor's view of an article: its text, state, the moves the caller may make, history and versions.
pub async fn detail(
    state: &AppState,
    caller: &Caller,
    public_id: &str,
) -> Result<ArticleDetail, AppError> {
    let pool = &state.db.pool;
    let r = sqlx::query(&format!(
        "SELECT a.id, a.public_id, a.version, a.status, a.column_code, a.columns, a.title, a.subtitle, a.summary, a.body_html, \
         a.source, a.author, a.cover, a.cover_alt, a.tags, a.attachments, a.headline, a.publish_at, a.unpublish_at, \
         a.created_by, a.updated_by, a.approved_by, COALESCE(u.display_name, '') AS creator, {}, \
         (SELECT COUNT(*) FROM article_live l WHERE l.article_id = a.id) AS live \
         FROM articles a LEFT JOIN users u ON u.id = a.created_by WHERE a.public_id = $1",
        policy_fields::select_list("a")
    ))
    .bind(public_id)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| AppError::NotFound("该文章".into()))?;
    let id: i64 = r.try_get("id")?;
    let column: String = r.try_get("column_code")?;
    let stored_json: String = r.try_get("columns")?;
    check_columns(state, caller, &stored_columns(&column, &stored_json)).await?;
    let status = Status::parse(&r.try_get::<String, _>("status")?).unwrap_or(Status::Draft);
    let hands = Hands {
        author: r.try_get("created_by")?,
        last_editor: r.try_get("updated_by")?,
        approver: r.try_get("approved_by")?,
    };
    let may_approve = publisher_may_approve(state).await?;
    let live = r.try_get::<i64, _>("live")? > 0;
    let allowed = Transition::ALL
        .into_iter()
        .filter(|t| scope_for(&caller.user.roles, t.action()).is_some())
        .filter(|t| {
            workflow::check(*t, status, live, caller.user.user_id, &hands, may_approve).is_ok()
        })
        .collect();
    let may_edit = scope_for(&caller.user.roles, crate::auth::policy::Action::ArticleEdit)
        .is_some()
        && status != Status::Archived;
    let events = sqlx::query(
        "SELECT e.at, COALESCE(u.display_name, '系统') AS actor, e.action, e.from_status, e.to_status, e.version, e.comment \
         FROM article_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.article_id = $1 ORDER BY e.id DESC",
    )
    .bind(id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|e| {
        Ok(ArticleEvent {
            at: beijing_minute(&e.try_get::<String, _>("at")?),
            actor: e.try_get("actor")?,
            action: e.try_get("action")?,
            from_status: e.try_get::<Option<String>, _>("from_status")?.as_deref().and_then(Status::parse),
            to_status: Status::parse(&e.try_get::<String, _>("to_status")?).unwrap_or(Status::Draft),
            version: e.try_get("version")?,
            comment: e.try_get("comment")?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let revisions = sqlx::query(
        "SELECT r.version, r.created_at, COALESCE(u.display_name, '') AS who FROM article_revisions r \
         LEFT JOIN users u ON u.id = r.created_by WHERE r.article_id = $1 ORDER BY r.version DESC",
    )
    .bind(id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|v| {
        Ok(RevisionRow {
            version: v.try_get("version")?,
            saved_by: v.try_get("who")?,
            saved_at: beijing_minute(&v.try_get::<String, _>("created_at")?),
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let tags: String = r.try_get("tags")?;
    let findings = {
        let mut conn = state.db.pool.acquire().await?;
        super::checks::run(state, &mut conn, id).await?
    };
    Ok(ArticleDetail {
        public_id: r.try_get("public_id")?,
        version: r.try_get("version")?,
        status,
        content: ArticleContent {
            title: r.try_get("title")?,
            subtitle: r.try_get("subtitle")?,
            columns: serde_json::from_str(&stored_json).unwrap_or_else(|_| vec![column.clone()]),
            source: r.try_get("source")?,
            author: r.try_get("author")?,
            cover: r.try_get("cover")?,
            cover_alt: r.try_get("cover_alt")?,
            summary: r.try_get("summary")?,
            body_html: r.try_get("body_html")?,
            tags: tags
                .split(';')
                .filter(|t| !t.is_empty())
                .map(String::from)
                .collect(),
            attachments: serde_json::from_str(&r.try_get::<String, _>("attachments")?)
                .unwrap_or_default(),
            headline: r.try_get::<i64, _>("headline")? == 1,
            policy: policy_fields::read(&r)?,
        },
        on_portal: live,
        publish_at: r
            .try_get::<Option<String>, _>("publish_at")?
            .map(|t| beijing_minute(&t)),
        unpublish_at: r
            .try_get::<Option<String>, _>("unpublish_at")?
            .map(|t| beijing_minute(&t)),
        author: r.try_get("creator")?,
        allowed,
        may_edit,
        events,
        revisions,
        findings,
        may_set_expiry: scope_for(
            &caller.user.roles,
            crate::auth::policy::Action::ArticleUnpublish,
        )
        .is_some()
            && matches!(
                status,
                Status::Published | Status::Scheduled | Status::Approved
            ),
        columns: crate::portal::service::visible_columns(state).await?,
    })
}

/// One saved version's text.
pub async fn revision(
    state: &AppState,
    public_id: &str,
    version: i64,
) -> Result<ArticleContent, AppError> {
    let r = sqlx::query(
        "SELECT r.content FROM article_revisions r JOIN articles a ON a.id = r.article_id \
         WHERE a.public_id = $1 AND r.version = $2",
    )
    .bind(public_id)
    .bind(version)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("第 {version} 版")))?;
    serde_json::from_str(&r.try_get::<String, _>("content")?)
        .map_err(|e| AppError::internal("revision json", e))
}

/// The CMS article list: newest change first, filtered by state and title words; only articles whose
/// columns are all the caller's.
pub async fn list(
    state: &AppState,
    caller: &Caller,
    status: &str,
    q: &str,
    page: i64,
) -> Result<crate::paging::Page<crate::cms::model::ArticleRow>, AppError> {
    use crate::paging::Page;
    use crate::server::db::sql::{like_pattern, PER_PAGE};
    let granted = granted_columns(state, caller.user.user_id).await?;
    let mut conditions = vec!["1 = 1".to_string()];
    let mut binds: Vec<String> = vec![];
    if let Some(s) = Status::parse(status) {
        binds.push(s.code().into());
        conditions.push(format!("a.status = ${}", binds.len()));
    }
    if !q.trim().is_empty() {
        binds.push(like_pattern(q));
        conditions.push(format!("LOWER(a.title) LIKE ${} ESCAPE '\\'", binds.len()));
    }
    if !granted.is_empty() {
        let start = binds.len();
        binds.extend(granted.iter().cloned());
        let marks: Vec<String> = (start + 1..=binds.len()).map(|i| format!("${i}")).collect();
        let marks = marks.join(", ");
        conditions.push(format!("a.column_code IN ({marks})"));
        // …and no further column outside the grants (codes are [a-z0-9-], so the quoted code is an
        // exact match in the JSON list).
        let quoted = "'\"' || sc.code || '\"'";
        let holds = match state.db.backend {
            crate::server::db::Backend::Sqlite => format!("instr(a.columns, {quoted}) > 0"),
            crate::server::db::Backend::Postgres => format!("strpos(a.columns, {quoted}) > 0"),
        };
        conditions.push(format!(
            "NOT EXISTS (SELECT 1 FROM site_columns sc WHERE sc.code NOT IN ({marks}) AND {holds})"
        ));
    }
    let filter = conditions.join(" AND ");
    let count_sql = format!("SELECT COUNT(*) FROM articles a WHERE {filter}");
    let mut count = sqlx::query(&count_sql);
    for b in &binds {
        count = count.bind(b);
    }
    let total: i64 = count.fetch_one(&state.db.pool).await?.try_get(0)?;
    let page = page.max(1);
    let n = binds.len();
    let list_sql = format!(
        "SELECT a.public_id, a.title, c.name AS column_name, a.status, COALESCE(u.display_name, '') AS author, a.updated_at, \
         a.publish_at, (SELECT COUNT(*) FROM article_live l WHERE l.article_id = a.id) AS live \
         FROM articles a JOIN site_columns c ON c.code = a.column_code LEFT JOIN users u ON u.id = a.created_by \
         WHERE {filter} ORDER BY a.updated_at DESC, a.id DESC LIMIT ${} OFFSET ${}",
        n + 1,
        n + 2
    );
    let mut list = sqlx::query(&list_sql);
    for b in &binds {
        list = list.bind(b);
    }
    let rows = list
        .bind(PER_PAGE)
        .bind((page - 1) * PER_PAGE)
        .fetch_all(&state.db.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(crate::cms::model::ArticleRow {
                public_id: r.try_get("public_id")?,
                title: r.try_get("title")?,
                column_name: r.try_get("column_name")?,
                status: Status::parse(&r.try_get::<String, _>("status")?).unwrap_or(Status::Draft),
                author: r.try_get("author")?,
                updated_at: beijing_minute(&r.try_get::<String, _>("updated_at")?),
                publish_at: r
                    .try_get::<Option<String>, _>("publish_at")?
                    .map(|t| beijing_minute(&t)),
                on_portal: r.try_get::<i64, _>("live")? > 0,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(Page {
        rows,
        total,
        page,
        per_page: PER_PAGE,
    })
}

/// Makes an earlier version the working text again, as a new version (a draft); history is kept.
pub async fn restore(
    state: &AppState,
    caller: &Caller,
    public_id: &str,
    version: i64,
) -> Result<(String, i64), AppError> {
    let content = revision(state, public_id, version).await?;
    let current: i64 = sqlx::query("SELECT version FROM articles WHERE public_id = $1")
        .bind(public_id)
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or_else(|| AppError::NotFound("该文章".into()))?
        .try_get("version")?;
    save(
        state,
        caller,
        ArticleSave {
            public_id: Some(public_id.to_string()),
            version: current,
            content,
        },
    )
    .await
}

/// Sets (or clears, `at` none) the time a published or scheduled article comes down by itself.
pub async fn set_expiry(
    state: &AppState,
    caller: &Caller,
    public_id: &str,
    at: Option<&str>,
) -> Result<(), AppError> {
    // The caller holds ArticleUnpublish (checked by the endpoint); the column grant is checked here.
    let mut tx = state.db.begin().await?;
    let cur = current(&mut tx, public_id).await?;
    check_columns(state, caller, &cur.columns).await?;
    if !matches!(
        cur.status,
        Status::Published | Status::Scheduled | Status::Approved
    ) {
        return Err(AppError::Conflict(
            "只有待发布、定时发布或已发布的文章可以设置到期撤下时间。".into(),
        ));
    }
    let at = match at {
        Some(text) => {
            let t = crate::server::clock::parse_rfc3339(text).ok_or_else(|| {
                AppError::field("unpublish_at", "BAD_TIME", "请填写正确的撤下时间。")
            })?;
            if t <= state.clock.now() {
                return Err(AppError::field(
                    "unpublish_at",
                    "PAST_TIME",
                    "撤下时间必须晚于现在；要马上撤下请用“撤下”。",
                ));
            }
            Some(crate::server::clock::rfc3339(t))
        }
        None => None,
    };
    sqlx::query("UPDATE articles SET unpublish_at = $2 WHERE id = $1")
        .bind(cur.id)
        .bind(&at)
        .execute(&mut *tx)
        .await?;
    let note = at.as_deref().map_or("取消到期撤下".to_string(), |t| {
        format!("到期撤下：{}", beijing_minute(t))
    });
    add_event(
        &mut tx,
        state,
        Event {
            article_id: cur.id,
            action: "expiry",
            from: Some(cur.status),
            to: cur.status,
            version: cur.version,
            actor: caller.user.user_id,
            comment: &note,
        },
    )
    .await?;
    audit_article(
        &mut tx,
        state,
        caller,
        "cms.article.expiry",
        public_id,
        serde_json::json!({ "unpublish_at": at }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::stored_columns;

    #[test]
    fn an_articles_columns_are_its_home_column_and_the_further_ones() {
        assert_eq!(
            stored_columns("news", r#"["news","notice"]"#),
            ["news", "notice"]
        );
        // The home column comes first, once, even where the list misses it or cannot be read.
        assert_eq!(
            stored_columns("news", r#"["notice","news"]"#),
            ["news", "notice"]
        );
        assert_eq!(stored_columns("news", r#"["notice"]"#), ["news", "notice"]);
        assert_eq!(stored_columns("news", "not json"), ["news"]);
    }
}
