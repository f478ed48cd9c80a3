use super::{clock::Clock, config::Config, db::Db, limits::Limits, secrets::Secrets};
use std::sync::Arc;

/// Everything a request, a job or a CLI command needs. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub secrets: Arc<Secrets>,
    pub clock: Clock,
    pub limits: Arc<Limits>,
    pub caches: Arc<super::memo::Caches>,
}

impl AppState {
    pub fn new(db: Db, config: Config, secrets: Secrets, clock: Clock) -> Self {
        let limits = Arc::new(
            Limits::new(
                config.login_rate_per_minute,
                config.search_rate_per_minute,
                config.report_rate_per_hour,
            )
            .with_exports(config.export_rate_per_minute)
            .with_consults(config.consult_rate_per_hour)
            .with_commitments(config.commitment_rate_per_hour)
            .with_tracks(config.track_rate_per_minute)
            .with_api_keys(config.api_rate_per_minute),
        );
        AppState {
            db,
            config: Arc::new(config),
            secrets: Arc::new(secrets),
            clock,
            limits,
            caches: Arc::new(super::memo::Caches::default()),
        }
    }

    /// The state inside a server function.
    #[track_caller]
    pub fn get() -> Result<Self, crate::error::AppError> {
        let at = std::panic::Location::caller();
        leptos::prelude::use_context::<AppState>().ok_or_else(|| {
            crate::error::AppError::internal(
                "state",
                format!("AppState missing from context at {at}"),
            )
        })
    }
}
