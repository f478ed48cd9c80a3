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

/// The matters the caller may check for.
#[server(endpoint = "joint/check_form")]
pub async fn check_form() -> Result<Vec<super::model::MatterChoice>, AppError> {
    authz::serve(Action::CheckRun, move |state, caller| async move {
        super::service::log::matter_choices(&state, &caller).await
    })
    .await
}

/// Checks one subject (a code, an ID number or a name) for a matter of the caller's scope.
#[server(endpoint = "joint/check")]
pub async fn run_check(
    matter: String,
    subject: String,
    #[server(default)] kind: String,
) -> Result<super::model::CheckView, AppError> {
    use super::check::{parse_subject, SubjectKind};
    use super::service::check;
    authz::serve(Action::CheckRun, move |state, caller| async move {
        let kind = SubjectKind::parse(&kind)
            .ok_or_else(|| AppError::field("kind", "KIND_UNKNOWN", "请选择核查对象的类型。"))?;
        let m = check::matter_by_code(&state, &matter)
            .await?
            .ok_or_else(|| AppError::field("matter", "MATTER_UNKNOWN", "请选择正在办理的事项。"))?;
        caller.check_unit(Some(m.department_id), m.county_code.as_deref())?;
        let subject = parse_subject(&subject, kind, state.clock.today())
            .map_err(|e| AppError::Validation(vec![e]))?;
        let by = check::Checker {
            channel: "console",
            user_id: Some(caller.user.user_id),
            key_id: None,
            batch_id: None,
            name: caller.user.display_name.clone(),
        };
        check::run(&state, &by, &m, &subject).await
    })
    .await
}

/// The check log of the caller's scope.
#[server(endpoint = "joint/checks")]
pub async fn list_checks(
    #[server(default)] filter: super::model::CheckFilter,
    page: i64,
) -> Result<super::model::CheckLog, AppError> {
    authz::serve(Action::CheckRun, move |state, caller| async move {
        super::service::log::list(&state, &caller, &filter, page).await
    })
    .await
}

/// One check of the caller's scope.
#[server(endpoint = "joint/check_get")]
pub async fn get_check(id: String) -> Result<super::model::CheckView, AppError> {
    authz::serve(Action::CheckRun, move |state, caller| async move {
        let (unit, county, view) = super::service::check::get(&state, &id).await?;
        caller
            .check_unit(Some(unit), county.as_deref())
            .map_err(|_| AppError::NotFound("该核查记录".into()))?;
        Ok(view)
    })
    .await
}

/// Records the handler's feedback on a check of the caller's scope.
#[server(endpoint = "joint/check_feedback")]
pub async fn give_feedback(
    id: String,
    #[server(default)] feedback: super::check::FeedbackInput,
) -> Result<(), AppError> {
    authz::serve(Action::CheckFeedback, move |state, caller| async move {
        let (unit, county, _) = super::service::check::get(&state, &id).await?;
        caller
            .check_unit(Some(unit), county.as_deref())
            .map_err(|_| AppError::NotFound("该核查记录".into()))?;
        super::service::feedback::record(&state, &caller.actor(), &id, &feedback).await
    })
    .await
}

/// A batch check of the caller's scope, with its progress.
#[server(endpoint = "joint/check_batch")]
pub async fn get_check_batch(id: String) -> Result<super::model::CheckBatchView, AppError> {
    authz::serve(Action::CheckRun, move |state, caller| async move {
        let (unit, county, view) = super::service::batch::get(&state, &id).await?;
        caller
            .check_unit(Some(unit), county.as_deref())
            .map_err(|_| AppError::NotFound("该批量核查".into()))?;
        Ok(view)
    })
    .await
}

/// The office's statistics of the checks, with the 应查必查 view.
#[server(endpoint = "joint/stats")]
pub async fn joint_stats(
    #[server(default)] filter: super::stats::JointStatsFilter,
) -> Result<super::stats::JointStats, AppError> {
    authz::serve(Action::CheckStats, move |state, _caller| async move {
        super::service::stats::stats(&state, &filter).await
    })
    .await
}

/// The units in the caller's scope with the origins that may frame their check page, and this
/// platform's address for the snippet.
#[server(endpoint = "joint/embed_units")]
pub async fn embed_units() -> Result<super::model::EmbedSettings, AppError> {
    authz::serve(Action::CheckRun, move |state, caller| async move {
        let units = super::service::embed::all_origins(&state, &caller).await?;
        Ok(super::model::EmbedSettings {
            origin: state.config.public_origin.clone().unwrap_or_default(),
            units,
            may_edit: crate::auth::policy::may(&caller.user.roles, Action::MatterManage),
        })
    })
    .await
}

/// Sets the origins that may frame a unit's check page.
#[server(endpoint = "joint/embed_origins_save")]
pub async fn save_embed_origins(
    unit: String,
    #[server(default)] origins: String,
) -> Result<(), AppError> {
    authz::serve(Action::MatterManage, move |state, caller| async move {
        super::service::embed::save_origins(&state, &caller, &unit, &origins).await
    })
    .await
}

/// The working days a handler has for feedback.
#[server(endpoint = "joint/feedback_days")]
pub async fn feedback_days() -> Result<u32, AppError> {
    authz::serve(Action::CheckStats, move |state, _caller| async move {
        super::service::feedback::days(&state).await
    })
    .await
}

/// Sets the working days for feedback (checks made from now on).
#[server(endpoint = "joint/feedback_days_save")]
pub async fn save_feedback_days(days: u32) -> Result<(), AppError> {
    authz::serve(Action::CheckStats, move |state, caller| async move {
        super::service::feedback::save_days(&state, &caller.actor(), days).await
    })
    .await
}
