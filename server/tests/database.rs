//! Migrations and the foundation schema, on the backend under test.
// Test code: a panic here is a failing test (clippy.toml allows these lints in #[test] functions;
// the helpers of an integration test crate are test code as well).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod common;
use sqlx::Row;

#[tokio::test]
async fn migrations_apply_and_are_idempotent() {
    let state = common::fresh_state().await;
    // Running again applies nothing and fails nothing.
    state.db.migrate().await.expect("second migrate");
    for table in [
        "counties",
        "departments",
        "roles",
        "users",
        "user_roles",
        "holidays",
        "settings",
        "audit_events",
        "subjects",
        "subject_names",
        "licences",
        "penalties",
        "articles",
        "article_live",
        "article_revisions",
        "uploads",
        "jobs",
        "job_log",
        "alarms",
    ] {
        let n: i64 = sqlx::query(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&state.db.pool)
            .await
            .unwrap_or_else(|e| panic!("{table}: {e}"))
            .try_get(0)
            .unwrap();
        assert_eq!(n, 0, "{table} starts empty");
    }
    // The portal's twelve columns (docs/domain.md §13), the FAQ (0013), the four service columns of
    // migration 0017 and the training materials (0018) are platform data, there from the start.
    let columns: i64 = sqlx::query("SELECT COUNT(*) FROM site_columns WHERE visible = 1")
        .fetch_one(&state.db.pool)
        .await
        .unwrap()
        .try_get(0)
        .unwrap();
    assert_eq!(columns, 18);
    state.db.ping().await.expect("ping");
}

#[tokio::test]
async fn audit_events_are_append_only() {
    let state = common::fresh_state().await;
    let now = state.clock.now_text();
    sqlx::query(
        "INSERT INTO audit_events (at, actor_name, action, outcome, prev_hash, hmac) VALUES ($1, 'tester', 'test', 'ok', '0', 'h')",
    )
    .bind(&now)
    .execute(&state.db.pool)
    .await
    .expect("append");
    let edit = sqlx::query("UPDATE audit_events SET outcome = 'forged'")
        .execute(&state.db.pool)
        .await;
    assert!(edit.is_err(), "an audit row must not be editable");
}

#[tokio::test]
async fn unique_codes_are_enforced() {
    let state = common::fresh_state().await;
    let now = state.clock.now_text();
    let insert = |public_id: &'static str| {
        sqlx::query(
            "INSERT INTO subjects (public_id, kind, name, uscc, created_at, updated_at) \
             VALUES ($1, 'organisation', '测试公司', '91110000802100433B', $2, $2)",
        )
        .bind(public_id)
        .bind(now.clone())
        .execute(&state.db.pool)
    };
    insert("a").await.expect("first");
    assert!(insert("b").await.is_err(), "a USCC belongs to one subject");
}

#[tokio::test]
async fn the_holiday_calendar_is_seeded_and_editable() {
    use app::rules::date::Ymd;
    let state = common::fresh_state().await;
    server::seed::seed_reference(&state).await.unwrap();
    let cal = app::server::calendar::load(&state.db).await.unwrap();
    assert_eq!(
        cal.add_working_days(Ymd::new(2026, 9, 30), 7),
        Ymd::new(2026, 10, 15)
    );
    // Staff mark Friday 16 October a holiday; the deadline moves, and re-seeding keeps their edit.
    sqlx::query("INSERT INTO holidays (day, kind, name, source) VALUES ('2026-10-16', 'holiday', '测试', 'staff')")
        .execute(&state.db.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE holidays SET kind = 'holiday' WHERE day = '2026-10-10'")
        .execute(&state.db.pool)
        .await
        .unwrap();
    server::seed::seed_reference(&state).await.unwrap();
    let cal = app::server::calendar::load(&state.db).await.unwrap();
    assert_eq!(
        cal.add_working_days(Ymd::new(2026, 9, 30), 7),
        Ymd::new(2026, 10, 19)
    );
}

/// The group-committed appender: many concurrent callers, each answered once its row is committed;
/// a row the table refuses fails alone, the others of its group are stored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn appends_commit_in_groups_and_a_bad_row_fails_alone() {
    use app::server::db::BindValue;
    let state = common::fresh_state().await;
    sqlx::query("CREATE TABLE append_probe (k TEXT NOT NULL UNIQUE, n BIGINT NOT NULL)")
        .execute(&state.db.pool)
        .await
        .unwrap();
    const COLS: [&str; 2] = ["k", "n"];
    let mut calls = vec![];
    for i in 0..200i64 {
        let db = state.db.clone();
        // Row 77 repeats row 76's key: the unique index refuses it.
        let key = if i == 77 {
            "row-76".to_string()
        } else {
            format!("row-{i}")
        };
        calls.push(tokio::spawn(async move {
            let writer = db.appenders.of(&db, "append_probe", &COLS);
            writer
                .append(vec![BindValue::Text(key), BindValue::Int(i)])
                .await
        }));
    }
    let mut failed = vec![];
    for (i, c) in calls.into_iter().enumerate() {
        if c.await.unwrap().is_err() {
            failed.push(i);
        }
    }
    assert!(
        failed.len() == 1 && (failed[0] == 76 || failed[0] == 77),
        "{failed:?}"
    );
    let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM append_probe")
        .fetch_one(&state.db.pool)
        .await
        .unwrap()
        .get("n");
    assert_eq!(n, 199);
}
