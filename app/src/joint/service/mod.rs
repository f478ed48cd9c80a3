//! 联合奖惩 services: the daily end of list entries whose removal date has come, the measures list,
//! the service matters, the check with its log, the batch check, the feedback that closes its loop, and the office's statistics.
pub mod batch;
pub mod check;
pub mod embed;
pub mod expiry;
pub mod feedback;
pub mod log;
pub mod matters;
pub mod measures;
pub mod stats;
