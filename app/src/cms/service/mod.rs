//! CMS services (server only).
pub mod articles;
pub mod checks;
pub mod health;
pub mod live;
pub mod policy_fields;
pub mod preview;
pub mod releases;
pub mod schedule;
pub mod site_admin;
pub mod uploads;
