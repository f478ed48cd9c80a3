//! CMS services (server only).
pub mod articles;
pub mod checks;
pub mod live;
pub mod schedule;
pub mod uploads;
