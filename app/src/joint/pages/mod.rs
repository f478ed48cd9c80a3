//! 联合奖惩 pages in the console: the measures list, the service matters, the check and its log, the batch check, the embedded check's settings and the statistics.
pub mod batch;
pub mod check;
pub mod embed;
pub mod matters;
pub mod measures;
pub mod stats;
