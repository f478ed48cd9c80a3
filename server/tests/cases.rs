//! Cases over HTTP (issue 20): a credit repair journey — a company applies with two uploads, the credit
//! office assigns it, the source unit approves — and the record leaves public view at once with a
//! version written; the tracking page shows the result; a special report marks it 已修复. Refused
//! uploads store nothing; another unit's clerk cannot see the case; the due scan raises one alarm.
// Test code: a panic here is a failing test (clippy.toml allows these lints in #[test] functions;
// the helpers of an integration test crate are test code as well).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
// Long scenario tests read top to bottom, one step after the other.
#![allow(clippy::too_many_lines)]
mod common;
use app::server::AppState;
use sqlx::Row;
use time::macros::datetime;

use common::cases::{
    code_of, count, displayed_penalty, form_token, post_multipart, text, PDF, PNG,
};

/// A seeded server on Monday 7 December 2026, with the public-form limit raised.
async fn seeded() -> (AppState, String) {
    common::cases::seeded_on(datetime!(2026-12-07 02:00 UTC)).await
}

/// A penalty on public display that may be repaired today, moved to the demo clerk's unit:
/// (record public id, decision number, subject public id, USCC).
async fn repairable(state: &AppState, base: &str) -> (String, String, String, String) {
    let today = state.clock.today().iso();
    displayed_penalty(
        state,
        base,
        &format!(" AND p.repair_eligible_from <= '{today}'"),
    )
    .await
}

/// Posts an application; answers the redirect target.
async fn apply(
    c: &reqwest::Client,
    base: &str,
    record: &str,
    uscc: &str,
    files: &[(&str, &str, &[u8])],
) -> String {
    let token = form_token(
        c,
        format!("{base}/repair/apply?record={record}"),
        "信用修复承诺书",
    )
    .await;
    post_multipart(
        c,
        format!("{base}/repair/submit?record={record}"),
        &[
            ("csrf_token", &token),
            ("record", record),
            ("uscc", uscc),
            ("name", "张建华"),
            ("contact", "13907431234"),
            ("commitment", "1"),
        ],
        files,
    )
    .await
}

/// The public penalty list searched for a decision number.
async fn listed(c: &reqwest::Client, base: &str, decision_no: &str) -> String {
    c.get(format!(
        "{base}/credit/lists/penalties?q={}",
        app::ui::url::encode(decision_no)
    ))
    .send()
    .await
    .unwrap()
    .text()
    .await
    .unwrap()
}

async fn call(
    c: &reqwest::Client,
    base: &str,
    endpoint: &str,
    form: &[(&str, &str)],
) -> (u16, String) {
    common::post_form(c, base, endpoint, form).await
}

/// Applies with two uploads and checks the tracking page; a second application on the same record is
/// refused while the first is open. Answers (tracking code, case public id).
async fn apply_twice(
    state: &AppState,
    base: &str,
    public: &reqwest::Client,
    record: &str,
    uscc: &str,
) -> (String, String) {
    let loc = apply(
        public,
        base,
        record,
        uscc,
        &[
            ("proof", "罚款缴纳凭证.pdf", PDF),
            ("proof", "整改照片.png", PNG),
        ],
    )
    .await;
    assert!(loc.starts_with("/track"), "{loc}");
    let code = code_of(&loc);
    assert_eq!(code.len(), 16);
    let case: String = sqlx::query_scalar("SELECT public_id FROM cases WHERE tracking_code = $1")
        .bind(&code)
        .fetch_one(&state.db.pool)
        .await
        .unwrap();
    assert_eq!(count(state, "SELECT COUNT(*) FROM case_files").await, 2);
    // The 信用修复型 commitment went into the commitments register as a batch of the record's unit.
    let details: String = sqlx::query_scalar("SELECT details FROM cases WHERE public_id = $1")
        .bind(&case)
        .fetch_one(&state.db.pool)
        .await
        .unwrap();
    assert!(details.contains("commitment_batch"), "{details}");
    let tracked = text(public, format!("{base}/track?code={code}")).await;
    assert!(
        tracked.contains("已提交，待受理") && tracked.contains("2026-12-21"),
        "{tracked}"
    );
    // A second application on the same record is refused while the first is open.
    let html = text(public, format!("{base}/repair/apply?record={record}")).await;
    assert!(html.contains("正在办理"), "{html}");
    (code, case)
}

/// The applicant's materials are downloaded through the case (scoped, audited), never from the
/// public `/files/` route; another unit and a visitor get nothing.
async fn materials_are_private(
    state: &AppState,
    base: &str,
    unit: &reqwest::Client,
    other: &reqwest::Client,
    case_json: &str,
) {
    let href = case_json
        .split("\"href\":\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a material link")
        .to_string();
    assert!(href.starts_with("/case-files/"), "{href}");
    let r = unit.get(format!("{base}{href}")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "private, no-store");
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    assert_eq!(r.bytes().await.unwrap().as_ref(), PDF);
    let r = other.get(format!("{base}{href}")).send().await.unwrap();
    assert_eq!(r.status(), 404, "another unit's clerk");
    let r = common::client()
        .get(format!("{base}{href}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401, "a visitor");
    let stored: String = sqlx::query_scalar("SELECT file_name FROM case_files ORDER BY id LIMIT 1")
        .fetch_one(&state.db.pool)
        .await
        .unwrap();
    let r = common::client()
        .get(format!("{base}/files/{stored}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404, "not published content");
    assert_eq!(
        count(
            state,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'cases.material_download'"
        )
        .await,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_repair_journey_takes_the_record_off_public_view() {
    let (state, base) = seeded().await;
    let (record, decision_no, subject, uscc) = repairable(&state, &base).await;
    let public = common::client();

    // The subject page offers the application.
    let html = text(&public, format!("{base}/credit/subject/{subject}")).await;
    assert!(
        html.contains(&format!("/repair/apply?record={record}")),
        "repair link"
    );

    let (code, case) = apply_twice(&state, &base, &public, &record, &uscc).await;
    let list = listed(&public, &base, &decision_no).await;
    assert!(
        list.contains(&format!("/credit/record/penalty/{record}")),
        "on the public list: {list}"
    );

    // The office assigns it to the record's unit.
    let office = common::client();
    common::login_demo(&office, &base, "operator").await;
    let (s, body) = call(&office, &base, "cases/list", &[("page", "1")]).await;
    assert_eq!(s, 200, "{body}");
    assert!(body.contains(&code));
    let (s, body) = call(
        &office,
        &base,
        "cases/move",
        &[("id", &case), ("code", "approve")],
    )
    .await;
    assert_eq!(s, 409, "not yet assigned: {body}");
    let (s, body) = call(
        &office,
        &base,
        "cases/move",
        &[("id", &case), ("code", "assign")],
    )
    .await;
    assert_eq!(s, 200, "{body}");

    // Another unit's clerk does not see it; the county user of another county neither.
    let other = common::client();
    common::login_demo(&other, &base, "clerk2").await;
    let (s, _) = call(&other, &base, "cases/case", &[("id", &case)]).await;
    assert_eq!(s, 404);
    let (s, _) = call(
        &other,
        &base,
        "cases/move",
        &[("id", &case), ("code", "approve")],
    )
    .await;
    assert_eq!(s, 404);
    let (_, list) = call(&other, &base, "cases/list", &[("page", "1")]).await;
    assert!(!list.contains(&code));

    // The unit refuses without a reason (refused), then approves.
    let unit = common::client();
    common::login_demo(&unit, &base, "clerk").await;
    let (s, body) = call(&unit, &base, "cases/case", &[("id", &case)]).await;
    assert_eq!(s, 200, "{body}");
    assert!(
        body.contains("approve") && body.contains("罚款缴纳凭证.pdf"),
        "{body}"
    );
    materials_are_private(&state, &base, &unit, &other, &body).await;
    let (s, _) = call(
        &unit,
        &base,
        "cases/move",
        &[("id", &case), ("code", "refuse")],
    )
    .await;
    assert_eq!(s, 422, "a refusal states its reason");
    let (s, _) = call(
        &unit,
        &base,
        "cases/move",
        &[("id", &case), ("code", "assign")],
    )
    .await;
    assert_eq!(s, 403, "assigning is the office's move");
    let (s, body) = call(
        &unit,
        &base,
        "cases/move",
        &[
            ("id", &case),
            ("code", "approve"),
            ("text", "罚款已缴清，整改到位。"),
        ],
    )
    .await;
    assert_eq!(s, 200, "{body}");

    // Off public view at once, as a version of the record.
    let repaired: i64 = sqlx::query_scalar("SELECT repaired FROM penalties WHERE public_id = $1")
        .bind(&record)
        .fetch_one(&state.db.pool)
        .await
        .unwrap();
    assert_eq!(repaired, 1);
    assert_eq!(
        count(
            &state,
            "SELECT COUNT(*) FROM record_versions WHERE action = 'repair'"
        )
        .await,
        1
    );
    let html = text(&public, format!("{base}/credit/subject/{subject}")).await;
    assert!(!html.contains(&decision_no), "gone from the subject page");
    let list = listed(&public, &base, &decision_no).await;
    assert!(
        !list.contains(&format!("/credit/record/penalty/{record}")),
        "gone from the public list"
    );
    let tracked = text(
        &public,
        format!("{base}/track?code={}", code.to_lowercase()),
    )
    .await;
    assert!(
        tracked.contains("准予修复") && tracked.contains("罚款已缴清"),
        "{tracked}"
    );
    assert!(
        !tracked.contains("信源单位经办人"),
        "staff are not named on the public page"
    );
    let (s, _) = call(
        &unit,
        &base,
        "cases/move",
        &[("id", &case), ("code", "approve")],
    )
    .await;
    assert_eq!(s, 409, "closed");

    // A special report still lists it, marked 已修复.
    assert!(special_report(&office, &base, &subject)
        .await
        .contains("已修复"));
}

/// The text of a special report on `subject` pulled by staff (the last five years).
async fn special_report(office: &reqwest::Client, base: &str, subject: &str) -> String {
    let r = office
        .post(format!("{base}/api/credit/staff_report"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "request[kind]=special&request[subject]={subject}&request[applicant]=%E6%9D%8E%E5%9B%9B\
             &request[purpose]=%E6%8B%9B%E6%8A%95%E6%A0%87&request[matter]=%E6%94%BF%E5%BA%9C%E9%87%87%E8%B4%AD\
             &request[from]=2022-01-01&request[to]=2026-12-07&request[sections][0]=trust"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let issued: serde_json::Value = r.json().await.unwrap();
    let pdf = office
        .get(format!("{base}{}", issued["download"].as_str().unwrap()))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    pdftotext(&pdf)
}

fn pdftotext(pdf: &[u8]) -> String {
    use std::io::Write;
    let mut child = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8", "-", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("pdftotext (poppler-utils) is installed by scripts/setup.sh --test");
    child.stdin.take().unwrap().write_all(pdf).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "pdftotext failed");
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_uploads_store_nothing() {
    let (state, base) = seeded().await;
    let (record, _, _, uscc) = repairable(&state, &base).await;
    let c = common::client();
    let uploads = count(&state, "SELECT COUNT(*) FROM uploads").await;
    let loc = apply(
        &c,
        &base,
        &record,
        &uscc,
        &[
            ("proof", "凭证.pdf", PDF),
            ("proof", "凭证2.pdf", b"MZ\x90\x00\x03 program"),
        ],
    )
    .await;
    assert!(
        loc.starts_with("/repair/apply") && loc.contains("可执行"),
        "{loc}"
    );
    let big = [PNG, &vec![0u8; 6 * 1024 * 1024]].concat();
    let loc = apply(&c, &base, &record, &uscc, &[("proof", "照片.png", &big)]).await;
    assert!(loc.contains("上限"), "{loc}");
    let loc = apply(&c, &base, &record, &uscc, &[]).await;
    assert!(loc.contains("证明材料"), "{loc}");
    let loc = apply(
        &c,
        &base,
        &record,
        "91433101MA4L00000X",
        &[("proof", "a.pdf", PDF)],
    )
    .await;
    assert!(loc.contains("error="), "a wrong code: {loc}");
    assert_eq!(count(&state, "SELECT COUNT(*) FROM cases").await, 0);
    assert_eq!(count(&state, "SELECT COUNT(*) FROM case_files").await, 0);
    assert_eq!(count(&state, "SELECT COUNT(*) FROM uploads").await, uploads);
    // Without the form's token nothing is taken.
    let r = common::client()
        .post(format!("{base}/repair/submit?record={record}"))
        .multipart(reqwest::multipart::Form::new().text("uscc", uscc.clone()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(count(&state, "SELECT COUNT(*) FROM cases").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_due_scan_raises_one_alarm_once_overdue() {
    let (state, base) = seeded().await;
    let (record, _, _, uscc) = repairable(&state, &base).await;
    let c = common::client();
    let loc = apply(&c, &base, &record, &uscc, &[("proof", "凭证.pdf", PDF)]).await;
    let code = code_of(&loc);
    let case: String = sqlx::query_scalar("SELECT public_id FROM cases WHERE tracking_code = $1")
        .bind(&code)
        .fetch_one(&state.db.pool)
        .await
        .unwrap();
    let office = common::client();
    common::login_demo(&office, &base, "operator").await;
    let (s, body) = call(
        &office,
        &base,
        "cases/move",
        &[("id", &case), ("code", "assign")],
    )
    .await;
    assert_eq!(s, 200, "{body}");
    // Assigned Monday 7 December: the unit decides by Thursday the 10th.
    let due: String = sqlx::query_scalar("SELECT step_due_on FROM cases WHERE public_id = $1")
        .bind(&case)
        .fetch_one(&state.db.pool)
        .await
        .unwrap();
    assert_eq!(due, "2026-12-10");
    let r = app::cases::service::due::scan(&state).await.unwrap();
    assert_eq!((r.reminders, r.overdue), (0, 0));
    state.clock.set(datetime!(2026-12-09 02:00 UTC)).unwrap();
    let r = app::cases::service::due::scan(&state).await.unwrap();
    assert_eq!((r.reminders, r.overdue), (1, 0), "a working day before");
    state.clock.set(datetime!(2026-12-11 02:00 UTC)).unwrap();
    for _ in 0..2 {
        let r = app::cases::service::due::scan(&state).await.unwrap();
        assert_eq!(r.overdue, 1);
    }
    let alarms = |sql: &'static str| count(&state, sql);
    assert_eq!(
        alarms("SELECT COUNT(*) FROM alarms WHERE alarm_key LIKE 'cases.overdue:%'").await,
        1,
        "one alarm, however often the scan runs"
    );
    assert_eq!(
        alarms("SELECT COUNT(*) FROM alarms WHERE alarm_key LIKE 'cases.due_soon:%' AND status <> 'resolved'").await,
        0,
        "the reminder gave way to the alarm"
    );
    // An extension (once, with a reason) puts the case back in time and resolves the alarm.
    let unit = common::client();
    common::login_demo(&unit, &base, "clerk").await;
    let (s, body) = call(
        &unit,
        &base,
        "cases/move",
        &[
            ("id", &case),
            ("code", "extend"),
            ("text", "需向税务部门核实缴款情况。"),
        ],
    )
    .await;
    assert_eq!(s, 200, "{body}");
    let (s, _) = call(
        &unit,
        &base,
        "cases/move",
        &[("id", &case), ("code", "extend"), ("text", "再延")],
    )
    .await;
    assert_eq!(s, 409, "only once");
    assert_eq!(
        alarms(
            "SELECT COUNT(*) FROM alarms WHERE alarm_key LIKE 'cases.%' AND status <> 'resolved'"
        )
        .await,
        0
    );
    let row = sqlx::query("SELECT step_due_on, extended FROM cases WHERE public_id = $1")
        .bind(&case)
        .fetch_one(&state.db.pool)
        .await
        .unwrap();
    assert_eq!(row.get::<String, _>("step_due_on"), "2026-12-24");
    assert_eq!(row.get::<i64, _>("extended"), 1);
}
