//! Small in-process caches of facts that change rarely. They live in the `AppState` (not in statics):
//! the tests run many databases in one process.
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct Caches {
    /// Credit searches whose matches reached the count cap ("1万+"): such a count does not drop under
    /// the cap in minutes, so it is not counted again for a while.
    pub capped_searches: TtlSet,
    /// The portal's visible columns (every page's navigation); cleared when an operator edits them.
    pub nav: TtlValue<Vec<crate::portal::model::ColumnInfo>>,
    /// The source units offered by the search filter.
    pub units: TtlValue<Vec<(String, String)>>,
    /// The disclosure choices (a setting) every public credit query reads.
    pub disclosure: TtlValue<crate::credit::visibility::DisclosurePolicy>,
    /// The working-day calendar and the feedback days of 联合奖惩 checks (every check with hits).
    pub feedback_terms: TtlValue<(crate::rules::workdays::Calendar, u32)>,
}

impl Default for Caches {
    fn default() -> Self {
        Caches {
            capped_searches: TtlSet::default(),
            nav: TtlValue::new(Duration::from_secs(2)),
            units: TtlValue::new(Duration::from_secs(60)),
            disclosure: TtlValue::new(Duration::from_secs(2)),
            feedback_terms: TtlValue::new(Duration::from_secs(60)),
        }
    }
}

/// One value kept for `ttl` (many requests a second read it; a short delay after a change is fine).
pub struct TtlValue<T> {
    ttl: Duration,
    inner: Mutex<Option<(Instant, T)>>,
}

impl<T: Clone> TtlValue<T> {
    pub fn new(ttl: Duration) -> Self {
        TtlValue {
            ttl,
            inner: Mutex::new(None),
        }
    }

    pub fn get(&self) -> Option<T> {
        let slot = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        slot.as_ref()
            .filter(|(at, _)| at.elapsed() < self.ttl)
            .map(|(_, v)| v.clone())
    }

    pub fn put(&self, value: T) {
        *self.inner.lock().unwrap_or_else(|e| e.into_inner()) = Some((Instant::now(), value));
    }

    pub fn clear(&self) {
        *self.inner.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
}

/// Keys remembered for `ttl`, at most `max` of them (the oldest go first when full).
pub struct TtlSet {
    ttl: Duration,
    max: usize,
    inner: Mutex<HashMap<String, Instant>>,
}

impl Default for TtlSet {
    fn default() -> Self {
        TtlSet::new(Duration::from_secs(600), 20_000)
    }
}

impl TtlSet {
    pub fn new(ttl: Duration, max: usize) -> Self {
        TtlSet {
            ttl,
            max,
            inner: Mutex::new(HashMap::new()),
        }
    }

    pub fn contains(&self, key: &str) -> bool {
        let map = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        map.get(key).is_some_and(|at| at.elapsed() < self.ttl)
    }

    pub fn insert(&self, key: String) {
        let mut map = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= self.max {
            let ttl = self.ttl;
            map.retain(|_, at| at.elapsed() < ttl);
            if map.len() >= self.max {
                if let Some(oldest) = map
                    .iter()
                    .min_by_key(|(_, at)| **at)
                    .map(|(k, _)| k.clone())
                {
                    map.remove(&oldest);
                }
            }
        }
        map.insert(key, Instant::now());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_expire_and_the_set_stays_bounded() {
        let s = TtlSet::new(Duration::from_millis(30), 2);
        s.insert("a".into());
        assert!(s.contains("a"));
        s.insert("b".into());
        s.insert("c".into());
        assert!(!s.contains("a"), "the oldest went when full");
        assert!(s.contains("b") && s.contains("c"));
        std::thread::sleep(Duration::from_millis(40));
        assert!(!s.contains("c"));
    }
}
