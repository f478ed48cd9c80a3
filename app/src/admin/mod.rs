//! Administration consoles: users and roles, departments and counties, security policy, holidays,
//! the audit viewer and alarms. Each admin sees only the pages of their role.
pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
