//! Server functions of 联合奖惩. Thin: authorise, call the service. The import of the national list
//! is a multipart form handled by an axum route (`server/src/http/joint.rs`).
use super::measures::MeasureInput;
use super::model::{MeasureFilter, MeasureList};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::policy::Action;
#[cfg(feature = "ssr")]
use crate::server::authz;

#[server(endpoint = "joint/measures")]
pub async fn list_measures(
    #[server(default)] filter: MeasureFilter,
    page: i64,
) -> Result<MeasureList, AppError> {
    authz::serve(Action::MeasureView, move |state, _caller| async move {
        super::service::measures::list(&state, &filter, page).await
    })
    .await
}

/// Adds a local measure; answers its public id.
#[server(endpoint = "joint/measure_add")]
pub async fn add_measure(#[server(default)] measure: MeasureInput) -> Result<String, AppError> {
    authz::serve(Action::MeasureManage, move |state, caller| async move {
        super::service::measures::add(&state, &caller, &measure).await
    })
    .await
}

#[server(endpoint = "joint/measure_retire")]
pub async fn retire_measure(id: String, #[server(default)] reason: String) -> Result<(), AppError> {
    authz::serve(Action::MeasureManage, move |state, caller| async move {
        super::service::measures::retire(&state, &caller, &id, &reason).await
    })
    .await
}

/// Service matters within the caller's scope, with the units and measures the form offers.
#[server(endpoint = "joint/matters")]
pub async fn list_matters(
    #[server(default)] filter: super::model::MatterFilter,
    page: i64,
) -> Result<super::model::MatterList, AppError> {
    authz::serve(Action::MatterView, move |state, caller| async move {
        super::service::matters::list(&state, &caller, &filter, page).await
    })
    .await
}

/// Saves a matter by code (a stored code is updated) with its measures; answers its public id.
#[server(endpoint = "joint/matter_save")]
pub async fn save_matter(
    #[server(default)] matter: super::matters::MatterInput,
) -> Result<String, AppError> {
    authz::serve(Action::MatterManage, move |state, caller| async move {
        super::service::matters::save(&state, &caller, &matter).await
    })
    .await
}
