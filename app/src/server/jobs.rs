//! Background jobs. Each job is a database row that a runner leases before it runs it, so that
//! with several server instances on one database a job runs once. Recurring jobs are enqueued
//! per time slot under a unique key, so two instances enqueueing the same slot make one row.
//! Failures retry with backoff; the last failure raises an alarm. Every attempt is logged.
//!
//! An attempt is counted when the job is leased, in its own committed statement, before the handler
//! starts: a job whose process dies mid-run has used the attempt. Such a job (its lease expires while it
//! is `running`) is leased again until it runs out of attempts, except a job on untrusted input (an
//! uploaded file, `untrusted`): if it killed the process once, running it again would kill every
//! instance that picks it up, so it fails at once with a critical alarm and its crash hook tells the
//! user why.
use super::{alarms, clock::rfc3339, db::Backend, AppState};
use crate::error::AppError;
use sqlx::Row;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use time::{Duration, OffsetDateTime};

/// What a handler gets: the state and the job's data.
#[derive(Clone)]
pub struct JobContext {
    pub state: AppState,
    pub job_id: i64,
    pub kind: String,
    pub payload: String,
    pub attempt: i64,
}

pub type JobFuture = Pin<Box<dyn Future<Output = Result<(), String>> + Send>>;
pub type Handler = Arc<dyn Fn(JobContext) -> JobFuture + Send + Sync>;

/// A job to enqueue.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub kind: String,
    pub payload: String,
    pub run_at: Option<OffsetDateTime>,
    /// A job with a key already present is not enqueued again.
    pub dedupe_key: Option<String>,
    pub max_attempts: i64,
}

impl NewJob {
    pub fn new(kind: &str) -> Self {
        NewJob {
            kind: kind.into(),
            payload: "{}".into(),
            run_at: None,
            dedupe_key: None,
            max_attempts: 5,
        }
    }
}

/// Enqueues a job; `None` when its dedupe key already exists.
pub async fn enqueue(state: &AppState, job: NewJob) -> Result<Option<i64>, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    enqueue_in(&mut conn, state, job).await
}

/// As [`enqueue`], inside the caller's transaction (so the job commits with the change that asks for it).
pub async fn enqueue_in(
    conn: &mut sqlx::AnyConnection,
    state: &AppState,
    job: NewJob,
) -> Result<Option<i64>, AppError> {
    let now = state.clock.now();
    let row = sqlx::query(
        "INSERT INTO jobs (kind, payload, dedupe_key, status, run_at, attempts, max_attempts, created_at, updated_at) \
         VALUES ($1, $2, $3, 'queued', $4, 0, $5, $6, $6) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
    )
    .bind(&job.kind)
    .bind(&job.payload)
    .bind(job.dedupe_key.as_deref())
    .bind(rfc3339(job.run_at.unwrap_or(now)))
    .bind(job.max_attempts)
    .bind(rfc3339(now))
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|r| r.try_get("id")).transpose()?)
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct JobRow {
    pub id: i64,
    pub kind: String,
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
}

/// Jobs of a kind, oldest first (for consoles and tests).
pub async fn list_by_kind(state: &AppState, kind: &str) -> Result<Vec<JobRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, kind, status, attempts, last_error FROM jobs WHERE kind = $1 ORDER BY id",
    )
    .bind(kind)
    .fetch_all(&state.db.pool)
    .await?)
}

struct Schedule {
    kind: String,
    every: Duration,
}

pub struct JobRunner {
    state: AppState,
    owner: String,
    handlers: HashMap<String, Handler>,
    /// Kinds on untrusted input, with what to do when one crashed the process.
    crash_hooks: HashMap<String, Handler>,
    schedules: Vec<Schedule>,
    lease: Duration,
}

impl JobRunner {
    pub fn new(state: AppState, owner: impl Into<String>) -> Self {
        JobRunner {
            state,
            owner: owner.into(),
            handlers: HashMap::new(),
            crash_hooks: HashMap::new(),
            schedules: vec![],
            lease: Duration::minutes(10),
        }
    }

    pub fn register<F, Fut>(mut self, kind: &str, handler: F) -> Self
    where
        F: Fn(JobContext) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), String>> + Send + 'static,
    {
        self.handlers.insert(
            kind.to_string(),
            Arc::new(move |ctx| Box::pin(handler(ctx))),
        );
        self
    }

    /// Marks `kind` as running on untrusted input (an uploaded file). When the process dies while running
    /// such a job, the job is not run again: it fails with a critical alarm and `on_crash` (given the
    /// job's context) records the outcome for the user, e.g. fails the batch with the reason.
    pub fn untrusted<F, Fut>(mut self, kind: &str, on_crash: F) -> Self
    where
        F: Fn(JobContext) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), String>> + Send + 'static,
    {
        self.crash_hooks.insert(
            kind.to_string(),
            Arc::new(move |ctx| Box::pin(on_crash(ctx))),
        );
        self
    }

    /// Runs `kind` once per `every`, aligned to multiples of `every` since the Unix epoch.
    pub fn schedule(mut self, kind: &str, every: Duration) -> Self {
        self.schedules.push(Schedule {
            kind: kind.to_string(),
            every,
        });
        self
    }

    pub fn owner(&self) -> &str {
        &self.owner
    }

    /// Enqueues the current slot of every schedule (idempotent across instances).
    pub async fn enqueue_due(&self) -> Result<(), AppError> {
        let now = self.state.clock.now();
        for s in &self.schedules {
            let every = s.every.whole_seconds().max(1);
            let slot = now.unix_timestamp().div_euclid(every);
            let slot_start = OffsetDateTime::from_unix_timestamp(slot * every).unwrap_or(now);
            let mut job = NewJob::new(&s.kind);
            job.run_at = Some(slot_start);
            job.dedupe_key = Some(format!("{}@{}", s.kind, slot));
            enqueue(&self.state, job).await?;
        }
        Ok(())
    }

    /// Leases the next due job of a kind this runner handles.
    async fn lease_next(&self) -> Result<Option<JobContext>, AppError> {
        if self.handlers.is_empty() {
            return Ok(None);
        }
        let now = self.state.clock.now();
        let kinds: Vec<&String> = self.handlers.keys().collect();
        let placeholders: Vec<String> = (0..kinds.len()).map(|i| format!("${}", i + 4)).collect();
        // A job on untrusted input whose lease expired is never leased again (`fail_abandoned`).
        let untrusted: Vec<&String> = self.crash_hooks.keys().collect();
        let not_untrusted = if untrusted.is_empty() {
            String::new()
        } else {
            let first = kinds.len() + 4;
            let list: Vec<String> = (first..first + untrusted.len())
                .map(|i| format!("${i}"))
                .collect();
            format!(" AND kind NOT IN ({})", list.join(", "))
        };
        let lock = if self.state.db.backend == Backend::Postgres {
            "FOR UPDATE SKIP LOCKED"
        } else {
            ""
        };
        let sql = format!(
            "UPDATE jobs SET status = 'running', lease_owner = $1, lease_until = $2, attempts = attempts + 1, \
             updated_at = $3 WHERE id = (SELECT id FROM jobs WHERE \
             ((status = 'queued' AND run_at <= $3) OR \
             (status = 'running' AND lease_until < $3 AND attempts < max_attempts{not_untrusted})) \
             AND kind IN ({}) ORDER BY run_at, id LIMIT 1 {lock}) \
             RETURNING id, kind, payload, attempts",
            placeholders.join(", ")
        );
        let mut q = sqlx::query(&sql)
            .bind(&self.owner)
            .bind(rfc3339(now + self.lease))
            .bind(rfc3339(now));
        for k in kinds.into_iter().chain(untrusted) {
            q = q.bind(k.as_str());
        }
        let Some(row) = q.fetch_optional(&self.state.db.pool).await? else {
            return Ok(None);
        };
        Ok(Some(JobContext {
            state: self.state.clone(),
            job_id: row.try_get("id")?,
            kind: row.try_get("kind")?,
            payload: row.try_get("payload")?,
            attempt: row.try_get("attempts")?,
        }))
    }

    /// Leases and runs one job. Returns false when nothing was due.
    pub async fn run_one(&self) -> Result<bool, AppError> {
        let Some(ctx) = self.lease_next().await? else {
            return Ok(false);
        };
        let started = self.state.clock.now_text();
        let handler = self.handlers.get(&ctx.kind).cloned();
        let outcome = match handler {
            Some(h) => {
                // Keep the lease alive while the handler runs, so a long job is not taken over.
                let heartbeat = self.spawn_heartbeat(ctx.job_id);
                // A panicking handler must not take the runner down: run it as its own task.
                let result = match tokio::spawn(h(ctx.clone())).await {
                    Ok(r) => r,
                    Err(e) => Err(format!("handler panicked: {e}")),
                };
                heartbeat.abort();
                result
            }
            None => Err(format!("no handler for job kind {}", ctx.kind)),
        };
        self.finish(&ctx, &started, outcome).await?;
        Ok(true)
    }

    /// Renews the lease every third of its length (real time) until aborted.
    fn spawn_heartbeat(&self, job_id: i64) -> tokio::task::JoinHandle<()> {
        let (state, owner, lease) = (self.state.clone(), self.owner.clone(), self.lease);
        let every = std::time::Duration::from_secs((lease.whole_seconds() / 3).max(1) as u64);
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(every).await;
                let until = rfc3339(state.clock.now() + lease);
                let renewed = sqlx::query(
                    "UPDATE jobs SET lease_until = $1 WHERE id = $2 AND lease_owner = $3 AND status = 'running'",
                )
                .bind(&until)
                .bind(job_id)
                .bind(&owner)
                .execute(&state.db.pool)
                .await;
                if let Err(e) = renewed {
                    tracing::warn!(job_id, error = %e, "could not renew job lease");
                }
            }
        })
    }

    /// Jobs whose process died while running them (lease expired, still `running`): on their last
    /// attempt, or on untrusted input at the first crash, they fail with an alarm instead of running
    /// again. The update is conditional, so with several instances one of them takes each job.
    async fn fail_abandoned(&self) -> Result<(), AppError> {
        let pool = &self.state.db.pool;
        let now = rfc3339(self.state.clock.now());
        let rows = sqlx::query(
            "SELECT id, kind, payload, attempts, max_attempts, COALESCE(lease_owner, '') AS lease_owner, \
             updated_at FROM jobs WHERE status = 'running' AND lease_until < $1 ORDER BY id",
        )
        .bind(&now)
        .fetch_all(pool)
        .await?;
        for r in rows {
            let (id, kind): (i64, String) = (r.try_get("id")?, r.try_get("kind")?);
            let (attempts, max): (i64, i64) = (r.try_get("attempts")?, r.try_get("max_attempts")?);
            let hook = self.crash_hooks.get(&kind).cloned();
            if hook.is_none() && attempts < max {
                continue; // leased again by `lease_next`
            }
            let error = if hook.is_some() {
                "the process died while running this job on untrusted input: not run again"
            } else {
                "lease expired on the last attempt (runner stopped or crashed)"
            };
            let mut tx = self.state.db.begin().await?;
            let taken = sqlx::query(
                "UPDATE jobs SET status = 'failed', lease_owner = NULL, lease_until = NULL, updated_at = $1, \
                 last_error = $2 WHERE id = $3 AND status = 'running' AND lease_until < $1",
            )
            .bind(&now)
            .bind(error)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            if taken.rows_affected() == 0 {
                continue; // another instance took it
            }
            sqlx::query(
                "INSERT INTO job_log (job_id, kind, attempt, runner, started_at, finished_at, outcome, message) \
                 VALUES ($1, $2, $3, $4, $5, $6, 'crashed', $7)",
            )
            .bind(id)
            .bind(&kind)
            .bind(attempts)
            .bind(r.try_get::<String, _>("lease_owner")?)
            .bind(r.try_get::<String, _>("updated_at")?)
            .bind(&now)
            .bind(error)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            let (key, severity, title, detail) = match hook {
                Some(_) => (
                    format!("job.crashed:{kind}"),
                    alarms::Severity::Critical,
                    format!("后台任务处理上传文件时进程中断：{kind}"),
                    format!(
                        "任务 #{id} 第 {attempts} 次运行时执行进程中断（租约过期）。该任务处理上传文件等不可信输入，\
                         为免同一文件反复击垮服务，已停止自动重试：请查看服务日志并核查该文件。"
                    ),
                ),
                None => (
                    format!("job.failed:{kind}"),
                    alarms::Severity::Warning,
                    format!("后台任务失败：{kind}"),
                    format!("任务 #{id} 最后一次尝试时执行进程中断（租约过期），已停止重试。"),
                ),
            };
            alarms::raise(
                &self.state.db,
                &self.state.clock,
                &key,
                severity,
                &title,
                &detail,
            )
            .await?;
            if let Some(hook) = hook {
                let ctx = JobContext {
                    state: self.state.clone(),
                    job_id: id,
                    kind: kind.clone(),
                    payload: r.try_get("payload")?,
                    attempt: attempts,
                };
                let outcome = match tokio::spawn(hook(ctx)).await {
                    Ok(outcome) => outcome,
                    Err(e) => Err(format!("crash hook panicked: {e}")),
                };
                if let Err(e) = outcome {
                    tracing::warn!(job_id = id, %kind, error = %e, "crash hook failed");
                }
            }
        }
        Ok(())
    }

    async fn finish(
        &self,
        ctx: &JobContext,
        started: &str,
        outcome: Result<(), String>,
    ) -> Result<(), AppError> {
        let now = self.state.clock.now();
        let max: i64 = sqlx::query("SELECT max_attempts FROM jobs WHERE id = $1")
            .bind(ctx.job_id)
            .fetch_one(&self.state.db.pool)
            .await?
            .try_get("max_attempts")?;
        let (status, log_outcome, error) = match &outcome {
            Ok(()) => ("done", "done", None),
            Err(e) if ctx.attempt < max => ("queued", "retry", Some(e.clone())),
            Err(e) => ("failed", "failed", Some(e.clone())),
        };
        let backoff =
            Duration::seconds(30 * (1i64 << (ctx.attempt - 1).clamp(0, 7))).min(Duration::hours(1));
        let run_at = if status == "queued" {
            rfc3339(now + backoff)
        } else {
            rfc3339(now)
        };
        let mut tx = self.state.db.begin().await?;
        let updated = sqlx::query(
            "UPDATE jobs SET status = $1, run_at = $2, last_error = $3, lease_owner = NULL, lease_until = NULL, \
             updated_at = $4 WHERE id = $5 AND lease_owner = $6 AND status = 'running'",
        )
        .bind(status)
        .bind(&run_at)
        .bind(error.as_deref())
        .bind(rfc3339(now))
        .bind(ctx.job_id)
        .bind(&self.owner)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO job_log (job_id, kind, attempt, runner, started_at, finished_at, outcome, message) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(ctx.job_id)
        .bind(&ctx.kind)
        .bind(ctx.attempt)
        .bind(&self.owner)
        .bind(started)
        .bind(rfc3339(now))
        .bind(if updated.rows_affected() == 0 { "lease_lost" } else { log_outcome })
        .bind(error.as_deref().unwrap_or(""))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        if status == "failed" {
            let detail = format!(
                "任务 #{} 重试 {} 次后仍失败：{}",
                ctx.job_id,
                ctx.attempt,
                error.unwrap_or_default()
            );
            alarms::raise(
                &self.state.db,
                &self.state.clock,
                &format!("job.failed:{}", ctx.kind),
                alarms::Severity::Warning,
                &format!("后台任务失败：{}", ctx.kind),
                &detail,
            )
            .await?;
        }
        Ok(())
    }

    /// Enqueues due schedules, then runs jobs until none is due. Returns how many ran.
    pub async fn tick(&self) -> Result<usize, AppError> {
        self.enqueue_due().await?;
        self.fail_abandoned().await?;
        let mut ran = 0;
        while self.run_one().await? {
            ran += 1;
        }
        Ok(ran)
    }

    /// Runs `tick` every `poll` until `shutdown` turns true.
    pub fn spawn(
        self,
        poll: std::time::Duration,
        mut shutdown: tokio::sync::watch::Receiver<bool>,
    ) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            loop {
                if let Err(e) = self.tick().await {
                    tracing::warn!(runner = %self.owner, error = %e, "job runner tick failed");
                }
                tokio::select! {
                    _ = tokio::time::sleep(poll) => {}
                    _ = shutdown.changed() => break,
                }
                if *shutdown.borrow() {
                    break;
                }
            }
            tracing::info!(runner = %self.owner, "job runner stopped");
        })
    }
}
