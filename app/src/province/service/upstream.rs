//! The province's services (上级平台服务, docs/domain.md §12): a subject's basic information and credit
//! summary asked of the provincial platform when our own 法人库 has nothing, through a connector with a
//! time limit (`APP_PROVINCE_QUERY_TIMEOUT_SECS`), a cache (`APP_PROVINCE_CACHE_MINUTES`) and an audit
//! line per call — a cached answer included, since who asked about whom is what the audit is for.
use crate::error::AppError;
use crate::province::model::UpstreamAnswer;
use crate::province::sign::{self, HmacSha256Signer, Signer};
use crate::province::wire::{self, SubjectInfo};
use crate::rules::date::beijing_minute;
use crate::rules::uscc;
use crate::server::authz::Caller;
use crate::server::clock::rfc3339;
use crate::server::AppState;
use sqlx::Row;
use std::time::Duration;

/// The province's answer only when our register holds no subject of this code: the 法人库 and the
/// report desk ask on every search by a full code that found nothing here.
pub async fn subject_if_missing(
    state: &AppState,
    caller: &Caller,
    code: &str,
) -> Result<Option<UpstreamAnswer>, AppError> {
    let code = code.trim().to_ascii_uppercase();
    let ours = sqlx::query("SELECT id FROM subjects WHERE uscc = $1")
        .bind(&code)
        .fetch_optional(&state.db.pool)
        .await?;
    if ours.is_some() {
        return Ok(None);
    }
    subject(state, caller, &code).await.map(Some)
}

/// A subject by its code: the province's answer (possibly from the cache), or a clear refusal.
pub async fn subject(
    state: &AppState,
    caller: &Caller,
    code: &str,
) -> Result<UpstreamAnswer, AppError> {
    let code = code.trim().to_ascii_uppercase();
    if uscc::validate(&code).is_err() {
        return Err(AppError::field(
            "uscc",
            "USCC_INVALID",
            "向省平台查询须使用18位统一社会信用代码，请核对后再试。",
        ));
    }
    let Some(url) = state.config.province.url.clone() else {
        return Err(AppError::Conflict(
            "未配置省平台地址（APP_PROVINCE_URL），无法向省平台查询。".into(),
        ));
    };
    let outcome = match cached(state, &code).await? {
        Some(answer) => Ok(answer),
        None => fetch(state, &url, &code).await,
    };
    let mut tx = state.db.begin().await?;
    caller
        .event(
            "province.upstream_query",
            if outcome.is_ok() {
                "success"
            } else {
                "failure"
            },
        )
        .on("subject", &code)
        .with(serde_json::json!({
            "cached": outcome.as_ref().is_ok_and(|a| a.cached),
            "found": outcome.as_ref().is_ok_and(|a| a.subject.is_some()),
            "error": outcome.as_ref().err().map(ToString::to_string),
        }))
        .record(&mut tx, state)
        .await?;
    tx.commit().await?;
    outcome
}

/// A fresh cached answer, if any.
async fn cached(state: &AppState, code: &str) -> Result<Option<UpstreamAnswer>, AppError> {
    let since = rfc3339(
        state.clock.now() - time::Duration::minutes(state.config.province.cache_minutes as i64),
    );
    let row = sqlx::query(
        "SELECT answer, fetched_at FROM upstream_cache WHERE uscc = $1 AND fetched_at >= $2",
    )
    .bind(code)
    .bind(&since)
    .fetch_optional(&state.db.pool)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let answer: Option<String> = row.try_get("answer")?;
    let fetched_at: String = row.try_get("fetched_at")?;
    Ok(Some(UpstreamAnswer {
        subject: answer.and_then(|a| serde_json::from_str(&a).ok()),
        fetched_at: beijing_minute(&fetched_at),
        cached: true,
    }))
}

async fn fetch(state: &AppState, url: &str, code: &str) -> Result<UpstreamAnswer, AppError> {
    let link = &state.config.province;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(link.query_timeout_secs))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| AppError::internal("province client", e))?;
    let signer = HmacSha256Signer::new(link.secret.as_deref().unwrap_or_default());
    let timestamp = state.clock.now_text();
    let refused = |why: String| {
        AppError::Conflict(format!("{why}；本地法人库中的信息不受影响，请稍后再试。"))
    };
    let response = client
        .get(format!("{url}{}{code}", wire::SUBJECT_PATH))
        .header(wire::KEY_HEADER, &link.key_id)
        .header(wire::TIMESTAMP_HEADER, &timestamp)
        .header(
            wire::SIGNATURE_HEADER,
            sign::signature_header(&signer as &dyn Signer, &timestamp, b""),
        )
        .send()
        .await
        .map_err(|e| {
            refused(if e.is_timeout() {
                format!("省平台未在 {} 秒内答复", link.query_timeout_secs)
            } else {
                "无法连接省平台".to_string()
            })
        })?;
    let status = response.status().as_u16();
    let body = response
        .text()
        .await
        .map_err(|_| refused("读取省平台答复失败".into()))?;
    let subject: Option<SubjectInfo> = match status {
        200 => Some(
            serde_json::from_str(&body)
                .map_err(|_| refused("省平台的答复不是约定的格式".into()))?,
        ),
        404 => None,
        s => return Err(refused(format!("省平台答复 HTTP {s}"))),
    };
    let now = state.clock.now_text();
    let stored = subject
        .as_ref()
        .map(|s| serde_json::to_string(s).unwrap_or_default());
    sqlx::query(
        "INSERT INTO upstream_cache (uscc, answer, fetched_at) VALUES ($1, $2, $3) \
         ON CONFLICT (uscc) DO UPDATE SET answer = excluded.answer, fetched_at = excluded.fetched_at",
    )
    .bind(code)
    .bind(stored)
    .bind(&now)
    .execute(&state.db.pool)
    .await?;
    Ok(UpstreamAnswer {
        subject,
        fetched_at: beijing_minute(&now),
        cached: false,
    })
}
