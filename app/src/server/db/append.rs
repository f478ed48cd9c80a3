//! Group commit for append-only rows written on hot request paths (the 联合奖惩 check log, written by
//! every check a service system makes; the API keys' access log, by every keyed request). Callers hand
//! their row to the database's one writer task, which inserts every row waiting at that moment — of
//! whichever tables — in one transaction and then answers each caller: a caller still returns only once
//! its row is committed. On SQLite this replaces many connections queueing for
//! the one write lock — each waiter sleeping in SQLite's busy handler, each row its own commit — with
//! one commit per group; on PostgreSQL it saves a round trip and a commit per row.
use super::{multi_row, Backend, BindValue, Db};
use crate::error::AppError;
use sqlx::AnyPool;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, oneshot};

/// Rows one transaction takes at most.
const MAX_GROUP: usize = 256;
/// Rows waiting for the writer at most; a caller beyond waits for room.
const QUEUE: usize = 4096;
/// How often the WAL is checkpointed beside a busy writer (SQLite).
const CHECKPOINT_EVERY: Duration = Duration::from_secs(1);

type Done = oneshot::Sender<Result<(), String>>;

/// A row for one table, with the caller waiting for its commit.
struct Pending {
    table: &'static str,
    columns: &'static [&'static str],
    row: Vec<BindValue>,
    done: Done,
}

/// The handle of one table on the database's one writer.
pub struct Appender {
    queue: mpsc::Sender<Pending>,
    table: &'static str,
    columns: &'static [&'static str],
}

/// The database's one writer task. One, not one per table: on SQLite two writers of different tables
/// would still queue for the one write lock, each waiter sleeping in SQLite's busy handler — the
/// tails the appender exists to remove (a second table's writer, the API access log beside the check
/// log, took the check API's p99 from 15 ms to over a second).
fn spawn_writer(pool: AnyPool, backend: Backend) -> mpsc::Sender<Pending> {
    let (queue, mut rx) = mpsc::channel::<Pending>(QUEUE);
    // The task holds the pool, not the `Db` (which holds this): it ends when the `Db` is dropped.
    tokio::spawn(async move {
        let mut writer = Writer {
            pool,
            backend,
            own: None,
            checkpointed: Instant::now(),
        };
        while let Some(first) = rx.recv().await {
            let mut group = vec![first];
            while group.len() < MAX_GROUP {
                match rx.try_recv() {
                    Ok(p) => group.push(p),
                    Err(_) => break,
                }
            }
            let outcome = writer.write(&group).await;
            if outcome.is_ok() || group.len() == 1 {
                let outcome = outcome.map_err(|e| e.to_string());
                for p in group {
                    let _ = p.done.send(outcome.clone());
                }
                continue;
            }
            // One bad row must not fail the others: each on its own.
            for p in group {
                let one = std::slice::from_ref(&p);
                let outcome = writer.write(one).await.map_err(|e| e.to_string());
                let _ = p.done.send(outcome);
            }
        }
    });
    queue
}

impl Appender {
    /// Appends one row (in the columns' order) and returns once it is committed.
    pub async fn append(&self, row: Vec<BindValue>) -> Result<(), AppError> {
        let (done, committed) = oneshot::channel();
        self.queue
            .send(Pending {
                table: self.table,
                columns: self.columns,
                row,
                done,
            })
            .await
            .map_err(|_| AppError::internal("append", "the writer stopped"))?;
        committed
            .await
            .map_err(|_| AppError::internal("append", "the writer dropped the row"))?
            .map_err(|e| AppError::internal("append", e))
    }
}

/// The writer's own connection. On SQLite it never checkpoints the WAL itself: a checkpoint syncs the
/// database file, and run after a commit it held every caller of the group (and the next) for as long as
/// that took — the check API's slowest answers. A checkpoint runs instead on another connection, beside
/// the writer, at most once a second (PASSIVE, as SQLite's own automatic one: it never blocks a writer).
struct Writer {
    pool: AnyPool,
    backend: Backend,
    own: Option<sqlx::AnyConnection>,
    checkpointed: Instant,
}

impl Writer {
    async fn connection(&mut self) -> Result<&mut sqlx::AnyConnection, AppError> {
        if self.own.is_none() {
            let mut conn = self.pool.acquire().await?.detach();
            if self.backend == Backend::Sqlite {
                sqlx::query("PRAGMA wal_autocheckpoint=0")
                    .execute(&mut conn)
                    .await?;
            }
            self.own = Some(conn);
        }
        self.own
            .as_mut()
            .ok_or_else(|| AppError::internal("append", "no connection"))
    }

    /// Writes a group in one transaction: the rows of each table as one multi-row insert, tables in
    /// the order they first appear.
    async fn write(&mut self, group: &[Pending]) -> Result<(), AppError> {
        let backend = self.backend;
        let result = async {
            let conn = self.connection().await?;
            // As `Db::begin`: SQLite takes the write lock at once.
            let mut tx = match backend {
                Backend::Sqlite => {
                    use sqlx::Connection;
                    conn.begin_with("BEGIN IMMEDIATE").await?
                }
                Backend::Postgres => {
                    use sqlx::Connection;
                    conn.begin().await?
                }
            };
            let mut tables: Vec<(&str, &[&str])> = vec![];
            for p in group {
                if !tables.iter().any(|(t, _)| *t == p.table) {
                    tables.push((p.table, p.columns));
                }
            }
            for (table, columns) in tables {
                let rows: Vec<Vec<BindValue>> = group
                    .iter()
                    .filter(|p| p.table == table)
                    .map(|p| p.row.clone())
                    .collect();
                multi_row::insert_rows(&mut tx, backend, table, columns, &rows).await?;
            }
            tx.commit().await?;
            Ok::<(), AppError>(())
        }
        .await;
        if result.is_err() {
            // A broken connection is not reused.
            self.own = None;
        }
        if backend == Backend::Sqlite && self.checkpointed.elapsed() >= CHECKPOINT_EVERY {
            self.checkpointed = Instant::now();
            let pool = self.pool.clone();
            tokio::spawn(async move {
                if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                    .execute(&pool)
                    .await
                {
                    tracing::warn!(error = %e, "WAL checkpoint beside the appender failed");
                }
            });
        }
        result
    }
}

/// The database's writer (started on first use) and a handle per table.
#[derive(Default)]
pub struct Appenders {
    writer: Mutex<Option<mpsc::Sender<Pending>>>,
}

impl Appenders {
    /// The handle of `table` (its rows always in `columns`' order) on the database's one writer.
    pub fn of(&self, db: &Db, table: &'static str, columns: &'static [&'static str]) -> Appender {
        let mut writer = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        let queue = writer
            .get_or_insert_with(|| spawn_writer(db.pool.clone(), db.backend))
            .clone();
        Appender {
            queue,
            table,
            columns,
        }
    }
}
