//! The public portal: home page, public tools, and (later) columns and articles.
pub mod api;
pub mod home;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
pub mod uscc_check;
