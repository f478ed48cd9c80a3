//! The cookie session layer: tower-sessions with the sqlx store of the configured backend. The store
//! needs a typed pool, so a small one is opened beside the application's `AnyPool`
//! (docs/architecture.md §4); one enum hides which backend it is.
use app::error::AppError;
use app::server::db::Backend;
use app::server::AppState;
use async_trait::async_trait;
use sqlx::sqlite::SqliteConnectOptions;
use std::str::FromStr;
use std::time::Duration;
use tower_sessions::cookie::SameSite;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};
use tower_sessions::{Expiry, SessionManagerLayer};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

pub const COOKIE_NAME: &str = "xxcredit_sid";

#[derive(Debug, Clone)]
pub enum Store {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

#[async_trait]
impl SessionStore for Store {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        match self {
            Store::Sqlite(s) => s.create(record).await,
            Store::Postgres(s) => s.create(record).await,
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        match self {
            Store::Sqlite(s) => s.save(record).await,
            Store::Postgres(s) => s.save(record).await,
        }
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        match self {
            Store::Sqlite(s) => s.load(id).await,
            Store::Postgres(s) => s.load(id).await,
        }
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        match self {
            Store::Sqlite(s) => s.delete(id).await,
            Store::Postgres(s) => s.delete(id).await,
        }
    }
}

impl Store {
    /// Opens the typed pool, creates the store's table, and starts the sweeper of expired rows.
    pub async fn open(state: &AppState) -> Result<Self, AppError> {
        let url = &state.db.url;
        let err = |e: sqlx::Error| AppError::internal("session store", e);
        let store = match state.db.backend {
            Backend::Sqlite => {
                let opts = SqliteConnectOptions::from_str(url)
                    .map_err(err)?
                    .busy_timeout(Duration::from_secs(10))
                    .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal);
                let pool = sqlx::sqlite::SqlitePoolOptions::new()
                    .max_connections(4)
                    .connect_with(opts)
                    .await
                    .map_err(err)?;
                let s = SqliteStore::new(pool);
                s.migrate().await.map_err(err)?;
                Store::Sqlite(s)
            }
            Backend::Postgres => {
                let pool = sqlx::postgres::PgPoolOptions::new()
                    .max_connections(4)
                    .connect(url)
                    .await
                    .map_err(err)?;
                let s = PostgresStore::new(pool);
                s.migrate().await.map_err(err)?;
                Store::Postgres(s)
            }
        };
        let sweeper = store.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(600));
            loop {
                tick.tick().await;
                let done = match &sweeper {
                    Store::Sqlite(s) => s.delete_expired().await,
                    Store::Postgres(s) => s.delete_expired().await,
                };
                if let Err(e) = done {
                    tracing::warn!(error = %e, "expired session sweep failed");
                }
            }
        });
        Ok(store)
    }
}

/// HttpOnly, SameSite=Lax, Secure in production. The store keeps a row for at most the absolute
/// session limit; the app enforces the idle and absolute limits itself, with its own clock.
pub fn layer(store: Store, production: bool) -> SessionManagerLayer<Store> {
    SessionManagerLayer::new(store)
        .with_name(COOKIE_NAME)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(production)
        .with_expiry(Expiry::OnInactivity(time::Duration::hours(24)))
}
