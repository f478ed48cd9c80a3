//! kill -9 of the server while it confirms a batch leaves no partial batch: the confirmation is one
//! transaction, so the database rolls it back; after a restart the same batch confirms in full.
// Test code: a panic here is a failing test (clippy.toml allows these lints in #[test] functions;
// the helpers of an integration test crate are test code as well).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod common;
use app::collect::service::{api_keys, intake, pipeline};
use app::rules::date::Ymd;
use app::rules::uscc;
use server::seed::{seed_demo, SeedOptions};
use sqlx::Row;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ROWS: usize = 40_000;
const SECRET: &str = "integration-test-master-secret-0123456789";

fn start(url: &str, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["serve", "--no-demo", "--addr", &format!("127.0.0.1:{port}")])
        .env("DATABASE_URL", url)
        .env("APP_SECRET", SECRET)
        .env(
            "APP_DATA_DIR",
            std::env::temp_dir().join("xiangxi-credit-tests"),
        )
        .env("RUST_LOG", "error")
        .env_remove("APP_ENV")
        .env_remove("APP_CONFIG_FILE")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the server binary")
}

async fn wait_ready(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Ok(r) = reqwest::get(format!("http://127.0.0.1:{port}/readyz")).await {
            if r.status() == 200 {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("server not ready");
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn batch_state(state: &app::server::AppState, batch: i64) -> (String, i64) {
    let status: String = sqlx::query("SELECT status FROM batches WHERE id = $1")
        .bind(batch)
        .fetch_one(&state.db.pool)
        .await
        .unwrap()
        .get(0);
    let public: i64 =
        sqlx::query("SELECT COUNT(*) FROM penalties WHERE batch_id = $1 AND published = 1")
            .bind(batch)
            .fetch_one(&state.db.pool)
            .await
            .unwrap()
            .get(0);
    (status, public)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_during_confirmation_leaves_no_partial_batch() {
    let url = common::fresh_database_url().await;
    let state = common::state_for(&url, app::server::clock::Clock::system()).await;
    seed_demo(
        &state,
        &SeedOptions {
            subjects: 5,
            seed: 3,
            as_of: Ymd::new(2026, 11, 29),
        },
        |_, _| {},
    )
    .await
    .unwrap();
    let (unit_id, unit_name): (i64, String) = {
        let r = sqlx::query("SELECT id, name FROM departments WHERE code = 'scjg'")
            .fetch_one(&state.db.pool)
            .await
            .unwrap();
        (r.get("id"), r.get("name"))
    };
    let (_, key) = api_keys::create(
        &state,
        &app::server::audit::Actor::named("test"),
        unit_id,
        "崩溃测试",
        &["penalty".into()],
        None,
    )
    .await
    .unwrap();
    let headers: Vec<String> = [
        "CF_XDR_MC",
        "CF_XDR_LB",
        "CF_XDR_SHXYM",
        "CF_FRDB",
        "CF_WSH",
        "CF_WFXW",
        "CF_SY",
        "CF_YJ",
        "CF_CFLB",
        "CF_NR",
        "CF_NR_FK",
        "CF_JDRQ",
        "CF_CFJG",
    ]
    .map(String::from)
    .to_vec();
    let make_batch = |attempt: usize| {
        let state = state.clone();
        let headers = headers.clone();
        let unit_name = unit_name.clone();
        async move {
            let rows: Vec<Vec<String>> = (0..ROWS)
                .map(|i| {
                    let serial = (attempt * ROWS + i) as u64 + 5_000_000;
                    vec![
                        format!("湘西崩溃测试{attempt}-{i}有限公司"),
                        "法人及非法人组织".into(),
                        uscc::compose('9', '1', "433101", serial),
                        "张三".into(),
                        format!("湘西市监罚〔2026〕崩{attempt}-{i}号"),
                        "违反产品质量管理规定".into(),
                        "销售不合格产品".into(),
                        "《产品质量法》第四十九条".into(),
                        "罚款".into(),
                        "罚款0.5万元".into(),
                        "0.5".into(),
                        "2026-03-07".into(),
                        unit_name.clone(),
                    ]
                })
                .collect();
            let sub = intake::Submission {
                class_code: "penalty",
                department_id: unit_id,
                user_id: None,
                channel: "api",
            };
            let (id, public_id) = intake::create(&state, &sub, None).await.unwrap();
            let started = Instant::now();
            pipeline::check_rows(&state, id, headers, rows)
                .await
                .unwrap();
            eprintln!(
                "checked {ROWS} rows in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            (id, public_id)
        }
    };

    let mut interrupted = None;
    for (attempt, delay_ms) in [150u64, 60, 25, 300].into_iter().enumerate() {
        let (id, public_id) = make_batch(attempt).await;
        let port = free_port();
        let mut child = start(&url, port);
        wait_ready(port).await;
        let confirm_url = format!("http://127.0.0.1:{port}/api/v1/batches/{public_id}/confirm");
        let k = key.clone();
        let call = tokio::spawn(async move {
            reqwest::Client::new()
                .post(confirm_url)
                .bearer_auth(k)
                .send()
                .await
                .map(|r| r.status().as_u16())
        });
        tokio::time::sleep(Duration::from_millis(delay_ms)).await;
        child.kill().expect("SIGKILL"); // std's kill is SIGKILL on Unix: no clean shutdown
        child.wait().unwrap();
        let answered = call.await.unwrap();
        let (status, public) = batch_state(&state, id).await;
        // All or nothing, whatever the moment of the kill.
        match status.as_str() {
            "checked" => assert_eq!(public, 0, "a killed confirmation left {public} rows public"),
            "published" => assert_eq!(public, ROWS as i64),
            other => panic!("batch in state {other}"),
        }
        eprintln!("attempt {attempt}: kill after {delay_ms} ms → {status}, {public} public, answer {answered:?}");
        if status == "checked" {
            interrupted = Some((id, public_id));
            break;
        }
    }
    let (id, public_id) = interrupted.expect("no attempt killed the server during a confirmation");

    // After a restart the same batch confirms in full.
    let port = free_port();
    let mut child = start(&url, port);
    wait_ready(port).await;
    let r = reqwest::Client::new()
        .post(format!(
            "http://127.0.0.1:{port}/api/v1/batches/{public_id}/confirm"
        ))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let body: serde_json::Value = r.json().await.unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["published"].as_u64(), Some(ROWS as u64));
    assert_eq!(
        batch_state(&state, id).await,
        ("published".to_string(), ROWS as i64)
    );
}
