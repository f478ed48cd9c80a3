//! Credit commitments (信用承诺, docs/domain.md §10): the four types, made online by a subject or taken
//! at the counter, published on `/credit/lists/commitments` and the subject page, with their
//! fulfilment tracked by the accepting unit. They live in the catalogue class `commitment`
//! (`generic_records`) and arrive only through the collection pipeline; a 未履约 commitment is itself
//! a negative credit record.
pub mod api;
pub mod model;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;
