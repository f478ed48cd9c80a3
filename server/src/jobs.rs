//! Built-in background jobs and the runner that serves them.
use app::server::jobs::JobRunner;
use app::server::AppState;
use time::Duration;

/// The runner with every built-in job registered. Domains add their jobs here.
pub fn runner(state: AppState) -> JobRunner {
    let owner = format!("{}-{}", hostname(), std::process::id());
    JobRunner::new(state, owner)
        .register("system.job_log_prune", |ctx| async move {
            // Keep the job log bounded: finished jobs older than 30 days go.
            let cutoff = app::server::clock::rfc3339(ctx.state.clock.now() - Duration::days(30));
            let pool = &ctx.state.db.pool;
            sqlx::query("DELETE FROM job_log WHERE job_id IN (SELECT id FROM jobs WHERE status = 'done' AND updated_at < $1)")
                .bind(&cutoff)
                .execute(pool)
                .await
                .map_err(|e| e.to_string())?;
            sqlx::query("DELETE FROM jobs WHERE status = 'done' AND updated_at < $1")
                .bind(&cutoff)
                .execute(pool)
                .await
                .map_err(|e| e.to_string())?;
            Ok(())
        })
        .schedule("system.job_log_prune", Duration::days(1))
        .register("system.audit_prune", |ctx| async move {
            // Retention (docs/domain.md §15): at least 184 days, configurable; a sealed checkpoint remains.
            let s = &ctx.state;
            let policy = app::server::settings::security_policy(s)
                .await
                .map_err(|e| e.to_string())?;
            let days = policy.audit_retention_days.max(184) as i64;
            let cutoff = app::server::clock::rfc3339(s.clock.now() - Duration::days(days));
            app::server::audit::prune(&s.db, &s.secrets, &s.clock, &cutoff)
                .await
                .map_err(|e| e.to_string())?;
            Ok(())
        })
        .schedule("system.audit_prune", Duration::days(1))
        .register("collect.due_scan", |ctx| async move {
            // Reminders to units whose catalogue items are due or overdue; alarms when long overdue.
            app::collect::service::due::scan(&ctx.state)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
        })
        .schedule("collect.due_scan", Duration::hours(1))
        .register(app::help::service::due::JOB, |ctx| async move {
            // Consultations: a reminder a working day before the answer is due, an alarm once overdue.
            app::help::service::due::scan(&ctx.state)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
        })
        .schedule(app::help::service::due::JOB, Duration::hours(1))
        .register(app::cases::service::due::JOB, |ctx| async move {
            // Cases: a reminder a working day before a step is due, an alarm once overdue.
            app::cases::service::due::scan(&ctx.state)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
        })
        .schedule(app::cases::service::due::JOB, Duration::hours(1))
        .register(app::collect::service::exchange::SCAN_JOB, |ctx| async move {
            // Pulls the files of catalogue entries with an exchange address that are due.
            app::collect::service::exchange::run_due(&ctx.state)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
        })
        .schedule(app::collect::service::exchange::SCAN_JOB, Duration::minutes(15))
        .register(app::credit::service::takedown::JOB, |ctx| async move {
            // Penalties whose display period ended come off the portal (docs/domain.md §7).
            app::credit::service::takedown::run(&ctx.state)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
        })
        .schedule(app::credit::service::takedown::JOB, Duration::hours(1))
        .register(app::joint::service::expiry::JOB, |ctx| async move {
            // List entries whose removal date has come are marked 已移出 as versions (docs/domain.md §8).
            // Hourly, so that a day's removals are recorded soon after midnight; lists and checks
            // compare the dates themselves anyway.
            app::joint::service::expiry::run(&ctx.state)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
        })
        .schedule(app::joint::service::expiry::JOB, Duration::hours(1))
        .register(app::joint::service::feedback::JOB, |ctx| async move {
            // Checks with hits whose feedback is late: a reminder to the unit, an alarm to the office.
            app::joint::service::feedback::scan(&ctx.state)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
        })
        .schedule(app::joint::service::feedback::JOB, Duration::hours(1))
        .register(app::joint::service::batch::JOB, |ctx| async move {
            // A batch check: each chunk commits with its staged rows removed, so a retry resumes.
            let batch_id = batch_id(&ctx.payload)?;
            app::joint::service::batch::run(&ctx.state, batch_id)
                .await
                .map_err(|e| e.to_string())
        })
        .register(app::province::service::push::JOB, |ctx| async move {
            // The push to the province: each record kind on its schedule, retried with backoff.
            app::province::service::push::run_due(&ctx.state)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
        })
        .schedule(app::province::service::push::JOB, Duration::minutes(1))
        .register(app::province::service::lag::JOB, |ctx| async move {
            // The 7-working-day rule: an alarm while pushed records are late or about to be.
            app::province::service::lag::scan(&ctx.state)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
        })
        .schedule(app::province::service::lag::JOB, Duration::hours(1))
        .register(app::cms::service::schedule::JOB, |ctx| async move {
            // Scheduled publication and withdrawal of articles and releases; safe on every instance.
            app::cms::service::schedule::run_due(&ctx.state)
                .await
                .map_err(|e| e.to_string())?;
            app::cms::service::releases::run_due(&ctx.state)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
        })
        .schedule(app::cms::service::schedule::JOB, Duration::minutes(1))
        .register(app::cms::service::health::JOB, |ctx| async move {
            // Stale and empty columns as alarms (links are refreshed by the crawler's own job).
            app::cms::service::health::raise_alarms(&ctx.state)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
        })
        .schedule(app::cms::service::health::JOB, Duration::hours(1))
        .register(app::collect::service::intake::CHECK_JOB, |ctx| async move {
            // A retried check starts from a clean slate, so a crash mid-way leaves nothing half-done.
            let batch_id = batch_id(&ctx.payload)?;
            app::collect::service::pipeline::check_file(&ctx.state, batch_id)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
        })
        // The check reads an uploaded file: if the process died on it, the file is not read again
        // (that would kill the next instance too); the batch fails and says why.
        .untrusted(app::collect::service::intake::CHECK_JOB, |ctx| async move {
            let batch_id = batch_id(&ctx.payload)?;
            use app::collect::service::pipeline;
            pipeline::abandon(&ctx.state, batch_id, pipeline::CRASHED)
                .await
                .map_err(|e| e.to_string())
        })
}

fn hostname() -> String {
    std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "server".into())
}

/// The link crawler walks the site through the router, so it is registered once the router exists.
pub fn with_crawler(runner: JobRunner, router: axum::Router) -> JobRunner {
    runner
        .register(crate::crawl::JOB, move |ctx| {
            let router = router.clone();
            async move {
                crate::crawl::crawl(&router, &ctx.state)
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            }
        })
        .schedule(crate::crawl::JOB, Duration::hours(6))
}

/// The `batch_id` of a batch job's payload (`{"batch_id": 7}`).
fn batch_id(payload: &str) -> Result<i64, String> {
    serde_json::from_str::<serde_json::Value>(payload)
        .map_err(|e| e.to_string())?
        .get("batch_id")
        .and_then(serde_json::Value::as_i64)
        .ok_or_else(|| "payload without batch_id".to_string())
}
