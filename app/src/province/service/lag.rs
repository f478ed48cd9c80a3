//! The lag of the push against the 7-working-day rule (docs/domain.md §5): a decision is public, and at
//! the province, within 7 working days. The hourly job `province.push_lag` counts pending messages
//! whose record is past the rule or within two working days of it, and keeps one alarm open while any
//! is; the push log shows the same counts.
use super::log::{FROM, START_DAY};
use crate::error::AppError;
use crate::province::model::{DUE_WORKING_DAYS, WARN_WORKING_DAYS};
use crate::rules::date::Ymd;
use crate::rules::workdays::Calendar;
use crate::server::alarms::{self, Severity};
use crate::server::{calendar, AppState};
use sqlx::Row;

pub const JOB: &str = "province.push_lag";
pub const ALARM_KEY: &str = "province.push_lag";

/// The last start day already past the rule today (lag > 7 working days), and the last within two
/// working days of it (lag ≥ 5).
pub fn thresholds(cal: &Calendar, today: Ymd) -> (String, String) {
    let back_to = |lag: u32| {
        let mut d = today;
        while cal.working_days_between(d, today) < lag {
            d = d.add_days(-1);
        }
        d.iso()
    };
    (back_to(DUE_WORKING_DAYS + 1), back_to(WARN_WORKING_DAYS))
}

/// Pending messages past the rule, and those about to miss it.
pub async fn counts(state: &AppState, cal: &Calendar) -> Result<(i64, i64), AppError> {
    let (late_day, soon_day) = thresholds(cal, state.clock.today());
    let mut n = [0_i64; 2];
    for (slot, day) in n.iter_mut().zip([late_day, soon_day]) {
        *slot = sqlx::query(&format!(
            "SELECT COUNT(*) AS n {FROM} WHERE o.state = 'pending' AND {START_DAY} <= $1"
        ))
        .bind(day)
        .fetch_one(&state.db.pool)
        .await?
        .try_get("n")?;
    }
    let [late, soon] = n;
    Ok((late, soon - late))
}

/// The job: one alarm while records are late or about to be, resolved when none is. Off while no
/// province URL is configured.
pub async fn scan(state: &AppState) -> Result<(i64, i64), AppError> {
    // Without a province link nothing is pushed at all; the push log says so on its first line.
    if state.config.province.url.is_none() {
        return Ok((0, 0));
    }
    let cal = calendar::load(&state.db).await?;
    let (late, due_soon) = counts(state, &cal).await?;
    if late + due_soon > 0 {
        alarms::raise(
            &state.db,
            &state.clock,
            ALARM_KEY,
            if late > 0 {
                Severity::Critical
            } else {
                Severity::Warning
            },
            "推送省平台的记录临近或超过7个工作日",
            &format!(
                "待推送的记录中，已超过7个工作日 {late} 条，5个工作日以上 {due_soon} 条。请在推送日志中查看原因（省平台故障、被拒收或推送计划过疏）。"
            ),
        )
        .await?;
    } else {
        alarms::resolve_key(
            &state.db,
            &state.clock,
            ALARM_KEY,
            "已无临近超期的待推送记录",
        )
        .await?;
    }
    Ok((late, due_soon))
}
