//! Public credit information (docs/domain.md §3.3, §7, §8, §9): search, the subject page, the 双公示 and
//! red/black/watch lists, and credit reports that anyone can verify.
pub mod api;
pub mod disclosure_rules;
pub mod model;
pub mod pages;
pub mod query;
pub mod report_spec;
#[cfg(feature = "ssr")]
pub mod service;
pub mod visibility;
