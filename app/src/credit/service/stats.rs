//! The report request log and its statistics for the credit office (a county sees its own subjects).
use crate::credit::model::{ReportLogRow, ReportStats};
use crate::error::AppError;
use crate::rules::date::beijing_minute;
use crate::server::authz::Caller;
use crate::server::AppState;
use sqlx::Row;

/// A county user sees requests about subjects of the county.
fn scope(caller: &Caller) -> String {
    match caller.scope {
        crate::auth::policy::Scope::All => String::new(),
        _ => format!(
            " AND subject_id IN (SELECT id FROM subjects WHERE county_code = '{}')",
            caller
                .user
                .county_code
                .as_deref()
                .unwrap_or("")
                .replace('\'', "")
        ),
    }
}

/// The request log, newest first, up to `limit` rows (the statistics page and the XLSX export).
pub async fn log(
    state: &AppState,
    caller: &Caller,
    limit: i64,
) -> Result<Vec<ReportLogRow>, AppError> {
    let scope = scope(caller);
    sqlx::query(&format!(
        "SELECT serial, kind, channel, subject_name, applicant, purpose, matter, issued_at, verify_code \
         FROM credit_reports WHERE 1 = 1{scope} ORDER BY id DESC LIMIT {limit}"
    ))
    .fetch_all(&state.db.pool)
    .await?
    .iter()
    .map(|r| {
        let kind: String = r.try_get("kind")?;
        let channel: String = r.try_get("channel")?;
        Ok(ReportLogRow {
            serial: r.try_get("serial")?,
            kind_label: if kind == "special" { "专项信用报告" } else { "公共信用信息报告" }.into(),
            channel_label: channel_label(&channel).into(),
            subject_name: r.try_get("subject_name")?,
            applicant: r.try_get("applicant")?,
            purpose: r.try_get("purpose")?,
            matter: r.try_get("matter")?,
            issued_at: beijing_minute(&r.try_get::<String, _>("issued_at")?),
            verify_code: r.try_get("verify_code")?,
        })
    })
    .collect()
}

pub async fn stats(state: &AppState, caller: &Caller) -> Result<ReportStats, AppError> {
    let pool = &state.db.pool;
    let scope = scope(caller);
    let today = state.clock.today();
    let start = crate::rules::date::Ymd::from_days(today.days_from_epoch() - 29);
    // Days are Beijing days: the first one starts at 16:00 UTC the day before.
    let start_text = crate::rules::date::beijing_day_start_utc(start);
    let pairs = |sql: String| async move {
        sqlx::query(&sql)
            .fetch_all(pool)
            .await?
            .iter()
            .map(|r| Ok((r.try_get::<String, _>(0)?, r.try_get::<i64, _>(1)?)))
            .collect::<Result<Vec<(String, i64)>, AppError>>()
    };
    let total = sqlx::query(&format!(
        "SELECT COUNT(*) FROM credit_reports WHERE 1 = 1{scope}"
    ))
    .fetch_one(pool)
    .await?
    .try_get::<i64, _>(0)?;
    // Counted by UTC hour, then each hour given to its Beijing day.
    let recent_hours = pairs(format!(
        "SELECT substr(issued_at, 1, 13) AS hour, COUNT(*) FROM credit_reports WHERE issued_at >= '{start_text}'{scope} \
         GROUP BY substr(issued_at, 1, 13) ORDER BY hour"
    ))
    .await?;
    let mut per_day = std::collections::HashMap::<String, i64>::new();
    for (hour, n) in recent_hours {
        let day = beijing_minute(&format!("{hour}:00:00Z"));
        *per_day
            .entry(day.get(..10).unwrap_or_default().to_string())
            .or_default() += n;
    }
    let by_day = (0..30)
        .map(|i| {
            let d = crate::rules::date::Ymd::from_days(start.days_from_epoch() + i).iso();
            let n = per_day.get(&d).copied().unwrap_or(0);
            (d, n)
        })
        .collect::<Vec<_>>();
    let label = |v: Vec<(String, i64)>, f: fn(&str) -> &'static str| {
        v.into_iter()
            .map(|(k, n)| (f(&k).to_string(), n))
            .collect::<Vec<_>>()
    };
    let by_kind = label(
        pairs(format!(
            "SELECT kind, COUNT(*) FROM credit_reports WHERE 1 = 1{scope} GROUP BY kind ORDER BY kind"
        ))
        .await?,
        |k| if k == "special" { "专项信用报告" } else { "公共信用信息报告" },
    );
    let by_channel = label(
        pairs(format!(
            "SELECT channel, COUNT(*) FROM credit_reports WHERE 1 = 1{scope} GROUP BY channel ORDER BY channel"
        ))
        .await?,
        channel_label,
    );
    let top_purposes = pairs(format!(
        "SELECT purpose, COUNT(*) AS n FROM credit_reports WHERE 1 = 1{scope} GROUP BY purpose ORDER BY n DESC, purpose LIMIT 10"
    ))
    .await?;
    let recent = log(state, caller, 50).await?;
    Ok(ReportStats {
        total,
        last_30_days: by_day.iter().map(|(_, n)| n).sum(),
        by_kind,
        by_channel,
        by_day,
        top_purposes,
        recent,
    })
}

/// How a report was asked for, in words.
fn channel_label(channel: &str) -> &'static str {
    match channel {
        "staff" => "部门经办",
        "api" => "系统接口",
        _ => "公众申请",
    }
}
