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
use tokio::sync::{mpsc, oneshot};

/// Rows one transaction takes at most.
const MAX_GROUP: usize = 256;
/// Rows waiting for the writer at most; a caller beyond waits for room.
const QUEUE: usize = 4096;

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
                let outcome = write(&pool, backend, table, columns, &rows).await;
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
                        write(&pool, backend, table, columns, row)
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

async fn write(
    pool: &AnyPool,
    backend: Backend,
    table: &str,
    columns: &[&str],
    rows: &[Vec<BindValue>],
) -> Result<(), AppError> {
    // As `Db::begin`: SQLite takes the write lock at once.
    let mut tx = match backend {
        Backend::Sqlite => pool.begin_with("BEGIN IMMEDIATE").await?,
        Backend::Postgres => pool.begin().await?,
    };
    multi_row::insert_rows(&mut tx, backend, table, columns, rows).await?;
    tx.commit().await?;
    Ok(())
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
