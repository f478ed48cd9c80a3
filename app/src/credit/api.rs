//! Server functions of the credit search, subject pages, public lists, verification and reports. The
//! public ones answer the same data the JSON API (`/api/v1/credit/search`) gives; staff ones check the
//! caller's role and scope.
use super::model::{
    DisclosureRules, ListFilters, ListPage, PublicRecord, ReportCheck, ReportStats, SearchFilters,
    SearchResults, SubjectBasics, SubjectPage,
};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::policy::Action;
#[cfg(feature = "ssr")]
use crate::server::authz;

/// The state, once the caller's IP is within the public search limit (`APP_SEARCH_RATE_PER_MIN`).
#[cfg(feature = "ssr")]
async fn public_searcher() -> Result<crate::server::AppState, AppError> {
    let state = crate::server::AppState::get()?;
    let (_, meta) = authz::request_context().await?;
    if !state.limits.allow_search(meta.ip.as_deref()) {
        return Err(AppError::RateLimited);
    }
    Ok(state)
}

/// The public search, limited per IP (`APP_SEARCH_RATE_PER_MIN`).
#[server(endpoint = "credit/search")]
pub async fn credit_search(
    q: String,
    filters: SearchFilters,
    page: i64,
) -> Result<SearchResults, AppError> {
    authz::respond(async move {
        let state = public_searcher().await?;
        super::service::search::search(
            &state,
            &super::service::search::Audience::Public,
            &q,
            &filters,
            page,
        )
        .await
    })
    .await
}

#[server(endpoint = "credit/subject")]
pub async fn credit_subject(id: String) -> Result<SubjectPage, AppError> {
    authz::respond(async move {
        let state = public_searcher().await?;
        super::service::subject::page(&state, &id).await
    })
    .await
}

/// The subject a report request names (404 for one the public may not see).
#[server(endpoint = "credit/request_form")]
pub async fn report_request_form(id: String) -> Result<SubjectBasics, AppError> {
    authz::serve_public(move |state| async move {
        let policy = super::service::policy(&state).await?;
        Ok(super::service::subject::load(&state, &policy, &id)
            .await?
            .basics)
    })
    .await
}

#[server(endpoint = "credit/list")]
pub async fn credit_list(
    list: String,
    filters: ListFilters,
    page: i64,
) -> Result<ListPage, AppError> {
    authz::serve_public(move |state| async move {
        super::service::lists::list_page(&state, &list, &filters, page).await
    })
    .await
}

#[server(endpoint = "credit/record")]
pub async fn credit_record(kind: String, id: String) -> Result<PublicRecord, AppError> {
    authz::serve_public(move |state| async move {
        super::service::lists::record(&state, &kind, &id).await
    })
    .await
}

#[server(endpoint = "credit/verify")]
pub async fn verify_report(code: String) -> Result<ReportCheck, AppError> {
    authz::serve_public(move |state| async move {
        super::service::reports::check_code(&state, &code).await
    })
    .await
}

/// The console's search: natural persons included (masked), within the caller's subject scope
/// (`authz::SubjectScope`: the county, or a unit's area).
#[server(endpoint = "credit/staff_search")]
pub async fn staff_search(
    q: String,
    filters: SearchFilters,
    page: i64,
) -> Result<SearchResults, AppError> {
    authz::serve(Action::CreditSearch, move |state, caller| async move {
        let county = caller.subject_scope(&state).await?.county_filter();
        super::service::search::search(
            &state,
            &super::service::search::Audience::Staff { county },
            &q,
            &filters,
            page,
        )
        .await
    })
    .await
}

/// A member of staff pulls a subject's report for a service matter: logged and audited.
#[server(endpoint = "credit/staff_report")]
pub async fn staff_report(
    request: super::model::ReportRequest,
) -> Result<super::model::IssuedReport, AppError> {
    authz::serve(Action::CreditReportPull, move |state, caller| async move {
        let parts = leptos::prelude::use_context::<http::request::Parts>();
        let origin =
            crate::server::config::site_origin(&state.config, parts.as_ref().map(|p| &p.headers));
        super::service::reports::issue(
            &state,
            super::service::reports::Issuer::Staff(&caller),
            &request,
            &origin,
        )
        .await
    })
    .await
}

#[server(endpoint = "credit/report_stats")]
pub async fn get_report_stats() -> Result<ReportStats, AppError> {
    authz::serve(Action::CreditReportStats, move |state, caller| async move {
        super::service::stats::stats(&state, &caller).await
    })
    .await
}

#[server(endpoint = "credit/disclosure")]
pub async fn get_disclosure_rules() -> Result<DisclosureRules, AppError> {
    authz::serve(Action::DisclosureView, move |state, _| async move {
        super::service::disclosure::load(&state).await
    })
    .await
}

/// Saves the 公示规则 (audited); answers them as now in force.
#[server(endpoint = "credit/disclosure_save")]
pub async fn save_disclosure_rules(rules: DisclosureRules) -> Result<DisclosureRules, AppError> {
    authz::serve(Action::DisclosureEdit, move |state, caller| async move {
        super::service::disclosure::save(&state, &caller, &rules).await
    })
    .await
}
