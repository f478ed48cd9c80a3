//! Statistics services (server only): aggregate queries, one GROUP BY per figure, merged here.
pub mod activity;
pub mod dashboard;
pub mod public;
pub mod received;
pub mod usage;

use crate::error::AppError;
use crate::rules::date::Ymd;
use crate::server::AppState;
use sqlx::Row;
use std::collections::HashMap;

/// How many departments a chart names before "其他单位".
pub const TOP_DEPARTMENTS: usize = 10;
/// Months in the month charts.
pub const MONTHS: i32 = 12;

/// `n` months (`YYYY-MM`) ending with the month of `last` (a `YYYY-MM`), oldest first.
pub fn months_ending(last: &str, n: i32) -> Vec<String> {
    let Some(first) = Ymd::parse_iso(&format!("{last}-01")) else {
        return vec![];
    };
    (0..n)
        .rev()
        .map(|i| first.add_months(-i).iso().chars().take(7).collect())
        .collect()
}

/// `(key, count)` rows of a `SELECT key, COUNT(*) … GROUP BY key` whose key is text (or NULL → "").
pub async fn counts(state: &AppState, sql: &str) -> Result<HashMap<String, i64>, AppError> {
    let mut out = HashMap::new();
    for r in sqlx::query(sql).fetch_all(&state.db.pool).await? {
        let key: Option<String> = r.try_get(0)?;
        let n: i64 = r.try_get(1)?;
        *out.entry(key.unwrap_or_default()).or_default() += n;
    }
    Ok(out)
}

/// One number (`SELECT COUNT(*) …`, `SELECT SUM(…) …`; NULL = 0).
pub async fn scalar(state: &AppState, sql: &str) -> Result<i64, AppError> {
    let r = sqlx::query(sql).fetch_one(&state.db.pool).await?;
    Ok(r.try_get::<Option<i64>, _>(0)?.unwrap_or(0))
}

/// `(key, name)` pairs in the order the query gives them.
pub async fn names(state: &AppState, sql: &str) -> Result<Vec<(String, String)>, AppError> {
    sqlx::query(sql)
        .fetch_all(&state.db.pool)
        .await?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
}

/// Every department by id (as text), in id order.
pub async fn departments(state: &AppState) -> Result<Vec<(String, String)>, AppError> {
    names(
        state,
        "SELECT CAST(id AS TEXT), name FROM departments ORDER BY id",
    )
    .await
}

/// Every county in the official order.
pub async fn counties(state: &AppState) -> Result<Vec<(String, String)>, AppError> {
    names(
        state,
        "SELECT code, name FROM counties ORDER BY sort_order, code",
    )
    .await
}

/// The largest `top` groups by `total` (ties by name order kept), the rest summed into one row
/// made by `rest` (left out when empty).
pub fn top_n<T: Clone>(
    mut rows: Vec<T>,
    top: usize,
    total: impl Fn(&T) -> i64,
    rest: impl Fn(&[T]) -> T,
) -> Vec<T> {
    rows.retain(|r| total(r) > 0);
    rows.sort_by_key(|r| std::cmp::Reverse(total(r)));
    if rows.len() <= top {
        return rows;
    }
    let tail = rows.split_off(top);
    rows.push(rest(&tail));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twelve_months_cross_the_year() {
        let m = months_ending("2026-02", 12);
        assert_eq!(m.len(), 12);
        assert_eq!(m.first().map(String::as_str), Some("2025-03"));
        assert_eq!(m.last().map(String::as_str), Some("2026-02"));
        assert!(months_ending("nonsense", 12).is_empty());
    }

    #[test]
    fn top_n_sums_the_rest_and_drops_empty_groups() {
        let rows = vec![("a", 1), ("b", 5), ("c", 0), ("d", 3), ("e", 2)];
        let out = top_n(
            rows,
            2,
            |r| r.1,
            |rest| ("其他", rest.iter().map(|r| r.1).sum()),
        );
        assert_eq!(out, vec![("b", 5), ("d", 3), ("其他", 3)]);
        let few = top_n(vec![("a", 1)], 2, |r| r.1, |_| ("其他", 0));
        assert_eq!(few, vec![("a", 1)]);
    }
}
