//! Server functions of the portal. Public, read-only.
use super::model::HomeData;
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "portal/home")]
pub async fn get_home_data() -> Result<HomeData, AppError> {
    let state = crate::server::AppState::get()?;
    super::service::home_data(&state).await
}
