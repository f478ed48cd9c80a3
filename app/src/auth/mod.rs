//! Identity: accounts and roles. (Login, sessions and the consoles come with the identity issue.)
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
