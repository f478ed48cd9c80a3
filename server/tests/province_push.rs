//! The push to the province (issue 22, item 1; docs/province-interface.md) against the provincial test
//! server: a penalty published, corrected and withdrawn arrives as three messages in order, each once;
//! an outage is ridden out with backoff on the controllable clock; a hung province is given up on
//! within the timeout; a refused message is parked with the answer and resent by an operator; a kill -9
//! of our sender between sending and reading the answer neither loses nor duplicates a message; a
//! record past the 7-working-day rule keeps the lag alarm open until it is pushed.
// Test code: a panic here is a failing test (clippy.toml allows these lints in #[test] functions;
// the helpers of an integration test crate are test code as well).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod common;
use app::province::service::push;
use app::server::AppState;
use common::collect::{scalar, setup_with, Unit};
use common::province::{publish_penalty, withdraw_penalty, Mode, Province};
use sqlx::Row;
use std::time::{Duration, Instant};

async fn start() -> (Province, AppState, Unit) {
    let province = Province::start().await;
    let config = province.config();
    let vars: Vec<(&str, &str)> = config.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (state, unit) = setup_with(&vars).await;
    (province, state, unit)
}

async fn public_id(state: &AppState, id: i64) -> String {
    sqlx::query("SELECT public_id FROM penalties WHERE id = $1")
        .bind(id)
        .fetch_one(&state.db.pool)
        .await
        .unwrap()
        .get("public_id")
}

/// (version, action, state, attempts) of a record's messages, oldest first.
async fn outbox(state: &AppState, id: i64) -> Vec<(i64, String, String, i64)> {
    sqlx::query(
        "SELECT version, action, state, attempts FROM push_outbox WHERE record_kind = 'penalty' AND record_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(&state.db.pool)
    .await
    .unwrap()
    .iter()
    .map(|r| (r.get("version"), r.get("action"), r.get("state"), r.get("attempts")))
    .collect()
}

/// The keys the province holds for one record, in the order it took them in.
fn held(province: &Province, public_id: &str) -> Vec<String> {
    province
        .accepted_keys()
        .into_iter()
        .filter(|k| k.contains(&format!(":{public_id}:")))
        .collect()
}

async fn open_alarms(state: &AppState) -> i64 {
    scalar(
        state,
        &format!(
            "SELECT COUNT(*) FROM alarms WHERE alarm_key = '{}' AND status <> 'resolved'",
            push::ALARM_KEY
        ),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn published_corrected_and_withdrawn_arrive_in_order_once() {
    let (province, state, unit) = start().await;
    let id = publish_penalty(&state, &unit, "销售不合格产品").await;
    publish_penalty(&state, &unit, "销售不合格产品，货值金额一万元").await;
    withdraw_penalty(&state, id).await;
    let pid = public_id(&state, id).await;

    let pushed = push::run_due(&state).await.unwrap();
    assert!(pushed.iter().all(|p| p.failed.is_none()), "{pushed:?}");
    assert_eq!(
        held(&province, &pid),
        vec![
            format!("penalty:{pid}:1:create"),
            format!("penalty:{pid}:2:update"),
            format!("penalty:{pid}:3:withdraw"),
        ]
    );
    // Each delivered once, signed, and marked sent.
    assert_eq!(province.deliveries(), province.accepted_keys().len());
    assert_eq!(province.inbox.lock().unwrap().bad_signatures, 0);
    assert!(outbox(&state, id)
        .await
        .iter()
        .all(|(_, _, s, attempts)| s == "sent" && *attempts == 1));
    // The record by its v2 codes, as it stands.
    let m = province
        .accepted()
        .into_iter()
        .find(|m| m.record_id == pid)
        .unwrap();
    assert_eq!(m.record["CF_WSH"], common::province::DECISION_NO);
    assert_eq!(m.record["CF_SY"], "销售不合格产品，货值金额一万元");
    assert_eq!(m.record["CF_NR_FK"], "0.5");
    assert_eq!(m.record["CF_XDR_SHXYM"], common::collect::code(77));

    // The kind is not due again until tomorrow: nothing is sent twice.
    let before = province.requests();
    assert!(push::run_due(&state).await.unwrap().is_empty());
    assert!(push::push_now(&state, None).await.unwrap().is_empty());
    assert_eq!(province.requests(), before);
    // A change tomorrow is pushed tomorrow.
    publish_penalty(&state, &unit, "销售不合格产品，已责令改正").await;
    assert!(push::run_due(&state).await.unwrap().is_empty());
    state.clock.advance(time::Duration::days(1)).unwrap();
    let pushed = push::run_due(&state).await.unwrap();
    assert_eq!(pushed.len(), 1);
    assert_eq!(held(&province, &pid).len(), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outage_of_ten_minutes_is_ridden_out_and_every_message_arrives_once() {
    let (province, state, unit) = start().await;
    let id = publish_penalty(&state, &unit, "销售不合格产品").await;
    withdraw_penalty(&state, id).await;
    let pid = public_id(&state, id).await;
    province.set_mode(Mode::Down);

    // The job runs every minute; the province is down for ten.
    let mut tries = 0;
    for _ in 0..10 {
        let pushed = push::run_due(&state).await.unwrap();
        if let Some(p) = pushed.first() {
            tries += 1;
            assert!(p.failed.as_deref().unwrap().contains("503"), "{p:?}");
        }
        state.clock.advance(time::Duration::minutes(1)).unwrap();
    }
    // Backoff: tried at minutes 0, 1, 3 and 7, not every minute.
    assert_eq!(tries, 4);
    assert!(outbox(&state, id)
        .await
        .iter()
        .all(|(_, _, s, attempts)| s == "pending" && *attempts == 4));
    assert_eq!(open_alarms(&state).await, 1);
    assert!(held(&province, &pid).is_empty());

    // Back up: the next try (at minute 15) delivers everything, once.
    province.set_mode(Mode::Normal);
    let mut minutes = 10;
    while outbox(&state, id).await.iter().any(|m| m.2 == "pending") {
        push::run_due(&state).await.unwrap();
        state.clock.advance(time::Duration::minutes(1)).unwrap();
        minutes += 1;
        assert!(minutes < 20, "not delivered after the outage");
    }
    assert_eq!(minutes, 16);
    assert_eq!(
        held(&province, &pid),
        vec![
            format!("penalty:{pid}:1:create"),
            format!("penalty:{pid}:2:withdraw")
        ]
    );
    assert_eq!(province.deliveries(), province.accepted_keys().len());
    assert_eq!(open_alarms(&state).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hung_province_is_given_up_within_the_timeout() {
    let (province, state, unit) = start().await;
    let id = publish_penalty(&state, &unit, "销售不合格产品").await;
    province.set_mode(Mode::Hang);
    let started = Instant::now();
    let pushed = push::push_now(&state, Some("penalty")).await.unwrap();
    let took = started.elapsed();
    // APP_PROVINCE_TIMEOUT_SECS=2 in the test configuration.
    assert!(took < Duration::from_secs(10), "{took:?}");
    assert!(pushed[0]
        .failed
        .as_deref()
        .unwrap()
        .contains("2 秒内没有答复"));
    // Taken in by the province, but we never heard: still pending, sent again later as a duplicate.
    assert_eq!(outbox(&state, id).await[0].2, "pending");
    province.set_mode(Mode::Normal);
    state.clock.advance(time::Duration::minutes(1)).unwrap();
    push::run_due(&state).await.unwrap();
    assert_eq!(outbox(&state, id).await[0].2, "sent");
    let pid = public_id(&state, id).await;
    assert_eq!(held(&province, &pid).len(), 1);
    assert_eq!(province.deliveries_of(&pid), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_message_is_parked_and_resent_after_correction() {
    let (province, state, unit) = start().await;
    province.refuse_containing(Some("家庭住址"));
    let id = publish_penalty(&state, &unit, "销售不合格产品，当事人家庭住址为某某村").await;
    let pid = public_id(&state, id).await;
    let pushed = push::push_now(&state, Some("penalty")).await.unwrap();
    assert_eq!(pushed[0].parked, 1);
    assert!(pushed[0].failed.is_none());
    let (state_of, answer): (String, String) = {
        let r = sqlx::query("SELECT state, answer FROM push_outbox WHERE record_id = $1")
            .bind(id)
            .fetch_one(&state.db.pool)
            .await
            .unwrap();
        (r.get("state"), r.get("answer"))
    };
    assert_eq!(state_of, "parked");
    assert_eq!(answer, "[CF_SY] 违法事实含有不允许公开的内容");
    // A refusal is the province's word on one message, not an outage: no alarm, no backoff.
    assert_eq!(open_alarms(&state).await, 0);

    // The unit corrects the record: the new version goes through.
    publish_penalty(&state, &unit, "销售不合格产品").await;
    push::push_now(&state, None).await.unwrap();
    assert_eq!(
        held(&province, &pid),
        vec![format!("penalty:{pid}:2:update")]
    );
    // The operator resends the parked message: it now carries the corrected record.
    let parked: i64 = scalar(
        &state,
        &format!("SELECT id FROM push_outbox WHERE record_id = {id} AND state = 'parked'"),
    )
    .await;
    assert_eq!(push::requeue(&state, &[parked]).await.unwrap(), 1);
    push::push_now(&state, None).await.unwrap();
    assert_eq!(
        held(&province, &pid),
        vec![
            format!("penalty:{pid}:2:update"),
            format!("penalty:{pid}:1:create")
        ]
    );
    assert!(outbox(&state, id).await.iter().all(|m| m.2 == "sent"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kill_9_mid_send_neither_loses_nor_duplicates() {
    let (province, state, unit) = start().await;
    let id = publish_penalty(&state, &unit, "销售不合格产品").await;
    withdraw_penalty(&state, id).await;
    let pid = public_id(&state, id).await;
    // The province takes the batch in and never answers; our sender is killed while it waits.
    province.set_mode(Mode::Hang);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["province-push", "--kind", "penalty"])
        .env("DATABASE_URL", &state.config.database_url)
        .env("APP_SECRET", state.config.secret.as_deref().unwrap())
        .env("APP_DATA_DIR", &state.config.data_dir)
        .envs(province.config())
        .env("APP_PROVINCE_TIMEOUT_SECS", "600")
        .env("RUST_LOG", "error")
        .env_remove("APP_ENV")
        .env_remove("APP_CONFIG_FILE")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start the server binary");
    let deadline = Instant::now() + Duration::from_secs(60);
    while province.requests() == 0 {
        assert!(Instant::now() < deadline, "the sender never sent");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert_eq!(held(&province, &pid).len(), 2);
    assert!(outbox(&state, id).await.iter().all(|m| m.2 == "pending"));

    // After the restart the same messages go again; the province answers "duplicate" and keeps one.
    province.set_mode(Mode::Normal);
    let pushed = push::push_now(&state, Some("penalty")).await.unwrap();
    // Everything the killed sender had sent comes back as duplicates; nothing is taken in twice.
    assert_eq!(pushed[0].sent, 0);
    assert!(pushed[0].duplicates >= 2);
    assert_eq!(province.deliveries_of(&pid), 4);
    assert!(outbox(&state, id).await.iter().all(|m| m.2 == "sent"));
    assert_eq!(
        held(&province, &pid),
        vec![
            format!("penalty:{pid}:1:create"),
            format!("penalty:{pid}:2:withdraw")
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_record_past_the_seven_day_rule_keeps_the_lag_alarm_open_until_it_is_pushed() {
    use app::province::service::lag;
    let (_province, state, unit) = start().await;
    // The demo's own queue goes first, so that only this record counts.
    push::push_now(&state, None).await.unwrap();
    assert_eq!(lag::scan(&state).await.unwrap(), (0, 0));
    // Decided on 2026-03-07: long past 7 working days, and not pushed yet.
    publish_penalty(&state, &unit, "销售不合格产品").await;
    assert_eq!(lag::scan(&state).await.unwrap(), (1, 0));
    let open = |key: &'static str| {
        let state = state.clone();
        async move {
            scalar(
                &state,
                &format!("SELECT COUNT(*) FROM alarms WHERE alarm_key = '{key}' AND status <> 'resolved'"),
            )
            .await
        }
    };
    assert_eq!(open(lag::ALARM_KEY).await, 1);
    push::push_now(&state, None).await.unwrap();
    assert_eq!(lag::scan(&state).await.unwrap(), (0, 0));
    assert_eq!(open(lag::ALARM_KEY).await, 0);
}
