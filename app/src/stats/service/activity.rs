//! What the platform did per month: articles published on the portal, credit searches, credit reports
//! issued, data API calls and batches sent through the API.
use super::{counts, months_ending, usage};
use crate::error::AppError;
use crate::server::AppState;
use crate::stats::model::Activity;

/// The `n` months up to `last` (`YYYY-MM`), oldest first.
pub async fn by_month(state: &AppState, last: &str, n: i32) -> Result<Vec<Activity>, AppError> {
    usage::flush(state).await?;
    let months = months_ending(last, n);
    let Some(first) = months.first() else {
        return Ok(vec![]);
    };
    // Months made by the server from a checked month: no request text reaches the SQL.
    let from = format!("{first}-01");
    let monthly = |table: &str, column: &str, cond: &str| {
        format!(
            "SELECT substr({column}, 1, 7), COUNT(*) FROM {table} WHERE {column} >= '{from}'{cond} \
             GROUP BY substr({column}, 1, 7)"
        )
    };
    let used = |kind: &str| {
        format!(
            "SELECT substr(day, 1, 7), CAST(SUM(n) AS BIGINT) FROM usage_counters WHERE day >= '{from}' \
             AND kind = '{kind}' GROUP BY substr(day, 1, 7)"
        )
    };
    let articles = counts(state, &monthly("article_live", "published_at", "")).await?;
    let reports = counts(state, &monthly("credit_reports", "issued_at", "")).await?;
    let batches = counts(
        state,
        &monthly("batches", "created_at", " AND channel = 'api'"),
    )
    .await?;
    let searches = counts(state, &used(usage::Usage::Search.code())).await?;
    let api = counts(state, &used(usage::Usage::DataApi.code())).await?;
    let get = |m: &std::collections::HashMap<String, i64>, k: &str| m.get(k).copied().unwrap_or(0);
    Ok(months
        .into_iter()
        .map(|m| Activity {
            articles: get(&articles, &m),
            searches: get(&searches, &m),
            reports: get(&reports, &m),
            api_calls: get(&api, &m),
            api_batches: get(&batches, &m),
            month: m,
        })
        .collect())
}
