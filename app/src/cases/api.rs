//! Server functions of cases. Thin: authorise, rate-limit the public, call the service. The repair
//! application itself is a multipart form handled by an axum route (`server/src/http/cases.rs`), so
//! it works without JavaScript.
use super::model::{CaseDetail, CaseFilter, CaseList, RepairTarget, Tracked};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::policy::Action;
#[cfg(feature = "ssr")]
use crate::server::authz;

/// A case by its tracking code (no account; limited per IP, `APP_TRACK_RATE_PER_MIN`).
#[server(endpoint = "cases/track")]
pub async fn track_case(code: String) -> Result<Tracked, AppError> {
    authz::serve_public(move |state| async move {
        let (_, meta) = authz::request_context().await?;
        if !state.limits.allow_track(meta.ip.as_deref()) {
            return Err(AppError::RateLimited);
        }
        super::service::public::track(&state, &code).await
    })
    .await
}

/// The penalty a repair application form is about (public facts only).
#[server(endpoint = "cases/repair_target")]
pub async fn get_repair_target(record: String) -> Result<RepairTarget, AppError> {
    authz::serve_public(move |state| async move {
        super::service::apply::repair_target(&state, &record).await
    })
    .await
}

/// The record an objection or complaint form is about (public facts only).
#[server(endpoint = "cases/record_target")]
pub async fn get_record_target(record: String) -> Result<super::model::RecordTarget, AppError> {
    authz::serve_public(move |state| async move {
        super::service::intake::record_target(&state, &record).await
    })
    .await
}

/// Staff enter an objection or complaint received by phone, at the counter or by letter; answers
/// the new case's tracking code.
#[server(endpoint = "cases/enter")]
pub async fn enter_case(
    #[server(default)] form: super::intake::Intake,
) -> Result<String, AppError> {
    authz::serve(Action::CaseAssign, move |state, caller| async move {
        Ok(super::service::intake::enter(&state, &caller, &form)
            .await?
            .code)
    })
    .await
}

/// The operator suspends (`on`) or resumes the public display of an open objection's record.
#[server(endpoint = "cases/suspend")]
pub async fn suspend_display(id: String, #[server(default)] on: bool) -> Result<(), AppError> {
    authz::serve(Action::CaseAssign, move |state, caller| async move {
        super::service::suspend::set(&state, &caller, &id, on).await
    })
    .await
}

#[server(endpoint = "cases/list")]
pub async fn list_cases(
    #[server(default)] filter: CaseFilter,
    page: i64,
) -> Result<CaseList, AppError> {
    authz::serve(Action::CaseView, move |state, caller| async move {
        super::service::desk::list(&state, &caller, &filter, page).await
    })
    .await
}

#[server(endpoint = "cases/case")]
pub async fn get_case(id: String) -> Result<CaseDetail, AppError> {
    authz::serve(Action::CaseView, move |state, caller| async move {
        super::service::desk::detail(&state, &caller, &id).await
    })
    .await
}

/// A move on a case: the case must be in the caller's scope, and the move's own permission
/// (`flow::Move::by`) is checked by the service.
#[server(endpoint = "cases/move")]
pub async fn move_case(
    id: String,
    #[server(default)] code: String,
    #[server(default)] text: String,
    #[server(default)] unit: String,
) -> Result<(), AppError> {
    authz::serve(Action::CaseView, move |state, caller| async move {
        super::service::moves::make(&state, &caller, &id, &code, &text, &unit).await
    })
    .await
}

/// The working days of every step: (key, label, days).
#[server(endpoint = "cases/deadlines")]
pub async fn get_case_deadlines() -> Result<Vec<(String, String, u32)>, AppError> {
    authz::serve(Action::CaseAssign, move |state, _caller| async move {
        let d = super::service::deadlines(&state).await?;
        Ok(super::deadline::DEFAULTS
            .iter()
            .map(|(k, _, label)| {
                (
                    (*k).to_string(),
                    (*label).to_string(),
                    d.0.get(*k).copied().unwrap_or_default(),
                )
            })
            .collect())
    })
    .await
}

#[server(endpoint = "cases/deadlines_save")]
pub async fn save_case_deadlines(
    #[server(default)] days: std::collections::BTreeMap<String, u32>,
) -> Result<(), AppError> {
    authz::serve(Action::CaseAssign, move |state, caller| async move {
        super::service::save_deadlines(&state, &caller, days).await
    })
    .await
}

/// A subject account's own cases (those on the USCC bound to the account).
#[server(endpoint = "cases/mine")]
pub async fn my_cases() -> Result<Vec<super::model::CaseRow>, AppError> {
    authz::serve(Action::CaseOwn, move |state, caller| async move {
        super::service::mine::mine(&state, &caller).await
    })
    .await
}

/// The case statistics within the caller's scope.
#[server(endpoint = "cases/stats")]
pub async fn case_stats(
    #[server(default)] filter: super::stats::StatsFilter,
) -> Result<super::stats::CaseStats, AppError> {
    authz::serve(Action::CaseView, move |state, caller| async move {
        super::service::stats::stats(&state, &caller, &filter).await
    })
    .await
}
