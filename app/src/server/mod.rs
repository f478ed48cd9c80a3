//! Server-side plumbing shared by every domain: state, database, config, secrets, clock, jobs, alarms.
pub mod alarms;
pub mod audit;
pub mod authz;
pub mod cache;
pub mod calendar;
pub mod clock;
pub mod config;
pub mod csrf;
pub mod db;
pub mod jobs;
pub mod limits;
pub mod listing;
pub mod memo;
pub mod password;
pub mod request_id;
pub mod secrets;
pub mod session;
pub mod settings;
pub mod state;

pub use state::AppState;
