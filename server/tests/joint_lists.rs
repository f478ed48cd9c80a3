//! List entries as a lifecycle (issue 21, item 1; docs/domain.md §8): an entry whose removal date has
//! come leaves the public list that day, and the daily job marks it 已移出 as a new version with one
//! audit line; a second run changes nothing.
// Test code: a panic here is a failing test (clippy.toml allows these lints in #[test] functions;
// the helpers of an integration test crate are test code as well).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod common;
use common::cases::{count, text};
use sqlx::Row;
use time::macros::datetime;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_entry_ends_on_its_removal_date() {
    let (state, base) = common::cases::seeded_on(datetime!(2026-12-07 02:00 UTC)).await;
    // A black-list entry in force, the only one of its subject.
    let r = sqlx::query(
        "SELECT g.id, g.payload, s.public_id AS sid, s.name FROM generic_records g \
         JOIN data_classes dc ON dc.id = g.class_id JOIN subjects s ON s.id = g.subject_id \
         WHERE dc.code = 'black_list' AND g.published = 1 AND g.withdrawn = 0 \
         AND g.payload LIKE '%\"status\":\"有效\"%' AND (SELECT COUNT(*) FROM generic_records o \
         WHERE o.subject_id = g.subject_id AND o.class_id = g.class_id) = 1 ORDER BY g.id LIMIT 1",
    )
    .fetch_one(&state.db.pool)
    .await
    .unwrap();
    let (id, sid, name): (i64, String, String) = (r.get("id"), r.get("sid"), r.get("name"));
    let list = format!(
        "{base}/credit/lists/black?q={}",
        app::ui::url::encode(&name)
    );
    let public = common::plain_client();
    assert!(text(&public, list.clone()).await.contains(&sid), "listed");
    assert_eq!(app::joint::service::expiry::run(&state).await.unwrap(), 0);

    // Its removal date is today: off the list at once, ended by the job as a version.
    let mut payload: serde_json::Value =
        serde_json::from_str(&r.get::<String, _>("payload")).unwrap();
    payload["removed_on"] = "2026-12-07".into();
    sqlx::query("UPDATE generic_records SET payload = $1 WHERE id = $2")
        .bind(payload.to_string())
        .bind(id)
        .execute(&state.db.pool)
        .await
        .unwrap();
    let mut conn = state.db.pool.acquire().await.unwrap();
    app::server::cache::bump(&mut conn, "portal").await.unwrap();
    drop(conn);
    assert!(
        !text(&public, format!("{list}&n=1")).await.contains(&sid),
        "off the list"
    );
    assert_eq!(app::joint::service::expiry::run(&state).await.unwrap(), 1);
    let (stored, version): (String, i64) =
        sqlx::query_as("SELECT payload, version FROM generic_records WHERE id = $1")
            .bind(id)
            .fetch_one(&state.db.pool)
            .await
            .unwrap();
    assert!(stored.contains("\"status\":\"已移出\""), "{stored}");
    assert_eq!(version, 2);
    let (reason, changes): (String, String) = sqlx::query_as(
        "SELECT reason, changes FROM record_versions WHERE record_kind = 'generic' AND record_id = $1",
    )
    .bind(id)
    .fetch_one(&state.db.pool)
    .await
    .unwrap();
    assert_eq!(reason, "移出日期已到");
    assert!(changes.contains("已移出"), "{changes}");
    assert_eq!(
        count(
            &state,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'joint.list_expiry'"
        )
        .await,
        1
    );
    // Nothing left to end.
    assert_eq!(app::joint::service::expiry::run(&state).await.unwrap(), 0);
}
