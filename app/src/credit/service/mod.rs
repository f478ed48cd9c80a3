//! Credit services (server only): search, the subject page, public lists, display-period take-down,
//! and signed credit reports.
pub mod disclosure;
pub mod lists;
pub mod pdf;
pub mod records;
pub mod reports;
pub mod search;
pub mod signing;
pub mod sql;
pub mod stats;
pub mod subject;
pub mod takedown;

use crate::credit::visibility::DisclosurePolicy;
use crate::error::AppError;
use crate::server::AppState;

/// The setting that holds the disclosure choices (`DisclosurePolicy`).
pub const POLICY_KEY: &str = "disclosure_policy";

pub async fn policy(state: &AppState) -> Result<DisclosurePolicy, AppError> {
    if let Some(p) = state.caches.disclosure.get() {
        return Ok(p);
    }
    let p = crate::server::settings::get_or(state, POLICY_KEY, DisclosurePolicy::default()).await?;
    state.caches.disclosure.put(p.clone());
    Ok(p)
}
