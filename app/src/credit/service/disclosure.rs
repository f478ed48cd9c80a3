//! The 公示规则 the credit office keeps: the display-period regime (used when records are collected)
//! and the disclosure policy (used by every public page, list, search and report). Saved together,
//! audited with what they were before.
use super::POLICY_KEY;
use crate::credit::disclosure_rules::{from_form, to_form};
use crate::credit::model::DisclosureRules;
use crate::error::AppError;
use crate::server::authz::Caller;
use crate::server::{settings, AppState};

pub async fn load(state: &AppState) -> Result<DisclosureRules, AppError> {
    let regime = settings::disclosure_regime(state).await?;
    let policy = super::policy(state).await?;
    let mut form = to_form(&regime, &policy);
    // The later of the two settings' changes.
    let mut last = None;
    for key in [settings::DISCLOSURE_REGIME, POLICY_KEY] {
        if let Some(change) = settings::last_change(state, key).await? {
            if last
                .as_ref()
                .is_none_or(|l: &(String, String)| change.0 > l.0)
            {
                last = Some(change);
            }
        }
    }
    if let Some((at, by)) = last {
        form.updated_at = at;
        form.updated_by = by;
    }
    Ok(form)
}

pub async fn save(
    state: &AppState,
    caller: &Caller,
    form: &DisclosureRules,
) -> Result<DisclosureRules, AppError> {
    let (regime, policy) = from_form(form).map_err(AppError::Validation)?;
    let before = load(state).await?;
    let now = state.clock.now_text();
    let by = &caller.user.username;
    let mut tx = state.db.begin().await?;
    settings::put(&mut tx, settings::DISCLOSURE_REGIME, &regime, &now, by).await?;
    settings::put(&mut tx, POLICY_KEY, &policy, &now, by).await?;
    let after = to_form(&regime, &policy);
    caller
        .event("disclosure.save", "success")
        .on("setting", POLICY_KEY)
        .with(serde_json::json!({ "before": strip(before), "after": &after }))
        .record(&mut tx, state)
        .await?;
    tx.commit().await?;
    // This instance sees the change at once; others when their memo ages out (seconds).
    state.caches.disclosure.clear();
    load(state).await
}

/// The rules without the read-only change stamp, for the audit trail.
fn strip(mut f: DisclosureRules) -> DisclosureRules {
    f.updated_at.clear();
    f.updated_by.clear();
    f
}
