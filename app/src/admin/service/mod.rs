//! Business logic of the administration consoles. Each action authorised by `api.rs` and audited here.
pub mod alarms;
pub mod audit_log;
pub mod holidays;
pub mod orgs;
pub mod policy;
pub mod users;

// The admin domain's surface for other domains: they call these, never the modules above.

/// The active units (departments), for other domains' pick lists (collection: upload form, catalogue).
pub use orgs::unit_options;

/// Inserts an account row in the caller's transaction (no roles, no audit): the one way the auth
/// domain's installer (`auth::service::create_admin`) creates a user.
pub use users::insert_account;
