//! Cases (办件): credit repair now (docs/domain.md §10), objections and complaints next (§11), on one
//! engine — the flows as data (`flow`), deadlines in working days (`deadline`), the services that apply
//! a move in one audited transaction, the public application and tracking pages and the staff desk.
pub mod api;
pub mod deadline;
pub mod flow;
pub mod intake;
pub mod model;
#[cfg(feature = "ssr")]
pub mod notice;
pub mod pages;
pub mod repair;
#[cfg(feature = "ssr")]
pub mod service;
pub mod stats;
