//! Collection helpers shared by the collection, quality and due-date tests: a seeded state, codes,
//! uploads through the real pipeline, and small queries.
#![allow(dead_code)]
use super::fresh_state_with;
use app::collect::service::confirm::Actor;
use app::collect::service::intake::{self, Submission};
use app::collect::service::pipeline::{self, CheckOutcome};
use app::rules::date::Ymd;
use app::rules::uscc;
use app::server::AppState;
use server::seed::{seed_demo, SeedOptions};
use sqlx::Row;

pub struct Unit {
    pub id: i64,
    pub name: String,
}

pub async fn setup() -> (AppState, Unit) {
    setup_with(&[]).await
}

/// As [`setup`], with some configuration variables set.
pub async fn setup_with(extra: &[(&str, &str)]) -> (AppState, Unit) {
    let state = fresh_state_with(extra).await;
    seed_demo(
        &state,
        &SeedOptions {
            subjects: 30,
            seed: 7,
            as_of: Ymd::new(2026, 11, 29),
        },
        |_, _| {},
    )
    .await
    .expect("seed");
    let r = sqlx::query("SELECT id, name FROM departments WHERE code = 'scjg'")
        .fetch_one(&state.db.pool)
        .await
        .unwrap();
    let unit = Unit {
        id: r.get("id"),
        name: r.get("name"),
    };
    (state, unit)
}

pub fn code(serial: u64) -> String {
    uscc::compose('9', '1', "433101", 900_000 + serial)
}

pub fn bad_check(serial: u64) -> String {
    let mut c = code(serial);
    let last = c.pop().unwrap();
    c.push(if last == '0' { '1' } else { '0' });
    c
}

pub fn actor() -> Actor {
    Actor::named("test")
}

pub async fn upload(
    state: &AppState,
    unit: &Unit,
    name: &str,
    bytes: &[u8],
) -> (i64, CheckOutcome) {
    let sub = Submission {
        class_code: "penalty",
        department_id: unit.id,
        user_id: None,
        channel: "file",
    };
    let (id, _) = intake::create_file_batch(state, &sub, name, bytes)
        .await
        .expect("create batch");
    let outcome = pipeline::check_file(state, id).await.expect("check");
    (id, outcome)
}

/// (row, rule code) of every fault of a batch, warnings included.
pub async fn faults(state: &AppState, batch: i64) -> Vec<(i64, String)> {
    sqlx::query(
        "SELECT row_no, rule_code FROM batch_faults WHERE batch_id = $1 ORDER BY row_no, id",
    )
    .bind(batch)
    .fetch_all(&state.db.pool)
    .await
    .unwrap()
    .iter()
    .map(|r| (r.get("row_no"), r.get("rule_code")))
    .collect()
}

pub async fn counts(state: &AppState, batch: i64) -> [i64; 4] {
    let r = sqlx::query(
        "SELECT rows_new, rows_update, rows_duplicate, rows_faulty FROM batches WHERE id = $1",
    )
    .bind(batch)
    .fetch_one(&state.db.pool)
    .await
    .unwrap();
    [
        r.get("rows_new"),
        r.get("rows_update"),
        r.get("rows_duplicate"),
        r.get("rows_faulty"),
    ]
}

pub async fn scalar(state: &AppState, sql: &str) -> i64 {
    sqlx::query(sql)
        .fetch_one(&state.db.pool)
        .await
        .unwrap()
        .get(0)
}

pub async fn post(c: &reqwest::Client, base: &str, endpoint: &str, body: &str) -> (u16, String) {
    let r = c
        .post(format!("{base}/api/{endpoint}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}
