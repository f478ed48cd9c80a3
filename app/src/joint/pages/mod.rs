//! 联合奖惩 pages in the console: the measures list and the service matters.
pub mod matters;
pub mod measures;
