//! CMS services (server only).
pub mod articles;
pub mod checks;
pub mod health;
pub mod live;
pub mod preview;
pub mod releases;
pub mod schedule;
pub mod site_admin;
pub mod uploads;

use crate::error::AppError;
use crate::server::authz::Caller;
use crate::server::{audit, AppState};

/// Appends a successful CMS action on one object to the audit chain, inside the caller's transaction.
pub(crate) async fn audited(
    conn: &mut sqlx::AnyConnection,
    state: &AppState,
    caller: &Caller,
    action: &str,
    object: (&str, &str),
    detail: serde_json::Value,
) -> Result<(), AppError> {
    let mut e = caller.event(action, "success");
    e.object_type = Some(object.0.into());
    e.object_id = Some(object.1.to_string());
    e.detail = detail;
    audit::append(conn, &state.secrets, &state.clock, &e).await?;
    Ok(())
}
