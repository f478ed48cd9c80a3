use super::{clock::Clock, config::Config, db::Db, secrets::Secrets};
use std::sync::Arc;

/// Everything a request, a job or a CLI command needs. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub secrets: Arc<Secrets>,
    pub clock: Clock,
}

impl AppState {
    /// The state inside a server function.
    pub fn get() -> Result<Self, crate::error::AppError> {
        leptos::prelude::use_context::<AppState>().ok_or_else(|| {
            crate::error::AppError::internal("state", "AppState missing from context")
        })
    }
}
