//! The audit chain: appends in transactions, concurrent appends never fork, and verification finds
//! edited, deleted, reordered and truncated rows.
// Test code: a panic here is a failing test (clippy.toml allows these lints in #[test] functions;
// the helpers of an integration test crate are test code as well).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod common;
use app::server::audit::{append, prune, verify, AuditEvent, Break};
use app::server::db::Backend;
use app::server::AppState;

async fn append_n(state: &AppState, n: usize, actor: &str) {
    for i in 0..n {
        let mut tx = state.db.pool.begin().await.unwrap();
        let mut e = AuditEvent::new(actor, "test.action", "success");
        e.object_id = Some(format!("{actor}-{i}"));
        e.detail = serde_json::json!({ "i": i, "note": "审计" });
        append(&mut tx, &state.secrets, &state.clock, &e)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
}

/// Tampering needs the append-only trigger out of the way, as a database administrator could.
async fn tamper(state: &AppState, sql: &str) {
    let disable: &[&str] = match state.db.backend {
        Backend::Sqlite => &[
            "DROP TRIGGER IF EXISTS audit_events_no_update",
            "DROP TRIGGER IF EXISTS audit_events_no_delete",
        ],
        Backend::Postgres => &["ALTER TABLE audit_events DISABLE TRIGGER USER"],
    };
    for sql in disable {
        sqlx::query(sql).execute(&state.db.pool).await.unwrap();
    }
    sqlx::query(sql).execute(&state.db.pool).await.unwrap();
}

#[tokio::test]
async fn an_intact_chain_verifies() {
    let state = common::fresh_state().await;
    assert_eq!(
        verify(&state.db.pool, &state.secrets).await.unwrap().rows,
        0
    );
    append_n(&state, 12, "alice").await;
    let v = verify(&state.db.pool, &state.secrets).await.unwrap();
    assert_eq!((v.rows, v.first_break), (12, None));
}

#[tokio::test]
async fn a_rolled_back_change_leaves_no_audit_row() {
    let state = common::fresh_state().await;
    append_n(&state, 2, "alice").await;
    let mut tx = state.db.pool.begin().await.unwrap();
    append(
        &mut tx,
        &state.secrets,
        &state.clock,
        &AuditEvent::new("bob", "test.rollback", "success"),
    )
    .await
    .unwrap();
    tx.rollback().await.unwrap();
    let v = verify(&state.db.pool, &state.secrets).await.unwrap();
    assert_eq!((v.rows, v.first_break), (2, None));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_appends_never_fork_the_chain() {
    let state = common::fresh_state().await;
    let mut tasks = vec![];
    for w in 0..4 {
        let s = state.clone();
        tasks.push(tokio::spawn(async move {
            append_n(&s, 25, &format!("w{w}")).await
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let v = verify(&state.db.pool, &state.secrets).await.unwrap();
    assert_eq!((v.rows, v.first_break), (100, None));
}

#[tokio::test]
async fn an_edited_row_is_found() {
    let state = common::fresh_state().await;
    append_n(&state, 10, "alice").await;
    tamper(
        &state,
        "UPDATE audit_events SET outcome = 'failure' WHERE id = 4",
    )
    .await;
    let v = verify(&state.db.pool, &state.secrets).await.unwrap();
    assert_eq!(v.first_break, Some(Break::Edited { id: 4 }));
    assert_eq!(v.rows, 3);
}

#[tokio::test]
async fn a_deleted_row_is_found() {
    let state = common::fresh_state().await;
    append_n(&state, 10, "alice").await;
    tamper(&state, "DELETE FROM audit_events WHERE id = 6").await;
    let v = verify(&state.db.pool, &state.secrets).await.unwrap();
    assert_eq!(v.first_break, Some(Break::Discontinuity { id: 7 }));
}

#[tokio::test]
async fn reordered_rows_are_found() {
    let state = common::fresh_state().await;
    append_n(&state, 10, "alice").await;
    // Swap rows 3 and 5 whole (content, links and seals): each row still matches its own HMAC.
    tamper(&state, "UPDATE audit_events SET id = -3 WHERE id = 3").await;
    tamper(&state, "UPDATE audit_events SET id = 3 WHERE id = 5").await;
    tamper(&state, "UPDATE audit_events SET id = 5 WHERE id = -3").await;
    let v = verify(&state.db.pool, &state.secrets).await.unwrap();
    assert_eq!(v.first_break, Some(Break::Discontinuity { id: 3 }));
}

#[tokio::test]
async fn a_truncated_tail_is_found() {
    let state = common::fresh_state().await;
    append_n(&state, 10, "alice").await;
    tamper(&state, "DELETE FROM audit_events WHERE id >= 9").await;
    let v = verify(&state.db.pool, &state.secrets).await.unwrap();
    assert_eq!(
        v.first_break,
        Some(Break::TruncatedTail {
            head_last_id: 10,
            last_id: 8
        })
    );
    assert!(v.first_break.unwrap().message().contains("截断"));
}

#[tokio::test]
async fn a_cut_tail_cannot_be_hidden_by_rewriting_the_head() {
    let state = common::fresh_state().await;
    append_n(&state, 5, "alice").await;
    // Row 5 holds row 4's hash: an attacker deletes row 5 and points the head at row 4.
    let row4_hash: String = sqlx::query_scalar("SELECT prev_hash FROM audit_events WHERE id = 5")
        .fetch_one(&state.db.pool)
        .await
        .unwrap();
    tamper(&state, "DELETE FROM audit_events WHERE id = 5").await;
    sqlx::query("UPDATE audit_chain_head SET last_id = 4, last_hash = $1")
        .bind(&row4_hash)
        .execute(&state.db.pool)
        .await
        .unwrap();
    let v = verify(&state.db.pool, &state.secrets).await.unwrap();
    assert_eq!(
        v.first_break,
        Some(Break::TruncatedTail {
            head_last_id: 4,
            last_id: 4
        }),
        "the seal gives it away"
    );
}

#[tokio::test]
async fn a_different_secret_cannot_forge_or_verify() {
    let state = common::fresh_state().await;
    append_n(&state, 3, "alice").await;
    let other =
        app::server::secrets::Secrets::from_master(b"some other master secret, 32+ characters");
    let v = verify(&state.db.pool, &other).await.unwrap();
    assert_eq!(v.first_break, Some(Break::Edited { id: 1 }));
}

#[tokio::test]
async fn rows_cannot_be_deleted_outside_a_pruning_checkpoint() {
    let state = common::fresh_state().await;
    append_n(&state, 3, "alice").await;
    let refused = sqlx::query("DELETE FROM audit_events WHERE id = 2")
        .execute(&state.db.pool)
        .await;
    assert!(refused.is_err(), "the delete guard refuses");
    let refused = sqlx::query("UPDATE audit_events SET actor_name = 'mallory' WHERE id = 2")
        .execute(&state.db.pool)
        .await;
    assert!(refused.is_err(), "the update guard refuses");
}

#[tokio::test]
async fn pruning_leaves_a_checkpoint_from_which_the_chain_still_verifies() {
    let state = common::fresh_state().await;
    append_n(&state, 6, "old").await;
    state.clock.advance(time::Duration::days(200)).unwrap();
    let cutoff = app::server::clock::rfc3339(state.clock.now() - time::Duration::days(184));
    append_n(&state, 4, "new").await;
    let removed = prune(&state.db, &state.secrets, &state.clock, &cutoff)
        .await
        .unwrap();
    assert_eq!(removed, 6);
    let v = verify(&state.db.pool, &state.secrets).await.unwrap();
    // 4 recent rows plus the audit row of the pruning itself.
    assert_eq!((v.rows, v.first_break), (5, None));
    // Nothing older than the cutoff: a second run removes nothing.
    assert_eq!(
        prune(&state.db, &state.secrets, &state.clock, &cutoff)
            .await
            .unwrap(),
        0
    );
    // Deleting a kept row is still found, and a forged checkpoint too.
    tamper(&state, "DELETE FROM audit_events WHERE id = 8").await;
    let v = verify(&state.db.pool, &state.secrets).await.unwrap();
    assert_eq!(v.first_break, Some(Break::Discontinuity { id: 9 }));
    let forged = match state.db.backend {
        Backend::Sqlite => "DROP TRIGGER IF EXISTS audit_checkpoints_no_update",
        Backend::Postgres => "ALTER TABLE audit_checkpoints DISABLE TRIGGER USER",
    };
    sqlx::query(forged).execute(&state.db.pool).await.unwrap();
    sqlx::query("UPDATE audit_checkpoints SET through_id = 7")
        .execute(&state.db.pool)
        .await
        .unwrap();
    let v = verify(&state.db.pool, &state.secrets).await.unwrap();
    assert!(
        matches!(v.first_break, Some(Break::ForgedCheckpoint { .. })),
        "{v:?}"
    );
}

/// A change and its audit row commit together. With the chain head gone every append fails after
/// the business writes of its transaction; the change must then be rolled back with it, never
/// committed unaudited (a catalogue edit, an API key made through the web).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_audit_append_rolls_back_the_change_it_records() {
    use common::collect::{post, scalar, setup};
    let (state, unit) = setup().await;
    let base = common::serve(state.clone()).await;
    let operator = common::client();
    common::login_demo(&operator, &base, "operator").await;
    let secadmin = common::client();
    common::login_demo(&secadmin, &base, "secadmin").await;
    let (status, class) = post(&operator, &base, "catalogue/class", "code=penalty").await;
    assert_eq!(status, 200, "{class}");
    let class: serde_json::Value = serde_json::from_str(&class).unwrap();
    let optional = class["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["optional"] == true)
        .unwrap()["code"]
        .as_str()
        .unwrap()
        .to_string();
    let overrides = scalar(&state, "SELECT COUNT(*) FROM class_rule_overrides").await;
    let keys = scalar(&state, "SELECT COUNT(*) FROM api_keys").await;
    let audit_rows = scalar(&state, "SELECT COUNT(*) FROM audit_events").await;

    sqlx::query("DELETE FROM audit_chain_head")
        .execute(&state.db.pool)
        .await
        .unwrap();

    let (status, out) = post(
        &operator,
        &base,
        "catalogue/rule_switch",
        &format!("class=penalty&code={optional}&enabled=false"),
    )
    .await;
    assert_eq!(status, 500, "{out}");
    let (status, out) = post(
        &secadmin,
        &base,
        "apikeys/create",
        &format!("name=回滚测试&department={}&scopes[0]=penalty", unit.id),
    )
    .await;
    assert_eq!(status, 500, "{out}");

    assert_eq!(
        scalar(&state, "SELECT COUNT(*) FROM class_rule_overrides").await,
        overrides,
        "the rule switch was stored without its audit row"
    );
    assert_eq!(
        scalar(&state, "SELECT COUNT(*) FROM api_keys").await,
        keys,
        "the API key was stored without its audit row"
    );
    assert_eq!(
        scalar(&state, "SELECT COUNT(*) FROM audit_events").await,
        audit_rows
    );
}
