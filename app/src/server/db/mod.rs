//! Database access: one `AnyPool`, backend chosen at run time by `DATABASE_URL`.
//! Portable SQL uses `$1` placeholders, TEXT timestamps and BIGINT integers on both backends.
//!
//! Three paths to the database, each for a reason:
//! - the pool (`Db::pool`, `Db::begin`): every ordinary read and write;
//! - `BulkConn` (`bulk_conn`): the collection pipeline's million-row checks, on a rusqlite connection
//!   of its own on a SQLite file, with `multi_row` inserts elsewhere;
//! - `ReadPool` (`read_pool`): the hot public reads (the credit search).
//!
//! `sql` holds the helpers that build SQL text (sorting, LIKE patterns, paging bounds).
pub mod append;
pub mod bulk_conn;
pub mod flag;
pub mod multi_row;
pub mod read_pool;
pub mod sql;
pub mod value;

pub use bulk_conn::BulkConn;
pub use multi_row::{in_list, insert_rows};
pub use read_pool::ReadPool;
pub use value::{BindValue, ReadValue};

use crate::error::AppError;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, ConnectOptions, Executor};
use std::str::FromStr;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
    pub url: String,
    /// The hot public reads (`read_pool`).
    pub readers: std::sync::Arc<ReadPool>,
    /// Group-committed appends on hot write paths (`append`).
    pub appenders: std::sync::Arc<append::Appenders>,
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

impl Backend {
    pub fn of_url(url: &str) -> Result<Self, AppError> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Ok(Backend::Postgres)
        } else {
            Err(AppError::field(
                "DATABASE_URL",
                "DB_URL",
                "DATABASE_URL 须以 sqlite:// 或 postgres:// 开头。",
            ))
        }
    }
}

impl Db {
    /// Connects with the pool size that suits the backend. SQLite gets WAL, a busy timeout and
    /// foreign keys on every connection, since sqlx's Any driver does not set them.
    pub async fn connect(url: &str) -> Result<Self, AppError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of_url(url)?;
        if backend == Backend::Sqlite {
            ensure_sqlite_dir(url)?;
        }
        let opts = AnyConnectOptions::from_str(url)
            .map_err(|e| {
                AppError::field("DATABASE_URL", "DB_URL", format!("DATABASE_URL 无效：{e}"))
            })?
            // Statement logging would print bulk inserts whole; requests are timed by the access log.
            .log_statements(log::LevelFilter::Off)
            .log_slow_statements(log::LevelFilter::Off, Duration::from_secs(1));
        let max = if backend == Backend::Sqlite { 8 } else { 16 };
        let pool = AnyPoolOptions::new()
            .max_connections(max)
            .acquire_timeout(Duration::from_secs(10))
            // No ping before each use: it doubled the round trips of every short query (a hand-off
            // to SQLite's worker thread, a network round trip to PostgreSQL). A connection that did
            // die fails its query, and sqlx drops it from the pool.
            .test_before_acquire(false)
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute(
                            "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON; \
                             PRAGMA synchronous=NORMAL;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(opts)
            .await
            .map_err(|e| AppError::internal("database connect", e))?;
        Ok(Db {
            pool,
            backend,
            url: url.to_string(),
            readers: std::sync::Arc::new(ReadPool::new(url)),
            appenders: Default::default(),
        })
    }

    pub async fn migrate(&self) -> Result<(), AppError> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&self.pool).await?;
        Ok(())
    }

    /// Begins a write transaction. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`): a
    /// deferred transaction that reads first and writes later fails at once with "database is locked"
    /// when another connection wrote meanwhile, instead of waiting out the busy timeout.
    pub async fn begin(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, AppError> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    /// Readiness: a round trip to the database.
    pub async fn ping(&self) -> Result<(), AppError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }
}

/// The database file of a `sqlite:` URL; `None` for an in-memory database.
pub fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    let path = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let path = path.split('?').next().unwrap_or_default();
    (!path.is_empty() && !path.starts_with(":memory:")).then(|| std::path::PathBuf::from(path))
}

fn ensure_sqlite_dir(url: &str) -> Result<(), AppError> {
    let Some(path) = sqlite_file(url) else {
        return Ok(());
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| AppError::internal("create data dir", e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    /// Table → column names declared by a migration file (`CREATE TABLE` blocks only).
    fn schema(sql: &str) -> std::collections::BTreeMap<String, Vec<String>> {
        let mut out = std::collections::BTreeMap::new();
        let mut current: Option<String> = None;
        for line in sql.lines().map(str::trim) {
            if let Some(rest) = line.strip_prefix("CREATE TABLE ") {
                let name = rest
                    .split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_string();
                // A table declared on one line: `CREATE TABLE t (a TEXT, b BIGINT);`.
                if let Some(inline) = rest.split_once('(').and_then(|(_, r)| r.strip_suffix(");")) {
                    let cols = inline
                        .split(',')
                        .filter_map(|c| c.split_whitespace().next())
                        .map(str::to_string)
                        .collect();
                    out.insert(name, cols);
                    continue;
                }
                out.insert(name.clone(), vec![]);
                current = Some(name);
            } else if line.starts_with(')') {
                // `);`, or `) WITHOUT ROWID;` on SQLite.
                current = None;
            } else if let (Some(t), Some(col)) = (&current, line.split_whitespace().next()) {
                if !col.starts_with("--") && col != "PRIMARY" && col != "UNIQUE" {
                    if let Some(cols) = out.get_mut(t) {
                        cols.push(col.to_string());
                    }
                }
            }
        }
        out
    }

    /// All migrations of a backend, in order, as one text.
    fn migrations(backend: &str) -> (Vec<String>, String) {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../migrations")
            .join(backend);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        let names = files
            .iter()
            .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        (
            names,
            files
                .iter()
                .map(|f| std::fs::read_to_string(f).unwrap())
                .collect::<Vec<_>>()
                .join("\n"),
        )
    }

    /// The two migration folders must stay in step: same files, same tables, same columns.
    #[test]
    fn both_backends_declare_the_same_schema() {
        let (sqlite_files, sqlite_sql) = migrations("sqlite");
        let (postgres_files, postgres_sql) = migrations("postgres");
        assert_eq!(sqlite_files, postgres_files);
        let (mut sqlite, postgres) = (schema(&sqlite_sql), schema(&postgres_sql));
        // SQLite's helper for the search index triggers (PostgreSQL has generate_series).
        assert_eq!(sqlite.remove("gram_positions"), Some(vec!["n".to_string()]));
        // SQLite cannot alter a CHECK: 0019 rebuilds record_versions under a temporary name.
        assert!(sqlite.remove("record_versions_new").is_some());
        // … and 0026 credit_reports (its channel 'api').
        assert!(sqlite.remove("credit_reports_new").is_some());
        assert!(sqlite.len() >= 17, "{:?}", sqlite.keys());
        assert_eq!(sqlite, postgres);
    }
}
