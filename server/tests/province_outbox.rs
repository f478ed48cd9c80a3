//! The push outbox (issue 22, item 1, first part; docs/domain.md §12): a penalty published, corrected
//! and withdrawn leaves three messages in order, each once, written in the transactions of the changes;
//! a confirmation that fails leaves none; the take-down job's take-downs are messages too.
// Test code: a panic here is a failing test (clippy.toml allows these lints in #[test] functions;
// the helpers of an integration test crate are test code as well).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod common;
use common::collect::{setup, Unit};
use sqlx::Row;

async fn publish(state: &app::server::AppState, unit: &Unit, facts: &str) -> i64 {
    common::province::publish_penalty(state, unit, facts).await
}

async fn messages(state: &app::server::AppState, id: i64) -> Vec<(i64, String, String)> {
    sqlx::query(
        "SELECT version, action, state FROM push_outbox WHERE record_kind = 'penalty' AND record_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(&state.db.pool)
    .await
    .unwrap()
    .iter()
    .map(|r| (r.get("version"), r.get("action"), r.get("state")))
    .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn published_corrected_and_withdrawn_make_three_messages_in_order() {
    let (state, unit) = setup().await;
    let id = publish(&state, &unit, "销售不合格产品").await;
    assert_eq!(
        messages(&state, id).await,
        vec![(1, "create".into(), "pending".into())]
    );
    // The same decision again with other facts: an update, version 2.
    assert_eq!(
        publish(&state, &unit, "销售不合格产品，货值金额一万元").await,
        id
    );
    // Withdrawn by the office: version 3.
    assert_eq!(common::province::withdraw_penalty(&state, id).await, 3);
    let pending = |a: &str, v: i64| (v, a.to_string(), "pending".to_string());
    assert_eq!(
        messages(&state, id).await,
        vec![
            pending("create", 1),
            pending("update", 2),
            pending("withdraw", 3)
        ]
    );
    // The same version again enqueues nothing (the message's key is record, version and action).
    let mut conn = state.db.pool.acquire().await.unwrap();
    app::province::service::outbox::enqueue_version(
        &mut conn,
        "penalty",
        id,
        3,
        "withdraw",
        "2026-11-30T02:00:00.000Z",
    )
    .await
    .unwrap();
    drop(conn);
    assert_eq!(messages(&state, id).await.len(), 3);

    // A change that rolls back leaves no message.
    let mut tx = state.db.begin().await.unwrap();
    app::collect::service::confirm::insert_version(
        &mut tx,
        "penalty",
        id,
        4,
        "restore",
        None,
        &common::collect::actor(),
        "回滚测试",
        &[],
        "2026-11-30T03:00:00.000Z",
    )
    .await
    .unwrap();
    tx.rollback().await.unwrap();
    assert_eq!(messages(&state, id).await.len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn take_downs_are_messages() {
    let (state, _) = setup().await;
    let before = common::collect::scalar(
        &state,
        "SELECT COUNT(*) FROM push_outbox WHERE action = 'takedown'",
    )
    .await;
    assert_eq!(before, 0);
    // Every penalty's display ends: the job takes them down, each with its message.
    sqlx::query("UPDATE penalties SET display_until = '2000-01-01' WHERE taken_down_at IS NULL")
        .execute(&state.db.pool)
        .await
        .unwrap();
    let done = app::credit::service::takedown::run(&state).await.unwrap();
    assert!(done > 0);
    let messages = common::collect::scalar(
        &state,
        "SELECT COUNT(*) FROM push_outbox WHERE action = 'takedown'",
    )
    .await;
    assert_eq!(messages as u64, done);
    // A second run takes nothing down and enqueues nothing.
    assert_eq!(
        app::credit::service::takedown::run(&state).await.unwrap(),
        0
    );
    assert_eq!(
        common::collect::scalar(
            &state,
            "SELECT COUNT(*) FROM push_outbox WHERE action = 'takedown'"
        )
        .await,
        messages
    );
}
