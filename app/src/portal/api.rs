//! Server functions of the portal. Public and read-only: everything they return is already public.
//! Those that can miss go through `authz::serve_public` (and so `respond`): a missing column or article
//! answers 404.
use super::model::{ArticleView, ColumnInfo, ColumnPageData, HomeData, SearchResults};
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "portal/home")]
pub async fn get_home_data() -> Result<HomeData, AppError> {
    let state = crate::server::AppState::get()?;
    super::service::home::home_data(&state).await
}

/// The visible columns for the navigation, in order.
#[server(endpoint = "portal/nav")]
pub async fn portal_nav() -> Result<Vec<ColumnInfo>, AppError> {
    let state = crate::server::AppState::get()?;
    super::service::columns::visible(&state).await
}

#[server(endpoint = "portal/column")]
pub async fn get_column_page(code: String, page: i64) -> Result<ColumnPageData, AppError> {
    crate::server::authz::serve_public(move |state| async move {
        super::service::columns::column_page(&state, &code, page).await
    })
    .await
}

#[server(endpoint = "portal/article")]
pub async fn get_article(id: String) -> Result<ArticleView, AppError> {
    crate::server::authz::serve_public(move |state| async move {
        // A page request for /article/… is counted by the server's page cache (it may never get here);
        // a call from the browser after an in-app navigation is counted here.
        let page_request = leptos::prelude::use_context::<http::request::Parts>()
            .is_some_and(|p| p.uri.path().starts_with("/article/"));
        let view = if page_request {
            super::service::articles::ViewCount::Counted
        } else {
            super::service::articles::ViewCount::Write
        };
        super::service::articles::article(&state, &id, view).await
    })
    .await
}

#[server(endpoint = "portal/search")]
pub async fn site_search(q: String, page: i64) -> Result<SearchResults, AppError> {
    let state = crate::server::AppState::get()?;
    super::service::search::search(&state, &q, page).await
}

/// One page of a policy column's documents (政策法规) under the URL's filters.
#[server(endpoint = "portal/policies")]
pub async fn get_policy_page(
    code: String,
    #[server(default)] level: String,
    #[server(default)] status: String,
    #[server(default)] issuer: String,
    #[server(default)] year: String,
    #[server(default)] q: String,
    #[server(default)] page: i64,
) -> Result<super::model::PolicyPageData, AppError> {
    let filter = super::model::PolicyFilter {
        level,
        status,
        issuer,
        year,
        q,
    };
    crate::server::authz::serve_public(move |state| async move {
        super::service::policies::policy_page(&state, &code, &filter, page).await
    })
    .await
}
