//! 到期更新: the due-date board, the unit's reminders, and the scan job that sends reminders and raises
//! alarms for long-overdue items. Due dates follow the catalogue frequency of each unit's class
//! (`class_sources`) from the unit's last confirmed batch; publication timeliness uses the holiday
//! calendar (docs/domain.md §5: within 7 working days of the decision).
use super::batches::unit_scope_clause;
use crate::collect::model::{DueBoard, DueItem, LateSummary, ReminderRow};
use crate::error::AppError;
use crate::rules::catalog::frequency_label;
use crate::rules::date::Ymd;
use crate::rules::due::{self, DuePolicy, DueState};
use crate::server::alarms::{self, Severity};
use crate::server::authz::Caller;
use crate::server::{calendar, settings, AppState};
use sqlx::Row;
use std::collections::BTreeMap;

/// Publication timeliness looks back this many days.
pub const LATE_WINDOW_DAYS: i64 = 90;

pub async fn policy(state: &AppState) -> Result<DuePolicy, AppError> {
    settings::get_or(state, "collect.due_policy", DuePolicy::default()).await
}

fn date_of(timestamp: &str) -> Option<Ymd> {
    Ymd::parse_iso(timestamp.get(..10)?)
}

/// Every (unit, class) the catalogue expects, in the caller's scope (`None`: all units).
pub async fn items(state: &AppState, caller: Option<&Caller>) -> Result<Vec<DueItem>, AppError> {
    let (clause, bind) = match caller {
        Some(c) => unit_scope_clause(c, 1, "d.id"),
        None => (String::new(), None),
    };
    let sql = format!(
        "SELECT d.id AS unit_id, d.name AS unit_name, c.code, c.name AS class_name, cs.frequency, cs.created_at, \
         (SELECT MAX(b.confirmed_at) FROM batches b WHERE b.department_id = cs.department_id \
          AND b.class_id = cs.class_id AND b.status = 'published') AS last_submitted \
         FROM class_sources cs JOIN departments d ON d.id = cs.department_id \
         JOIN data_classes c ON c.id = cs.class_id WHERE d.active = 1{clause} ORDER BY d.id, c.id"
    );
    let mut q = sqlx::query(&sql);
    if let Some(b) = bind {
        q = q.bind(b);
    }
    let rows = q.fetch_all(&state.db.pool).await?;
    let cal = calendar::load(&state.db).await?;
    let pol = policy(state).await?;
    let today = state.clock.today();
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let last: Option<String> = r.try_get("last_submitted")?;
        let since: String = r.try_get("created_at")?;
        let frequency: String = r.try_get("frequency")?;
        let base = last
            .as_deref()
            .and_then(date_of)
            .or_else(|| date_of(&since))
            .unwrap_or(today);
        let due_on = due::next_due(&cal, base, &frequency);
        let (st, left) = due::standing(today, due_on, &pol);
        out.push(DueItem {
            unit_id: r.try_get("unit_id")?,
            unit_name: r.try_get("unit_name")?,
            class_code: r.try_get("code")?,
            class_name: r.try_get("class_name")?,
            frequency,
            last_submitted: last,
            due_on: due_on.iso(),
            days_left: left,
            state: st.as_str().into(),
        });
    }
    // Most urgent first.
    out.sort_by_key(|i| (i.days_left, i.unit_id));
    Ok(out)
}

/// Per unit: collected licences and penalties published in the window, and how many were late.
pub async fn late_publications(
    state: &AppState,
    caller: Option<&Caller>,
) -> Result<Vec<LateSummary>, AppError> {
    let cutoff = state.clock.today().add_days(-LATE_WINDOW_DAYS).iso();
    let mut by_unit: BTreeMap<i64, LateSummary> = BTreeMap::new();
    for table in ["penalties", "licences"] {
        for (unit_id, l) in publication_timeliness(state, table, &cutoff, None, caller).await? {
            let entry = by_unit.entry(unit_id).or_insert_with(|| LateSummary {
                published: 0,
                late: 0,
                ..l.clone()
            });
            entry.published += l.published;
            entry.late += l.late;
        }
    }
    Ok(by_unit.into_values().collect())
}

/// Per unit in scope: records of `table` that came through collection and were published from
/// `from` (inclusive) to `to` (exclusive, open when `None`), and how many of them were late.
pub async fn publication_timeliness(
    state: &AppState,
    table: &str,
    from: &str,
    to: Option<&str>,
    caller: Option<&Caller>,
) -> Result<BTreeMap<i64, LateSummary>, AppError> {
    let (clause, bind) = match caller {
        Some(c) => unit_scope_clause(c, 3, "d.id"),
        None => (String::new(), None),
    };
    let cal = calendar::load(&state.db).await?;
    let pol = policy(state).await?;
    // Grouped by (decision day, publication day), so the rows read stay few at any size.
    let sql = format!(
        "SELECT d.id AS unit_id, d.name AS unit_name, t.decision_date, SUBSTR(t.published_at, 1, 10) AS pub_day, \
         COUNT(*) AS n FROM {table} t JOIN departments d ON d.id = t.department_id \
         WHERE t.batch_id IS NOT NULL AND t.published = 1 AND t.published_at >= $1 AND t.published_at < $2{clause} \
         GROUP BY d.id, d.name, t.decision_date, SUBSTR(t.published_at, 1, 10)"
    );
    let mut q = sqlx::query(&sql).bind(from).bind(to.unwrap_or("9999"));
    if let Some(b) = &bind {
        q = q.bind(b);
    }
    let mut out: BTreeMap<i64, LateSummary> = BTreeMap::new();
    for r in q.fetch_all(&state.db.pool).await? {
        let unit_id: i64 = r.try_get("unit_id")?;
        let n: i64 = r.try_get("n")?;
        let decided: String = r.try_get("decision_date")?;
        let published: String = r.try_get("pub_day")?;
        let entry = out.entry(unit_id).or_insert_with(|| LateSummary {
            unit_id,
            unit_name: r.try_get("unit_name").unwrap_or_default(),
            published: 0,
            late: 0,
        });
        entry.published += n;
        if let (Some(d), Some(p)) = (Ymd::parse_iso(&decided), Ymd::parse_iso(&published)) {
            if due::published_late(&cal, d, p, &pol) {
                entry.late += n;
            }
        }
    }
    Ok(out)
}

pub async fn reminders(state: &AppState, department_id: i64) -> Result<Vec<ReminderRow>, AppError> {
    sqlx::query(
        "SELECT id, title, body, link, created_at, read_at FROM reminders WHERE department_id = $1 \
         ORDER BY id DESC LIMIT 50",
    )
    .bind(department_id)
    .fetch_all(&state.db.pool)
    .await?
    .into_iter()
    .map(|r| {
        Ok(ReminderRow {
            id: r.try_get("id")?,
            title: r.try_get("title")?,
            body: r.try_get("body")?,
            link: r.try_get("link")?,
            created_at: r.try_get("created_at")?,
            read: r.try_get::<Option<String>, _>("read_at")?.is_some(),
        })
    })
    .collect()
}

pub async fn board(state: &AppState, caller: &Caller) -> Result<DueBoard, AppError> {
    let pol = policy(state).await?;
    Ok(DueBoard {
        today: state.clock.today().iso(),
        items: items(state, Some(caller)).await?,
        late: late_publications(state, Some(caller)).await?,
        window_days: LATE_WINDOW_DAYS,
        workdays: pol.publish_within_workdays,
        reminders: match caller.user.department_id {
            Some(d) => reminders(state, d).await?,
            None => vec![],
        },
    })
}

/// Marks one of the caller's unit's reminders read.
pub async fn mark_read(state: &AppState, caller: &Caller, id: i64) -> Result<(), AppError> {
    // Staff without a unit have no reminders: nothing of theirs to mark.
    let unit = caller
        .user
        .department_id
        .ok_or_else(|| AppError::NotFound("该提醒".into()))?;
    let done = sqlx::query(
        "UPDATE reminders SET read_at = $3, read_by = $4 WHERE id = $1 AND department_id = $2 AND read_at IS NULL",
    )
    .bind(id)
    .bind(unit)
    .bind(state.clock.now_text())
    .bind(caller.user.user_id)
    .execute(&state.db.pool)
    .await?
    .rows_affected();
    if done == 0 {
        return Err(AppError::NotFound("该提醒".into()));
    }
    Ok(())
}

/// What one scan did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ScanReport {
    pub reminders: u64,
    pub alarms: u64,
}

/// The scheduled scan: a reminder to the unit when an item is due soon or overdue (once per due
/// date), and an alarm to the credit office when it is long overdue; the alarm resolves itself once
/// the unit has submitted.
pub async fn scan(state: &AppState) -> Result<ScanReport, AppError> {
    let mut report = ScanReport::default();
    let now = state.clock.now_text();
    for item in items(state, None).await? {
        let st = DueState::parse(&item.state);
        let alarm_key = format!("collect.overdue:{}:{}", item.unit_id, item.class_code);
        if st == DueState::Ok {
            alarms::resolve_key(
                &state.db,
                &state.clock,
                &alarm_key,
                "单位已报送，自动解除。",
            )
            .await?;
            continue;
        }
        let freq = frequency_label(&item.frequency);
        let (key, title, body) = if st == DueState::Soon {
            (
                format!(
                    "due-soon:{}:{}:{}",
                    item.unit_id, item.class_code, item.due_on
                ),
                format!("“{}”数据即将到期", item.class_name),
                format!(
                    "按信用目录，本单位“{}”数据{freq}更新，应于 {} 前报送（还有 {} 天）。",
                    item.class_name, item.due_on, item.days_left
                ),
            )
        } else {
            (
                format!("overdue:{}:{}:{}", item.unit_id, item.class_code, item.due_on),
                format!("“{}”数据已逾期未报送", item.class_name),
                format!(
                    "按信用目录，本单位“{}”数据{freq}更新，应于 {} 前报送，已逾期 {} 天。请尽快报送。",
                    item.class_name, item.due_on, -item.days_left
                ),
            )
        };
        report.reminders += sqlx::query(
            "INSERT INTO reminders (department_id, reminder_key, title, body, link, created_at) \
             VALUES ($1, $2, $3, $4, '/console/due', $5) ON CONFLICT (reminder_key) DO NOTHING",
        )
        .bind(item.unit_id)
        .bind(&key)
        .bind(&title)
        .bind(&body)
        .bind(&now)
        .execute(&state.db.pool)
        .await?
        .rows_affected();
        if st == DueState::LongOverdue {
            alarms::raise(
                &state.db,
                &state.clock,
                &alarm_key,
                Severity::Warning,
                &format!("{}“{}”逾期未报送", item.unit_name, item.class_name),
                &format!(
                    "{freq}更新，应于 {} 前报送，已逾期 {} 天。",
                    item.due_on, -item.days_left
                ),
            )
            .await?;
            report.alarms += 1;
        } else {
            alarms::resolve_key(
                &state.db,
                &state.clock,
                &alarm_key,
                "单位已报送，自动解除。",
            )
            .await?;
        }
    }
    Ok(report)
}
