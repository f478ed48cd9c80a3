//! Reads for the busiest public pages (the credit search). On a SQLite file they run on rusqlite
//! connections kept for reading, on the calling thread: sqlx's SQLite driver hands each row from its
//! worker thread to the task one at a time and re-encodes it as an `Any` value, which cost more than
//! SQLite's own work for the 20 to 40 short rows of a search. Elsewhere (PostgreSQL, in-memory
//! SQLite) they go through the pool. The SQL is the same for both (`$N` placeholders).
//!
//! The query runs inline on the async worker, like the page rendering around it: a search query is
//! an index range cut by a LIMIT (tens of microseconds), and handing it to another thread
//! (`block_in_place`, `spawn_blocking`) cost more in thread wake-ups than the query itself. Since
//! nothing awaits while a connection is out, at most one is in use per thread and the idle ones are
//! reused, their statements prepared and their page caches warm.
use super::bulk_conn::{any_rows, lite_rows};
use super::sqlite_file;
use super::value::ReadValue;
use crate::error::AppError;
use sqlx::AnyPool;
use std::path::PathBuf;
use std::sync::Mutex;

/// Idle read connections kept (more may be open at once; the extra ones close after use).
const MAX_IDLE: usize = 8;

pub struct ReadPool {
    path: Option<PathBuf>,
    idle: Mutex<Vec<rusqlite::Connection>>,
}

impl ReadPool {
    pub fn new(url: &str) -> Self {
        ReadPool {
            path: url
                .starts_with("sqlite:")
                .then(|| sqlite_file(url))
                .flatten(),
            idle: Mutex::new(Vec::new()),
        }
    }

    /// Runs a query with text parameters; each row's columns in select order.
    pub async fn fetch(
        &self,
        pool: &AnyPool,
        sql: &str,
        binds: &[String],
    ) -> Result<Vec<Vec<ReadValue>>, AppError> {
        let Some(path) = &self.path else {
            return fetch_pool(pool, sql, binds).await;
        };
        let conn = match self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop() {
            Some(c) => c,
            None => open(path).map_err(lite_err)?,
        };
        let result = run(&conn, sql, binds).map_err(lite_err);
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        if idle.len() < MAX_IDLE {
            idle.push(conn);
        }
        result
    }
}

fn lite_err(e: rusqlite::Error) -> AppError {
    AppError::internal("sqlite read", e)
}

fn open(path: &std::path::Path) -> rusqlite::Result<rusqlite::Connection> {
    let conn = rusqlite::Connection::open(path)?;
    // Reads only, and never waiting long on a writer's checkpoint.
    // 16 MiB of page cache each: the upper levels of the name and bigram indexes stay in memory.
    conn.execute_batch(
        "PRAGMA query_only=ON; PRAGMA busy_timeout=5000; PRAGMA cache_size=-16384;",
    )?;
    // A search has a few shapes per filter combination; keep them all prepared.
    conn.set_prepared_statement_cache_capacity(64);
    Ok(conn)
}

fn run(
    conn: &rusqlite::Connection,
    sql: &str,
    binds: &[String],
) -> rusqlite::Result<Vec<Vec<ReadValue>>> {
    let mut stmt = conn.prepare_cached(sql)?;
    for (i, b) in binds.iter().enumerate() {
        // `$N` where the statement names it (a `$2` may come before `$1`).
        if let Some(index) = stmt.parameter_index(&format!("${}", i + 1))? {
            stmt.raw_bind_parameter(index, b.as_str())?;
        }
    }
    lite_rows(&mut stmt)
}

async fn fetch_pool(
    pool: &AnyPool,
    sql: &str,
    binds: &[String],
) -> Result<Vec<Vec<ReadValue>>, AppError> {
    let mut q = sqlx::query(sql);
    for b in binds {
        q = q.bind(b.as_str());
    }
    any_rows(&q.fetch_all(pool).await?)
}
