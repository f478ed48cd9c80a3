//! Server functions of the collection console: authorise, scope, call the service.
use super::model::*;
use crate::error::AppError;
use crate::ui::table::Page;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::service::batches;
#[cfg(feature = "ssr")]
use crate::auth::policy::Action;
#[cfg(feature = "ssr")]
use crate::server::{authz, AppState};

#[server(endpoint = "collect/options")]
pub async fn get_submit_options() -> Result<SubmitOptions, AppError> {
    authz::respond(async move {
        let state = AppState::get()?;
        let caller = authz::authorize(Action::DataSubmit).await?;
        batches::submit_options(&state, &caller).await
    })
    .await
}

#[server(endpoint = "collect/batches")]
pub async fn list_batches(
    #[server(default)] status: String,
    #[server(default)] page: i64,
) -> Result<Page<BatchRow>, AppError> {
    authz::respond(async move {
        let state = AppState::get()?;
        let caller = authz::authorize(Action::BatchView).await?;
        batches::list(&state, &caller, &status, page).await
    })
    .await
}

#[server(endpoint = "collect/batch")]
pub async fn get_batch(
    id: String,
    #[server(default)] level: String,
    #[server(default)] page: i64,
) -> Result<BatchDetail, AppError> {
    authz::respond(async move {
        let state = AppState::get()?;
        let caller = authz::authorize(Action::BatchView).await?;
        batches::detail(&state, &caller, &id, &level, page).await
    })
    .await
}

#[server(endpoint = "collect/batch_confirm")]
pub async fn confirm_batch(id: String) -> Result<String, AppError> {
    authz::respond(async move {
        let state = AppState::get()?;
        let caller = authz::authorize(Action::BatchConfirm).await?;
        batches::confirm(&state, &caller, &id).await
    })
    .await
}

#[server(endpoint = "collect/batch_discard")]
pub async fn discard_batch(id: String) -> Result<(), AppError> {
    authz::respond(async move {
        let state = AppState::get()?;
        let caller = authz::authorize(Action::BatchConfirm).await?;
        batches::discard(&state, &caller, &id).await
    })
    .await
}

/// Saves the mapping of unknown headers (`header` and `field` repeated) and checks the batch again.
#[server(endpoint = "collect/batch_mapping")]
pub async fn save_mapping(
    id: String,
    #[server(default)] header: Vec<String>,
    #[server(default)] field: Vec<String>,
) -> Result<(), AppError> {
    authz::respond(async move {
        let state = AppState::get()?;
        let caller = authz::authorize(Action::DataSubmit).await?;
        batches::save_mapping(&state, &caller, &id, &header, &field).await
    })
    .await
}

#[server(endpoint = "catalogue/classes")]
pub async fn list_classes() -> Result<Vec<ClassSummary>, AppError> {
    authz::respond(async move {
        let state = AppState::get()?;
        authz::authorize(Action::CatalogueView).await?;
        super::service::catalogue::summaries(&state).await
    })
    .await
}

#[server(endpoint = "catalogue/class")]
pub async fn get_class(code: String) -> Result<ClassDetail, AppError> {
    authz::respond(async move {
        let state = AppState::get()?;
        authz::authorize(Action::CatalogueView).await?;
        super::service::catalogue::detail(&state, &code).await
    })
    .await
}

#[server(endpoint = "records/search")]
pub async fn search_records(
    #[server(default)] kind: String,
    #[server(default)] q: String,
    #[server(default)] page: i64,
) -> Result<Page<RecordRow>, AppError> {
    authz::respond(async move {
        let state = AppState::get()?;
        let caller = authz::authorize(Action::RecordView).await?;
        super::service::records::search(&state, &caller, &kind, &q, page).await
    })
    .await
}

#[server(endpoint = "records/record")]
pub async fn get_record(kind: String, id: String) -> Result<RecordDetail, AppError> {
    authz::respond(async move {
        let state = AppState::get()?;
        let caller = authz::authorize(Action::RecordView).await?;
        super::service::records::detail(&state, &caller, &kind, &id).await
    })
    .await
}

/// Takes a record off public view at once (revoked or changed decisions), with a reason.
#[server(endpoint = "records/withdraw")]
pub async fn withdraw_record(kind: String, id: String, reason: String) -> Result<(), AppError> {
    authz::respond(async move {
        let state = AppState::get()?;
        let caller = authz::authorize(Action::RecordWithdraw).await?;
        super::service::records::withdraw(&state, &caller, &kind, &id, &reason).await
    })
    .await
}

#[server(endpoint = "apikeys/list")]
pub async fn list_api_keys() -> Result<ApiKeyPage, AppError> {
    authz::respond(async move {
        let state = AppState::get()?;
        authz::authorize(Action::ApiKeyManage).await?;
        let keys = super::service::api_keys::list(&state).await?;
        let units = batches::unit_options(&state).await?;
        let classes = batches::class_options(&state).await?;
        Ok(ApiKeyPage {
            keys,
            units,
            classes,
        })
    })
    .await
}

#[server(endpoint = "apikeys/create")]
pub async fn create_api_key(
    name: String,
    department: i64,
    #[server(default)] scopes: Vec<String>,
) -> Result<NewApiKey, AppError> {
    authz::respond(async move {
        let state = AppState::get()?;
        let caller = authz::authorize(Action::ApiKeyManage).await?;
        let (public_id, key) = super::service::api_keys::create(
            &state,
            department,
            &name,
            &scopes,
            caller.user.user_id,
        )
        .await?;
        let mut tx = state.db.begin().await?;
        let mut e = caller.event("apikey.create", "success");
        e.object_type = Some("api_key".into());
        e.object_id = Some(public_id);
        e.detail = serde_json::json!({ "department": department, "scopes": scopes, "name": name });
        crate::server::audit::append(&mut tx, &state.secrets, &state.clock, &e).await?;
        tx.commit().await?;
        Ok(NewApiKey { key, name })
    })
    .await
}

#[server(endpoint = "apikeys/revoke")]
pub async fn revoke_api_key(id: String) -> Result<(), AppError> {
    authz::respond(async move {
        let state = AppState::get()?;
        let caller = authz::authorize(Action::ApiKeyManage).await?;
        super::service::api_keys::revoke(&state, &id).await?;
        let mut tx = state.db.begin().await?;
        let mut e = caller.event("apikey.revoke", "success");
        e.object_type = Some("api_key".into());
        e.object_id = Some(id);
        crate::server::audit::append(&mut tx, &state.secrets, &state.clock, &e).await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}

#[server(endpoint = "collect/conflicts")]
pub async fn list_conflicts(
    #[server(default)] status: String,
    #[server(default)] page: i64,
) -> Result<Page<ConflictRow>, AppError> {
    authz::respond(async move {
        let state = AppState::get()?;
        authz::authorize(Action::ConflictResolve).await?;
        super::service::conflicts::list(&state, &status, page).await
    })
    .await
}

/// `decision`: `keep` the registry name or `rename` to the incoming one.
#[server(endpoint = "collect/conflict_resolve")]
pub async fn resolve_conflict(id: String, decision: String) -> Result<(), AppError> {
    authz::respond(async move {
        let state = AppState::get()?;
        let caller = authz::authorize(Action::ConflictResolve).await?;
        super::service::conflicts::resolve(&state, &caller, &id, &decision).await
    })
    .await
}

#[server(endpoint = "collect/due")]
pub async fn get_due_board() -> Result<DueBoard, AppError> {
    authz::respond(async move {
        let state = AppState::get()?;
        let caller = authz::authorize(Action::DueView).await?;
        super::service::due::board(&state, &caller).await
    })
    .await
}

#[server(endpoint = "collect/reminder_read")]
pub async fn read_reminder(id: i64) -> Result<(), AppError> {
    authz::respond(async move {
        let state = AppState::get()?;
        let caller = authz::authorize(Action::DueView).await?;
        super::service::due::mark_read(&state, &caller, id).await
    })
    .await
}

#[server(endpoint = "collect/quality")]
pub async fn get_quality_board(#[server(default)] month: String) -> Result<QualityBoard, AppError> {
    authz::respond(async move {
        let state = AppState::get()?;
        let caller = authz::authorize(Action::QualityView).await?;
        super::service::quality::board(&state, &caller, &month).await
    })
    .await
}

#[server(endpoint = "collect/quality_report")]
pub async fn get_quality_report(
    unit: i64,
    #[server(default)] month: String,
) -> Result<QualityReport, AppError> {
    authz::respond(async move {
        let state = AppState::get()?;
        let caller = authz::authorize(Action::QualityView).await?;
        super::service::quality::report(&state, &caller, unit, &month).await
    })
    .await
}
