//! Server function of the access log page. Thin: authorise, call the service. The security admin reads
//! the keys' access log (`ApiAccessView`), as they manage the keys.
use super::model::{AccessFilter, AccessPage};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::policy::Action;
#[cfg(feature = "ssr")]
use crate::server::authz;

#[server(endpoint = "partner/access_log")]
pub async fn list_api_access(
    #[server(default)] filter: AccessFilter,
) -> Result<AccessPage, AppError> {
    authz::serve(Action::ApiAccessView, move |state, _| async move {
        super::service::access_log::page(&state, &filter).await
    })
    .await
}
