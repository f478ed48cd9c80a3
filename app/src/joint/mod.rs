//! 联合奖惩 (docs/domain.md §8): the red, black and watch lists as a lifecycle — an entry is in force
//! from `listed_on` until `removed_on` or its status 已移出 (`lifecycle`), and a daily job ends the
//! entries whose removal date has come (`service::expiry`); the measures list after the national base
//! list (`measures`) and the departments' service matters the measures apply to (`matters`); the
//! check of a subject for a matter (`check`), its feedback, the batch check, the embedded page
//! (`embed`) and the office's statistics (`stats`).
pub mod api;
pub mod check;
pub mod embed;
pub mod lifecycle;
pub mod matters;
pub mod measures;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
pub mod sheet;
pub mod stats;
