//! Server functions of the administration consoles: authorise, call the service, answer.
use super::model::*;
use crate::auth::model::SecurityPolicy;
use crate::error::AppError;
use crate::paging::Page;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::service;
#[cfg(feature = "ssr")]
use crate::auth::policy::Action;
#[cfg(feature = "ssr")]
use crate::server::authz;

#[server(endpoint = "admin/users")]
pub async fn list_users(
    #[server(default)] q: String,
    #[server(default)] role: String,
    #[server(default)] status: String,
    #[server(default)] sort: String,
    #[server(default)] page: i64,
) -> Result<Page<UserRow>, AppError> {
    authz::serve(Action::UserView, move |state, _| async move {
        let f = service::users::UserFilter {
            q,
            role,
            status,
            sort,
            page,
        };
        service::users::list(&state, &f, None).await
    })
    .await
}

#[server(endpoint = "admin/user")]
pub async fn get_user(id: String) -> Result<UserDetail, AppError> {
    authz::serve(Action::UserView, move |state, _| async move {
        service::users::detail(&state, &id).await
    })
    .await
}

#[server(endpoint = "admin/user_create")]
pub async fn create_user(
    username: String,
    display_name: String,
    unit_kind: String,
    #[server(default)] department: String,
    #[server(default)] county: String,
    #[server(default)] subject_uscc: String,
) -> Result<TemporaryPassword, AppError> {
    authz::serve(Action::UserCreate, move |state, caller| async move {
        let unit = service::users::Unit {
            kind: unit_kind,
            department,
            county,
            subject_uscc,
        };
        service::users::create(&state, &caller, &username, &display_name, &unit).await
    })
    .await
}

#[server(endpoint = "admin/user_update")]
pub async fn update_user(
    id: String,
    display_name: String,
    unit_kind: String,
    #[server(default)] department: String,
    #[server(default)] county: String,
    #[server(default)] subject_uscc: String,
) -> Result<(), AppError> {
    authz::serve(Action::UserUpdate, move |state, caller| async move {
        let unit = service::users::Unit {
            kind: unit_kind,
            department,
            county,
            subject_uscc,
        };
        service::users::update(&state, &caller, &id, &display_name, &unit).await
    })
    .await
}

#[server(endpoint = "admin/user_status")]
pub async fn set_user_status(id: String, active: bool) -> Result<(), AppError> {
    authz::serve(Action::UserUpdate, move |state, caller| async move {
        service::users::set_status(&state, &caller, &id, active).await
    })
    .await
}

#[server(endpoint = "admin/user_unlock")]
pub async fn unlock_user(id: String) -> Result<(), AppError> {
    authz::serve(Action::UserUnlock, move |state, caller| async move {
        service::users::unlock(&state, &caller, &id).await
    })
    .await
}

#[server(endpoint = "admin/user_reset_password")]
pub async fn reset_user_password(id: String) -> Result<TemporaryPassword, AppError> {
    authz::serve(Action::UserResetPassword, move |state, caller| async move {
        service::users::reset_password(&state, &caller, &id).await
    })
    .await
}

#[server(endpoint = "admin/user_end_sessions")]
pub async fn end_user_sessions(id: String) -> Result<u64, AppError> {
    authz::serve(Action::UserEndSessions, move |state, caller| async move {
        service::users::end_sessions(&state, &caller, &id).await
    })
    .await
}

#[server(endpoint = "admin/user_roles")]
pub async fn set_user_roles(
    id: String,
    #[server(default)] roles: Vec<String>,
) -> Result<(), AppError> {
    authz::serve(Action::RoleGrant, move |state, caller| async move {
        service::users::set_roles(&state, &caller, &id, &roles).await
    })
    .await
}

/// Departments (one page, or all with `all = true` for choice lists) and counties.
#[server(endpoint = "admin/orgs")]
pub async fn list_orgs(
    #[server(default)] q: String,
    #[server(default)] sort: String,
    #[server(default)] page: i64,
    #[server(default)] all: bool,
) -> Result<Orgs, AppError> {
    authz::serve(Action::OrgView, move |state, caller| async move {
        let page = (!all).then_some(page);
        service::orgs::list(&state, &caller, &q, &sort, page).await
    })
    .await
}

#[server(endpoint = "admin/department")]
pub async fn get_department(id: String) -> Result<DepartmentDetail, AppError> {
    authz::serve(Action::OrgView, move |state, caller| async move {
        service::orgs::department(&state, &caller, &id).await
    })
    .await
}

pub use save_department_fn::{save_department, SaveDepartment};

/// The arguments of `save_department` are the form's fields, posted by name. The lint is allowed on a
/// module because the server macro does not carry a function's own `#[allow]` to every copy it makes.
#[allow(clippy::too_many_arguments)]
mod save_department_fn {
    use super::*;

    #[server(endpoint = "admin/department_save")]
    pub async fn save_department(
        #[server(default)] id: String,
        code: String,
        name: String,
        #[server(default)] full_name: String,
        #[server(default)] aliases: String,
        #[server(default)] uscc: String,
        #[server(default)] county_code: String,
        #[server(default)] active: bool,
    ) -> Result<String, AppError> {
        authz::serve(Action::OrgManage, move |state, caller| async move {
            let input = service::orgs::DepartmentInput {
                public_id: id,
                code,
                name,
                full_name,
                aliases,
                uscc,
                county_code,
                active,
            };
            service::orgs::save_department(&state, &caller, &input).await
        })
        .await
    }
}

#[server(endpoint = "admin/county_save")]
pub async fn save_county(
    code: String,
    name: String,
    #[server(default)] sort_order: i64,
) -> Result<(), AppError> {
    authz::serve(Action::OrgManage, move |state, caller| async move {
        service::orgs::save_county(&state, &caller, &code, &name, sort_order).await
    })
    .await
}

#[server(endpoint = "admin/policy")]
pub async fn get_policy() -> Result<SecurityPolicy, AppError> {
    authz::serve(Action::PolicyView, move |state, _| async move {
        crate::server::settings::security_policy(&state).await
    })
    .await
}

#[server(endpoint = "admin/policy_save")]
pub async fn save_policy(policy: SecurityPolicy) -> Result<(), AppError> {
    authz::serve(Action::PolicyEdit, move |state, caller| async move {
        service::policy::save(&state, &caller, &policy).await
    })
    .await
}

#[server(endpoint = "admin/holidays")]
pub async fn list_holidays(year: String) -> Result<HolidayYear, AppError> {
    authz::serve(Action::HolidayView, move |state, _| async move {
        let year = service::holidays::year_or_current(&state, &year);
        let rows = service::holidays::list(&state, year).await?;
        Ok(HolidayYear { year, rows })
    })
    .await
}

#[server(endpoint = "admin/holiday_save")]
pub async fn save_holiday(day: String, kind: String, name: String) -> Result<(), AppError> {
    authz::serve(Action::HolidayEdit, move |state, caller| async move {
        service::holidays::save(&state, &caller, &day, &kind, &name).await
    })
    .await
}

#[server(endpoint = "admin/holiday_delete")]
pub async fn delete_holiday(day: String) -> Result<(), AppError> {
    authz::serve(Action::HolidayEdit, move |state, caller| async move {
        service::holidays::delete(&state, &caller, &day).await
    })
    .await
}

#[server(endpoint = "admin/holiday_import")]
pub async fn import_holidays(csv: String) -> Result<ImportSummary, AppError> {
    authz::serve(Action::HolidayEdit, move |state, caller| async move {
        service::holidays::import(&state, &caller, &csv).await
    })
    .await
}

#[server(endpoint = "admin/audit")]
pub async fn list_audit(
    #[server(default)] actor: String,
    #[server(default)] action: String,
    #[server(default)] outcome: String,
    #[server(default)] from: String,
    #[server(default)] to: String,
    #[server(default)] sort: String,
    #[server(default)] page: i64,
) -> Result<Page<AuditRow>, AppError> {
    authz::serve(Action::AuditView, move |state, _| async move {
        let f = service::audit_log::AuditFilter {
            actor,
            action,
            outcome,
            from,
            to,
            sort,
            page,
        };
        service::audit_log::list(&state, &f, None).await
    })
    .await
}

#[server(endpoint = "admin/audit_event")]
pub async fn get_audit_event(id: i64) -> Result<AuditDetail, AppError> {
    authz::serve(Action::AuditView, move |state, _| async move {
        service::audit_log::event(&state, id).await
    })
    .await
}

#[server(endpoint = "admin/audit_verify")]
pub async fn verify_audit_chain() -> Result<ChainStatus, AppError> {
    authz::serve(Action::AuditView, move |state, _| async move {
        service::audit_log::chain_status(&state).await
    })
    .await
}

#[server(endpoint = "admin/alarms")]
pub async fn list_alarms(
    #[server(default)] status: String,
    #[server(default)] page: i64,
) -> Result<Page<AlarmRow>, AppError> {
    authz::serve(Action::AlarmView, move |state, _| async move {
        service::alarms::list(&state, &status, page, None).await
    })
    .await
}

#[server(endpoint = "admin/alarm_handle")]
pub async fn handle_alarm(
    id: i64,
    resolve: bool,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    authz::serve(Action::AlarmHandle, move |state, caller| async move {
        service::alarms::handle(&state, &caller, id, resolve, &note).await
    })
    .await
}
