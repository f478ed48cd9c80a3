//! Collection (归集) and cleaning (清洗): the catalogue, batches from the four channels, the checking
//! pipeline of docs/domain.md §6, confirmation with the version trace, and quality control.
pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
