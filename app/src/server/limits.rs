//! Per-instance rate limits (docs/domain.md §15: rate-limit logins per IP). Counters live in memory, which the
//! architecture allows for limits: each instance limits what it serves.
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;

pub struct Limits {
    login: DefaultKeyedRateLimiter<String>,
    search: DefaultKeyedRateLimiter<String>,
    report: DefaultKeyedRateLimiter<String>,
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
        }
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
}
