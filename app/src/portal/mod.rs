//! The public portal: home page, columns and articles, site search and public tools.
pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
