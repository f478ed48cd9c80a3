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
use server::seed::{seed_demo, SeedOptions};
use sqlx::Row;
use time::macros::datetime;

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00";

/// A seeded server on Monday 7 December 2026, with the public-form limit raised.
async fn seeded() -> (AppState, String) {
    let url = common::fresh_database_url().await;
    let config = common::test_config_with(
        &url,
        &[
            ("APP_CONSULT_RATE_PER_HOUR", "1000"),
            ("APP_TRACK_RATE_PER_MIN", "1000"),
        ],
    );
    let state = common::state_with_config(config, app::server::clock::Clock::adjustable()).await;
    state.clock.set(datetime!(2026-12-07 02:00 UTC)).unwrap();
    let opts = SeedOptions {
        subjects: 12,
        seed: 7,
        as_of: state.clock.today(),
    };
    seed_demo(&state, &opts, |_, _| {}).await.expect("seed");
    let base = common::serve(state.clone()).await;
    (state, base)
}

/// A penalty on public display that may be repaired today, moved to the demo clerk's unit:
/// (record public id, decision number, subject public id, USCC).
async fn repairable(state: &AppState, base: &str) -> (String, String, String, String) {
    let today = state.clock.today().iso();
    let rows = sqlx::query(
        "SELECT p.id, p.public_id, p.decision_no, s.public_id AS sid, s.uscc FROM penalties p \
         JOIN subjects s ON s.id = p.subject_id WHERE p.published = 1 AND p.withdrawn = 0 AND p.repaired = 0 \
         AND p.repair_eligible_from <= $1 AND p.display_until >= $1 AND s.uscc IS NOT NULL ORDER BY p.id",
    )
    .bind(&today)
    .fetch_all(&state.db.pool)
    .await
    .unwrap();
    let c = common::plain_client();
    for r in rows {
        let sid: String = r.get("sid");
        let no: String = r.get("decision_no");
        let html = text(&c, format!("{base}/credit/subject/{sid}")).await;
        if html.contains(&no) {
            let clerk_dept: i64 =
                sqlx::query_scalar("SELECT department_id FROM users WHERE username = 'clerk'")
                    .fetch_one(&state.db.pool)
                    .await
                    .unwrap();
            sqlx::query("UPDATE penalties SET department_id = $1 WHERE id = $2")
                .bind(clerk_dept)
                .bind(r.get::<i64, _>("id"))
                .execute(&state.db.pool)
                .await
                .unwrap();
            return (r.get("public_id"), no, sid, r.get("uscc"));
        }
    }
    panic!("the demo data has no repairable penalty on display");
}

/// The CSRF token the application form renders (the client keeps its cookie).
async fn form_token(c: &reqwest::Client, base: &str, record: &str) -> String {
    let html = text(c, format!("{base}/repair/apply?record={record}")).await;
    assert!(html.contains("信用修复承诺书"), "{html}");
    html.split("name=\"csrf_token\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the form carries a CSRF token")
        .to_string()
}

/// Posts an application; answers the redirect target.
async fn apply(
    c: &reqwest::Client,
    base: &str,
    record: &str,
    uscc: &str,
    files: &[(&str, &str, &[u8])],
) -> String {
    let token = form_token(c, base, record).await;
    let mut form = reqwest::multipart::Form::new()
        .text("csrf_token", token)
        .text("record", record.to_string())
        .text("uscc", uscc.to_string())
        .text("name", "张建华")
        .text("contact", "13907431234")
        .text("commitment", "1");
    for (input, name, bytes) in files {
        form = form.part(
            input.to_string(),
            reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_string()),
        );
    }
    let r = c
        .post(format!("{base}/repair/submit?record={record}"))
        .header("accept", "text/html")
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap_or_default());
    let loc = r.headers()["location"].to_str().unwrap().to_string();
    decoded(&loc)
}

fn decoded(s: &str) -> String {
    form_urlencoded::parse(s.replace('?', "&").as_bytes())
        .map(|(k, v)| {
            if v.is_empty() {
                k.into_owned()
            } else {
                format!("{k}={v}")
            }
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn code_of(location: &str) -> String {
    location
        .split("code=")
        .nth(1)
        .and_then(|s| s.split('&').next())
        .unwrap()
        .to_string()
}

/// A page's text.
async fn text(c: &reqwest::Client, url: String) -> String {
    c.get(url).send().await.unwrap().text().await.unwrap()
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

async fn count(state: &AppState, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&state.db.pool)
        .await
        .unwrap()
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
