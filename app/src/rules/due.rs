//! Update due dates (到期更新, docs/domain.md §5 and §6a): when a unit's next submission of a class is due from
//! its catalogue frequency, how it stands today, and the 7-working-day publication rule. Pure: the
//! thresholds come from settings, the holidays from the calendar staff keep.
use super::date::Ymd;
use super::workdays::Calendar;
use serde::{Deserialize, Serialize};

/// Thresholds, kept in settings (`collect.due_policy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DuePolicy {
    /// "Due soon" this many days before the due date: the unit gets a reminder.
    pub soon_days: i64,
    /// Overdue by more than this many days: an alarm for the credit office.
    pub long_overdue_days: i64,
    /// Licences and penalties are published within this many working days of the decision.
    pub publish_within_workdays: u32,
}

impl Default for DuePolicy {
    fn default() -> Self {
        DuePolicy {
            soon_days: 3,
            long_overdue_days: 15,
            publish_within_workdays: 7,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DueState {
    Ok,
    Soon,
    Overdue,
    LongOverdue,
}

impl DueState {
    pub fn as_str(&self) -> &'static str {
        match self {
            DueState::Ok => "ok",
            DueState::Soon => "soon",
            DueState::Overdue => "overdue",
            DueState::LongOverdue => "long_overdue",
        }
    }
    pub fn label(&self) -> &'static str {
        match self {
            DueState::Ok => "正常",
            DueState::Soon => "即将到期",
            DueState::Overdue => "已逾期",
            DueState::LongOverdue => "严重逾期",
        }
    }
    pub fn parse(s: &str) -> DueState {
        match s {
            "soon" => DueState::Soon,
            "overdue" => DueState::Overdue,
            "long_overdue" => DueState::LongOverdue,
            _ => DueState::Ok,
        }
    }
}

/// The next submission after `last` for a catalogue frequency (codes of `catalog::FREQUENCIES`).
/// Daily and real-time classes are due the next working day; the others by calendar period.
pub fn next_due(calendar: &Calendar, last: Ymd, frequency: &str) -> Ymd {
    match frequency {
        "weekly" => last.add_days(7),
        "monthly" => last.add_months(1),
        "quarterly" => last.add_months(3),
        "yearly" => last.add_months(12),
        _ => calendar.add_working_days(last, 1),
    }
}

/// Where a due date stands today, and the days left (negative: days overdue).
pub fn standing(today: Ymd, due: Ymd, policy: &DuePolicy) -> (DueState, i64) {
    let left = due.days_from_epoch() - today.days_from_epoch();
    let state = if left < -policy.long_overdue_days {
        DueState::LongOverdue
    } else if left < 0 {
        DueState::Overdue
    } else if left <= policy.soon_days {
        DueState::Soon
    } else {
        DueState::Ok
    };
    (state, left)
}

/// True when a record was published later than the rule allows after its decision.
pub fn published_late(
    calendar: &Calendar,
    decided: Ymd,
    published: Ymd,
    policy: &DuePolicy,
) -> bool {
    calendar.working_days_between(decided, published) > policy.publish_within_workdays
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::workdays::DayKind;

    fn d(y: i32, m: u32, day: u32) -> Ymd {
        Ymd::new(y, m, day)
    }

    #[test]
    fn frequencies_give_the_next_due_day() {
        let cal = Calendar::new([]);
        // Friday 2026-11-27: the next working day is Monday.
        assert_eq!(next_due(&cal, d(2026, 11, 27), "daily"), d(2026, 11, 30));
        assert_eq!(next_due(&cal, d(2026, 11, 27), "weekly"), d(2026, 12, 4));
        assert_eq!(next_due(&cal, d(2026, 1, 31), "monthly"), d(2026, 2, 28));
        assert_eq!(next_due(&cal, d(2026, 11, 30), "quarterly"), d(2027, 2, 28));
        assert_eq!(next_due(&cal, d(2026, 3, 1), "yearly"), d(2027, 3, 1));
    }

    #[test]
    fn standing_by_days_left() {
        let p = DuePolicy::default();
        let today = d(2026, 11, 29);
        assert_eq!(standing(today, d(2026, 12, 10), &p), (DueState::Ok, 11));
        assert_eq!(standing(today, d(2026, 12, 2), &p), (DueState::Soon, 3));
        assert_eq!(standing(today, today, &p), (DueState::Soon, 0));
        assert_eq!(
            standing(today, d(2026, 11, 28), &p),
            (DueState::Overdue, -1)
        );
        assert_eq!(
            standing(today, d(2026, 11, 14), &p),
            (DueState::Overdue, -15)
        );
        assert_eq!(
            standing(today, d(2026, 11, 13), &p),
            (DueState::LongOverdue, -16)
        );
    }

    #[test]
    fn seven_working_days_count_the_holiday_calendar() {
        let p = DuePolicy::default();
        // Decision on Monday 2026-09-28; 国庆 1–7 October are holidays, Saturday 10-10 a make-up day.
        let mut days: Vec<(Ymd, DayKind)> = (1..=7)
            .map(|x| (d(2026, 10, x), DayKind::Holiday))
            .collect();
        days.push((d(2026, 10, 10), DayKind::Workday));
        let cal = Calendar::new(days);
        // Working days after the decision: 9-29, 9-30, 10-8, 10-9, 10-10, 10-12, 10-13 (the 7th).
        assert!(!published_late(&cal, d(2026, 9, 28), d(2026, 10, 13), &p));
        assert!(published_late(&cal, d(2026, 9, 28), d(2026, 10, 14), &p));
        // Without the holidays the same dates would be late long before.
        let plain = Calendar::new([]);
        assert!(published_late(&plain, d(2026, 9, 28), d(2026, 10, 13), &p));
    }
}
