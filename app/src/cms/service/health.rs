//! The site health board and its alarms: reads the columns' last publications and the crawler's link
//! results, applies the inspection rules (`cms::health`), and keeps one alarm open per problem until it
//! is fixed.
use crate::cms::health::{self, ColumnState, Level, LinkState, Problem, Rules};
use crate::cms::model::HealthBoard;
use crate::error::AppError;
use crate::rules::date::{beijing_minute, Ymd};
use crate::server::alarms::{self, Severity};
use crate::server::{settings, AppState};
use sqlx::Row;

pub const JOB: &str = "cms.health";
/// The link crawler's job (it runs in the server, which owns the router it crawls through).
pub const CRAWL_JOB: &str = "cms.link_check";
const ALARM_PREFIX: &str = "cms.health.";

pub async fn rules(state: &AppState) -> Result<Rules, AppError> {
    let d = Rules::default();
    Ok(Rules {
        home_days: settings::get_or(state, "cms.health.home_days", d.home_days).await?,
        empty_limit: settings::get_or(state, "cms.health.empty_limit", d.empty_limit).await?,
        link_fix_days: settings::get_or(state, "cms.health.link_fix_days", d.link_fix_days).await?,
    })
}

fn beijing_day(utc: &str) -> Option<Ymd> {
    Ymd::parse_iso(beijing_minute(utc).get(..10)?)
}

/// Every visible column with its newest publication (its own and its sub-columns' articles).
async fn columns(state: &AppState) -> Result<Vec<ColumnState>, AppError> {
    let rows = sqlx::query(
        "SELECT c.code, c.name, c.kind, c.update_days, c.link_path, \
         (SELECT MAX(l.published_at) FROM article_live_columns l JOIN site_columns s ON s.code = l.column_code \
          WHERE s.code = c.code OR s.parent_code = c.code) AS last_published, \
         (SELECT COUNT(*) FROM article_live_columns l JOIN site_columns s ON s.code = l.column_code \
          WHERE s.code = c.code OR s.parent_code = c.code) AS live \
         FROM site_columns c WHERE c.visible = 1 ORDER BY c.sort_order, c.code",
    )
    .fetch_all(&state.db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            let kind: String = r.try_get("kind")?;
            Ok(ColumnState {
                code: r.try_get("code")?,
                name: r.try_get("name")?,
                update_days: r.try_get("update_days")?,
                // The home page lists the newest of the news, notice and policy columns.
                on_home: matches!(kind.as_str(), "news" | "notice" | "policy"),
                is_function: r.try_get::<Option<String>, _>("link_path")?.is_some(),
                last_published: r
                    .try_get::<Option<String>, _>("last_published")?
                    .as_deref()
                    .and_then(beijing_day),
                live_articles: r.try_get("live")?,
            })
        })
        .collect()
}

async fn links(state: &AppState) -> Result<Vec<LinkState>, AppError> {
    let rows = sqlx::query(
        "SELECT url, internal, found_on, ok, detail, failing_since FROM link_checks ORDER BY internal DESC, url",
    )
    .fetch_all(&state.db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(LinkState {
                url: r.try_get("url")?,
                internal: r.try_get::<i64, _>("internal")? != 0,
                found_on: r.try_get("found_on")?,
                ok: r.try_get::<i64, _>("ok")? != 0,
                detail: r.try_get("detail")?,
                failing_since: r
                    .try_get::<Option<String>, _>("failing_since")?
                    .as_deref()
                    .and_then(beijing_day)
                    .map(|d| d.iso()),
            })
        })
        .collect()
}

/// The board: every problem, errors first, then by deadline.
pub async fn board(state: &AppState) -> Result<HealthBoard, AppError> {
    let rules = rules(state).await?;
    let today = state.clock.today();
    let links = links(state).await?;
    let mut problems = health::content_problems(&columns(state).await?, rules, today);
    problems.extend(health::link_problems(&links, rules, today));
    // Unanswered consultations count against the inspection rule too (the help centre's own rule).
    problems.extend(crate::help::service::due::health_problems(state).await?);
    problems.sort_by(|a, b| {
        (a.level != Level::Error, a.deadline.is_none(), &a.deadline).cmp(&(
            b.level != Level::Error,
            b.deadline.is_none(),
            &b.deadline,
        ))
    });
    let checked_at: Option<String> = sqlx::query_scalar("SELECT MAX(checked_at) FROM link_checks")
        .fetch_one(&state.db.pool)
        .await?;
    Ok(HealthBoard {
        problems,
        links_checked: links.len() as i64,
        links_failing: links.iter().filter(|l| !l.ok).count() as i64,
        crawled_at: checked_at.map(|t| beijing_minute(&t)),
        rules_text: format!(
            "首页 {} 天内须更新；空白栏目达到 {} 个即不合格；站内失效链接须在发现后 {} 天内修复；即将到期前 {} 天开始提醒。",
            rules.home_days,
            rules.empty_limit,
            rules.link_fix_days,
            health::WARN_BEFORE_DAYS
        ),
    })
}

/// One alarm per open problem; alarms of problems that are gone are resolved.
pub async fn raise_alarms(state: &AppState) -> Result<usize, AppError> {
    let board = board(state).await?;
    for p in &board.problems {
        alarm(state, p).await?;
    }
    let open = sqlx::query(
        "SELECT alarm_key FROM alarms WHERE alarm_key LIKE $1 AND status <> 'resolved'",
    )
    .bind(format!("{ALARM_PREFIX}%"))
    .fetch_all(&state.db.pool)
    .await?;
    for r in open {
        let key: String = r.try_get("alarm_key")?;
        if !board.problems.iter().any(|p| p.key == key) {
            alarms::resolve_key(&state.db, &state.clock, &key, "网站检查：问题已消除").await?;
        }
    }
    Ok(board.problems.len())
}

async fn alarm(state: &AppState, p: &Problem) -> Result<(), AppError> {
    let severity = match p.level {
        Level::Error => Severity::Critical,
        Level::Warning => Severity::Warning,
    };
    let detail = match &p.deadline {
        Some(d) => format!("{}：{}（期限 {d}）", p.subject, p.message),
        None => format!("{}：{}", p.subject, p.message),
    };
    alarms::raise(
        &state.db,
        &state.clock,
        &p.key,
        severity,
        "网站健康检查",
        &detail,
    )
    .await?;
    Ok(())
}

/// The crawler's results of one run: replaces the table's contents in one transaction, keeping the
/// date a link first failed while it keeps failing.
pub async fn record_links(state: &AppState, found: &[LinkState]) -> Result<(), AppError> {
    let now = state.clock.now_text();
    let mut tx = state.db.begin().await?;
    let earlier: Vec<(String, Option<String>)> =
        sqlx::query("SELECT url, failing_since FROM link_checks")
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| Ok((r.try_get("url")?, r.try_get("failing_since")?)))
            .collect::<Result<_, sqlx::Error>>()?;
    sqlx::query("DELETE FROM link_checks")
        .execute(&mut *tx)
        .await?;
    for l in found {
        let since = if l.ok {
            None
        } else {
            earlier
                .iter()
                .find(|(u, _)| *u == l.url)
                .and_then(|(_, s)| s.clone())
                .or_else(|| Some(now.clone()))
        };
        sqlx::query(
            "INSERT INTO link_checks (url, internal, found_on, ok, detail, failing_since, checked_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&l.url)
        .bind(l.internal as i64)
        .bind(&l.found_on)
        .bind(l.ok as i64)
        .bind(&l.detail)
        .bind(since)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Checks external links where the network allows: HEAD, then GET if HEAD is refused, with a short
/// timeout, eight at a time. A failure here is only ever a warning on the board.
pub async fn check_external(urls: &[String]) -> Vec<(String, (bool, String))> {
    let client = match reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(8))
        .redirect(reqwest::redirect::Policy::limited(5))
        .user_agent("xiangxi-credit-link-check/1")
        .build()
    {
        Ok(c) => c,
        Err(e) => {
            return urls
                .iter()
                .map(|u| (u.clone(), (false, format!("无法检查：{e}"))))
                .collect()
        }
    };
    let mut out = Vec::with_capacity(urls.len());
    for chunk in urls.chunks(8) {
        let mut set = tokio::task::JoinSet::new();
        for url in chunk {
            let (client, url) = (client.clone(), url.clone());
            set.spawn(async move {
                let head = client.head(&url).send().await;
                let res = match head {
                    Ok(r) if r.status().as_u16() == 405 || r.status().as_u16() == 403 => {
                        client.get(&url).send().await
                    }
                    other => other,
                };
                let result = match res {
                    Ok(r) => (
                        r.status().as_u16() < 400,
                        format!("HTTP {}", r.status().as_u16()),
                    ),
                    Err(e) if e.is_timeout() => (false, "连接超时".to_string()),
                    Err(_) => (false, "无法连接".to_string()),
                };
                (url, result)
            });
        }
        while let Some(done) = set.join_next().await {
            if let Ok(r) = done {
                out.push(r);
            }
        }
    }
    out
}
