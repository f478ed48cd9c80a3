//! Console pages of the administration domain.
pub mod alarms;
pub mod audit;
pub mod console;
pub mod orgs;
pub mod settings;
pub mod users;
