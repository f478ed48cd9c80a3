//! Daily usage counters (credit searches, data API calls) for the office's statistics. A request only
//! adds one to a number in memory; the sums are written (one upsert per day and kind) every few
//! seconds by the next request after that, and before the statistics are read, so the search path
//! never waits for a write.
use crate::error::AppError;
use crate::server::AppState;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// What is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Usage {
    /// A credit search (public page, JSON API or staff search).
    Search,
    /// A call of the data API (`/api/v1/batches…`) with a valid key.
    DataApi,
}

impl Usage {
    pub fn code(self) -> &'static str {
        match self {
            Usage::Search => "search",
            Usage::DataApi => "data_api",
        }
    }
}

/// How long counts may wait in memory.
const FLUSH_EVERY: Duration = Duration::from_secs(5);

/// Counts not yet written, per database (one process may serve several in tests).
#[derive(Default)]
struct Pending {
    counts: HashMap<(String, Usage), i64>,
    since: Option<Instant>,
}

fn pending() -> &'static Mutex<HashMap<String, Pending>> {
    static PENDING: OnceLock<Mutex<HashMap<String, Pending>>> = OnceLock::new();
    PENDING.get_or_init(Default::default)
}

/// Counts one use today; starts a write when the counts have waited long enough.
pub fn count(state: &AppState, usage: Usage) {
    let day = state.clock.today().iso();
    let due = {
        let mut all = pending().lock().unwrap_or_else(|e| e.into_inner());
        let p = all.entry(state.config.database_url.clone()).or_default();
        *p.counts.entry((day, usage)).or_default() += 1;
        let since = *p.since.get_or_insert_with(Instant::now);
        since.elapsed() >= FLUSH_EVERY
    };
    if due {
        let state = state.clone();
        tokio::spawn(async move {
            if let Err(e) = flush(&state).await {
                tracing::warn!(error = %e, "usage counters not written");
            }
        });
    }
}

/// Writes the counts waiting for this database.
pub async fn flush(state: &AppState) -> Result<(), AppError> {
    let counts: Vec<((String, Usage), i64)> = {
        let mut all = pending().lock().unwrap_or_else(|e| e.into_inner());
        match all.get_mut(&state.config.database_url) {
            Some(p) => {
                p.since = None;
                p.counts.drain().collect()
            }
            None => vec![],
        }
    };
    for ((day, usage), n) in counts {
        sqlx::query(
            "INSERT INTO usage_counters (day, kind, n) VALUES ($1, $2, $3) \
             ON CONFLICT (day, kind) DO UPDATE SET n = usage_counters.n + $3",
        )
        .bind(&day)
        .bind(usage.code())
        .bind(n)
        .execute(&state.db.pool)
        .await?;
    }
    Ok(())
}
