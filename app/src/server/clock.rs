//! The one clock. All code reads time here, so that tests can set and advance it;
//! production mode refuses to move it.
use crate::error::AppError;
use crate::rules::date::Ymd;
use std::sync::{Arc, Mutex};
use time::{Duration, OffsetDateTime, UtcOffset};

/// China Standard Time: dates shown to users and date rules use it.
pub const CST: UtcOffset = match UtcOffset::from_hms(8, 0, 0) {
    Ok(o) => o,
    Err(_) => UtcOffset::UTC,
};

#[derive(Clone)]
pub struct Clock {
    inner: Arc<Inner>,
}

struct Inner {
    adjustable: bool,
    /// `None`: real time plus `offset`. `Some`: frozen at that instant.
    state: Mutex<(Option<OffsetDateTime>, Duration)>,
}

impl Clock {
    /// Real time that cannot be moved (production).
    pub fn system() -> Self {
        Self::build(false)
    }

    /// Real time that tests may set or advance.
    pub fn adjustable() -> Self {
        Self::build(true)
    }

    fn build(adjustable: bool) -> Self {
        Clock {
            inner: Arc::new(Inner {
                adjustable,
                state: Mutex::new((None, Duration::ZERO)),
            }),
        }
    }

    pub fn now(&self) -> OffsetDateTime {
        let (frozen, offset) = *self.inner.state.lock().unwrap_or_else(|p| p.into_inner());
        frozen.unwrap_or_else(OffsetDateTime::now_utc) + offset
    }

    /// RFC 3339 UTC text, the storage form of timestamps.
    pub fn now_text(&self) -> String {
        rfc3339(self.now())
    }

    /// Today's date in China.
    pub fn today(&self) -> Ymd {
        let d = self.now().to_offset(CST).date();
        Ymd::new(d.year(), u8::from(d.month()) as u32, d.day() as u32)
    }

    pub fn is_adjustable(&self) -> bool {
        self.inner.adjustable
    }

    fn refuse(&self) -> Result<(), AppError> {
        if self.inner.adjustable {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Freezes the clock at `at`.
    pub fn set(&self, at: OffsetDateTime) -> Result<(), AppError> {
        self.refuse()?;
        *self.inner.state.lock().unwrap_or_else(|p| p.into_inner()) = (Some(at), Duration::ZERO);
        Ok(())
    }

    /// Moves the clock forward (or back) by `by`.
    pub fn advance(&self, by: Duration) -> Result<(), AppError> {
        self.refuse()?;
        self.inner.state.lock().unwrap_or_else(|p| p.into_inner()).1 += by;
        Ok(())
    }
}

/// Formats a timestamp as RFC 3339 in UTC with millisecond precision, so text order is time order.
pub fn rfc3339(t: OffsetDateTime) -> String {
    let t = t.to_offset(UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

pub fn parse_rfc3339(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_clock_refuses_to_move() {
        let c = Clock::system();
        assert_eq!(c.advance(Duration::hours(1)), Err(AppError::Forbidden));
        assert_eq!(c.set(OffsetDateTime::UNIX_EPOCH), Err(AppError::Forbidden));
    }

    #[test]
    fn adjustable_clock_sets_and_advances() {
        let c = Clock::adjustable();
        let t = OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap();
        c.set(t).unwrap();
        assert_eq!(c.now(), t);
        c.advance(Duration::days(1)).unwrap();
        assert_eq!(c.now(), t + Duration::days(1));
        assert_eq!(c.now_text(), "2027-01-16T08:00:00.000Z");
        assert_eq!(c.today(), Ymd::new(2027, 1, 16));
        assert_eq!(parse_rfc3339(&c.now_text()), Some(c.now()));
    }
}
