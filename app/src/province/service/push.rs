//! The sender of the push (docs/domain.md §12, docs/province-interface.md). For each record kind on
//! its schedule (daily by default, `push_schedules.frequency`), the pending messages go to the province
//! oldest first, in signed batches. The province answers each message: accepted (or a duplicate of
//! one it has, which is as good) is sent; refused is parked with the answer until an operator resends
//! it. A request that fails as a whole (no answer, a timeout, an error status) leaves its messages
//! pending and moves the kind's next try out by an exponential backoff — the whole kind, so a later
//! message never overtakes an earlier one. A message's state changes only after the province answered,
//! so a crash mid-send sends it again, and its idempotency key keeps the province from counting it twice.
use super::payload;
use crate::collect::service::exchange;
use crate::error::AppError;
use crate::province::sign::{self, HmacSha256Signer, Signer};
use crate::province::wire::{self, PushAnswer, PushMessage, PushRequest, ResultStatus};
use crate::server::alarms::{self, Severity};
use crate::server::clock::rfc3339;
use crate::server::AppState;
use sqlx::Row;
use std::time::Duration;

/// The scan job: runs every minute and pushes the kinds that are due.
pub const JOB: &str = "province.push_scan";
/// The alarm raised while the push fails.
pub const ALARM_KEY: &str = "province.push";
/// How long one instance holds a kind while it sends (a crashed sender's claim ends with it).
const LEASE_MINUTES: i64 = 10;
/// Our area code in the requests (湘西土家族苗族自治州).
pub const AREA_CODE: &str = "433100";

/// What one push of a kind came to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Pushed {
    pub kind: String,
    pub sent: u64,
    pub duplicates: u64,
    pub parked: u64,
    /// Why the push stopped early (messages stay pending for the next try).
    pub failed: Option<String>,
}

/// Pushes every kind that has pending messages and is due. Nothing when no province URL is configured.
pub async fn run_due(state: &AppState) -> Result<Vec<Pushed>, AppError> {
    run(state, None, false).await
}

/// Pushes now, whatever the schedule (the console's 立即推送 and `server province-push`): one kind, or
/// every kind with pending messages.
pub async fn push_now(state: &AppState, kind: Option<&str>) -> Result<Vec<Pushed>, AppError> {
    run(state, kind, true).await
}

async fn run(state: &AppState, only: Option<&str>, force: bool) -> Result<Vec<Pushed>, AppError> {
    let Some(url) = state.config.province.url.clone() else {
        return Ok(vec![]);
    };
    let kinds: Vec<String> = sqlx::query(
        "SELECT DISTINCT record_kind FROM push_outbox WHERE state = 'pending' ORDER BY record_kind",
    )
    .fetch_all(&state.db.pool)
    .await?
    .iter()
    .map(|r| r.try_get("record_kind"))
    .collect::<Result<_, _>>()?;
    let client = http_client(state)?;
    let mut done = vec![];
    for kind in kinds
        .iter()
        .filter(|k| only.is_none_or(|o| o == k.as_str()))
    {
        if let Some(frequency) = claim(state, kind, force).await? {
            done.push(push_kind(state, &client, &url, kind, &frequency).await?);
        }
    }
    Ok(done)
}

fn http_client(state: &AppState) -> Result<reqwest::Client, AppError> {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(state.config.province.timeout_secs))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| AppError::internal("province client", e))
}

/// Claims a kind for this instance when it is due (or `force`): its frequency, or `None` when it is not
/// due or another instance holds it.
async fn claim(state: &AppState, kind: &str, force: bool) -> Result<Option<String>, AppError> {
    let pool = &state.db.pool;
    sqlx::query("INSERT INTO push_schedules (record_kind) VALUES ($1) ON CONFLICT DO NOTHING")
        .bind(kind)
        .execute(pool)
        .await?;
    let row =
        sqlx::query("SELECT frequency, next_push_at FROM push_schedules WHERE record_kind = $1")
            .bind(kind)
            .fetch_one(pool)
            .await?;
    let frequency: String = row.try_get("frequency")?;
    let next: Option<String> = row.try_get("next_push_at")?;
    let now = state.clock.now();
    if !force && next.as_deref().is_some_and(|n| n > rfc3339(now).as_str()) {
        return Ok(None);
    }
    let lease = rfc3339(now + time::Duration::minutes(LEASE_MINUTES));
    let claimed = sqlx::query(
        "UPDATE push_schedules SET next_push_at = $2 WHERE record_kind = $1 AND COALESCE(next_push_at, '') = $3",
    )
    .bind(kind)
    .bind(&lease)
    .bind(next.unwrap_or_default())
    .execute(pool)
    .await?
    .rows_affected();
    Ok((claimed == 1).then_some(frequency))
}

struct Pending {
    id: i64,
    record_id: i64,
    version: i64,
    action: String,
    created_at: String,
}

async fn pending(state: &AppState, kind: &str, limit: usize) -> Result<Vec<Pending>, AppError> {
    let rows = sqlx::query(
        "SELECT id, record_id, version, action, created_at FROM push_outbox \
         WHERE record_kind = $1 AND state = 'pending' ORDER BY id LIMIT $2",
    )
    .bind(kind)
    .bind(limit as i64)
    .fetch_all(&state.db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Pending {
                id: r.try_get("id")?,
                record_id: r.try_get("record_id")?,
                version: r.try_get("version")?,
                action: r.try_get("action")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
}

/// Sends a kind's pending messages batch by batch until none is left or a request fails.
async fn push_kind(
    state: &AppState,
    client: &reqwest::Client,
    url: &str,
    kind: &str,
    frequency: &str,
) -> Result<Pushed, AppError> {
    let mut pushed = Pushed {
        kind: kind.to_string(),
        ..Pushed::default()
    };
    let batch_size = state.config.province.batch;
    loop {
        let batch = pending(state, kind, batch_size).await?;
        if batch.is_empty() {
            break;
        }
        let ids: Vec<i64> = batch.iter().map(|m| m.record_id).collect();
        let records = payload::records(state, kind, &ids).await?;
        let mut messages = Vec::with_capacity(batch.len());
        let mut gone = vec![];
        for m in &batch {
            match records.get(&m.record_id) {
                Some(r) => messages.push((
                    m.id,
                    PushMessage {
                        key: wire::idempotency_key(kind, &r.public_id, m.version, &m.action),
                        record_id: r.public_id.clone(),
                        version: m.version,
                        action: m.action.clone(),
                        changed_at: m.created_at.clone(),
                        record: r.fields.clone(),
                    },
                )),
                None => gone.push(m.id),
            }
        }
        park_missing(state, &gone).await?;
        pushed.parked += gone.len() as u64;
        if messages.is_empty() {
            continue;
        }
        match send(state, client, url, kind, &messages).await {
            Ok(answer) => {
                let outcome = settle(state, &messages, &answer).await?;
                pushed.sent += outcome.sent;
                pushed.duplicates += outcome.duplicates;
                pushed.parked += outcome.parked;
                if outcome.unanswered > 0 {
                    pushed.failed = Some(format!(
                        "省平台的答复缺少 {} 条消息的结果，这些消息将重试",
                        outcome.unanswered
                    ));
                    break;
                }
            }
            Err(e) => {
                note_attempt(state, &messages, &e).await?;
                pushed.failed = Some(e);
                break;
            }
        }
    }
    finish(state, kind, frequency, &pushed).await?;
    Ok(pushed)
}

/// One signed request; the province's answer, or why there is none.
async fn send(
    state: &AppState,
    client: &reqwest::Client,
    url: &str,
    kind: &str,
    messages: &[(i64, PushMessage)],
) -> Result<PushAnswer, String> {
    let link = &state.config.province;
    let request = PushRequest {
        batch: uuid::Uuid::new_v4().simple().to_string(),
        area_code: AREA_CODE.into(),
        kind: kind.into(),
        messages: messages.iter().map(|(_, m)| m.clone()).collect(),
    };
    let body = serde_json::to_vec(&request).map_err(|e| e.to_string())?;
    let signer = HmacSha256Signer::new(link.secret.as_deref().unwrap_or_default());
    let timestamp = state.clock.now_text();
    let response = client
        .post(format!("{url}{}", wire::PUSH_PATH))
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(wire::KEY_HEADER, &link.key_id)
        .header(wire::TIMESTAMP_HEADER, &timestamp)
        .header(
            wire::SIGNATURE_HEADER,
            sign::signature_header(&signer as &dyn Signer, &timestamp, &body),
        )
        .body(body)
        .send()
        .await
        .map_err(|e| {
            if e.is_timeout() {
                format!("省平台在 {} 秒内没有答复", link.timeout_secs)
            } else {
                format!("无法连接省平台：{}", with_causes(&e))
            }
        })?;
    let status = response.status();
    let text = response
        .text()
        .await
        .map_err(|e| format!("读取省平台答复失败：{e}"))?;
    if !status.is_success() {
        let snippet: String = text.chars().take(300).collect();
        return Err(format!("省平台答复 HTTP {}：{snippet}", status.as_u16()));
    }
    serde_json::from_str(&text).map_err(|e| format!("省平台的答复不是约定的格式：{e}"))
}

fn with_causes(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push('：');
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

#[derive(Default)]
struct Outcome {
    sent: u64,
    duplicates: u64,
    parked: u64,
    unanswered: u64,
}

/// Records the province's answer, in one transaction: sent, parked with the answer, or (unanswered)
/// still pending.
async fn settle(
    state: &AppState,
    messages: &[(i64, PushMessage)],
    answer: &PushAnswer,
) -> Result<Outcome, AppError> {
    let now = state.clock.now_text();
    let by_key: std::collections::HashMap<&str, &wire::MessageResult> =
        answer.results.iter().map(|r| (r.key.as_str(), r)).collect();
    let mut outcome = Outcome::default();
    let mut sent = vec![];
    let mut tx = state.db.begin().await?;
    for (id, m) in messages {
        match by_key.get(m.key.as_str()) {
            Some(r) if r.status == ResultStatus::Refused => {
                let text = format!(
                    "{}{}",
                    r.code
                        .as_deref()
                        .map(|c| format!("[{c}] "))
                        .unwrap_or_default(),
                    r.message.as_deref().unwrap_or("省平台拒收，未说明原因")
                );
                sqlx::query(
                    "UPDATE push_outbox SET state = 'parked', attempts = attempts + 1, answer = $2, last_error = NULL \
                     WHERE id = $1",
                )
                .bind(id)
                .bind(&text)
                .execute(&mut *tx)
                .await?;
                outcome.parked += 1;
            }
            Some(r) => {
                if r.status == ResultStatus::Duplicate {
                    outcome.duplicates += 1;
                } else {
                    outcome.sent += 1;
                }
                sent.push(*id);
            }
            None => outcome.unanswered += 1,
        }
    }
    if !sent.is_empty() {
        let list = sent
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        sqlx::query(&format!(
            "UPDATE push_outbox SET state = 'sent', attempts = attempts + 1, sent_at = $1, last_error = NULL, \
             answer = NULL WHERE id IN ({list})"
        ))
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(outcome)
}

/// A failed request: each of its messages counts an attempt and keeps the reason.
async fn note_attempt(
    state: &AppState,
    messages: &[(i64, PushMessage)],
    error: &str,
) -> Result<(), AppError> {
    let list = messages
        .iter()
        .map(|(id, _)| id.to_string())
        .collect::<Vec<_>>()
        .join(",");
    sqlx::query(&format!(
        "UPDATE push_outbox SET attempts = attempts + 1, last_error = $1 WHERE id IN ({list})"
    ))
    .bind(error)
    .execute(&state.db.pool)
    .await?;
    Ok(())
}

/// A message whose record is gone cannot be sent: parked with that reason.
async fn park_missing(state: &AppState, ids: &[i64]) -> Result<(), AppError> {
    for id in ids {
        sqlx::query("UPDATE push_outbox SET state = 'parked', answer = $2 WHERE id = $1")
            .bind(id)
            .bind("本平台已找不到这条记录，无法推送")
            .execute(&state.db.pool)
            .await?;
    }
    Ok(())
}

/// The kind's next time: its schedule after a push that went through, the backoff after a failure. The
/// alarm follows: raised while the push fails, resolved by the next push that goes through.
async fn finish(
    state: &AppState,
    kind: &str,
    frequency: &str,
    pushed: &Pushed,
) -> Result<(), AppError> {
    let now = state.clock.now();
    match &pushed.failed {
        None => {
            let next = rfc3339(now + exchange::interval(frequency));
            sqlx::query(
                "UPDATE push_schedules SET next_push_at = $2, failures = 0, last_run_at = $3, last_error = NULL \
                 WHERE record_kind = $1",
            )
            .bind(kind)
            .bind(next)
            .bind(rfc3339(now))
            .execute(&state.db.pool)
            .await?;
            let failing: i64 =
                sqlx::query("SELECT COUNT(*) AS n FROM push_schedules WHERE failures > 0")
                    .fetch_one(&state.db.pool)
                    .await?
                    .try_get("n")?;
            if failing == 0 {
                alarms::resolve_key(&state.db, &state.clock, ALARM_KEY, "推送已恢复").await?;
            }
        }
        Some(error) => {
            let failures: i64 = sqlx::query(
                "UPDATE push_schedules SET failures = failures + 1, last_run_at = $2, last_error = $3 \
                 WHERE record_kind = $1 RETURNING failures",
            )
            .bind(kind)
            .bind(rfc3339(now))
            .bind(error)
            .fetch_one(&state.db.pool)
            .await?
            .try_get("failures")?;
            let next = rfc3339(now + time::Duration::minutes(wire::backoff_minutes(failures)));
            sqlx::query("UPDATE push_schedules SET next_push_at = $2 WHERE record_kind = $1")
                .bind(kind)
                .bind(next)
                .execute(&state.db.pool)
                .await?;
            alarms::raise(
                &state.db,
                &state.clock,
                ALARM_KEY,
                Severity::Warning,
                "向省平台推送失败",
                &format!("{kind}：{error}（已连续失败 {failures} 次，将自动重试）"),
            )
            .await?;
        }
    }
    Ok(())
}

/// An operator's 重新推送: parked or sent messages back to pending (a sent one the province lost is
/// sent again under its key). The kind's schedule decides when; 立即推送 sends at once. Returns how many.
pub async fn requeue(state: &AppState, ids: &[i64]) -> Result<u64, AppError> {
    let mut n = 0;
    let mut tx = state.db.begin().await?;
    for id in ids {
        n += sqlx::query(
            "UPDATE push_outbox SET state = 'pending', last_error = NULL WHERE id = $1 AND state IN ('parked', 'sent')",
        )
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    }
    tx.commit().await?;
    Ok(n)
}
