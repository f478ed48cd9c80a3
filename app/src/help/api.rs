//! Server functions of the help centre. Thin: authorise, rate-limit the public, call the service.
//! The public form posts here with or without JavaScript (plain POST, then a redirect).
use super::model::{
    ConsultDetail, ConsultFilter, ConsultList, HelpHome, PublicQa, Submitted, Tracked,
};
use crate::error::AppError;
use crate::paging::Page;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::policy::Action;
#[cfg(feature = "ssr")]
use crate::server::authz;

/// The help centre's home: the newest public answers.
#[server(endpoint = "help/home")]
pub async fn get_help_home() -> Result<HelpHome, AppError> {
    authz::serve_public(move |state| async move {
        Ok(HelpHome {
            latest: super::service::public::qa(&state, "", 1)
                .await?
                .rows
                .into_iter()
                .take(5)
                .collect(),
        })
    })
    .await
}

/// A citizen's question. No account and no captcha: limited per IP (`APP_CONSULT_RATE_PER_HOUR`).
/// Answers with a redirect to the tracking page of the new code (also without JavaScript).
#[server(endpoint = "help/consult_submit")]
pub async fn submit_consultation(
    #[server(default)] topic: String,
    #[server(default)] text: String,
    #[server(default)] name: String,
    #[server(default)] contact: String,
    #[server(default)] consent: bool,
) -> Result<Submitted, AppError> {
    authz::serve_public(move |state| async move {
        let (_, meta) = authz::request_context().await?;
        if !state.limits.allow_consult(meta.ip.as_deref()) {
            return Err(AppError::RateLimited);
        }
        let q = super::consult::Question {
            topic,
            text,
            name,
            contact,
            consent_publish: consent,
        };
        let done = super::service::intake::submit(&state, &meta, &q).await?;
        leptos_axum::redirect(&format!("/help/track?code={}&new=1", done.code));
        Ok(done)
    })
    .await
}

/// A consultation by its tracking code (limited per IP like the credit search).
#[server(endpoint = "help/track")]
pub async fn track_consultation(code: String) -> Result<Tracked, AppError> {
    authz::serve_public(move |state| async move {
        let (_, meta) = authz::request_context().await?;
        if !state.limits.allow_search(meta.ip.as_deref()) {
            return Err(AppError::RateLimited);
        }
        super::service::public::track(&state, &code).await
    })
    .await
}

/// The public Q&A, newest first, optionally by a fragment of the question or answer.
#[server(endpoint = "help/qa")]
pub async fn list_public_qa(
    #[server(default)] q: String,
    page: i64,
) -> Result<Page<PublicQa>, AppError> {
    authz::serve_public(
        move |state| async move { super::service::public::qa(&state, &q, page).await },
    )
    .await
}

#[server(endpoint = "help/consults")]
pub async fn list_consultations(
    #[server(default)] filter: ConsultFilter,
    page: i64,
) -> Result<ConsultList, AppError> {
    authz::serve(Action::ConsultView, move |state, caller| async move {
        super::service::desk::list(&state, &caller, &filter, page).await
    })
    .await
}

#[server(endpoint = "help/consult")]
pub async fn get_consultation(id: String) -> Result<ConsultDetail, AppError> {
    authz::serve(Action::ConsultView, move |state, caller| async move {
        super::service::desk::detail(&state, &caller, &id).await
    })
    .await
}

#[server(endpoint = "help/consult_route")]
pub async fn route_consultation(
    id: String,
    #[server(default)] department: String,
) -> Result<(), AppError> {
    authz::serve(Action::ConsultRoute, move |state, caller| async move {
        super::service::moves::route(&state, &caller, &id, &department).await
    })
    .await
}

#[server(endpoint = "help/consult_answer")]
pub async fn answer_consultation(
    id: String,
    #[server(default)] answer: String,
) -> Result<(), AppError> {
    authz::serve(Action::ConsultAnswer, move |state, caller| async move {
        super::service::moves::answer(&state, &caller, &id, &answer).await
    })
    .await
}

#[server(endpoint = "help/consult_publish")]
pub async fn publish_consultation(
    id: String,
    #[server(default)] publish: bool,
    #[server(default)] question: String,
    #[server(default)] answer: String,
) -> Result<(), AppError> {
    authz::serve(Action::ConsultPublish, move |state, caller| async move {
        super::service::moves::publish(&state, &caller, &id, publish, &question, &answer).await
    })
    .await
}

/// The working days to answer (the credit office's setting).
#[server(endpoint = "help/answer_days_save")]
pub async fn save_answer_days(days: u32) -> Result<(), AppError> {
    authz::serve(Action::ConsultRoute, move |state, caller| async move {
        super::service::due::save_answer_days(&state, &caller, days).await
    })
    .await
}
