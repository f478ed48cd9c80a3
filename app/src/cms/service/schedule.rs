//! The scheduler: publishes scheduled articles when their time comes and takes articles down at their
//! set end. Each article is claimed by a compare-and-set on its state, so two server instances never
//! publish it twice, and running the job again changes nothing. An article more than 15 minutes late
//! (the job was not running) raises a warning alarm.
use super::{checks, live};
use crate::cms::workflow::Status;
use crate::error::AppError;
use crate::server::alarms::{self, Severity};
use crate::server::{audit::AuditEvent, AppState};
use sqlx::Row;
use time::Duration;

pub const JOB: &str = "cms.schedule";
/// Lateness that raises an alarm.
const LATE: Duration = Duration::minutes(15);

/// What one run did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Ran {
    pub published: usize,
    pub unpublished: usize,
    /// Scheduled articles the pre-publication check stopped (they stay scheduled, with an alarm).
    pub held: usize,
}

pub async fn run_due(state: &AppState) -> Result<Ran, AppError> {
    let now = state.clock.now();
    let now_text = state.clock.now_text();
    let mut ran = Ran::default();
    let due = sqlx::query(
        "SELECT id, public_id, title, publish_at FROM articles WHERE status = 'scheduled' AND publish_at <= $1 ORDER BY publish_at",
    )
    .bind(&now_text)
    .fetch_all(&state.db.pool)
    .await?;
    for r in due {
        let id: i64 = r.try_get("id")?;
        let public_id: String = r.try_get("public_id")?;
        let title: String = r.try_get("title")?;
        let at: String = r.try_get("publish_at")?;
        let mut tx = state.db.begin().await?;
        let findings = checks::run(state, &mut tx, id).await?;
        if let Some(block) = findings.iter().find(|f| f.blocks) {
            tx.rollback().await?;
            alarms::raise(
                &state.db,
                &state.clock,
                &format!("cms.schedule.held:{public_id}"),
                Severity::Warning,
                "定时发布的文章未通过发布前检查",
                &format!("《{title}》：{}", block.message),
            )
            .await?;
            ran.held += 1;
            continue;
        }
        // The claim: only the instance that moves it from 'scheduled' publishes it.
        let claimed = sqlx::query(
            "UPDATE articles SET status = $2, updated_at = $3 WHERE id = $1 AND status = 'scheduled' AND publish_at = $4",
        )
        .bind(id)
        .bind(Status::Published.code())
        .bind(&now_text)
        .bind(&at)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if claimed == 0 {
            continue;
        }
        let late = crate::server::clock::parse_rfc3339(&at).is_some_and(|t| now - t > LATE);
        let note = if late {
            "定时发布（比预定时间晚了 15 分钟以上）"
        } else {
            "定时发布"
        };
        system_publish(
            &mut tx,
            state,
            id,
            Status::Scheduled,
            "scheduled_publish",
            note,
            serde_json::json!({ "publish_at": at, "late": late }),
        )
        .await?;
        tx.commit().await?;
        if late {
            alarms::raise(
                &state.db,
                &state.clock,
                &format!("cms.schedule.late:{public_id}"),
                Severity::Warning,
                "定时发布延迟超过 15 分钟",
                &format!(
                    "《{title}》预定 {} 发布，实际 {} 发布：请检查后台任务是否正常运行。",
                    crate::rules::date::beijing_minute(&at),
                    crate::rules::date::beijing_minute(&now_text)
                ),
            )
            .await?;
        }
        ran.published += 1;
    }
    let ending = sqlx::query(
        "SELECT id, public_id FROM articles WHERE status = 'published' AND unpublish_at IS NOT NULL AND unpublish_at <= $1",
    )
    .bind(&now_text)
    .fetch_all(&state.db.pool)
    .await?;
    for r in ending {
        let id: i64 = r.try_get("id")?;
        let public_id: String = r.try_get("public_id")?;
        let mut tx = state.db.begin().await?;
        let claimed = sqlx::query(
            "UPDATE articles SET status = 'unpublished', unpublish_at = NULL, updated_at = $2 WHERE id = $1 AND status = 'published'",
        )
        .bind(id)
        .bind(&now_text)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if claimed == 0 {
            continue;
        }
        live::withdraw_live(&mut tx, id).await?;
        sqlx::query(
            "INSERT INTO article_events (article_id, action, from_status, to_status, version, actor_id, comment, at) \
             SELECT id, 'scheduled_unpublish', 'published', 'unpublished', version, NULL, '到期自动撤下', $2 FROM articles WHERE id = $1",
        )
        .bind(id)
        .bind(&now_text)
        .execute(&mut *tx)
        .await?;
        AuditEvent::new("system", "cms.article.scheduled_unpublish", "success")
            .on("article", public_id)
            .record(&mut tx, state)
            .await?;
        tx.commit().await?;
        ran.unpublished += 1;
    }
    Ok(ran)
}

/// A `datetime-local` value in Beijing time (`2026-12-01T09:00`, seconds optional) as stored UTC text.
pub fn beijing_local_to_utc(local: &str) -> Option<String> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    let fmt_s = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    let text = local.trim();
    let t = time::PrimitiveDateTime::parse(text, &fmt)
        .or_else(|_| time::PrimitiveDateTime::parse(text, &fmt_s))
        .ok()?;
    Some(crate::server::clock::rfc3339(
        t.assume_offset(crate::server::clock::CST)
            .to_offset(time::UtcOffset::UTC),
    ))
}

/// Publishes an article on the scheduler's behalf, inside the caller's transaction (the caller has
/// claimed it): the portal copy, a history event `action` from `from`, and an audit event.
pub(super) async fn system_publish(
    tx: &mut sqlx::AnyConnection,
    state: &AppState,
    id: i64,
    from: Status,
    action: &str,
    note: &str,
    detail: serde_json::Value,
) -> Result<(), AppError> {
    let now_text = state.clock.now_text();
    sqlx::query("UPDATE articles SET status = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(Status::Published.code())
        .bind(&now_text)
        .execute(&mut *tx)
        .await?;
    live::put_live(tx, id, &now_text).await?;
    sqlx::query(
        "INSERT INTO article_events (article_id, action, from_status, to_status, version, actor_id, comment, at) \
         SELECT id, $2, $3, 'published', version, NULL, $4, $5 FROM articles WHERE id = $1",
    )
    .bind(id)
    .bind(action)
    .bind(from.code())
    .bind(note)
    .bind(&now_text)
    .execute(&mut *tx)
    .await?;
    let public_id: String = sqlx::query_scalar("SELECT public_id FROM articles WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    AuditEvent::new("system", &format!("cms.article.{action}"), "success")
        .on("article", public_id)
        .with(detail)
        .record(tx, state)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn beijing_time_becomes_utc() {
        assert!(super::beijing_local_to_utc("2026-12-01T09:00")
            .unwrap()
            .starts_with("2026-12-01T01:00:00"));
        assert!(super::beijing_local_to_utc("明天").is_none());
    }
}
