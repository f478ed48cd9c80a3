//! Hostile workbooks on every channel: a console upload, `server import` and a scheduled exchange
//! refuse the A1 + XFD1048576 workbook with its reason while the process lives; a check whose process
//! died is not run again; the batch page reads the stored header row, never the file; and an ordinary
//! workbook reads as the dense reader (calamine) read it.
// Test code: a panic here is a failing test (clippy.toml allows these lints in #[test] functions;
// the helpers of an integration test crate are test code as well).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod common;
use app::collect::service::hostile_xlsx;
use app::collect::service::intake::{self, Submission};
use app::collect::service::pipeline::{self, CheckOutcome};
use app::collect::service::{exchange, files, upload_limits};
use app::server::AppState;
use common::collect::*;
use sqlx::Row;

const FAR_APART: &str = "第1048576行第16384列（XFD）超出上限（最多200列）";

async fn batch_status(state: &AppState, id: i64) -> (String, String) {
    let r = sqlx::query("SELECT status, COALESCE(error, '') AS error FROM batches WHERE id = $1")
        .bind(id)
        .fetch_one(&state.db.pool)
        .await
        .unwrap();
    (r.get("status"), r.get("error"))
}

async fn last_batch(state: &AppState, channel: &str) -> i64 {
    scalar(
        state,
        &format!("SELECT MAX(id) FROM batches WHERE channel = '{channel}'"),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_console_upload_of_far_apart_cells_fails_its_batch_and_the_server_lives() {
    let (state, _) = setup().await;
    let base = common::serve(state.clone()).await;
    let clerk = common::client();
    let token = common::csrf_token(&clerk, &base).await;
    common::login_demo(&clerk, &base, "clerk").await;
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", token)
        .text("class", "penalty")
        .part(
            "file",
            reqwest::multipart::Part::bytes(hostile_xlsx::far_apart()).file_name("处罚.xlsx"),
        );
    let r = clerk
        .post(format!("{base}/console/collect/upload"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let batch = last_batch(&state, "file").await;
    assert_eq!(batch_status(&state, batch).await.0, "checking");

    // The check job (what the server's runner does every few seconds).
    server::jobs::runner(state.clone()).tick().await.unwrap();
    let (status, error) = batch_status(&state, batch).await;
    assert_eq!(status, "failed");
    assert!(error.contains(FAR_APART), "{error}");
    // The unit reads the reason on its batch page; the server still answers.
    let (code, body) = post(
        &clerk,
        &base,
        "collect/batch",
        &format!("id={}", public_id(&state, batch).await),
    )
    .await;
    assert_eq!(code, 200, "{body}");
    assert!(body.contains(FAR_APART), "{body}");
    let ready = reqwest::get(format!("{base}/readyz")).await.unwrap();
    assert_eq!(ready.status(), 200);
}

async fn public_id(state: &AppState, batch: i64) -> String {
    sqlx::query("SELECT public_id FROM batches WHERE id = $1")
        .bind(batch)
        .fetch_one(&state.db.pool)
        .await
        .unwrap()
        .get(0)
}

#[tokio::test]
async fn server_import_refuses_far_apart_cells_and_exits_cleanly() {
    let (state, _) = setup().await;
    let dir = std::env::temp_dir()
        .join("xiangxi-credit-tests")
        .join(uuid::Uuid::new_v4().simple().to_string());
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("处罚.xlsx");
    std::fs::write(&file, hostile_xlsx::far_apart()).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["import", "--department", "scjg", "--class", "penalty"])
        .arg(&file)
        .env("DATABASE_URL", &state.db.url)
        .env("APP_SECRET", "integration-test-master-secret-0123456789")
        .env(
            "APP_DATA_DIR",
            std::env::temp_dir().join("xiangxi-credit-tests"),
        )
        .env("RUST_LOG", "error")
        .env_remove("APP_ENV")
        .env_remove("APP_CONFIG_FILE")
        .output()
        .expect("run server import");
    let stderr = String::from_utf8_lossy(&out.stderr);
    // An exit code, not a signal: the process refused the file instead of aborting.
    assert_eq!(out.status.code(), Some(1), "{:?}: {stderr}", out.status);
    assert!(stderr.contains(FAR_APART), "{stderr}");
    let batch = last_batch(&state, "file").await;
    let (status, error) = batch_status(&state, batch).await;
    assert_eq!(status, "failed");
    assert!(error.contains(FAR_APART), "{error}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scheduled_exchange_of_far_apart_cells_fails_its_batch() {
    let (state, unit) = setup().await;
    let base = common::serve(state.clone()).await;
    let op = common::client();
    common::login_demo(&op, &base, "operator").await;
    let folder = state
        .config
        .data_path("exchange")
        .join(uuid::Uuid::new_v4().simple().to_string());
    std::fs::create_dir_all(&folder).unwrap();
    let file = folder.join("处罚.xlsx");
    std::fs::write(&file, hostile_xlsx::far_apart()).unwrap();
    let url = format!("file://{}", file.display());
    let body = format!(
        "class=penalty&department={}&frequency=daily&exchange_url={}",
        unit.id,
        url.replace('%', "%25")
    );
    let (status, out) = post(&op, &base, "catalogue/source_save", &body).await;
    assert_eq!(status, 200, "{out}");
    let pulled = exchange::run_due(&state).await.unwrap();
    assert!(
        matches!(pulled[..], [(_, _, exchange::Pulled::Batch(_))]),
        "{pulled:?}"
    );
    server::jobs::runner(state.clone()).tick().await.unwrap();
    let (status, error) = batch_status(&state, last_batch(&state, "exchange").await).await;
    assert_eq!(status, "failed");
    assert!(error.contains(FAR_APART), "{error}");
    let _ = std::fs::remove_dir_all(&folder);
}

/// A check whose process died (its lease expired while running) is not run again: the batch fails
/// with the reason, the job fails with a critical alarm.
#[tokio::test]
async fn a_check_that_crashed_the_process_is_not_run_again() {
    let (state, unit) = setup().await;
    let csv = format!(
        "行政处罚决定书文号,行政相对人名称\n湘西市监罚〔2026〕{}号,湘西甲商贸有限公司\n",
        uuid::Uuid::new_v4().as_u128() % 100_000
    );
    let sub = Submission {
        class_code: "penalty",
        department_id: unit.id,
        user_id: None,
        channel: "file",
    };
    let (batch, _) = intake::create_file_batch(&state, &sub, "处罚.csv", csv.as_bytes())
        .await
        .unwrap();
    intake::queue_check(&state, batch, "upload").await.unwrap();
    // A runner leased the check (the attempt counted), then its process died.
    let until = app::server::clock::rfc3339(state.clock.now() + time::Duration::minutes(10));
    sqlx::query(
        "UPDATE jobs SET status = 'running', lease_owner = 'dead-host-1', lease_until = $1, attempts = 1 \
         WHERE kind = $2",
    )
    .bind(&until)
    .bind(intake::CHECK_JOB)
    .execute(&state.db.pool)
    .await
    .unwrap();
    let runner = server::jobs::runner(state.clone());
    runner.tick().await.unwrap();
    assert_eq!(
        batch_status(&state, batch).await.0,
        "checking",
        "lease still valid"
    );

    state.clock.advance(time::Duration::minutes(11)).unwrap();
    runner.tick().await.unwrap();
    let (status, error) = batch_status(&state, batch).await;
    assert_eq!(
        (status.as_str(), error.as_str()),
        ("failed", pipeline::CRASHED)
    );
    let jobs = app::server::jobs::list_by_kind(&state, intake::CHECK_JOB)
        .await
        .unwrap();
    assert_eq!((jobs[0].status.as_str(), jobs[0].attempts), ("failed", 1));
    let alarm: String = sqlx::query("SELECT severity FROM alarms WHERE alarm_key = $1")
        .bind(format!("job.crashed:{}", intake::CHECK_JOB))
        .fetch_one(&state.db.pool)
        .await
        .unwrap()
        .get(0);
    assert_eq!(alarm, "critical");
    // Later ticks do not run it either.
    state.clock.advance(time::Duration::hours(1)).unwrap();
    runner.tick().await.unwrap();
    assert_eq!(batch_status(&state, batch).await.0, "failed");
    assert_eq!(
        scalar(
            &state,
            &format!("SELECT COUNT(*) FROM batch_rows WHERE batch_id = {batch}")
        )
        .await,
        0
    );
}

/// The batch page lists the headers to map from the header row the check stored: it works with the
/// file gone, so a page view never reads the file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_batch_page_reads_stored_headers_not_the_file() {
    let (state, unit) = setup().await;
    let base = common::serve(state.clone()).await;
    let op = common::client();
    common::login_demo(&op, &base, "operator").await;
    let header = format!("备用列{}", uuid::Uuid::new_v4().simple());
    let csv = format!("行政处罚决定书文号,{header}\n湘西市监罚〔2026〕9号,x\n");
    let (batch, outcome) = upload(&state, &unit, "处罚.csv", csv.as_bytes()).await;
    assert_eq!(outcome, CheckOutcome::NeedsMapping(vec![header.clone()]));
    sqlx::query("UPDATE batches SET file_path = '/nonexistent/upload' WHERE id = $1")
        .bind(batch)
        .execute(&state.db.pool)
        .await
        .unwrap();
    let (code, body) = post(
        &op,
        &base,
        "collect/batch",
        &format!("id={}", public_id(&state, batch).await),
    )
    .await;
    assert_eq!(code, 200, "{body}");
    let detail: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        detail["mapping"]["headers"],
        serde_json::json!([header]),
        "{body}"
    );
}

/// What the dense reader (calamine) made of a workbook, with the old reader's trailing trim.
fn dense_read(bytes: &[u8]) -> Vec<Vec<String>> {
    use calamine::{Data, Reader};
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).unwrap();
    range
        .rows()
        .enumerate()
        .map(|(i, r)| {
            let mut cells: Vec<String> = r
                .iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    Data::String(s) => s.clone(),
                    Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => {
                        format!("{}", *f as i64)
                    }
                    Data::Float(f) => f.to_string(),
                    Data::Int(i) => i.to_string(),
                    Data::Bool(b) => b.to_string(),
                    Data::DateTime(d) => d.as_f64().to_string(),
                    Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
                    Data::Error(_) => String::new(),
                })
                .collect();
            if i > 0 {
                while cells.last().is_some_and(|c| c.is_empty()) {
                    cells.pop();
                }
            }
            cells
        })
        .collect()
}

#[test]
fn an_ordinary_workbook_reads_as_the_dense_reader_read_it() {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let bold = Format::new().set_bold();
    let plain = Format::new();
    for (c, h) in [
        "行政处罚决定书文号",
        "罚款金额（万元）",
        "处罚决定日期",
        "违法事实",
        "备注",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1, 0, "湘西市监罚〔2026〕1号").unwrap();
    sheet.write_number(1, 1, 0.5).unwrap();
    sheet
        .write_number_with_format(1, 2, 46088.0, &date)
        .unwrap();
    sheet.write_string(1, 3, "  前后有空格  ").unwrap();
    sheet.write_boolean(1, 4, true).unwrap();
    sheet.write_number(2, 0, 123456789012345678.0).unwrap();
    sheet.write_number(2, 1, 1e15).unwrap();
    sheet.write_number(2, 2, -3.0).unwrap();
    sheet.write_formula(2, 3, "=1+1").unwrap();
    sheet.set_formula_result(2, 3, "2");
    // Row 4 is empty; row 5 has an empty cell in the middle and a rich string.
    sheet.write_string(4, 0, "湘西市监罚〔2026〕5号").unwrap();
    sheet
        .write_rich_string(4, 2, &[(&plain, "富"), (&bold, "文本")])
        .unwrap();
    sheet.write_blank(4, 4, &bold).unwrap();
    sheet.write_number(5, 1, 45000.25).unwrap();
    let bytes = book.save_to_buffer().unwrap();

    let path =
        std::env::temp_dir().join(format!("ordinary-{}.xlsx", uuid::Uuid::new_v4().simple()));
    std::fs::write(&path, &bytes).unwrap();
    let mut opened = files::open(&path, upload_limits::Limits::default()).unwrap();
    let mut streamed = vec![opened.headers.clone()];
    while let Some(row) = opened.next_row(streamed.len() as u64) {
        streamed.push(row.unwrap());
    }
    let _ = std::fs::remove_file(&path);
    let dense = dense_read(&bytes);
    assert_eq!(streamed, dense);
    assert_eq!(
        dense[1],
        [
            "湘西市监罚〔2026〕1号",
            "0.5",
            "46088",
            "  前后有空格  ",
            "true"
        ]
    );
    assert_eq!(
        dense[3],
        Vec::<String>::new(),
        "the empty row is kept, so row numbers match"
    );
}
