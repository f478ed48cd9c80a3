//! Builds the application state: config → database (migrated) → secrets → clock.
use app::error::AppError;
use app::server::{clock::Clock, config::Config, db::Db, secrets::Secrets, AppState};

pub async fn state_from_config(config: Config) -> Result<AppState, AppError> {
    let db = Db::connect(&config.database_url).await?;
    db.migrate().await?;
    let secrets = Secrets::load(&config)?;
    // Only demo mode with test hooks lets anyone move the clock.
    let clock = if config.test_hooks {
        Clock::adjustable()
    } else {
        Clock::system()
    };
    Ok(AppState::new(db, config, secrets, clock))
}
