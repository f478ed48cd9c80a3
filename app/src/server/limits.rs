//! Per-instance rate limits (DOMAIN §15: rate-limit logins per IP). Counters live in memory, which the
//! architecture allows for limits: each instance limits what it serves.
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;

pub struct Limits {
    login: DefaultKeyedRateLimiter<String>,
}

impl Limits {
    pub fn new(login_per_minute: u32) -> Self {
        let per_minute = NonZeroU32::new(login_per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
        Limits {
            login: RateLimiter::keyed(Quota::per_minute(per_minute)),
        }
    }

    /// One login attempt from `ip`; false when the IP has used up its allowance.
    pub fn allow_login(&self, ip: Option<&str>) -> bool {
        if self.login.len() > 100_000 {
            self.login.retain_recent();
        }
        self.login.check_key(&ip.unwrap_or("-").to_string()).is_ok()
    }
}
