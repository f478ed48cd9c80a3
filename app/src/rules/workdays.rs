//! Working days (docs/domain.md §13a): weekends and public holidays are off, adjusted weekend working days (调休)
//! are on. The calendar is data that staff edit; the server loads it from the database. The file shipped
//! here only seeds that table.
use super::date::Ymd;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DayKind {
    /// A public holiday (off even on a weekday).
    Holiday,
    /// An adjusted working day (on even at a weekend).
    Workday,
}

impl DayKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            DayKind::Holiday => "holiday",
            DayKind::Workday => "workday",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "holiday" => Some(DayKind::Holiday),
            "workday" => Some(DayKind::Workday),
            _ => None,
        }
    }
}

/// Official days shipped with the code: (date, kind, name) rows of `data/holidays_cn.tsv`.
pub fn builtin_days() -> Vec<(Ymd, DayKind, String)> {
    include_str!("data/holidays_cn.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let mut cols = l.split('\t');
            let day = Ymd::parse_iso(cols.next()?)?;
            let kind = DayKind::parse(cols.next()?)?;
            Some((day, kind, cols.next().unwrap_or_default().to_string()))
        })
        .collect()
}

/// 0 = Monday … 6 = Sunday.
pub fn weekday(d: Ymd) -> u32 {
    // 1970-01-01 was a Thursday (3).
    ((d.days_from_epoch() + 3).rem_euclid(7)) as u32
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    special: BTreeMap<Ymd, DayKind>,
}

impl Calendar {
    pub fn new(days: impl IntoIterator<Item = (Ymd, DayKind)>) -> Self {
        Calendar {
            special: days.into_iter().collect(),
        }
    }

    pub fn builtin() -> Self {
        Self::new(builtin_days().into_iter().map(|(d, k, _)| (d, k)))
    }

    pub fn is_working_day(&self, d: Ymd) -> bool {
        match self.special.get(&d) {
            Some(DayKind::Holiday) => false,
            Some(DayKind::Workday) => true,
            None => weekday(d) < 5,
        }
    }

    /// Working days after `start`, in order (endless).
    fn working_days_after(&self, start: Ymd) -> impl Iterator<Item = Ymd> + '_ {
        std::iter::successors(Some(start.add_days(1)), |d| Some(d.add_days(1)))
            .filter(|d| self.is_working_day(*d))
    }

    /// The `n`-th working day after `start` (not counting `start`): "within 7 working days of the decision".
    pub fn add_working_days(&self, start: Ymd, n: u32) -> Ymd {
        match n {
            0 => start,
            _ => self
                .working_days_after(start)
                .nth(n as usize - 1)
                .unwrap_or(start),
        }
    }

    /// Working days after `from` up to and including `to` (0 when `to` is not after `from`).
    pub fn working_days_between(&self, from: Ymd, to: Ymd) -> u32 {
        self.working_days_after(from)
            .take_while(|d| *d <= to)
            .count() as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekdays() {
        assert_eq!(weekday(Ymd::new(2026, 11, 29)), 6, "a Sunday");
        assert_eq!(weekday(Ymd::new(2026, 11, 30)), 0, "a Monday");
        assert_eq!(weekday(Ymd::new(1970, 1, 1)), 3);
    }

    #[test]
    fn national_day_2026() {
        let cal = Calendar::builtin();
        assert!(!cal.is_working_day(Ymd::new(2026, 10, 1)));
        assert!(
            cal.is_working_day(Ymd::new(2026, 10, 10)),
            "调休: a Saturday that is worked"
        );
        assert!(
            cal.is_working_day(Ymd::new(2026, 9, 20)),
            "调休: a Sunday that is worked"
        );
        // Decided on Wednesday 30 September: Oct 8, 9, 10 (Sat, worked), 12, 13, 14, 15.
        assert_eq!(
            cal.add_working_days(Ymd::new(2026, 9, 30), 7),
            Ymd::new(2026, 10, 15)
        );
        assert_eq!(
            cal.working_days_between(Ymd::new(2026, 9, 30), Ymd::new(2026, 10, 15)),
            7
        );
    }

    #[test]
    fn plain_weeks_without_holidays() {
        let cal = Calendar::default();
        // Friday + 1 working day = Monday.
        assert_eq!(
            cal.add_working_days(Ymd::new(2026, 11, 27), 1),
            Ymd::new(2026, 11, 30)
        );
        assert_eq!(
            cal.add_working_days(Ymd::new(2026, 11, 27), 0),
            Ymd::new(2026, 11, 27)
        );
        assert_eq!(
            cal.working_days_between(Ymd::new(2026, 11, 30), Ymd::new(2026, 11, 23)),
            0
        );
    }

    #[test]
    fn shipped_data_covers_recent_years() {
        let days = builtin_days();
        assert!(days.len() > 200);
        for year in 2020..=2026 {
            assert!(
                days.iter()
                    .any(|(d, k, n)| d.year == year && *k == DayKind::Holiday && n == "春节"),
                "{year}"
            );
        }
    }
}
