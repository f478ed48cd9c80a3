//! A connection for bulk work (the collection pipeline). On PostgreSQL it is a transaction from the
//! pool. On SQLite it is a connection of its own through rusqlite on the same bundled SQLite:
//! statements are prepared once and bound row by row, without sqlx's `Any` value encoding, which
//! cost more than SQLite itself on a million rows. The SQL is the same for both (`$N` or `?`).
use super::multi_row::insert_rows as any_insert_rows;
use super::value::{BindValue, ReadValue};
use super::{sqlite_file, Backend, Db};
use crate::error::AppError;
use sqlx::any::AnyArguments;
use sqlx::{Any, AnyConnection, Arguments, Row, ValueRef};

pub enum BulkConn<'c> {
    /// A transaction from the pool (PostgreSQL, or SQLite without a file).
    Pool(Option<sqlx::Transaction<'static, Any>>, Db),
    /// Someone else's connection, already in its transaction.
    Borrowed(&'c mut AnyConnection, Backend),
    Lite(rusqlite::Connection),
}

fn lite_err(e: rusqlite::Error) -> AppError {
    AppError::internal("sqlite", e)
}

/// Runs blocking SQLite work without stalling the runtime's other tasks where the runtime allows.
fn blocking<T>(f: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current().map(|h| h.runtime_flavor()) {
        Ok(tokio::runtime::RuntimeFlavor::MultiThread) => tokio::task::block_in_place(f),
        _ => f(),
    }
}

impl BulkConn<'static> {
    /// The fastest connection the database allows, not yet in a transaction.
    pub fn open(db: &Db) -> Result<Self, AppError> {
        if db.backend == Backend::Sqlite {
            if let Some(path) = sqlite_file(&db.url) {
                let conn = rusqlite::Connection::open(path).map_err(lite_err)?;
                // A larger page cache keeps the indexes being filled in memory (64 MiB), and a
                // larger WAL before a checkpoint writes an index page back once for many chunks
                // rather than once per chunk (10,000 pages: 40 MB).
                conn.execute_batch(
                    "PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL; \
                     PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY; PRAGMA wal_autocheckpoint=10000;",
                )
                .map_err(lite_err)?;
                return Ok(BulkConn::Lite(conn));
            }
        }
        Ok(BulkConn::Pool(None, db.clone()))
    }
}

impl<'c> BulkConn<'c> {
    pub async fn begin(&mut self) -> Result<(), AppError> {
        match self {
            BulkConn::Pool(tx, db) => *tx = Some(db.begin().await?),
            BulkConn::Borrowed(..) => {}
            BulkConn::Lite(c) => {
                blocking(|| c.execute_batch("BEGIN IMMEDIATE")).map_err(lite_err)?
            }
        }
        Ok(())
    }

    pub async fn commit(&mut self) -> Result<(), AppError> {
        match self {
            BulkConn::Pool(tx, _) => {
                if let Some(tx) = tx.take() {
                    tx.commit().await?;
                }
            }
            BulkConn::Borrowed(..) => {}
            BulkConn::Lite(c) => blocking(|| c.execute_batch("COMMIT")).map_err(lite_err)?,
        }
        Ok(())
    }

    /// Undoes an open transaction (also done on drop).
    pub async fn rollback(&mut self) -> Result<(), AppError> {
        match self {
            BulkConn::Pool(tx, _) => {
                if let Some(tx) = tx.take() {
                    tx.rollback().await?;
                }
            }
            BulkConn::Borrowed(..) => {}
            BulkConn::Lite(c) => {
                if !c.is_autocommit() {
                    blocking(|| c.execute_batch("ROLLBACK")).map_err(lite_err)?
                }
            }
        }
        Ok(())
    }

    fn any(&mut self) -> Result<&mut AnyConnection, AppError> {
        match self {
            BulkConn::Pool(Some(tx), _) => Ok(&mut **tx),
            BulkConn::Borrowed(c, _) => Ok(&mut **c),
            _ => Err(AppError::internal("bulk", "no open transaction")),
        }
    }

    /// Runs a statement; returns the rows changed.
    pub async fn execute(&mut self, sql: &str, binds: &[BindValue]) -> Result<u64, AppError> {
        if let BulkConn::Lite(c) = self {
            return blocking(|| {
                let mut stmt = c.prepare_cached(sql)?;
                bind_all(&mut stmt, binds)?;
                stmt.raw_execute().map(|n| n as u64)
            })
            .map_err(lite_err);
        }
        let conn = self.any()?;
        Ok(sqlx::query_with::<Any, _>(sql, any_args(binds)?)
            .execute(conn)
            .await?
            .rows_affected())
    }

    /// Runs a query; each row's columns in select order.
    pub async fn fetch(
        &mut self,
        sql: &str,
        binds: &[BindValue],
    ) -> Result<Vec<Vec<ReadValue>>, AppError> {
        if let BulkConn::Lite(c) = self {
            return blocking(|| {
                let mut stmt = c.prepare_cached(sql)?;
                bind_all(&mut stmt, binds)?;
                lite_rows(&mut stmt)
            })
            .map_err(lite_err);
        }
        let conn = self.any()?;
        // Not prepared: look-ups by long `IN` lists against tables that grow during the batch get a
        // plan for the values at hand. A cached generic plan, made while the table was small,
        // scanned it whole (PostgreSQL: 40,000 rows took 40 s instead of 7).
        let rows = sqlx::query_with::<Any, _>(sql, any_args(binds)?)
            .persistent(false)
            .fetch_all(conn)
            .await?;
        any_rows(&rows)
    }

    /// Inserts rows (each in `cols` order).
    pub async fn insert_rows(
        &mut self,
        table: &str,
        cols: &[&str],
        rows: &[Vec<BindValue>],
    ) -> Result<(), AppError> {
        if rows.is_empty() {
            return Ok(());
        }
        if let BulkConn::Lite(c) = self {
            let sql = format!(
                "INSERT INTO {table} ({}) VALUES ({})",
                cols.join(", "),
                vec!["?"; cols.len()].join(", ")
            );
            return blocking(|| {
                let mut stmt = c.prepare_cached(&sql)?;
                for row in rows {
                    bind_all(&mut stmt, row)?;
                    stmt.raw_execute()?;
                }
                Ok(())
            })
            .map_err(lite_err);
        }
        let backend = match self {
            BulkConn::Pool(_, db) => db.backend,
            BulkConn::Borrowed(_, b) => *b,
            BulkConn::Lite(_) => Backend::Sqlite,
        };
        any_insert_rows(self.any()?, backend, table, cols, rows).await
    }
}

/// A bound statement's rows, each row's columns in select order.
pub(crate) fn lite_rows(
    stmt: &mut rusqlite::CachedStatement<'_>,
) -> rusqlite::Result<Vec<Vec<ReadValue>>> {
    let n = stmt.column_count();
    let mut rows = stmt.raw_query();
    let mut out = vec![];
    while let Some(row) = rows.next()? {
        let mut vals = Vec::with_capacity(n);
        for i in 0..n {
            use rusqlite::types::ValueRef as R;
            vals.push(match row.get_ref(i)? {
                R::Null => ReadValue::Null,
                R::Integer(i) => ReadValue::Int(i),
                R::Real(f) => ReadValue::Text(f.to_string()),
                R::Text(t) | R::Blob(t) => ReadValue::Text(String::from_utf8_lossy(t).into_owned()),
            });
        }
        out.push(vals);
    }
    Ok(out)
}

/// The same for rows read through sqlx: integers where the column holds one, else text.
pub(crate) fn any_rows(rows: &[sqlx::any::AnyRow]) -> Result<Vec<Vec<ReadValue>>, AppError> {
    rows.iter()
        .map(|r| {
            (0..r.len())
                .map(|i| {
                    if r.try_get_raw(i)?.is_null() {
                        Ok(ReadValue::Null)
                    } else if let Ok(v) = r.try_get::<i64, _>(i) {
                        Ok(ReadValue::Int(v))
                    } else {
                        Ok(ReadValue::Text(r.try_get::<String, _>(i)?))
                    }
                })
                .collect::<Result<Vec<_>, AppError>>()
        })
        .collect()
}

/// Binds by `$N` name where the statement uses them (a `$2` may come before `$1`), else by position.
fn bind_all(stmt: &mut rusqlite::CachedStatement<'_>, binds: &[BindValue]) -> rusqlite::Result<()> {
    let named =
        stmt.parameter_count() > 0 && stmt.parameter_name(1).is_some_and(|n| n.starts_with('$'));
    for (i, v) in binds.iter().enumerate() {
        let index = if named {
            match stmt.parameter_index(&format!("${}", i + 1))? {
                Some(ix) => ix,
                None => continue,
            }
        } else {
            i + 1
        };
        match v {
            BindValue::Int(n) => stmt.raw_bind_parameter(index, n)?,
            BindValue::Text(s) => stmt.raw_bind_parameter(index, s.as_str())?,
            BindValue::NullText | BindValue::NullInt => {
                stmt.raw_bind_parameter(index, rusqlite::types::Null)?
            }
        }
    }
    Ok(())
}

fn any_args(binds: &[BindValue]) -> Result<AnyArguments<'static>, AppError> {
    let mut args = AnyArguments::default();
    for v in binds {
        match v {
            BindValue::Int(i) => args.add(*i),
            BindValue::Text(s) => args.add(s.clone()),
            BindValue::NullText => args.add(Option::<String>::None),
            BindValue::NullInt => args.add(Option::<i64>::None),
        }
        .map_err(|e| AppError::internal("bind", e))?;
    }
    Ok(args)
}
