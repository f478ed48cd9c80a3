//! 到期更新 and quality control: due dates follow the catalogue frequency from the last confirmed
//! batch; the scan reminds the unit once per due date and alarms the credit office when long overdue
//! (and clears the alarm once the unit reports); the 7-working-day rule counts late publications;
//! the quality figures, league table, monthly report and its XLSX come from real batches.
// Test code: a panic here is a failing test (clippy.toml allows these lints in #[test] functions;
// the helpers of an integration test crate are test code as well).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod common;
use app::collect::service::{confirm, due};
use app::server::AppState;
use common::collect::*;
use sqlx::Row;
use time::macros::datetime;

/// The demo clerk's unit, which reports penalties monthly from 2026-10-01 (licences yearly).
async fn clerk_unit(state: &AppState) -> Unit {
    let r = sqlx::query(
        "SELECT d.id, d.name FROM users u JOIN departments d ON d.id = u.department_id WHERE u.username = 'clerk'",
    )
    .fetch_one(&state.db.pool)
    .await
    .unwrap();
    let unit = Unit {
        id: r.get("id"),
        name: r.get("name"),
    };
    for (class, freq) in [("penalty", "monthly"), ("licence", "yearly")] {
        sqlx::query(
            "UPDATE class_sources SET frequency = $1, created_at = '2026-10-01T00:00:00Z' \
             WHERE department_id = $2 AND class_id = (SELECT id FROM data_classes WHERE code = $3)",
        )
        .bind(freq)
        .bind(unit.id)
        .bind(class)
        .execute(&state.db.pool)
        .await
        .unwrap();
    }
    unit
}

const HEADER: &str = "行政相对人名称,行政相对人类别,统一社会信用代码,法定代表人,行政处罚决定书文号,违法行为类型,违法事实,处罚依据,处罚类别,处罚内容,罚款金额（万元）,处罚决定日期,处罚机关";

fn csv_row(name: &str, uscc: &str, no: &str, decided: &str, authority: &str) -> String {
    format!(
        "{name},法人及非法人组织,{uscc},张三,{no},违反产品质量管理规定,销售不合格产品,《中华人民共和国产品质量法》第四十九条,罚款,罚款0.5万元,0.5,{decided},{authority}"
    )
}

/// Uploads rows and confirms the batch; returns the batch id.
async fn submit(state: &AppState, unit: &Unit, rows: &[String]) -> i64 {
    let csv = format!("{HEADER}\n{}\n", rows.join("\n"));
    let (batch, outcome) = upload(state, unit, "penalties.csv", csv.as_bytes()).await;
    assert_eq!(
        outcome,
        app::collect::service::pipeline::CheckOutcome::Checked
    );
    confirm::confirm(state, batch, &actor())
        .await
        .expect("confirm");
    batch
}

async fn reminders_of(state: &AppState, unit: i64) -> Vec<String> {
    sqlx::query("SELECT reminder_key FROM reminders WHERE department_id = $1 ORDER BY id")
        .bind(unit)
        .fetch_all(&state.db.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get("reminder_key"))
        .collect()
}

async fn open_alarms(state: &AppState, key: &str) -> i64 {
    sqlx::query("SELECT COUNT(*) FROM alarms WHERE alarm_key = $1 AND status <> 'resolved'")
        .bind(key)
        .fetch_one(&state.db.pool)
        .await
        .unwrap()
        .get(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn due_dates_remind_the_unit_and_alarm_the_office_until_it_reports() {
    let (state, _) = setup().await;
    let unit = clerk_unit(&state).await;
    let penalty_key = |s: &str| format!("{s}:{}:penalty:2026-11-01", unit.id);
    let alarm_key = format!("collect.overdue:{}:penalty", unit.id);

    // Monthly from 2026-10-01: due 2026-11-01. On 10-20 nothing is due yet.
    state.clock.set(datetime!(2026-10-20 02:00 UTC)).unwrap();
    due::scan(&state).await.unwrap();
    assert!(reminders_of(&state, unit.id).await.is_empty());

    // Three days before: a "due soon" reminder.
    state.clock.set(datetime!(2026-10-29 02:00 UTC)).unwrap();
    due::scan(&state).await.unwrap();
    assert_eq!(
        reminders_of(&state, unit.id).await,
        vec![penalty_key("due-soon")]
    );

    // Overdue by 4 days: an overdue reminder, once however often the scan runs; no alarm yet.
    state.clock.set(datetime!(2026-11-05 02:00 UTC)).unwrap();
    due::scan(&state).await.unwrap();
    due::scan(&state).await.unwrap();
    assert_eq!(
        reminders_of(&state, unit.id).await,
        vec![penalty_key("due-soon"), penalty_key("overdue")]
    );
    assert_eq!(open_alarms(&state, &alarm_key).await, 0);

    // Overdue by 19 days (more than 15): the credit office gets an alarm.
    state.clock.set(datetime!(2026-11-20 02:00 UTC)).unwrap();
    due::scan(&state).await.unwrap();
    assert_eq!(open_alarms(&state, &alarm_key).await, 1);

    // The unit reports: one decision two working days ago, one from October (published late).
    let auth = unit.name.as_str();
    submit(
        &state,
        &unit,
        &[
            csv_row(
                "湘西甲商贸有限公司",
                &code(31),
                "湘西罚〔2026〕301号",
                "2026-11-18",
                auth,
            ),
            csv_row(
                "湘西乙商贸有限公司",
                &code(32),
                "湘西罚〔2026〕302号",
                "2026-10-01",
                auth,
            ),
        ],
    )
    .await;
    due::scan(&state).await.unwrap();
    assert_eq!(
        open_alarms(&state, &alarm_key).await,
        0,
        "the alarm clears once the unit has reported"
    );
    let items = due::items(&state, None).await.unwrap();
    let item = items
        .iter()
        .find(|i| i.unit_id == unit.id && i.class_code == "penalty")
        .unwrap();
    assert_eq!(
        (item.due_on.as_str(), item.state.as_str()),
        ("2026-12-20", "ok")
    );
    let late = due::late_publications(&state, None).await.unwrap();
    let mine = late.iter().find(|l| l.unit_id == unit.id).unwrap();
    assert_eq!(
        (mine.published, mine.late),
        (2, 1),
        "7 working days by the calendar"
    );

    // Through HTTP: the clerk sees the board and the reminders and marks one read; another unit's
    // clerk cannot mark it, and a reminder is read only once.
    let base = common::serve(state.clone()).await;
    let clerk = common::client();
    common::login_demo(&clerk, &base, "clerk").await;
    let (status, body) = post(&clerk, &base, "collect/due", "").await;
    assert_eq!(status, 200, "{body}");
    let board: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(
        board["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["unit_id"] == unit.id),
        "a clerk sees only the own unit"
    );
    let reminder = board["reminders"][0]["id"].as_i64().unwrap();
    let other = common::client();
    common::login_demo(&other, &base, "clerk2").await;
    let (status, _) = post(
        &other,
        &base,
        "collect/reminder_read",
        &format!("id={reminder}"),
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = post(
        &clerk,
        &base,
        "collect/reminder_read",
        &format!("id={reminder}"),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = post(
        &clerk,
        &base,
        "collect/reminder_read",
        &format!("id={reminder}"),
    )
    .await;
    assert_eq!(status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quality_figures_league_and_monthly_report_come_from_real_batches() {
    let (state, _) = setup().await;
    let unit = clerk_unit(&state).await;
    state.clock.set(datetime!(2026-11-20 02:00 UTC)).unwrap();
    let auth = unit.name.as_str();
    // Four rows: three clean (one decided in October, published late) and one with a bad check character.
    submit(
        &state,
        &unit,
        &[
            csv_row(
                "湘西丙商贸有限公司",
                &code(41),
                "湘西罚〔2026〕401号",
                "2026-11-18",
                auth,
            ),
            csv_row(
                "湘西丁商贸有限公司",
                &code(42),
                "湘西罚〔2026〕402号",
                "2026-11-17",
                auth,
            ),
            csv_row(
                "湘西戊商贸有限公司",
                &code(43),
                "湘西罚〔2026〕403号",
                "2026-10-01",
                auth,
            ),
            csv_row(
                "湘西己商贸有限公司",
                &bad_check(44),
                "湘西罚〔2026〕404号",
                "2026-11-18",
                auth,
            ),
        ],
    )
    .await;
    let base = common::serve(state.clone()).await;
    let op = common::client();
    common::login_demo(&op, &base, "operator").await;
    // The operator withdraws one record: availability drops to two in three.
    let withdrawn: String =
        sqlx::query("SELECT public_id FROM penalties WHERE decision_no = '湘西罚〔2026〕402号'")
            .fetch_one(&state.db.pool)
            .await
            .unwrap()
            .get(0);
    let (status, body) = post(
        &op,
        &base,
        "records/withdraw",
        &format!("kind=penalty&id={withdrawn}&reason=处罚决定已被复议撤销"),
    )
    .await;
    assert_eq!(status, 200, "{body}");

    let (status, body) = post(&op, &base, "collect/quality", "month=2026-11").await;
    assert_eq!(status, 200, "{body}");
    let board: serde_json::Value = serde_json::from_str(&body).unwrap();
    let row = board["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["unit_id"] == unit.id && r["class_code"] == "penalty")
        .unwrap()
        .clone();
    assert_eq!(row["records"], 3);
    assert_eq!(
        (row["rows_checked"].as_i64(), row["rows_faulty"].as_i64()),
        (Some(4), Some(1))
    );
    let close = |v: &serde_json::Value, want: f64| (v.as_f64().unwrap() - want).abs() < 1e-9;
    assert!(close(&row["accuracy"], 0.75), "{row}");
    assert!(close(&row["completeness"], 1.0), "{row}");
    assert!(close(&row["availability"], 2.0 / 3.0), "{row}");
    assert!(close(&row["timeliness"], 2.0 / 3.0), "{row}");
    let league = board["league"].as_array().unwrap();
    assert_eq!(
        league[0]["unit_id"], unit.id,
        "the only unit with figures leads the league table"
    );
    assert_eq!(board["trend"].as_array().unwrap().len(), 6);

    // The clerk reads the monthly report of the own unit, with advice from the top fault.
    let clerk = common::client();
    common::login_demo(&clerk, &base, "clerk").await;
    let (status, body) = post(
        &clerk,
        &base,
        "collect/quality_report",
        &format!("unit={}&month=2026-11", unit.id),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let report: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(report["faults"][0]["code"], "USCC_CHECK_CHAR");
    let advice = report["advice"].to_string();
    assert!(advice.contains("校验位"), "{advice}");
    assert!(
        advice.contains("7个工作日"),
        "late publication advice: {advice}"
    );
    // Another unit's clerk cannot read it.
    let other = common::client();
    common::login_demo(&other, &base, "clerk2").await;
    let (status, _) = post(
        &other,
        &base,
        "collect/quality_report",
        &format!("unit={}&month=2026-11", unit.id),
    )
    .await;
    assert_eq!(status, 404);

    // The XLSX carries the same figures and advice.
    let r = clerk
        .get(format!(
            "{base}/console/quality/report.xlsx?unit={}&month=2026-11",
            unit.id
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let bytes = r.bytes().await.unwrap();
    use calamine::Reader;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let sheet = book.worksheet_range("质量月报").unwrap();
    let text: Vec<String> = sheet.rows().flatten().map(|c| c.to_string()).collect();
    assert!(
        text.iter().any(|t| t == "75.0%"),
        "accuracy in the sheet: {text:?}"
    );
    assert!(
        text.iter().any(|t| t.contains("校验位")),
        "advice in the sheet"
    );
    let r = other
        .get(format!(
            "{base}/console/quality/report.xlsx?unit={}&month=2026-11",
            unit.id
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}
