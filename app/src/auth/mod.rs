//! Identity: accounts, roles, login, sessions, the policy table and the user's own account pages.
#[cfg(feature = "ssr")]
pub mod account;
pub mod api;
#[cfg(feature = "ssr")]
pub mod login;
pub mod model;
pub mod pages;
pub mod policy;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod totp;
