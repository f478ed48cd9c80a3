//! Multi-row inserts with portable placeholders, split to stay under the backends' bind limits.
//! Used wherever many rows go in at once: the demo seeder and the collection pipeline; also `IN` lists.
use super::value::BindValue;
use super::Backend;
use crate::error::AppError;
use sqlx::any::AnyArguments;
use sqlx::{Any, AnyConnection, Arguments};

const MAX_BINDS: usize = 16_000;

/// SQLite resolves numbered parameters (`$N`, `?N`) through a linear list, so a statement with
/// thousands of them is quadratic; plain `?` is positional and free. PostgreSQL needs `$N`.
fn placeholder(backend: Backend, n: usize) -> String {
    match backend {
        Backend::Sqlite => "?".to_string(),
        Backend::Postgres => format!("${n}"),
    }
}

/// Inserts `rows` (each in `cols` order) into `table`.
pub async fn insert_rows(
    conn: &mut AnyConnection,
    backend: Backend,
    table: &str,
    cols: &[&str],
    rows: &[Vec<BindValue>],
) -> Result<(), AppError> {
    let per_stmt = (MAX_BINDS / cols.len().max(1)).max(1);
    for chunk in rows.chunks(per_stmt) {
        let mut sql = format!("INSERT INTO {table} ({}) VALUES ", cols.join(", "));
        let mut args = AnyArguments::default();
        let mut n = 0;
        for (r, row) in chunk.iter().enumerate() {
            if r > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            for (c, v) in row.iter().enumerate() {
                n += 1;
                if c > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&placeholder(backend, n));
                let bound = match v {
                    BindValue::Int(i) => args.add(*i),
                    BindValue::Text(s) => args.add(s.clone()),
                    BindValue::NullText => args.add(Option::<String>::None),
                    BindValue::NullInt => args.add(Option::<i64>::None),
                };
                bound.map_err(|e| AppError::internal("bulk bind", e))?;
            }
            sql.push(')');
        }
        sqlx::query_with::<Any, _>(&sql, args)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// `$1, $2, …` (or `?, ?, …` on SQLite) for an `IN (…)` list of `n` values starting after `offset`.
pub fn in_list(backend: Backend, offset: usize, n: usize) -> String {
    (1..=n)
        .map(|i| placeholder(backend, offset + i))
        .collect::<Vec<_>>()
        .join(", ")
}
