//! Credit services (server only): search, the subject page, public lists, display-period take-down,
//! and signed credit reports.
pub mod disclosure;
pub mod list_filter;
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

/// The disclosure choices (cached). Also part of the credit domain's surface for other domains: the
/// collection pipeline's ID mask and the portal's home read them here.
pub async fn policy(state: &AppState) -> Result<DisclosurePolicy, AppError> {
    if let Some(p) = state.caches.disclosure.get() {
        return Ok(p);
    }
    let p = crate::server::settings::get_or(state, POLICY_KEY, DisclosurePolicy::default()).await?;
    state.caches.disclosure.put(p.clone());
    Ok(p)
}

/// The active source units (信源单位) as (code, name), for the search and list filters (cached).
pub async fn units(state: &AppState) -> Result<Vec<(String, String)>, AppError> {
    use sqlx::Row;
    if let Some(u) = state.caches.units.get() {
        return Ok(u);
    }
    let u: Vec<(String, String)> =
        sqlx::query("SELECT code, name FROM departments WHERE active = 1 ORDER BY id")
            .fetch_all(&state.db.pool)
            .await?
            .iter()
            .map(|r| Ok((r.try_get("code")?, r.try_get("name")?)))
            .collect::<Result<_, sqlx::Error>>()?;
    state.caches.units.put(u.clone());
    Ok(u)
}

// The rest of the credit domain's surface for other domains: they call these, never the modules above.

/// Subjects matching `q` as staff see them (within `county`, all counties when `None`; natural persons
/// included, masked), ranked like the public credit search: the collection registry's (法人库) search.
pub async fn staff_subject_search(
    state: &AppState,
    county: Option<String>,
    q: &str,
    page: i64,
) -> Result<crate::credit::model::SearchResults, AppError> {
    search::search(
        state,
        &search::Audience::Staff { county },
        q,
        &Default::default(),
        page,
    )
    .await
}

/// The last guard of every public text, for the portal's pages (see `records::Scrub`).
pub use records::Scrub;
