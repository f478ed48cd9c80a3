//! The job runner: leases, exactly-once scheduled jobs across two instances, retries, alarms.
// Test code: a panic here is a failing test (clippy.toml allows these lints in #[test] functions;
// the helpers of an integration test crate are test code as well).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod common;
use app::server::alarms;
use app::server::jobs::{enqueue, list_by_kind, JobRunner, NewJob};
use sqlx::Row;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use time::{Duration, OffsetDateTime};

fn counting_runner(
    state: app::server::AppState,
    owner: &str,
    counter: Arc<AtomicUsize>,
) -> JobRunner {
    JobRunner::new(state, owner)
        .register("test.tick", move |_ctx| {
            let counter = counter.clone();
            async move {
                counter.fetch_add(1, Ordering::SeqCst);
                // Hold the lease a while so the other runner really races for the job.
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                Ok(())
            }
        })
        .schedule("test.tick", Duration::hours(1))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn scheduled_job_runs_exactly_once_with_two_runners() {
    let a_state = common::fresh_state().await;
    let b_state = common::state_for(&a_state.db.url, a_state.clock.clone()).await;
    let start = OffsetDateTime::from_unix_timestamp(1_795_000_000).unwrap(); // 2026-11-19
    a_state.clock.set(start).unwrap();
    let counter = Arc::new(AtomicUsize::new(0));
    let a = counting_runner(a_state.clone(), "instance-a", counter.clone());
    let b = counting_runner(b_state, "instance-b", counter.clone());

    for round in 0..3 {
        let (ra, rb) = tokio::join!(a.tick(), b.tick());
        assert_eq!(
            ra.unwrap() + rb.unwrap(),
            if round == 0 { 1 } else { 0 },
            "round {round}"
        );
    }
    assert_eq!(counter.load(Ordering::SeqCst), 1, "one slot, one run");

    // Within the same hour: nothing new.
    a_state.clock.advance(Duration::minutes(20)).unwrap();
    let (ra, rb) = tokio::join!(a.tick(), b.tick());
    assert_eq!(ra.unwrap() + rb.unwrap(), 0);

    // The next hour: exactly one more run.
    a_state.clock.advance(Duration::hours(1)).unwrap();
    let (ra, rb) = tokio::join!(a.tick(), b.tick());
    assert_eq!(ra.unwrap() + rb.unwrap(), 1);
    assert_eq!(counter.load(Ordering::SeqCst), 2);

    let jobs = list_by_kind(&a_state, "test.tick").await.unwrap();
    assert_eq!(jobs.len(), 2);
    assert!(
        jobs.iter().all(|j| j.status == "done" && j.attempts == 1),
        "{jobs:?}"
    );
    let logged: i64 =
        sqlx::query("SELECT COUNT(*) FROM job_log WHERE kind = 'test.tick' AND outcome = 'done'")
            .fetch_one(&a_state.db.pool)
            .await
            .unwrap()
            .try_get(0)
            .unwrap();
    assert_eq!(logged, 2);
}

#[tokio::test]
async fn dedupe_key_enqueues_once() {
    let state = common::fresh_state().await;
    let mut job = NewJob::new("test.once");
    job.dedupe_key = Some("test.once@1".into());
    assert!(enqueue(&state, job.clone()).await.unwrap().is_some());
    assert!(enqueue(&state, job).await.unwrap().is_none());
    // Jobs without a key are never deduplicated.
    assert!(enqueue(&state, NewJob::new("test.once"))
        .await
        .unwrap()
        .is_some());
    assert!(enqueue(&state, NewJob::new("test.once"))
        .await
        .unwrap()
        .is_some());
}

#[tokio::test]
async fn failures_retry_with_backoff_then_raise_an_alarm() {
    let state = common::fresh_state().await;
    state
        .clock
        .set(OffsetDateTime::from_unix_timestamp(1_795_000_000).unwrap())
        .unwrap();
    let runner = JobRunner::new(state.clone(), "r1").register("test.fail", |ctx| async move {
        Err(format!("attempt {} failed", ctx.attempt))
    });
    let mut job = NewJob::new("test.fail");
    job.max_attempts = 3;
    enqueue(&state, job).await.unwrap();

    assert_eq!(runner.tick().await.unwrap(), 1);
    // Not due again until the backoff has passed.
    assert_eq!(runner.tick().await.unwrap(), 0);
    state.clock.advance(Duration::seconds(31)).unwrap();
    assert_eq!(runner.tick().await.unwrap(), 1);
    state.clock.advance(Duration::seconds(61)).unwrap();
    assert_eq!(runner.tick().await.unwrap(), 1);
    state.clock.advance(Duration::hours(2)).unwrap();
    assert_eq!(
        runner.tick().await.unwrap(),
        0,
        "a failed job is not retried past max_attempts"
    );

    let jobs = list_by_kind(&state, "test.fail").await.unwrap();
    assert_eq!(jobs[0].status, "failed");
    assert_eq!(jobs[0].attempts, 3);
    assert_eq!(jobs[0].last_error.as_deref(), Some("attempt 3 failed"));
    let active = alarms::list_active(&state.db, 10).await.unwrap();
    assert_eq!(active.len(), 1);
    assert_eq!(active[0].key, "job.failed:test.fail");
}

#[tokio::test]
async fn an_expired_lease_is_taken_over() {
    let state = common::fresh_state().await;
    state
        .clock
        .set(OffsetDateTime::from_unix_timestamp(1_795_000_000).unwrap())
        .unwrap();
    let id = enqueue(&state, NewJob::new("test.crash"))
        .await
        .unwrap()
        .unwrap();
    // Simulate a runner that leased the job and died.
    let until = app::server::clock::rfc3339(state.clock.now() + Duration::minutes(10));
    sqlx::query("UPDATE jobs SET status = 'running', lease_owner = 'dead', lease_until = $1, attempts = 1 WHERE id = $2")
        .bind(&until)
        .bind(id)
        .execute(&state.db.pool)
        .await
        .unwrap();
    let ran = Arc::new(AtomicUsize::new(0));
    let r = ran.clone();
    let runner = JobRunner::new(state.clone(), "alive").register("test.crash", move |_| {
        let r = r.clone();
        async move {
            r.fetch_add(1, Ordering::SeqCst);
            Ok(())
        }
    });
    assert_eq!(runner.tick().await.unwrap(), 0, "lease still valid");
    state.clock.advance(Duration::minutes(11)).unwrap();
    assert_eq!(runner.tick().await.unwrap(), 1);
    assert_eq!(ran.load(Ordering::SeqCst), 1);
    let jobs = list_by_kind(&state, "test.crash").await.unwrap();
    assert_eq!((jobs[0].status.as_str(), jobs[0].attempts), ("done", 2));
}

#[tokio::test]
async fn a_job_whose_runner_died_on_its_last_attempt_fails_with_an_alarm() {
    let state = common::fresh_state().await;
    state
        .clock
        .set(OffsetDateTime::from_unix_timestamp(1_795_000_000).unwrap())
        .unwrap();
    let mut job = NewJob::new("test.crash");
    job.max_attempts = 2;
    let id = enqueue(&state, job).await.unwrap().unwrap();
    let until = app::server::clock::rfc3339(state.clock.now() + Duration::minutes(10));
    sqlx::query("UPDATE jobs SET status = 'running', lease_owner = 'dead', lease_until = $1, attempts = 2 WHERE id = $2")
        .bind(&until)
        .bind(id)
        .execute(&state.db.pool)
        .await
        .unwrap();
    let runner =
        JobRunner::new(state.clone(), "alive").register("test.crash", |_| async { Ok(()) });
    state.clock.advance(Duration::minutes(11)).unwrap();
    assert_eq!(runner.tick().await.unwrap(), 0, "not run a third time");
    let jobs = list_by_kind(&state, "test.crash").await.unwrap();
    assert_eq!((jobs[0].status.as_str(), jobs[0].attempts), ("failed", 2));
    let active = alarms::list_active(&state.db, 10).await.unwrap();
    assert_eq!(active[0].key, "job.failed:test.crash");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_raises_of_one_alarm_make_one_alarm() {
    let state = common::fresh_state().await;
    let b = common::state_for(&state.db.url, state.clock.clone()).await;
    let mut tasks = vec![];
    for i in 0..8 {
        let s = if i % 2 == 0 { state.clone() } else { b.clone() };
        tasks.push(tokio::spawn(async move {
            alarms::raise(
                &s.db,
                &s.clock,
                "push.lag",
                alarms::Severity::Warning,
                "省平台推送滞后",
                "x",
            )
            .await
            .unwrap()
        }));
    }
    let mut ids = std::collections::HashSet::new();
    for t in tasks {
        ids.insert(t.await.unwrap());
    }
    assert_eq!(ids.len(), 1);
    let a = alarms::get(&state.db, *ids.iter().next().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(a.occurrences, 8);
}

#[tokio::test]
async fn alarms_raise_count_acknowledge_resolve() {
    let state = common::fresh_state().await;
    let (db, clock) = (&state.db, &state.clock);
    let id = alarms::raise(
        db,
        clock,
        "disk.low",
        alarms::Severity::Critical,
        "磁盘空间不足",
        "剩余 5%",
    )
    .await
    .unwrap();
    let again = alarms::raise(
        db,
        clock,
        "disk.low",
        alarms::Severity::Critical,
        "磁盘空间不足",
        "剩余 4%",
    )
    .await
    .unwrap();
    assert_eq!(id, again, "an open alarm is counted, not duplicated");
    let a = alarms::get(db, id).await.unwrap().unwrap();
    assert_eq!(
        (a.occurrences, a.detail.as_str(), a.status.as_str()),
        (2, "剩余 4%", "open")
    );

    alarms::acknowledge(db, clock, id, "operator1", "正在清理")
        .await
        .unwrap();
    assert!(alarms::acknowledge(db, clock, id, "operator1", "again")
        .await
        .is_err());
    alarms::resolve(db, clock, id, "operator1", "已扩容")
        .await
        .unwrap();
    let err = alarms::resolve(db, clock, id, "operator1", "again")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("已解决"), "{err}");
    assert!(alarms::list_active(db, 10).await.unwrap().is_empty());

    // After resolution the same condition opens a new alarm.
    let fresh = alarms::raise(
        db,
        clock,
        "disk.low",
        alarms::Severity::Critical,
        "磁盘空间不足",
        "剩余 3%",
    )
    .await
    .unwrap();
    assert_ne!(fresh, id);
    assert_eq!(
        alarms::resolve(db, clock, 999_999, "x", "")
            .await
            .unwrap_err()
            .code(),
        "NOT_FOUND"
    );
}

/// The crash policy. The attempt is committed when the job is leased, before its handler runs. When the
/// process dies mid-run (here: the run is dropped after the lease, as a killed process leaves it), an
/// ordinary job is run again once its lease expires; a job on untrusted input is not: it fails at the
/// first crash with a critical alarm, its crash hook runs once, and the crash is in the job log.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_on_untrusted_input_that_crashed_the_process_is_not_run_again() {
    let state = common::fresh_state().await;
    state
        .clock
        .set(OffsetDateTime::from_unix_timestamp(1_795_000_000).unwrap())
        .unwrap();
    for kind in ["test.untrusted", "test.ordinary"] {
        let mut job = NewJob::new(kind);
        job.max_attempts = 3;
        enqueue(&state, job).await.unwrap().unwrap();
    }
    // The dying runner: each handler records what another connection sees of its job, then hangs.
    let seen = Arc::new(std::sync::Mutex::new(Vec::<(String, String, i64)>::new()));
    let started = Arc::new(tokio::sync::Notify::new());
    let hang = |seen: Arc<std::sync::Mutex<Vec<(String, String, i64)>>>,
                started: Arc<tokio::sync::Notify>| {
        move |ctx: app::server::jobs::JobContext| {
            let (seen, started) = (seen.clone(), started.clone());
            async move {
                let r = sqlx::query("SELECT status, attempts FROM jobs WHERE id = $1")
                    .bind(ctx.job_id)
                    .fetch_one(&ctx.state.db.pool)
                    .await
                    .unwrap();
                seen.lock()
                    .unwrap()
                    .push((ctx.kind.clone(), r.get("status"), r.get("attempts")));
                started.notify_one();
                std::future::pending::<Result<(), String>>().await
            }
        }
    };
    let dying = JobRunner::new(state.clone(), "dying")
        .register("test.untrusted", hang(seen.clone(), started.clone()))
        .register("test.ordinary", hang(seen.clone(), started.clone()));
    for _ in 0..2 {
        tokio::select! {
            _ = dying.run_one() => panic!("the handler never finishes"),
            _ = started.notified() => {}
        }
    }
    let mut seen_now = seen.lock().unwrap().clone();
    seen_now.sort();
    assert_eq!(
        seen_now,
        vec![
            ("test.ordinary".into(), "running".into(), 1),
            ("test.untrusted".into(), "running".into(), 1)
        ],
        "the attempt is committed before the handler starts"
    );

    let runs = Arc::new(AtomicUsize::new(0));
    let hooks = Arc::new(std::sync::Mutex::new(Vec::<(i64, i64)>::new()));
    let (r1, r2, h) = (runs.clone(), runs.clone(), hooks.clone());
    let alive = JobRunner::new(state.clone(), "alive")
        .register("test.untrusted", move |_| {
            let r = r1.clone();
            async move {
                r.fetch_add(100, Ordering::SeqCst);
                Ok(())
            }
        })
        .register("test.ordinary", move |_| {
            let r = r2.clone();
            async move {
                r.fetch_add(1, Ordering::SeqCst);
                Ok(())
            }
        })
        .untrusted("test.untrusted", move |ctx| {
            let h = h.clone();
            async move {
                h.lock().unwrap().push((ctx.job_id, ctx.attempt));
                Ok(())
            }
        });
    assert_eq!(alive.tick().await.unwrap(), 0, "leases still valid");
    state.clock.advance(Duration::minutes(11)).unwrap();
    assert_eq!(
        alive.tick().await.unwrap(),
        1,
        "only the ordinary job runs again"
    );
    assert_eq!(runs.load(Ordering::SeqCst), 1);
    let untrusted = list_by_kind(&state, "test.untrusted").await.unwrap();
    assert_eq!(
        (untrusted[0].status.as_str(), untrusted[0].attempts),
        ("failed", 1)
    );
    let ordinary = list_by_kind(&state, "test.ordinary").await.unwrap();
    assert_eq!(
        (ordinary[0].status.as_str(), ordinary[0].attempts),
        ("done", 2)
    );
    assert_eq!(*hooks.lock().unwrap(), vec![(untrusted[0].id, 1)]);
    let active = alarms::list_active(&state.db, 10).await.unwrap();
    assert_eq!(active.len(), 1, "{active:?}");
    assert_eq!(active[0].key, "job.crashed:test.untrusted");
    let logged: String = sqlx::query("SELECT outcome FROM job_log WHERE job_id = $1")
        .bind(untrusted[0].id)
        .fetch_one(&state.db.pool)
        .await
        .unwrap()
        .get(0);
    assert_eq!(logged, "crashed");
    // Nothing runs it later, and the hook ran once.
    state.clock.advance(Duration::hours(2)).unwrap();
    assert_eq!(alive.tick().await.unwrap(), 0);
    assert_eq!(runs.load(Ordering::SeqCst), 1);
    assert_eq!(hooks.lock().unwrap().len(), 1);
}
