//! 联合奖惩 services: the daily end of list entries whose removal date has come, the measures list
//! and the service matters.
pub mod expiry;
pub mod matters;
pub mod measures;
