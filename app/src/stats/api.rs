//! Server functions of the statistics pages.
use super::model::{Dashboard, PublicStats};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::policy::Action;
#[cfg(feature = "ssr")]
use crate::server::authz;

/// The public 信用统计 figures (what is on display today).
#[server(endpoint = "stats/public")]
pub async fn get_public_stats() -> Result<PublicStats, AppError> {
    authz::serve_public(move |state| async move { super::service::public::public(&state).await })
        .await
}

/// The credit office's dashboard (`month` empty) or the monthly report of `month` (`YYYY-MM`).
#[server(endpoint = "stats/dashboard")]
pub async fn get_stats_dashboard(month: String) -> Result<Dashboard, AppError> {
    authz::serve(Action::StatsView, move |state, caller| async move {
        super::service::dashboard::dashboard(&state, &caller, &month).await
    })
    .await
}
