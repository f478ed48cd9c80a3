//! Calendar helpers without a date library, so that they run in WASM unchanged.

/// A calendar date (proleptic Gregorian).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct Ymd {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Ymd {
    pub const fn new(year: i32, month: u32, day: u32) -> Self {
        Self { year, month, day }
    }

    /// Builds a date only when it exists in the calendar.
    pub fn checked(year: i32, month: u32, day: u32) -> Option<Self> {
        (1..=12).contains(&month).then_some(())?;
        (day >= 1 && day <= days_in_month(year, month)).then_some(Self { year, month, day })
    }

    /// Parses `YYYYMMDD`.
    pub fn parse_compact(s: &str) -> Option<Self> {
        if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Self::checked(
            s[0..4].parse().ok()?,
            s[4..6].parse().ok()?,
            s[6..8].parse().ok()?,
        )
    }

    /// Years completed between `self` (a birth date) and `on`.
    pub fn age_on(&self, on: Ymd) -> i32 {
        let mut age = on.year - self.year;
        if (on.month, on.day) < (self.month, self.day) {
            age -= 1;
        }
        age
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_from_epoch(&self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// Inverse of [`Ymd::days_from_epoch`].
    pub fn from_days(days: i64) -> Self {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Self { year, month, day }
    }

    pub fn add_days(&self, n: i64) -> Self {
        Self::from_days(self.days_from_epoch() + n)
    }

    /// Adds calendar months, clamping the day to the target month's end (1-31 + 1 month = 2-28/29).
    pub fn add_months(&self, n: i32) -> Self {
        let total = self.year * 12 + self.month as i32 - 1 + n;
        let (year, month) = (total.div_euclid(12), total.rem_euclid(12) as u32 + 1);
        Self {
            year,
            month,
            day: self.day.min(days_in_month(year, month)),
        }
    }

    /// ISO 8601 `YYYY-MM-DD`.
    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// Parses ISO `YYYY-MM-DD`.
    pub fn parse_iso(s: &str) -> Option<Self> {
        let mut it = s.get(0..10)?.split('-');
        let (y, m, d) = (it.next()?, it.next()?, it.next()?);
        Self::checked(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }
}

/// The stored UTC time (RFC 3339 text, comparable as text) at which a Beijing day begins: 16:00 UTC the
/// day before. Filters by Beijing day compare stored times against it.
pub fn beijing_day_start_utc(day: Ymd) -> String {
    format!("{}T16:00:00", day.add_days(-1).iso())
}

/// A date filter as typed (`YYYY-MM-DD`, or empty for none); a wrong one names its field.
pub fn filter_day(field: &str, v: &str) -> Result<Option<Ymd>, crate::error::AppError> {
    let v = v.trim();
    if v.is_empty() {
        return Ok(None);
    }
    Ymd::parse_iso(v).map(Some).ok_or_else(|| {
        crate::error::AppError::field(field, "DATE_INVALID", "请按 年-月-日 填写日期。")
    })
}

/// An RFC 3339 UTC timestamp (as stored) shown in Beijing time to the minute: `2026-11-29 21:34`.
/// Text that is not such a timestamp comes back unchanged.
pub fn beijing_minute(utc: &str) -> String {
    let parsed = (|| {
        let day = Ymd::parse_iso(utc.get(..10)?)?;
        if utc.as_bytes().get(10) != Some(&b'T') || !utc.ends_with('Z') {
            return None;
        }
        let hour: i64 = utc.get(11..13)?.parse().ok()?;
        let minute = utc.get(14..16)?;
        minute.parse::<u32>().ok()?;
        let shifted = hour + 8;
        let day = day.add_days(shifted / 24);
        Some(format!("{} {:02}:{minute}", day.iso(), shifted % 24))
    })();
    parsed.unwrap_or_else(|| utc.to_string())
}

pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_show_in_beijing_time() {
        assert_eq!(
            beijing_minute("2026-11-29T13:34:22.684Z"),
            "2026-11-29 21:34"
        );
        assert_eq!(beijing_minute("2026-12-31T16:05:00Z"), "2027-01-01 00:05");
        assert_eq!(beijing_minute("2024-02-28T20:00:00Z"), "2024-02-29 04:00");
        assert_eq!(beijing_minute("—"), "—");
        assert_eq!(beijing_minute("2026-11-29"), "2026-11-29");
    }

    #[test]
    fn rejects_impossible_dates() {
        assert!(Ymd::checked(2023, 2, 29).is_none());
        assert!(Ymd::checked(2024, 2, 29).is_some());
        assert!(Ymd::checked(1900, 2, 29).is_none());
        assert!(Ymd::checked(2000, 2, 29).is_some());
        assert!(Ymd::checked(2024, 13, 1).is_none());
        assert!(Ymd::checked(2024, 4, 31).is_none());
    }

    #[test]
    fn epoch_days_round_trip() {
        assert_eq!(Ymd::new(1970, 1, 1).days_from_epoch(), 0);
        assert_eq!(Ymd::new(2000, 3, 1).days_from_epoch(), 11_017);
        for d in [-800_000, -1, 0, 59, 11_016, 20_000, 47_000] {
            assert_eq!(Ymd::from_days(d).days_from_epoch(), d);
        }
    }

    #[test]
    fn month_arithmetic_clamps() {
        assert_eq!(Ymd::new(2024, 1, 31).add_months(1), Ymd::new(2024, 2, 29));
        assert_eq!(Ymd::new(2024, 11, 30).add_months(3), Ymd::new(2025, 2, 28));
        assert_eq!(Ymd::new(2024, 5, 15).add_months(-6), Ymd::new(2023, 11, 15));
    }

    #[test]
    fn ages() {
        let birth = Ymd::new(2008, 6, 1);
        assert_eq!(birth.age_on(Ymd::new(2026, 5, 31)), 17);
        assert_eq!(birth.age_on(Ymd::new(2026, 6, 1)), 18);
    }
}
