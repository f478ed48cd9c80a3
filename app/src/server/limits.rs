//! Per-instance rate limits (docs/domain.md §15: rate-limit logins per IP). Counters live in memory, which the
//! architecture allows for limits: each instance limits what it serves.
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub struct Limits {
    login: DefaultKeyedRateLimiter<String>,
    search: DefaultKeyedRateLimiter<String>,
    report: DefaultKeyedRateLimiter<String>,
    export: DefaultKeyedRateLimiter<String>,
    /// Public consultations (咨询): the help centre's form has no captcha.
    consult: DefaultKeyedRateLimiter<String>,
    /// The public tracking page of cases (`/track`).
    track: DefaultKeyedRateLimiter<String>,
    /// Online credit commitments (信用承诺): a public form without a captcha.
    commitment: DefaultKeyedRateLimiter<String>,
    /// API keys, each with its own quota (its `rate_per_min`, else `api_default`).
    keys: Mutex<HashMap<i64, (u32, Arc<DefaultDirectRateLimiter>)>>,
    api_default: u32,
}

fn per(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN)
}

fn allow(limiter: &DefaultKeyedRateLimiter<String>, ip: Option<&str>) -> bool {
    if limiter.len() > 100_000 {
        limiter.retain_recent();
    }
    limiter.check_key(&ip.unwrap_or("-").to_string()).is_ok()
}

impl Limits {
    pub fn new(login_per_minute: u32, search_per_minute: u32, reports_per_hour: u32) -> Self {
        Limits {
            login: RateLimiter::keyed(Quota::per_minute(per(login_per_minute))),
            search: RateLimiter::keyed(Quota::per_minute(per(search_per_minute))),
            report: RateLimiter::keyed(Quota::per_hour(per(reports_per_hour))),
            export: RateLimiter::keyed(Quota::per_minute(per(10))),
            consult: RateLimiter::keyed(Quota::per_hour(per(5))),
            commitment: RateLimiter::keyed(Quota::per_hour(per(5))),
            track: RateLimiter::keyed(Quota::per_minute(per(20))),
            keys: Mutex::new(HashMap::new()),
            api_default: 600,
        }
    }

    /// Sets the requests per minute of a key without its own limit (`APP_API_RATE_PER_MIN`).
    pub fn with_api_keys(mut self, per_minute: u32) -> Self {
        self.api_default = per_minute.max(1);
        self
    }

    /// One request of API key `key_id` (its own per-minute limit, or the default): `Err` with the time
    /// until the next request is allowed, for `Retry-After`.
    pub fn allow_key(&self, key_id: i64, own_per_minute: Option<i64>) -> Result<(), Duration> {
        let rate = own_per_minute
            .and_then(|r| u32::try_from(r).ok())
            .filter(|r| *r > 0)
            .unwrap_or(self.api_default);
        let limiter = {
            let mut keys = self.keys.lock().unwrap_or_else(|e| e.into_inner());
            let entry = keys.entry(key_id).or_insert_with(|| {
                (
                    rate,
                    Arc::new(RateLimiter::direct(Quota::per_minute(per(rate)))),
                )
            });
            // A changed limit starts a fresh allowance.
            if entry.0 != rate {
                *entry = (
                    rate,
                    Arc::new(RateLimiter::direct(Quota::per_minute(per(rate)))),
                );
            }
            entry.1.clone()
        };
        limiter
            .check()
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }

    /// Sets the public consultations allowed per IP per hour (`APP_CONSULT_RATE_PER_HOUR`).
    pub fn with_consults(mut self, consults_per_hour: u32) -> Self {
        self.consult = RateLimiter::keyed(Quota::per_hour(per(consults_per_hour)));
        self
    }

    /// Sets the online commitments allowed per IP per hour (`APP_COMMITMENT_RATE_PER_HOUR`).
    pub fn with_commitments(mut self, per_hour: u32) -> Self {
        self.commitment = RateLimiter::keyed(Quota::per_hour(per(per_hour)));
        self
    }

    /// Sets the public list downloads allowed per IP per minute (`APP_EXPORT_RATE_PER_MIN`).
    pub fn with_exports(mut self, exports_per_minute: u32) -> Self {
        self.export = RateLimiter::keyed(Quota::per_minute(per(exports_per_minute)));
        self
    }

    /// One login attempt from `ip`; false when the IP has used up its allowance.
    pub fn allow_login(&self, ip: Option<&str>) -> bool {
        allow(&self.login, ip)
    }

    /// One public credit search or subject page from `ip`.
    pub fn allow_search(&self, ip: Option<&str>) -> bool {
        allow(&self.search, ip)
    }

    /// One public report request from `ip`.
    pub fn allow_report(&self, ip: Option<&str>) -> bool {
        allow(&self.report, ip)
    }

    /// One public list download (XLSX) from `ip`.
    pub fn allow_export(&self, ip: Option<&str>) -> bool {
        allow(&self.export, ip)
    }

    /// Sets the tracking-page lookups allowed per IP per minute (`APP_TRACK_RATE_PER_MIN`).
    pub fn with_tracks(mut self, per_minute: u32) -> Self {
        self.track = RateLimiter::keyed(Quota::per_minute(per(per_minute)));
        self
    }

    /// One lookup of a case by tracking code from `ip`.
    pub fn allow_track(&self, ip: Option<&str>) -> bool {
        allow(&self.track, ip)
    }

    /// One public consultation from `ip`.
    pub fn allow_consult(&self, ip: Option<&str>) -> bool {
        allow(&self.consult, ip)
    }

    /// One online credit commitment from `ip`.
    pub fn allow_commitment(&self, ip: Option<&str>) -> bool {
        allow(&self.commitment, ip)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_past_its_limit_is_told_how_long_to_wait() {
        let limits = Limits::new(10, 10, 10).with_api_keys(600);
        assert!(limits.allow_key(1, Some(2)).is_ok());
        assert!(limits.allow_key(1, Some(2)).is_ok());
        let wait = limits
            .allow_key(1, Some(2))
            .expect_err("the third request is over the limit");
        // Two a minute: the next one is allowed about 30 s later.
        assert!(
            wait > Duration::from_secs(20) && wait <= Duration::from_secs(30),
            "{wait:?}"
        );
        // Another key has its own allowance, the default one.
        assert!(limits.allow_key(2, None).is_ok());
        // A raised limit takes effect at once.
        assert!(limits.allow_key(1, Some(100)).is_ok());
    }
}
