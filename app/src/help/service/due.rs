//! The answer deadline (docs/domain.md §13: 5 working days in Hunan, configurable; §13a calendar):
//! the setting, the hourly scan that reminds a working day before and raises an alarm once a
//! consultation is overdue, and the problem the site-health board counts.
use super::alarm_keys;
use crate::cms::health::{Level, Problem};
use crate::error::AppError;
use crate::help::consult::{self, Deadline, DEFAULT_ANSWER_DAYS};
use crate::rules::date::Ymd;
use crate::server::alarms::{self, Severity};
use crate::server::authz::Caller;
use crate::server::{calendar, settings, AppState};
use sqlx::Row;

pub const JOB: &str = "help.due_scan";
/// The setting: working days to answer.
pub const ANSWER_DAYS: &str = "help.answer_days";
/// The longest deadline the office may set.
pub const MAX_ANSWER_DAYS: u32 = 30;

pub async fn answer_days(state: &AppState) -> Result<u32, AppError> {
    Ok(settings::get_or(state, ANSWER_DAYS, DEFAULT_ANSWER_DAYS)
        .await?
        .clamp(1, MAX_ANSWER_DAYS))
}

/// Sets the working days to answer (for questions received from now on); audited.
pub async fn save_answer_days(
    state: &AppState,
    caller: &Caller,
    days: u32,
) -> Result<(), AppError> {
    settings::save_days(
        state,
        &caller.actor(),
        ANSWER_DAYS,
        days,
        MAX_ANSWER_DAYS,
        &format!("答复期限须在 1 至 {MAX_ANSWER_DAYS} 个工作日之间。"),
    )
    .await
}

/// What one scan did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ScanReport {
    pub reminders: u64,
    pub overdue: u64,
}

/// The hourly scan: a reminder alarm when the answer is due on the next working day (or today), an
/// overdue alarm after the due day; both resolved once the consultation is answered.
pub async fn scan(state: &AppState) -> Result<ScanReport, AppError> {
    let cal = calendar::load(&state.db).await?;
    let today = state.clock.today();
    let rows = sqlx::query(
        "SELECT c.public_id, c.tracking_code, c.due_on, d.name AS department FROM consultations c \
         LEFT JOIN departments d ON d.id = c.department_id WHERE c.status IN ('new', 'routed')",
    )
    .fetch_all(&state.db.pool)
    .await?;
    let mut report = ScanReport::default();
    let mut open = std::collections::HashSet::new();
    for r in &rows {
        let public_id: String = r.try_get("public_id")?;
        let code: String = r.try_get("tracking_code")?;
        let due_text: String = r.try_get("due_on")?;
        let who = r
            .try_get::<Option<String>, _>("department")?
            .unwrap_or_else(|| "信用办（待分办）".into());
        let Some(due) = Ymd::parse_iso(&due_text) else {
            continue;
        };
        let [soon_key, overdue_key] = alarm_keys(&public_id);
        match consult::deadline(&cal, today, due) {
            Deadline::InTime => {}
            Deadline::DueSoon => {
                alarms::raise(
                    &state.db,
                    &state.clock,
                    &soon_key,
                    Severity::Info,
                    &format!("咨询 {code} 即将到期"),
                    &format!("承办：{who}。应于 {due_text} 前答复。"),
                )
                .await?;
                open.insert(soon_key);
                report.reminders += 1;
            }
            Deadline::Overdue => {
                alarms::raise(
                    &state.db,
                    &state.clock,
                    &overdue_key,
                    Severity::Warning,
                    &format!("咨询 {code} 逾期未答复"),
                    &format!("承办：{who}。应于 {due_text} 前答复，已逾期。"),
                )
                .await?;
                open.insert(overdue_key);
                report.overdue += 1;
            }
        }
    }
    // Alarms whose condition has gone (answered, or a reminder now overdue) are resolved.
    let raised = sqlx::query(
        "SELECT alarm_key FROM alarms WHERE alarm_key LIKE 'help.%' AND status <> 'resolved'",
    )
    .fetch_all(&state.db.pool)
    .await?;
    for r in raised {
        let key: String = r.try_get("alarm_key")?;
        if !open.contains(&key) {
            alarms::resolve_key(
                &state.db,
                &state.clock,
                &key,
                "咨询已答复或已转为逾期，自动解除。",
            )
            .await?;
        }
    }
    Ok(report)
}

/// Unanswered consultations for the site-health board (docs/domain.md §13): past their due date an
/// inspection problem, due today or on the next working day a warning.
pub async fn health_problems(state: &AppState) -> Result<Vec<Problem>, AppError> {
    let cal = calendar::load(&state.db).await?;
    let today = state.clock.today();
    let days = answer_days(state).await?;
    let rows = sqlx::query("SELECT due_on FROM consultations WHERE status IN ('new', 'routed')")
        .fetch_all(&state.db.pool)
        .await?;
    let (mut overdue, mut soon): (Vec<Ymd>, Vec<Ymd>) = (vec![], vec![]);
    for r in &rows {
        let Some(due) = Ymd::parse_iso(&r.try_get::<String, _>("due_on")?) else {
            continue;
        };
        match consult::deadline(&cal, today, due) {
            Deadline::Overdue => overdue.push(due),
            Deadline::DueSoon => soon.push(due),
            Deadline::InTime => {}
        }
    }
    let mut out = vec![];
    if let Some(first) = overdue.iter().min() {
        out.push(Problem {
            key: "cms.health.consult_overdue".into(),
            level: Level::Error,
            subject: "咨询答复".into(),
            message: format!(
                "{} 条群众咨询超过 {days} 个工作日未答复，检查时将判为不合格，请尽快答复。",
                overdue.len()
            ),
            deadline: Some(first.iso()),
            href: Some("/console/help?overdue=1".into()),
        });
    }
    if let Some(first) = soon.iter().min() {
        out.push(Problem {
            key: "cms.health.consult_due".into(),
            level: Level::Warning,
            subject: "咨询答复".into(),
            message: format!("{} 条群众咨询即将到期，请按时答复。", soon.len()),
            deadline: Some(first.iso()),
            href: Some("/console/help?status=open".into()),
        });
    }
    Ok(out)
}
