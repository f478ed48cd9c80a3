//! Group commit for append-only rows written on hot request paths (the 联合奖惩 check log, written by
//! every check a service system makes). Callers hand their row to the table's one writer task, which
//! inserts every row waiting at that moment in one transaction and then answers each caller: a caller
//! still returns only once its row is committed. On SQLite this replaces many connections queueing for
//! the one write lock — each waiter sleeping in SQLite's busy handler, each row its own commit — with
//! one commit per group; on PostgreSQL it saves a round trip and a commit per row.
use super::{multi_row, Backend, BindValue, Db};
use crate::error::AppError;
use sqlx::AnyPool;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, oneshot};

/// Rows one transaction takes at most.
const MAX_GROUP: usize = 256;
/// Rows waiting for the writer at most; a caller beyond waits for room.
const QUEUE: usize = 4096;
/// How often the WAL is checkpointed beside a busy writer (SQLite).
const CHECKPOINT_EVERY: Duration = Duration::from_secs(1);

type Done = oneshot::Sender<Result<(), String>>;

/// The writer of one table's rows.
pub struct Appender {
    queue: mpsc::Sender<(Vec<BindValue>, Done)>,
}

impl Appender {
    /// The task holds the pool, not the `Db` (which holds this): it ends when the `Db` is dropped.
    fn spawn(
        pool: AnyPool,
        backend: Backend,
        table: &'static str,
        columns: &'static [&'static str],
    ) -> Self {
        let (queue, mut rx) = mpsc::channel::<(Vec<BindValue>, Done)>(QUEUE);
        tokio::spawn(async move {
            let mut writer = Writer {
                pool,
                backend,
                own: None,
                checkpointed: Instant::now(),
            };
            while let Some(first) = rx.recv().await {
                let mut rows = vec![first.0];
                let mut waiting = vec![first.1];
                while rows.len() < MAX_GROUP {
                    match rx.try_recv() {
                        Ok((row, done)) => {
                            rows.push(row);
                            waiting.push(done);
                        }
                        Err(_) => break,
                    }
                }
                let outcome = writer.write(table, columns, &rows).await;
                if outcome.is_ok() || rows.len() == 1 {
                    let outcome = outcome.map_err(|e| e.to_string());
                    for done in waiting {
                        let _ = done.send(outcome.clone());
                    }
                    continue;
                }
                // One bad row must not fail the others: each on its own.
                for (row, done) in rows.chunks(1).zip(waiting) {
                    let _ = done.send(
                        writer
                            .write(table, columns, row)
                            .await
                            .map_err(|e| e.to_string()),
                    );
                }
            }
        });
        Appender { queue }
    }

    /// Appends one row (in the columns' order) and returns once it is committed.
    pub async fn append(&self, row: Vec<BindValue>) -> Result<(), AppError> {
        let (done, committed) = oneshot::channel();
        self.queue
            .send((row, done))
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

    async fn write(
        &mut self,
        table: &str,
        columns: &[&str],
        rows: &[Vec<BindValue>],
    ) -> Result<(), AppError> {
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
            multi_row::insert_rows(&mut tx, backend, table, columns, rows).await?;
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

/// The writers of a database, one per table, started on first use.
#[derive(Default)]
pub struct Appenders {
    by_table: Mutex<HashMap<&'static str, Arc<Appender>>>,
}

impl Appenders {
    /// The writer of `table` (its rows always in `columns`' order).
    pub fn of(
        &self,
        db: &Db,
        table: &'static str,
        columns: &'static [&'static str],
    ) -> Arc<Appender> {
        let mut map = self.by_table.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(table)
            .or_insert_with(|| {
                Arc::new(Appender::spawn(db.pool.clone(), db.backend, table, columns))
            })
            .clone()
    }
}
