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
use crate::rules::catalog::ClassSpec;
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

/// A batch ready to send: the request, the outbox ids of its messages (in order), the messages whose
/// record is gone, and the last outbox id it covers (the next batch starts after it).
struct Prepared {
    request: PushRequest,
    ids: Vec<i64>,
    gone: Vec<i64>,
    last_id: i64,
}

/// The next batch of a kind's pending messages after outbox id `after`; `None` when none is left.
async fn prepare(
    state: &AppState,
    spec: &ClassSpec,
    kind: &str,
    after: i64,
) -> Result<Option<Prepared>, AppError> {
    // Integers inline (an id and the configured batch size); the kind bound. The fast read path.
    let sql = format!(
        "SELECT id, record_id, version, action, created_at FROM push_outbox \
         WHERE record_kind = $1 AND state = 'pending' AND id > {after} ORDER BY id LIMIT {}",
        state.config.province.batch
    );
    let rows: Vec<(i64, i64, i64, String, String)> = state
        .db
        .readers
        .fetch(&state.db.pool, &sql, &[kind.to_string()])
        .await?
        .into_iter()
        .filter_map(|r| {
            let mut c = r.into_iter();
            Some((
                c.next()?.int()?,
                c.next()?.int()?,
                c.next()?.int()?,
                c.next()?.text()?,
                c.next()?.text()?,
            ))
        })
        .collect();
    let Some(&(last_id, ..)) = rows.last() else {
        return Ok(None);
    };
    let record_ids: Vec<i64> = rows.iter().map(|r| r.1).collect();
    let records = payload::records(state, spec, &record_ids).await?;
    let mut prepared = Prepared {
        request: PushRequest {
            batch: uuid::Uuid::new_v4().simple().to_string(),
            area_code: AREA_CODE.into(),
            kind: kind.into(),
            messages: Vec::with_capacity(rows.len()),
        },
        ids: Vec::with_capacity(rows.len()),
        gone: vec![],
        last_id,
    };
    for (id, record_id, version, action, changed_at) in rows {
        let Some(record) = records.get(&record_id) else {
            prepared.gone.push(id);
            continue;
        };
        prepared.ids.push(id);
        prepared.request.messages.push(PushMessage {
            key: wire::idempotency_key(kind, &record.public_id, version, &action),
            record_id: record.public_id.clone(),
            version,
            action,
            changed_at,
            record: record.fields.clone(),
        });
    }
    Ok(Some(prepared))
}

/// Sends a kind's pending messages batch by batch until none is left or a request fails. The next
/// batch is read and built while the current one is on the wire.
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
    let spec = payload::spec(state, kind).await?;
    let mut next = prepare(state, &spec, kind, 0).await?;
    while let Some(batch) = next.take() {
        park_missing(state, &batch.gone).await?;
        pushed.parked += batch.gone.len() as u64;
        if batch.ids.is_empty() {
            next = prepare(state, &spec, kind, batch.last_id).await?;
            continue;
        }
        let (sent, following) = tokio::join!(
            send(state, client, url, &batch.request),
            prepare(state, &spec, kind, batch.last_id)
        );
        match sent {
            Ok(answer) => {
                let outcome = settle(state, &batch, &answer).await?;
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
                next = following?;
            }
            Err(e) => {
                note_attempt(state, &batch.ids, &e).await?;
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
    request: &PushRequest,
) -> Result<PushAnswer, String> {
    let link = &state.config.province;
    let body = serde_json::to_vec(request).map_err(|e| e.to_string())?;
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
                format!("无法连接省平台：{}", exchange::with_causes(&e))
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
    batch: &Prepared,
    answer: &PushAnswer,
) -> Result<Outcome, AppError> {
    let now = state.clock.now_text();
    let by_key: std::collections::HashMap<&str, &wire::MessageResult> =
        answer.results.iter().map(|r| (r.key.as_str(), r)).collect();
    let mut outcome = Outcome::default();
    let mut sent = vec![];
    let mut tx = state.db.begin().await?;
    for (id, m) in batch.ids.iter().zip(&batch.request.messages) {
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
async fn note_attempt(state: &AppState, ids: &[i64], error: &str) -> Result<(), AppError> {
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
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
