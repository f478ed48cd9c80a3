//! The push log (docs/domain.md §12): every message with its record, state, attempts and the province's
//! answer, filtered by kind, state, day and unit; each kind's schedule and counts; the lag of each
//! record against the 7-working-day rule (decision to push, by the holiday calendar); and the
//! operator's moves: resend one message or the filtered range, push now, change a kind's schedule.
use super::push;
use crate::error::AppError;
use crate::province::model::{PushFilter, PushKind, PushLog, PushRow, FREQUENCIES};
use crate::rules::date::{beijing_day_start_utc, beijing_minute, Ymd};
use crate::server::authz::Caller;
use crate::server::listing::{unit_and_words, units};
use crate::server::{calendar, AppState};
use sqlx::Row;

const PER_PAGE: i64 = 30;
/// At most this many messages are resent by one range resend.
pub const MAX_RESEND: i64 = 100_000;

/// The record columns the log joins: typed tables by kind, generic records for every other kind.
pub(crate) const FROM: &str = "FROM push_outbox o \
    LEFT JOIN penalties p ON o.record_kind = 'penalty' AND p.id = o.record_id \
    LEFT JOIN licences l ON o.record_kind = 'licence' AND l.id = o.record_id \
    LEFT JOIN generic_records g ON o.record_kind NOT IN ('penalty', 'licence') AND g.id = o.record_id \
    LEFT JOIN departments d ON d.id = o.department_id";

/// The day the 7-working-day clock starts: the decision, or the change for classes without one.
pub(super) const START_DAY: &str =
    "COALESCE(p.decision_date, l.decision_date, SUBSTR(o.created_at, 1, 10))";

/// The WHERE clause of a filter and its binds (placeholders from $1).
pub(super) async fn filter_sql(
    state: &AppState,
    f: &PushFilter,
) -> Result<(String, Vec<String>), AppError> {
    let mut binds: Vec<String> = vec![];
    let mut sql = String::from(" WHERE 1 = 1");
    if !f.kind.is_empty() {
        binds.push(f.kind.clone());
        sql.push_str(&format!(" AND o.record_kind = ${}", binds.len()));
    }
    match f.state.as_str() {
        "" => {}
        "late" => {
            let cal = calendar::load(&state.db).await?;
            let (late, _) = super::lag::thresholds(&cal, state.clock.today());
            binds.push(late);
            sql.push_str(&format!(
                " AND o.state = 'pending' AND {START_DAY} <= ${}",
                binds.len()
            ));
        }
        s => {
            binds.push(s.to_string());
            sql.push_str(&format!(" AND o.state = ${}", binds.len()));
        }
    }
    // The days are Beijing days; the stored times are UTC (a day starts at 16:00 UTC the day before).
    if let Some(from) = Ymd::parse_iso(f.from.trim()) {
        binds.push(beijing_day_start_utc(from));
        sql.push_str(&format!(" AND o.created_at >= ${}", binds.len()));
    }
    if let Some(to) = Ymd::parse_iso(f.to.trim()) {
        binds.push(beijing_day_start_utc(to.add_days(1)));
        sql.push_str(&format!(" AND o.created_at < ${}", binds.len()));
    }
    unit_and_words(
        &mut binds,
        &mut sql,
        &f.unit,
        &f.q,
        &[
            "p.decision_no",
            "p.subject_name",
            "l.decision_no",
            "l.subject_name",
            "g.subject_name",
        ],
    );
    Ok((sql, binds))
}

pub(super) fn bind_all<'q>(
    mut q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    binds: &'q [String],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    for b in binds {
        q = q.bind(b.as_str());
    }
    q
}

pub async fn list(
    state: &AppState,
    caller: &Caller,
    f: &PushFilter,
    page: i64,
) -> Result<PushLog, AppError> {
    let page = page.clamp(1, 100_000);
    let (filter, binds) = filter_sql(state, f).await?;
    let pool = &state.db.pool;
    let total: i64 = bind_all(
        sqlx::query(&format!("SELECT COUNT(*) AS n {FROM}{filter}")),
        &binds,
    )
    .fetch_one(pool)
    .await?
    .try_get("n")?;
    let sql = format!(
        "SELECT o.id, o.created_at, o.record_kind, o.version, o.action, o.state, o.attempts, o.answer, \
         o.last_error, o.sent_at, COALESCE(p.public_id, l.public_id, g.public_id, '') AS record_public_id, \
         COALESCE(p.decision_no, l.decision_no, '') AS decision_no, \
         COALESCE(p.subject_name, l.subject_name, g.subject_name, '') AS subject_name, \
         {START_DAY} AS start_day, COALESCE(d.name, '') AS unit \
         {FROM}{filter} ORDER BY o.id DESC LIMIT {PER_PAGE} OFFSET {}",
        (page - 1) * PER_PAGE
    );
    let cal = calendar::load(&state.db).await?;
    let today = state.clock.today();
    let labels = kind_labels(state).await?;
    let mut rows = vec![];
    for r in bind_all(sqlx::query(&sql), &binds).fetch_all(pool).await? {
        let kind: String = r.try_get("record_kind")?;
        let st: String = r.try_get("state")?;
        let sent_at: Option<String> = r.try_get("sent_at")?;
        let start = Ymd::parse_iso(&r.try_get::<String, _>("start_day")?).unwrap_or(today);
        let end = sent_at
            .as_deref()
            .and_then(|s| Ymd::parse_iso(s.get(..10)?))
            .unwrap_or(today);
        let decision: String = r.try_get("decision_no")?;
        let subject: String = r.try_get("subject_name")?;
        let answer: Option<String> = r.try_get("answer")?;
        let error: Option<String> = r.try_get("last_error")?;
        rows.push(PushRow {
            id: r.try_get("id")?,
            created_at: beijing_minute(&r.try_get::<String, _>("created_at")?),
            kind_label: label_of(&labels, &kind),
            kind,
            record: [decision, subject]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" · "),
            record_public_id: r.try_get("record_public_id")?,
            version: r.try_get("version")?,
            action: r.try_get("action")?,
            unit: r.try_get("unit")?,
            attempts: r.try_get("attempts")?,
            answer: answer.or(error),
            sent_at: sent_at.as_deref().map(beijing_minute),
            lag_days: cal.working_days_between(start, end),
            state: st,
        });
    }
    let (late, due_soon) = super::lag::counts(state, &cal).await?;
    Ok(PushLog {
        rows,
        total,
        page,
        per_page: PER_PAGE,
        kinds: kinds(state, &labels).await?,
        units: units(state, caller).await?,
        configured: state.config.province.url.is_some(),
        late,
        due_soon,
    })
}

/// Class names by code (penalty and licence are classes too).
pub(super) async fn kind_labels(state: &AppState) -> Result<Vec<(String, String)>, AppError> {
    sqlx::query("SELECT code, name FROM data_classes ORDER BY id")
        .fetch_all(&state.db.pool)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("code")?, r.try_get("name")?)))
        .collect()
}

pub(super) fn label_of(labels: &[(String, String)], kind: &str) -> String {
    labels
        .iter()
        .find(|(c, _)| c == kind)
        .map_or_else(|| kind.to_string(), |(_, n)| n.clone())
}

/// Every kind with messages or a schedule, with its counts.
async fn kinds(state: &AppState, labels: &[(String, String)]) -> Result<Vec<PushKind>, AppError> {
    let rows = sqlx::query(
        "SELECT k.record_kind, s.frequency, s.next_push_at, s.last_run_at, s.last_error, \
         COALESCE(s.failures, 0) AS failures, \
         (SELECT COUNT(*) FROM push_outbox o WHERE o.record_kind = k.record_kind AND o.state = 'pending') AS pending, \
         (SELECT COUNT(*) FROM push_outbox o WHERE o.record_kind = k.record_kind AND o.state = 'parked') AS parked, \
         (SELECT COUNT(*) FROM push_outbox o WHERE o.record_kind = k.record_kind AND o.state = 'sent') AS sent \
         FROM (SELECT DISTINCT record_kind FROM push_outbox UNION SELECT record_kind FROM push_schedules) k \
         LEFT JOIN push_schedules s ON s.record_kind = k.record_kind ORDER BY k.record_kind",
    )
    .fetch_all(&state.db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            let kind: String = r.try_get("record_kind")?;
            Ok(PushKind {
                label: label_of(labels, &kind),
                kind,
                frequency: r
                    .try_get::<Option<String>, _>("frequency")?
                    .unwrap_or_else(|| "daily".into()),
                next_push_at: r
                    .try_get::<Option<String>, _>("next_push_at")?
                    .as_deref()
                    .map(beijing_minute),
                last_run_at: r
                    .try_get::<Option<String>, _>("last_run_at")?
                    .as_deref()
                    .map(beijing_minute),
                last_error: r.try_get("last_error")?,
                failures: r.try_get("failures")?,
                pending: r.try_get("pending")?,
                parked: r.try_get("parked")?,
                sent: r.try_get("sent")?,
            })
        })
        .collect()
}

/// Resends one message, or every parked or sent message of the filtered range (at most
/// [`MAX_RESEND`]). Audited. Returns how many were queued again.
pub async fn resend(
    state: &AppState,
    caller: &Caller,
    id: Option<i64>,
    f: &PushFilter,
) -> Result<u64, AppError> {
    let ids: Vec<i64> = match id {
        Some(id) => vec![id],
        None => {
            let (filter, binds) = filter_sql(state, f).await?;
            let sql = format!(
                "SELECT o.id {FROM}{filter} AND o.state IN ('parked', 'sent') ORDER BY o.id LIMIT {}",
                MAX_RESEND + 1
            );
            let rows = bind_all(sqlx::query(&sql), &binds)
                .fetch_all(&state.db.pool)
                .await?;
            if rows.len() as i64 > MAX_RESEND {
                return Err(AppError::field(
                    "range",
                    "RANGE_TOO_LARGE",
                    format!("一次最多重新推送 {MAX_RESEND} 条，请缩小日期范围或选择类别。"),
                ));
            }
            rows.iter()
                .map(|r| r.try_get("id"))
                .collect::<Result<_, _>>()?
        }
    };
    let n = push::requeue(state, &ids).await?;
    let mut tx = state.db.begin().await?;
    caller
        .event("province.push_resend", "success")
        .with(serde_json::json!({ "message": id, "filter": f, "queued": n }))
        .record(&mut tx, state)
        .await?;
    tx.commit().await?;
    Ok(n)
}

/// Pushes now (one kind or all), audited; answers a line per kind.
pub async fn push_now(
    state: &AppState,
    caller: &Caller,
    kind: Option<&str>,
) -> Result<Vec<String>, AppError> {
    if state.config.province.url.is_none() {
        return Err(AppError::Conflict(
            "未配置省平台地址（APP_PROVINCE_URL），无法推送。".into(),
        ));
    }
    let pushed = push::push_now(state, kind).await?;
    let labels = kind_labels(state).await?;
    let mut tx = state.db.begin().await?;
    caller
        .event("province.push_now", "success")
        .with(serde_json::json!({ "kind": kind, "kinds": pushed.len() }))
        .record(&mut tx, state)
        .await?;
    tx.commit().await?;
    Ok(pushed
        .iter()
        .map(|p| {
            format!(
                "{}：送达 {} 条，省平台已有 {} 条，被拒收 {} 条{}",
                label_of(&labels, &p.kind),
                p.sent,
                p.duplicates,
                p.parked,
                p.failed
                    .as_deref()
                    .map(|e| format!("；未完成：{e}"))
                    .unwrap_or_default()
            )
        })
        .collect())
}

/// Sets a kind's push frequency; the next push follows from the last one. Audited.
pub async fn save_schedule(
    state: &AppState,
    caller: &Caller,
    kind: &str,
    frequency: &str,
) -> Result<(), AppError> {
    if !FREQUENCIES.iter().any(|(c, _)| *c == frequency) {
        return Err(AppError::field(
            "frequency",
            "FREQUENCY_UNKNOWN",
            "请选择推送频率：每小时、每日、每周或每月。",
        ));
    }
    let known: i64 = sqlx::query("SELECT COUNT(*) AS n FROM data_classes WHERE code = $1")
        .bind(kind)
        .fetch_one(&state.db.pool)
        .await?
        .try_get("n")?;
    if known == 0 {
        return Err(AppError::NotFound("该数据类别".into()));
    }
    let mut tx = state.db.begin().await?;
    sqlx::query(
        "INSERT INTO push_schedules (record_kind, frequency) VALUES ($1, $2) \
         ON CONFLICT (record_kind) DO UPDATE SET frequency = excluded.frequency",
    )
    .bind(kind)
    .bind(frequency)
    .execute(&mut *tx)
    .await?;
    caller
        .event("province.push_schedule", "success")
        .on("data_class", kind)
        .with(serde_json::json!({ "frequency": frequency }))
        .record(&mut tx, state)
        .await?;
    tx.commit().await?;
    Ok(())
}
