//! The credit office's dashboard and monthly report: data received, activity and the quality module's
//! own figures (not recomputed here).
use super::received::{self, Window};
use super::{activity, months_ending, MONTHS};
use crate::collect::service::quality;
use crate::error::AppError;
use crate::server::authz::Caller;
use crate::server::AppState;
use crate::stats::model::Dashboard;

/// The dashboard (`month` empty: every record held) or the report of one month (`YYYY-MM`; a month
/// that is not one means this month).
pub async fn dashboard(
    state: &AppState,
    caller: &Caller,
    month: &str,
) -> Result<Dashboard, AppError> {
    let current: String = state.clock.today().iso().chars().take(7).collect();
    let (month, window) = if month.is_empty() {
        (String::new(), Window::default())
    } else {
        let m = quality::month_or_current(state, month);
        let (from, to) = quality::month_bounds(&m).unwrap_or_default();
        (m, Window { from, to })
    };
    let last = if month.is_empty() {
        current.clone()
    } else {
        month.clone()
    };
    let board = quality::board(state, caller, &last).await?;
    let mut months = months_ending(&current, MONTHS);
    months.reverse();
    Ok(Dashboard {
        as_of: state.clock.today().iso(),
        months,
        by_class: received::by_class(state, &window).await?,
        by_department: received::by_department(state, &window).await?,
        by_county: received::by_county(state, &window).await?,
        by_month: received::by_month(state, &last, MONTHS).await?,
        activity: activity::by_month(state, &last, MONTHS).await?,
        quality_league: board.league,
        quality_trend: board.trend,
        month,
    })
}
