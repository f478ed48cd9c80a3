//! When a list entry is in force (docs/domain.md §8): from its `listed_on` day until the day before
//! its `removed_on`, unless its status is 已移出. Pure: the check, the lists and the daily job ask here.
use crate::rules::date::Ymd;
use serde_json::{Map, Value};

/// The catalogue classes of the three lists.
pub const LIST_CLASSES: [&str; 3] = ["red_list", "black_list", "watch_list"];
/// The status of an entry in force, and of one removed.
pub const IN_FORCE: &str = "有效";
pub const REMOVED: &str = "已移出";

/// The dates and status of one entry, read from its stored payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    pub listed_on: Option<Ymd>,
    pub removed_on: Option<Ymd>,
    pub removed: bool,
}

impl Term {
    /// Reads a stored payload (canonical values by field key; dates as `YYYY-MM-DD`).
    pub fn from_payload(p: &Map<String, Value>) -> Term {
        let day = |k: &str| p.get(k).and_then(Value::as_str).and_then(Ymd::parse_iso);
        Term {
            listed_on: day("listed_on"),
            removed_on: day("removed_on"),
            removed: p.get("status").and_then(Value::as_str) == Some(REMOVED),
        }
    }

    /// In force on `on`: listed by then, not yet removed. An entry without a readable listing date is
    /// never in force (a check must not act on what it cannot date).
    pub fn in_force(&self, on: Ymd) -> bool {
        !self.removed
            && self.listed_on.is_some_and(|l| l <= on)
            && self.removed_on.is_none_or(|r| on < r)
    }

    /// Still marked in force although its removal date has come by `today`: the daily job ends it.
    pub fn due_to_end(&self, today: Ymd) -> bool {
        !self.removed && self.removed_on.is_some_and(|r| r <= today)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(listed: &str, removed: &str, status: &str) -> Term {
        let v = serde_json::json!({ "listed_on": listed, "removed_on": removed, "status": status });
        Term::from_payload(v.as_object().unwrap())
    }

    fn d(s: &str) -> Ymd {
        Ymd::parse_iso(s).unwrap()
    }

    #[test]
    fn in_force_from_listing_until_the_day_before_removal() {
        let t = term("2026-03-01", "2026-09-01", IN_FORCE);
        assert!(!t.in_force(d("2026-02-28")));
        assert!(t.in_force(d("2026-03-01")));
        assert!(t.in_force(d("2026-08-31")));
        assert!(!t.in_force(d("2026-09-01")), "removed on its removal day");
        assert!(!t.due_to_end(d("2026-08-31")));
        assert!(t.due_to_end(d("2026-09-01")));
    }

    #[test]
    fn open_ended_removed_and_undated_entries() {
        let open = term("2026-03-01", "", IN_FORCE);
        assert!(open.in_force(d("2030-01-01")));
        assert!(!open.due_to_end(d("2030-01-01")));
        let removed = term("2026-03-01", "", REMOVED);
        assert!(!removed.in_force(d("2026-06-01")));
        assert!(!removed.due_to_end(d("2026-06-01")), "already ended");
        assert!(!term("", "", IN_FORCE).in_force(d("2026-06-01")));
        assert!(!term("2026-13-01", "", IN_FORCE).in_force(d("2026-06-01")));
    }
}
