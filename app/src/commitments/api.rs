//! Server functions of credit commitments. Thin: authorise, rate-limit the public, call the service.
//! The public form posts here with or without JavaScript (plain POST, then a redirect).
use super::model::{CommitmentForm, CommitmentRow, ConsoleFilter, Submitted};
use crate::error::AppError;
use crate::paging::Page;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::policy::Action;
#[cfg(feature = "ssr")]
use crate::server::authz;

/// The accepting units the public form offers.
#[server(endpoint = "commitments/form")]
pub async fn get_commitment_form() -> Result<CommitmentForm, AppError> {
    authz::serve_public(move |state| async move { super::service::submit::form(&state).await })
        .await
}

/// A subject's commitment. No account: limited per IP (`APP_COMMITMENT_RATE_PER_HOUR`). Answers with a
/// redirect to the page that says what happens next (also without JavaScript).
#[server(endpoint = "commitments/submit")]
pub async fn submit_commitment(
    #[server(default)] uscc: String,
    #[server(default)] name: String,
    #[server(default)] kind: String,
    #[server(default)] matter: String,
    #[server(default)] text: String,
    #[server(default)] contact: String,
    #[server(default)] unit: String,
) -> Result<Submitted, AppError> {
    authz::serve_public(move |state| async move {
        let (_, meta) = authz::request_context().await?;
        if !state.limits.allow_commitment(meta.ip.as_deref()) {
            return Err(AppError::RateLimited);
        }
        let s = super::rules::Submission {
            uscc,
            name,
            kind,
            matter,
            text,
            contact,
            unit,
        };
        let done = super::service::submit::submit(&state, &meta, &s).await?;
        leptos_axum::redirect(&format!(
            "/commitments/submitted?ref={}&published={}",
            done.reference,
            u8::from(done.published)
        ));
        Ok(done)
    })
    .await
}

#[server(endpoint = "commitments/list")]
pub async fn list_commitments(
    #[server(default)] filter: ConsoleFilter,
    page: i64,
) -> Result<Page<CommitmentRow>, AppError> {
    authz::serve(Action::CommitmentView, move |state, caller| async move {
        super::service::console::list(&state, &caller, &filter, page).await
    })
    .await
}

/// 已履约 or 未履约, with a reason: a new version of the commitment through the collection pipeline.
#[server(endpoint = "commitments/fulfilment")]
pub async fn set_fulfilment(
    id: String,
    #[server(default)] fulfilment: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    authz::serve(Action::CommitmentFulfil, move |state, caller| async move {
        super::service::console::set_fulfilment(&state, &caller, &id, &fulfilment, &reason).await
    })
    .await
}
