//! Case services (server only): the repair application, the staff's moves, the desk, the tracking page
//! and the deadline scan. A case row is read in one place (`Stored`), its clock converted in one place.
pub mod apply;
pub mod desk;
pub mod due;
pub mod intake;
pub mod materials;
pub mod mine;
pub mod moves;
pub mod public;
pub mod stats;
pub mod supplement;
pub mod suspend;

use super::deadline::{Clock, Deadlines, SETTING};
use super::flow::Kind;
use crate::error::AppError;
use crate::rules::date::Ymd;
use crate::server::authz::Caller;
use crate::server::{settings, AppState};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use std::collections::BTreeMap;

/// A case row as the services read it.
#[derive(Debug, Clone)]
pub(crate) struct Stored {
    pub id: i64,
    pub public_id: String,
    pub tracking_code: String,
    pub kind: Kind,
    pub state: String,
    pub record_kind: String,
    pub record_id: i64,
    pub record_public_id: String,
    pub subject_name: String,
    pub subject_uscc: String,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    pub county_code: Option<String>,
    pub applicant_name: String,
    pub contact_masked: String,
    pub by_agent: bool,
    pub details: serde_json::Value,
    pub clock: Clock,
    pub extend_reason: Option<String>,
    pub submitted_on: String,
    /// portal | phone | counter | letter
    pub channel: String,
}

pub(crate) const COLUMNS: &str = "c.id, c.public_id, c.tracking_code, c.kind, c.state, c.record_kind, \
     c.record_id, c.record_public_id, c.subject_name, c.subject_uscc, c.department_id, d.name AS department_name, \
     c.county_code, c.applicant_name, c.contact_masked, c.by_agent, c.details, c.step, c.step_started_on, \
     c.step_due_on, c.result_due_on, c.paused_since, c.paused_days, c.extended, c.extend_reason, c.submitted_on, c.channel";

pub(crate) const FROM: &str = "FROM cases c LEFT JOIN departments d ON d.id = c.department_id";

fn day(r: &AnyRow, col: &str) -> Result<Option<Ymd>, AppError> {
    Ok(r.try_get::<Option<String>, _>(col)?
        .as_deref()
        .and_then(Ymd::parse_iso))
}

impl Stored {
    pub fn from_row(r: &AnyRow) -> Result<Self, AppError> {
        let kind: String = r.try_get("kind")?;
        let details: String = r.try_get("details")?;
        Ok(Stored {
            id: r.try_get("id")?,
            public_id: r.try_get("public_id")?,
            tracking_code: r.try_get("tracking_code")?,
            kind: Kind::parse(&kind)
                .ok_or_else(|| AppError::internal("case kind", kind.clone()))?,
            state: r.try_get("state")?,
            record_kind: r.try_get("record_kind")?,
            record_id: r.try_get("record_id")?,
            record_public_id: r.try_get("record_public_id")?,
            subject_name: r.try_get("subject_name")?,
            subject_uscc: r.try_get("subject_uscc")?,
            department_id: r.try_get("department_id")?,
            department_name: r.try_get("department_name")?,
            county_code: r.try_get("county_code")?,
            applicant_name: r.try_get("applicant_name")?,
            contact_masked: r.try_get("contact_masked")?,
            by_agent: r.try_get::<i64, _>("by_agent")? != 0,
            details: serde_json::from_str(&details).unwrap_or_default(),
            clock: Clock {
                step: r.try_get("step")?,
                step_started_on: day(r, "step_started_on")?,
                step_due_on: day(r, "step_due_on")?,
                result_due_on: day(r, "result_due_on")?,
                paused_since: day(r, "paused_since")?,
                paused_days: u32::try_from(r.try_get::<i64, _>("paused_days")?).unwrap_or(0),
                extended: r.try_get::<i64, _>("extended")? != 0,
            },
            extend_reason: r.try_get("extend_reason")?,
            submitted_on: r.try_get("submitted_on")?,
            channel: r.try_get("channel")?,
        })
    }

    pub fn closed(&self) -> bool {
        self.kind.flow().state(&self.state).is_none_or(|s| s.closed)
    }

    pub fn detail_text(&self, key: &str) -> String {
        self.details
            .get(key)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    }
}

/// A case by public id, within the caller's scope: the unit handling it (clerks), the subject's county
/// (county users), all (the office). Outside it the case does not exist (404).
pub(crate) async fn load(
    state: &AppState,
    caller: &Caller,
    public_id: &str,
) -> Result<Stored, AppError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} {FROM} WHERE c.public_id = $1"))
        .bind(public_id)
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or_else(|| AppError::NotFound("案件".into()))?;
    let s = Stored::from_row(&row)?;
    caller
        .check_unit(s.department_id, s.county_code.as_deref())
        .map_err(|_| AppError::NotFound("案件".into()))?;
    Ok(s)
}

/// Writes a case's clock back (inside the move's transaction).
pub(crate) async fn save_clock(
    conn: &mut AnyConnection,
    case_id: i64,
    c: &Clock,
    now: &str,
) -> Result<(), AppError> {
    let iso = |d: Option<Ymd>| d.map(|d| d.iso());
    sqlx::query(
        "UPDATE cases SET step = $1, step_started_on = $2, step_due_on = $3, result_due_on = $4, \
         paused_since = $5, paused_days = $6, extended = $7, updated_at = $8 WHERE id = $9",
    )
    .bind(c.step.clone())
    .bind(iso(c.step_started_on))
    .bind(iso(c.step_due_on))
    .bind(iso(c.result_due_on))
    .bind(iso(c.paused_since))
    .bind(i64::from(c.paused_days))
    .bind(i64::from(c.extended))
    .bind(now)
    .bind(case_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// One line of a case's history; its id (for the files of the step).
#[allow(clippy::too_many_arguments)] // one row's columns, named at the call
pub(crate) async fn add_step(
    conn: &mut AnyConnection,
    case_id: i64,
    code: &str,
    from: Option<&str>,
    to: &str,
    actor: (Option<i64>, &str),
    body: &str,
    department_id: Option<i64>,
    now: &str,
) -> Result<i64, AppError> {
    let id: i64 = sqlx::query(
        "INSERT INTO case_steps (case_id, move, from_state, to_state, actor_id, actor_name, body, public, \
         department_id, at) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9) RETURNING id",
    )
    .bind(case_id)
    .bind(code)
    .bind(from)
    .bind(to)
    .bind(actor.0)
    .bind(actor.1)
    .bind(body)
    .bind(department_id)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?
    .try_get("id")?;
    Ok(id)
}

/// The working days of every step (setting `cases.deadlines`, defaults in `deadline::DEFAULTS`).
pub async fn deadlines(state: &AppState) -> Result<Deadlines, AppError> {
    let stored: BTreeMap<String, u32> = settings::get_or(state, SETTING, BTreeMap::new()).await?;
    Ok(Deadlines::merged(&stored))
}

/// Sets the working days of the steps (for moves made from now on); audited.
pub async fn save_deadlines(
    state: &AppState,
    caller: &Caller,
    days: BTreeMap<String, u32>,
) -> Result<(), AppError> {
    let before = deadlines(state).await?;
    for (k, v) in &days {
        if !before.0.contains_key(k) {
            return Err(AppError::field(k, "UNKNOWN_STEP", "没有这个办理环节。"));
        }
        if !(1..=super::deadline::MAX_DAYS).contains(v) {
            return Err(AppError::field(
                k,
                "DAYS_OUT_OF_RANGE",
                format!("期限须在 1 至 {} 个工作日之间。", super::deadline::MAX_DAYS),
            ));
        }
    }
    let after = Deadlines::merged(&days);
    let now = state.clock.now_text();
    let mut tx = state.db.begin().await?;
    settings::put(&mut tx, SETTING, &after.0, &now, &caller.user.username).await?;
    caller
        .audit(
            &mut tx,
            state,
            "cases.deadlines.save",
            None,
            serde_json::json!({ "from": before.0, "to": after.0 }),
        )
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The alarm keys of one case: due soon, overdue.
pub(crate) fn alarm_keys(public_id: &str) -> [String; 2] {
    [
        format!("cases.due_soon:{public_id}"),
        format!("cases.overdue:{public_id}"),
    ]
}
