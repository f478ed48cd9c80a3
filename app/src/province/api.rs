//! Server functions of the push log. Thin: authorise, call the service. The credit office's operators
//! read the log (`PushView`) and resend, push now and set schedules (`PushManage`).
use super::model::{PushFilter, PushLog};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::policy::Action;
#[cfg(feature = "ssr")]
use crate::server::authz;

#[server(endpoint = "province/push_log")]
pub async fn list_push_log(
    #[server(default)] filter: PushFilter,
    page: i64,
) -> Result<PushLog, AppError> {
    authz::serve(Action::PushView, move |state, caller| async move {
        super::service::log::list(&state, &caller, &filter, page).await
    })
    .await
}

/// Resends one message (`id`), or every parked or sent message of the filtered range (`id` = 0).
#[server(endpoint = "province/push_resend")]
pub async fn push_resend(
    #[server(default)] id: i64,
    #[server(default)] filter: PushFilter,
) -> Result<u64, AppError> {
    authz::serve(Action::PushManage, move |state, caller| async move {
        let one = (id > 0).then_some(id);
        super::service::log::resend(&state, &caller, one, &filter).await
    })
    .await
}

/// Pushes one kind (or all, when empty) now; answers a line per kind.
#[server(endpoint = "province/push_now")]
pub async fn push_now(#[server(default)] kind: String) -> Result<Vec<String>, AppError> {
    authz::serve(Action::PushManage, move |state, caller| async move {
        let kind = (!kind.is_empty()).then_some(kind.as_str());
        super::service::log::push_now(&state, &caller, kind).await
    })
    .await
}

/// The province's basic information and credit summary of a subject (法人库 and report desk), asked
/// only when ours has no subject of that code: `None` when we have it.
#[server(endpoint = "province/upstream_subject")]
pub async fn upstream_subject(
    uscc: String,
) -> Result<Option<super::model::UpstreamAnswer>, AppError> {
    authz::serve(Action::UpstreamQuery, move |state, caller| async move {
        super::service::upstream::subject_if_missing(&state, &caller, &uscc).await
    })
    .await
}

#[server(endpoint = "province/push_schedule")]
pub async fn save_push_schedule(kind: String, frequency: String) -> Result<(), AppError> {
    authz::serve(Action::PushManage, move |state, caller| async move {
        super::service::log::save_schedule(&state, &caller, &kind, &frequency).await
    })
    .await
}
