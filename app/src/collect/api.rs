//! Server functions of the collection console: authorise, scope, call the service.
use super::model::*;
use crate::error::AppError;
use crate::paging::Page;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::service::batches;
#[cfg(feature = "ssr")]
use crate::auth::policy::Action;
#[cfg(feature = "ssr")]
use crate::server::authz;

#[server(endpoint = "collect/options")]
pub async fn get_submit_options() -> Result<SubmitOptions, AppError> {
    authz::serve(Action::DataSubmit, move |state, caller| async move {
        batches::submit_options(&state, &caller).await
    })
    .await
}

#[server(endpoint = "collect/batches")]
pub async fn list_batches(
    #[server(default)] status: String,
    #[server(default)] page: i64,
) -> Result<Page<BatchRow>, AppError> {
    authz::serve(Action::BatchView, move |state, caller| async move {
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
    authz::serve(Action::BatchView, move |state, caller| async move {
        batches::detail(&state, &caller, &id, &level, page).await
    })
    .await
}

#[server(endpoint = "collect/batch_confirm")]
pub async fn confirm_batch(id: String) -> Result<String, AppError> {
    authz::serve(Action::BatchConfirm, move |state, caller| async move {
        batches::confirm(&state, &caller, &id).await
    })
    .await
}

#[server(endpoint = "collect/batch_discard")]
pub async fn discard_batch(id: String) -> Result<(), AppError> {
    authz::serve(Action::BatchConfirm, move |state, caller| async move {
        batches::discard(&state, &caller, &id).await
    })
    .await
}

/// The class, unit and rules for the web form and for the browser's pre-check of a CSV.
#[server(endpoint = "collect/form_spec")]
pub async fn get_form_spec(
    class: String,
    #[server(default)] department: String,
) -> Result<FormSpec, AppError> {
    authz::serve(Action::DataSubmit, move |state, caller| async move {
        super::service::form::spec(&state, &caller, &class, department.parse().ok()).await
    })
    .await
}

/// One record from the web form (`record[field_key]=value`): stored as a batch, checked, and shown on
/// its batch page for confirmation.
#[server(endpoint = "collect/form_submit")]
pub async fn submit_record(
    class: String,
    #[server(default)] department: String,
    #[server(default)] record: std::collections::HashMap<String, String>,
) -> Result<String, AppError> {
    authz::serve(Action::DataSubmit, move |state, caller| async move {
        let id =
            super::service::form::submit(&state, &caller, &class, department.parse().ok(), &record)
                .await?;
        leptos_axum::redirect(&format!("/console/collect/batch/{id}"));
        Ok(id)
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
    authz::serve(Action::DataSubmit, move |state, caller| async move {
        batches::save_mapping(&state, &caller, &id, &header, &field).await
    })
    .await
}

#[server(endpoint = "catalogue/classes")]
pub async fn list_classes() -> Result<Vec<ClassSummary>, AppError> {
    authz::serve(Action::CatalogueView, move |state, _| async move {
        super::service::catalogue::summaries(&state).await
    })
    .await
}

#[server(endpoint = "catalogue/class")]
pub async fn get_class(code: String) -> Result<ClassDetail, AppError> {
    authz::serve(Action::CatalogueView, move |state, caller| async move {
        let may_manage = crate::auth::policy::may(&caller.user.roles, Action::CatalogueManage);
        super::service::catalogue::detail(&state, &code, may_manage).await
    })
    .await
}

/// Saves one field of a class (`field[...]`); `is_new` adds it (classes an operator defined only).
#[server(endpoint = "catalogue/field_save")]
pub async fn save_class_field(
    class: String,
    field: FieldForm,
    #[server(default)] is_new: bool,
) -> Result<(), AppError> {
    authz::serve(Action::CatalogueManage, move |state, caller| async move {
        super::service::catalogue_edit::save_field(&state, &caller, &class, &field, is_new).await?;
        leptos_axum::redirect(&format!("/console/catalogue/{class}?saved=1"));
        Ok(())
    })
    .await
}

#[server(endpoint = "catalogue/field_remove")]
pub async fn remove_class_field(class: String, key: String) -> Result<(), AppError> {
    authz::serve(Action::CatalogueManage, move |state, caller| async move {
        super::service::catalogue_edit::remove_field(&state, &caller, &class, &key).await
    })
    .await
}

#[server(endpoint = "catalogue/rule_switch")]
pub async fn switch_class_rule(class: String, code: String, enabled: bool) -> Result<(), AppError> {
    authz::serve(Action::CatalogueManage, move |state, caller| async move {
        super::service::catalogue_edit::set_rule(&state, &caller, &class, &code, enabled).await
    })
    .await
}

#[server(endpoint = "catalogue/source_save")]
pub async fn save_class_source(
    class: String,
    department: i64,
    frequency: String,
    #[server(default)] exchange_url: String,
) -> Result<(), AppError> {
    authz::serve(Action::CatalogueManage, move |state, caller| async move {
        super::service::catalogue_edit::save_source(
            &state,
            &caller,
            &class,
            department,
            &frequency,
            &exchange_url,
        )
        .await
    })
    .await
}

/// Pulls a unit's exchange address now (立即交换); answers what came of it.
#[server(endpoint = "catalogue/source_exchange_now")]
pub async fn exchange_now(class: String, department: i64) -> Result<String, AppError> {
    authz::serve(Action::CatalogueManage, move |state, caller| async move {
        super::service::exchange::pull_now(&state, &caller, &class, department).await
    })
    .await
}

#[server(endpoint = "catalogue/source_remove")]
pub async fn remove_class_source(class: String, department: i64) -> Result<(), AppError> {
    authz::serve(Action::CatalogueManage, move |state, caller| async move {
        super::service::catalogue_edit::remove_source(&state, &caller, &class, department).await
    })
    .await
}

#[server(endpoint = "catalogue/class_create")]
pub async fn create_class(code: String, name: String) -> Result<(), AppError> {
    authz::serve(Action::CatalogueManage, move |state, caller| async move {
        super::service::catalogue_edit::create_class(&state, &caller, &code, &name).await?;
        leptos_axum::redirect(&format!("/console/catalogue/{}", code.trim()));
        Ok(())
    })
    .await
}

/// 法人库: subjects by name fragment or code, within the caller's county.
#[server(endpoint = "subjects/search")]
pub async fn search_subjects(
    #[server(default)] q: String,
    #[server(default)] page: i64,
) -> Result<Page<SubjectRow>, AppError> {
    authz::serve(Action::SubjectView, move |state, caller| async move {
        super::service::registry::search(&state, &caller, &q, page).await
    })
    .await
}

#[server(endpoint = "subjects/subject")]
pub async fn get_subject(id: String) -> Result<SubjectDetail, AppError> {
    authz::serve(Action::SubjectView, move |state, caller| async move {
        super::service::registry::detail(&state, &caller, &id).await
    })
    .await
}

#[server(endpoint = "records/search")]
pub async fn search_records(
    #[server(default)] kind: String,
    #[server(default)] q: String,
    #[server(default)] page: i64,
) -> Result<Page<RecordRow>, AppError> {
    authz::serve(Action::RecordView, move |state, caller| async move {
        super::service::records::search(&state, &caller, &kind, &q, page).await
    })
    .await
}

#[server(endpoint = "records/record")]
pub async fn get_record(kind: String, id: String) -> Result<RecordDetail, AppError> {
    authz::serve(Action::RecordView, move |state, caller| async move {
        super::service::records::detail(&state, &caller, &kind, &id).await
    })
    .await
}

/// The text as sent of a record's fields whose personal numbers were masked: (field, text). Audited.
#[server(endpoint = "records/originals")]
pub async fn get_record_originals(
    kind: String,
    id: String,
) -> Result<Vec<(String, String)>, AppError> {
    authz::serve(Action::RecordUnmask, move |state, caller| async move {
        super::service::records::originals(&state, &caller, &kind, &id).await
    })
    .await
}

/// Takes a record off public view at once (revoked or changed decisions), with a reason.
#[server(endpoint = "records/withdraw")]
pub async fn withdraw_record(kind: String, id: String, reason: String) -> Result<(), AppError> {
    authz::serve(Action::RecordWithdraw, move |state, caller| async move {
        super::service::records::withdraw(&state, &caller, &kind, &id, &reason).await
    })
    .await
}

#[server(endpoint = "apikeys/list")]
pub async fn list_api_keys() -> Result<ApiKeyPage, AppError> {
    authz::serve(Action::ApiKeyManage, move |state, _| async move {
        let keys = super::service::api_keys::list(&state).await?;
        let units = crate::admin::service::unit_options(&state).await?;
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
    #[server(default)] rate_per_min: String,
) -> Result<NewApiKey, AppError> {
    authz::serve(Action::ApiKeyManage, move |state, caller| async move {
        let rate = match rate_per_min.trim() {
            "" => None,
            text => Some(text.parse::<i64>().map_err(|_| {
                AppError::field(
                    "rate_per_min",
                    "NOT_A_NUMBER",
                    "每分钟请求上限请填写整数，或留空使用平台默认值。",
                )
            })?),
        };
        let (_, key) = super::service::api_keys::create(
            &state,
            &caller.actor(),
            department,
            &name,
            &scopes,
            rate,
        )
        .await?;
        Ok(NewApiKey { key, name })
    })
    .await
}

#[server(endpoint = "apikeys/revoke")]
pub async fn revoke_api_key(id: String) -> Result<(), AppError> {
    authz::serve(Action::ApiKeyManage, move |state, caller| async move {
        super::service::api_keys::revoke(&state, &caller.actor(), &id).await
    })
    .await
}

#[server(endpoint = "collect/conflicts")]
pub async fn list_conflicts(
    #[server(default)] status: String,
    #[server(default)] page: i64,
) -> Result<Page<ConflictRow>, AppError> {
    authz::serve(Action::ConflictResolve, move |state, _| async move {
        super::service::conflicts::list(&state, &status, page).await
    })
    .await
}

/// `decision`: `keep` the registry name or `rename` to the incoming one.
#[server(endpoint = "collect/conflict_resolve")]
pub async fn resolve_conflict(id: String, decision: String) -> Result<(), AppError> {
    authz::serve(Action::ConflictResolve, move |state, caller| async move {
        super::service::conflicts::resolve(&state, &caller, &id, &decision).await
    })
    .await
}

#[server(endpoint = "collect/due")]
pub async fn get_due_board() -> Result<DueBoard, AppError> {
    authz::serve(Action::DueView, move |state, caller| async move {
        super::service::due::board(&state, &caller).await
    })
    .await
}

#[server(endpoint = "collect/reminder_read")]
pub async fn read_reminder(id: i64) -> Result<(), AppError> {
    authz::serve(Action::DueView, move |state, caller| async move {
        super::service::due::mark_read(&state, &caller, id).await
    })
    .await
}

#[server(endpoint = "collect/quality")]
pub async fn get_quality_board(#[server(default)] month: String) -> Result<QualityBoard, AppError> {
    authz::serve(Action::QualityView, move |state, caller| async move {
        super::service::quality::board(&state, &caller, &month).await
    })
    .await
}

#[server(endpoint = "collect/quality_report")]
pub async fn get_quality_report(
    unit: i64,
    #[server(default)] month: String,
) -> Result<QualityReport, AppError> {
    authz::serve(Action::QualityView, move |state, caller| async move {
        super::service::quality::report(&state, &caller, unit, &month).await
    })
    .await
}
