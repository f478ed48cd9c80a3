//! Per-instance rate limits (docs/domain.md §15: rate-limit logins per IP). Counters live in memory, which the
//! architecture allows for limits: each instance limits what it serves.
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;

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
        }
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
