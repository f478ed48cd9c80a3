//! The hourly deadline scan of open cases (docs/domain.md §10, §11): a reminder alarm when a step or
//! the result is due on the next working day (or today), one alarm once overdue; both resolved when
//! the case moves on. Paused cases (waiting for the applicant) are never late.
use super::{alarm_keys, Stored, COLUMNS, FROM};
use crate::error::AppError;
use crate::help::consult::Deadline;
use crate::server::alarms::{self, Severity};
use crate::server::{calendar, AppState};
use sqlx::Row;

pub const JOB: &str = "cases.due_scan";

/// What one scan did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ScanReport {
    pub reminders: u64,
    pub overdue: u64,
}

pub async fn scan(state: &AppState) -> Result<ScanReport, AppError> {
    let cal = calendar::load(&state.db).await?;
    let today = state.clock.today();
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} {FROM} WHERE c.closed_at IS NULL"
    ))
    .fetch_all(&state.db.pool)
    .await?;
    let mut report = ScanReport::default();
    let mut open = std::collections::HashSet::new();
    for r in &rows {
        let s = Stored::from_row(r)?;
        let Some(due) = s.clock.next_due() else {
            continue;
        };
        let who = s
            .department_name
            .clone()
            .unwrap_or_else(|| "信用办（待分办）".into());
        let [soon_key, overdue_key] = alarm_keys(&s.public_id);
        let title = format!("{} {}", s.kind.label(), s.tracking_code);
        let state_label = s.kind.flow().state_label(&s.state);
        match s.clock.standing(&cal, today) {
            Some(Deadline::DueSoon) => {
                alarms::raise(
                    &state.db,
                    &state.clock,
                    &soon_key,
                    Severity::Info,
                    &format!("{title} 即将到期"),
                    &format!(
                        "{}：{state_label}，承办：{who}。应于 {} 前办结本环节。",
                        s.subject_name,
                        due.iso()
                    ),
                )
                .await?;
                open.insert(soon_key);
                report.reminders += 1;
            }
            Some(Deadline::Overdue) => {
                alarms::raise(
                    &state.db,
                    &state.clock,
                    &overdue_key,
                    Severity::Warning,
                    &format!("{title} 已逾期"),
                    &format!(
                        "{}：{state_label}，承办：{who}。应于 {} 前办结，已逾期。",
                        s.subject_name,
                        due.iso()
                    ),
                )
                .await?;
                open.insert(overdue_key);
                report.overdue += 1;
            }
            _ => {}
        }
    }
    let raised = sqlx::query(
        "SELECT alarm_key FROM alarms WHERE alarm_key LIKE 'cases.%' AND status <> 'resolved'",
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
                "案件已办理或已转为逾期，自动解除。",
            )
            .await?;
        }
    }
    Ok(report)
}
