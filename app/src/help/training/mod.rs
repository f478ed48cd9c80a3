//! Training (培训, issue 19 and docs/domain.md §10): sessions for the platform's users and for credit
//! repair with their sign-in lists and certificate numbers; the materials are a CMS column (培训资料).
pub mod api;
pub mod model;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;
