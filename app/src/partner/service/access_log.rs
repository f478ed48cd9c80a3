//! The access log of API keys (docs/domain.md §12, §15): every request a key makes — which key, what
//! it asked, when, the answer's status and how many rows it carried. Written beside the request by the
//! database's group-commit writer, so a partner's answer never waits for its log line; read and exported
//! by the security admin. A check a key made (`POST /api/v1/checks`, answered) is not written twice:
//! its line is its row of the check log (`joint_checks`: key, time, hits), which this log reads beside
//! its own — on the check API's hot path a second row per request cost SQLite a third of its
//! throughput and second-long tails (BENCHMARKS.md).
use crate::error::AppError;
use crate::partner::model::{AccessFilter, AccessPage, AccessRow, KeyUsage, SHOWN};
use crate::rules::date::{beijing_day_start_utc, beijing_minute, filter_day};
use crate::server::db::BindValue;
use crate::server::AppState;
use sqlx::Row;

/// At most this many requests go into one export.
pub const MAX_EXPORT_ROWS: i64 = 50_000;
/// The logged path and query are cut to this many characters.
const PATH_CHARS: usize = 300;

const COLUMNS: [&str; 8] = [
    "key_id", "at", "method", "path", "status", "rows_out", "ip", "millis",
];

/// One request of a key, as logged.
pub struct Access {
    pub key_id: i64,
    pub method: String,
    pub path: String,
    pub status: u16,
    pub rows_out: i64,
    pub ip: Option<String>,
    pub millis: i64,
}

/// Logs a request. The row is committed in the background, with the rows of other requests; a failure
/// is logged, never answered (the request has been served).
pub fn record(state: &AppState, a: Access) {
    let row = vec![
        BindValue::Int(a.key_id),
        BindValue::Text(state.clock.now_text()),
        BindValue::Text(a.method),
        BindValue::Text(a.path.chars().take(PATH_CHARS).collect()),
        BindValue::Int(i64::from(a.status)),
        BindValue::Int(a.rows_out),
        BindValue::opt(a.ip),
        BindValue::Int(a.millis),
    ];
    let writer = state.db.appenders.of(&state.db, "api_access_log", &COLUMNS);
    tokio::spawn(async move {
        if let Err(e) = writer.append(row).await {
            tracing::warn!(error = %e, "API access log row not written");
        }
    });
}

/// The log's own lines and the checks keys made (one line each, their hits as rows).
const FROM: &str =
    "FROM (SELECT key_id, at, method, path, status, rows_out, ip, millis FROM api_access_log \
    UNION ALL SELECT api_key_id, checked_at, 'POST', '/api/v1/checks', 200, hit_count, NULL, NULL \
    FROM joint_checks WHERE channel = 'api' AND api_key_id IS NOT NULL) a \
    JOIN api_keys k ON k.id = a.key_id JOIN departments d ON d.id = k.department_id";

fn filter_sql(f: &AccessFilter) -> Result<(String, Vec<String>), AppError> {
    let mut sql = String::from(" WHERE 1 = 1");
    let mut binds = vec![];
    if !f.key.trim().is_empty() {
        binds.push(f.key.trim().to_string());
        sql.push_str(&format!(" AND k.prefix = ${}", binds.len()));
    }
    if let Some(from) = filter_day("from", &f.from)? {
        binds.push(beijing_day_start_utc(from));
        sql.push_str(&format!(" AND a.at >= ${}", binds.len()));
    }
    if let Some(to) = filter_day("to", &f.to)? {
        binds.push(beijing_day_start_utc(to.add_days(1)));
        sql.push_str(&format!(" AND a.at < ${}", binds.len()));
    }
    if f.outcome == "refused" {
        sql.push_str(" AND a.status >= 400");
    }
    Ok((sql, binds))
}

async fn rows(state: &AppState, f: &AccessFilter, limit: i64) -> Result<Vec<AccessRow>, AppError> {
    let (filter, binds) = filter_sql(f)?;
    let sql = format!(
        "SELECT a.at, k.prefix, k.name, d.name AS unit, a.method, a.path, a.status, a.rows_out, \
         COALESCE(a.ip, '') AS ip, COALESCE(a.millis, -1) AS millis {FROM}{filter} \
         ORDER BY a.at DESC LIMIT {limit}"
    );
    let mut q = sqlx::query(&sql);
    for b in &binds {
        q = q.bind(b.as_str());
    }
    q.fetch_all(&state.db.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(AccessRow {
                at: r.try_get("at")?,
                key_prefix: r.try_get("prefix")?,
                key_name: r.try_get("name")?,
                unit: r.try_get("unit")?,
                method: r.try_get("method")?,
                path: r.try_get("path")?,
                status: r.try_get("status")?,
                rows_out: r.try_get("rows_out")?,
                ip: r.try_get("ip")?,
                millis: r.try_get("millis")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(Into::into)
}

/// The page: the latest requests of the range, and each key's totals over it.
pub async fn page(state: &AppState, f: &AccessFilter) -> Result<AccessPage, AppError> {
    let (filter, binds) = filter_sql(f)?;
    let sql = format!(
        "SELECT k.prefix, k.name, d.name AS unit, COUNT(*) AS requests, \
         CAST(SUM(CASE WHEN a.status >= 400 THEN 1 ELSE 0 END) AS BIGINT) AS refused, \
         CAST(SUM(a.rows_out) AS BIGINT) AS rows_out \
         {FROM}{filter} GROUP BY k.prefix, k.name, d.name ORDER BY COUNT(*) DESC"
    );
    let mut q = sqlx::query(&sql);
    for b in &binds {
        q = q.bind(b.as_str());
    }
    let usage = q
        .fetch_all(&state.db.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(KeyUsage {
                key_prefix: r.try_get("prefix")?,
                key_name: r.try_get("name")?,
                unit: r.try_get("unit")?,
                requests: r.try_get("requests")?,
                refused: r.try_get("refused")?,
                rows_out: r.try_get("rows_out")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    let keys = sqlx::query(
        "SELECT k.prefix, k.name, d.name AS unit FROM api_keys k \
         JOIN departments d ON d.id = k.department_id ORDER BY k.id DESC",
    )
    .fetch_all(&state.db.pool)
    .await?
    .iter()
    .map(|r| {
        let (prefix, name, unit): (String, String, String) =
            (r.try_get("prefix")?, r.try_get("name")?, r.try_get("unit")?);
        Ok((prefix, format!("{name}（{unit}）")))
    })
    .collect::<Result<_, sqlx::Error>>()?;
    Ok(AccessPage {
        rows: rows(state, f, SHOWN).await?,
        usage,
        keys,
    })
}

/// The export's header row.
pub const HEADERS: [&str; 10] = [
    "时间（北京时间）",
    "密钥前缀",
    "密钥用途",
    "单位",
    "方法",
    "路径",
    "状态码",
    "返回条数",
    "来源地址",
    "耗时（毫秒）",
];

/// The range as rows of text for a sheet; a range over `MAX_EXPORT_ROWS` asks for a shorter one.
pub async fn sheet(state: &AppState, f: &AccessFilter) -> Result<Vec<Vec<String>>, AppError> {
    let found = rows(state, f, MAX_EXPORT_ROWS + 1).await?;
    if found.len() as i64 > MAX_EXPORT_ROWS {
        return Err(AppError::field(
            "range",
            "RANGE_TOO_LARGE",
            format!("一次最多导出 {MAX_EXPORT_ROWS} 条访问记录，请缩小日期范围或选择密钥。"),
        ));
    }
    Ok(found
        .into_iter()
        .map(|r| {
            vec![
                beijing_minute(&r.at),
                r.key_prefix,
                r.key_name,
                r.unit,
                r.method,
                r.path,
                r.status.to_string(),
                r.rows_out.to_string(),
                r.ip,
                if r.millis < 0 {
                    String::new()
                } else {
                    r.millis.to_string()
                },
            ]
        })
        .collect())
}
