//! Structured logs. `RUST_LOG` overrides the default filter; `APP_LOG_JSON=1` switches to JSON lines.
use tracing_subscriber::{fmt, prelude::*, EnvFilter};

pub fn init(json: bool) {
    // tower-sessions and sqlx are chatty at info; access lines come from target "access".
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        EnvFilter::new(
            "info,sqlx=warn,tower_sessions=warn,tower_sessions_core=warn,tracing::span=warn",
        )
    });
    let registry = tracing_subscriber::registry().with(filter);
    let _ = if json {
        registry
            .with(fmt::layer().json().with_current_span(false))
            .try_init()
    } else {
        registry.with(fmt::layer().with_target(true)).try_init()
    };
}
