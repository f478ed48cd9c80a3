//! Business logic of the administration consoles. Each action authorised by `api.rs` and audited here.
pub mod alarms;
pub mod audit_log;
pub mod holidays;
pub mod orgs;
pub mod policy;
pub mod users;
