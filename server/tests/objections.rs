//! Objections and complaints over HTTP (issue 20, docs/domain.md §11): an objection filed the day
//! before the National Day holiday of 2026 passes through every step with the controllable clock —
//! its deadlines skip 1–7 October and count Saturday 10 October (调休); a missed step raises one
//! alarm however often the scan runs; the record carries "异议处理中" and the operator may suspend its
//! display until the reply. A complaint needs no record; staff enter cases received by phone.
// Test code: a panic here is a failing test (clippy.toml allows these lints in #[test] functions;
// the helpers of an integration test crate are test code as well).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
// Long scenario tests read top to bottom, one step after the other.
#![allow(clippy::too_many_lines)]
mod common;
use app::server::AppState;
use common::cases::{code_of, count, displayed_penalty, form_token, post_multipart, text, PDF};
use time::macros::datetime;
use time::OffsetDateTime;

/// Files an objection on `record` from the public form: the redirect target.
async fn object(
    c: &reqwest::Client,
    base: &str,
    record: &str,
    uscc: &str,
    files: &[(&str, &str, &[u8])],
) -> String {
    let token = form_token(
        c,
        format!("{base}/objection/apply?record={record}"),
        "异议理由",
    )
    .await;
    post_multipart(
        c,
        format!("{base}/objection/submit?record={record}"),
        &[
            ("csrf_token", &token),
            ("uscc", uscc),
            ("ground", "wrong"),
            (
                "description",
                "处罚决定书记载的违法事实与本单位不符，请核实更正。",
            ),
            ("name", "王立群"),
            ("contact", "13807435678"),
        ],
        files,
    )
    .await
}

async fn call(c: &reqwest::Client, base: &str, endpoint: &str, form: &[(&str, &str)]) -> String {
    let (s, body) = common::post_form(c, base, endpoint, form).await;
    assert_eq!(s, 200, "{endpoint} {form:?}: {body}");
    body
}

async fn case_move(c: &reqwest::Client, base: &str, case: &str, code: &str, said: &str) {
    call(
        c,
        base,
        "cases/move",
        &[("id", case), ("code", code), ("text", said)],
    )
    .await;
}

/// The case's state and the due date of its running step.
async fn standing(state: &AppState, case: &str) -> (String, Option<String>) {
    let r: (String, Option<String>) =
        sqlx::query_as("SELECT state, step_due_on FROM cases WHERE public_id = $1")
            .bind(case)
            .fetch_one(&state.db.pool)
            .await
            .unwrap();
    r
}

/// Moves the clock to `now` (sessions idle that long have ended: sign in again after).
fn at(state: &AppState, now: OffsetDateTime) {
    state.clock.set(now).unwrap();
}

/// A fresh client signed in as demo account `user`.
async fn signed_in(base: &str, user: &str) -> reqwest::Client {
    let c = common::client();
    common::login_demo(&c, base, user).await;
    c
}

async fn open_alarms(state: &AppState) -> i64 {
    count(
        state,
        "SELECT COUNT(*) FROM alarms WHERE alarm_key LIKE 'cases.%' AND status <> 'resolved'",
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_objection_across_national_day() {
    // Tuesday 29 September 2026; 1–7 October are off, Saturday 10 October is worked.
    let (state, base) = common::cases::seeded_on(datetime!(2026-09-29 02:00 UTC)).await;
    let (record, decision_no, subject, uscc) = displayed_penalty(&state, &base, "").await;
    let public = common::client();
    let page = format!("{base}/credit/subject/{subject}");
    let html = text(&public, page.clone()).await;
    assert!(
        html.contains(&format!("/objection/apply?record={record}")),
        "the subject page offers an objection"
    );
    assert!(!html.contains("异议处理中"));

    // Someone else's code is refused, and nothing is stored.
    let loc = object(&public, &base, &record, "91433101MA4L00000X", &[]).await;
    assert!(
        loc.starts_with("/objection/apply") && loc.contains("error="),
        "{loc}"
    );
    assert_eq!(count(&state, "SELECT COUNT(*) FROM cases").await, 0);

    let loc = object(
        &public,
        &base,
        &record,
        &uscc,
        &[("proof", "原始决定书.pdf", PDF)],
    )
    .await;
    assert!(loc.starts_with("/track") && loc.contains("new=1"), "{loc}");
    let code = code_of(&loc);
    let case: String = sqlx::query_scalar("SELECT public_id FROM cases WHERE tracking_code = $1")
        .bind(&code)
        .fetch_one(&state.db.pool)
        .await
        .unwrap();
    // Accept within 2 working days: the 30th, then the 8th after the holiday.
    assert_eq!(
        standing(&state, &case).await,
        ("submitted".into(), Some("2026-10-08".into()))
    );
    let html = text(&public, page.clone()).await;
    assert!(
        html.contains("异议处理中") && html.contains(&decision_no),
        "marked, still shown"
    );
    // A second objection on the same record waits for the first.
    let again = text(&public, format!("{base}/objection/apply?record={record}")).await;
    assert!(again.contains("已有正在办理的异议申诉"), "{again}");

    // The operator suspends the record's display while the objection is open.
    let office = signed_in(&base, "operator").await;
    call(
        &office,
        &base,
        "cases/suspend",
        &[("id", &case), ("on", "true")],
    )
    .await;
    let html = text(&public, page.clone()).await;
    assert!(!html.contains(&decision_no), "suspended from public view");

    // Nobody accepted it by Thursday the 8th: on Friday the 9th the scan raises one alarm, however
    // often it runs.
    at(&state, datetime!(2026-10-09 02:00 UTC));
    for _ in 0..2 {
        let r = app::cases::service::due::scan(&state).await.unwrap();
        assert_eq!(r.overdue, 1);
    }
    assert_eq!(
        count(
            &state,
            "SELECT COUNT(*) FROM alarms WHERE alarm_key LIKE 'cases.overdue:%'"
        )
        .await,
        1
    );
    // Accepted on the 9th: the platform's check is due in 2 working days, Saturday the 10th counting.
    let office = signed_in(&base, "operator").await;
    case_move(&office, &base, &case, "accept", "").await;
    assert_eq!(
        standing(&state, &case).await,
        ("checking".into(), Some("2026-10-12".into()))
    );
    assert_eq!(open_alarms(&state).await, 0, "accepted: no longer late");

    // Monday the 12th: forwarded to the source unit, which returns it; forwarded again: 10 working
    // days, to the 26th.
    at(&state, datetime!(2026-10-12 02:00 UTC));
    let office = signed_in(&base, "operator").await;
    case_move(&office, &base, &case, "forward", "").await;
    let unit = signed_in(&base, "clerk").await;
    let other = signed_in(&base, "clerk2").await;
    let (s, _) = common::post_form(&other, &base, "cases/case", &[("id", &case)]).await;
    assert_eq!(s, 404, "another unit does not see it");
    case_move(&unit, &base, &case, "return", "请平台先核对上报批次。").await;
    assert_eq!(standing(&state, &case).await.0, "checking");
    case_move(&office, &base, &case, "forward", "已核对批次，请核实。").await;
    assert_eq!(
        standing(&state, &case).await,
        ("verifying".into(), Some("2026-10-26".into()))
    );

    // Tuesday the 13th the unit asks for materials; they come on Thursday the 15th through the
    // tracking page: two working days stood still.
    at(&state, datetime!(2026-10-13 02:00 UTC));
    let unit = signed_in(&base, "clerk").await;
    case_move(
        &unit,
        &base,
        &case,
        "request_materials",
        "请提供缴款凭证原件扫描件。",
    )
    .await;
    let tracked = text(&public, format!("{base}/track?code={code}")).await;
    assert!(
        tracked.contains("补正材料") && tracked.contains("缴款凭证"),
        "{tracked}"
    );
    at(&state, datetime!(2026-10-15 02:00 UTC));
    let token = form_token(&public, format!("{base}/track?code={code}"), "提交补正材料").await;
    let loc = post_multipart(
        &public,
        format!("{base}/track/supplement?code={code}"),
        &[("csrf_token", &token), ("text", "已上传缴款凭证。")],
        &[("supplement", "缴款凭证.pdf", PDF)],
    )
    .await;
    assert!(
        loc.starts_with("/track&code=") && !loc.contains("error"),
        "{loc}"
    );
    assert_eq!(
        standing(&state, &case).await,
        ("verifying".into(), Some("2026-10-28".into()))
    );
    assert_eq!(
        count(
            &state,
            "SELECT COUNT(*) FROM case_files WHERE purpose = 'supplement'"
        )
        .await,
        1
    );
    // One extension, with its reason: 10 more working days.
    let unit = signed_in(&base, "clerk").await;
    case_move(&unit, &base, &case, "extend", "需调取执法档案。").await;
    assert_eq!(
        standing(&state, &case).await.1.as_deref(),
        Some("2026-11-11")
    );
    let (s, _) = common::post_form(
        &unit,
        &base,
        "cases/move",
        &[("id", &case), ("code", "extend"), ("text", "再延")],
    )
    .await;
    assert_eq!(s, 409, "only once");

    // Friday the 16th: verified; the office replies on Monday the 19th.
    at(&state, datetime!(2026-10-16 02:00 UTC));
    let unit = signed_in(&base, "clerk").await;
    case_move(
        &unit,
        &base,
        &case,
        "verified",
        "经核实，决定书文号录入有误，已更正并重新报送。",
    )
    .await;
    assert_eq!(
        standing(&state, &case).await,
        ("replying".into(), Some("2026-10-20".into()))
    );
    at(&state, datetime!(2026-10-19 02:00 UTC));
    let office = signed_in(&base, "operator").await;
    case_move(
        &office,
        &base,
        &case,
        "reply",
        "您反映的问题属实，信息已由认定单位更正。",
    )
    .await;
    assert_eq!(standing(&state, &case).await, ("replied".into(), None));

    // The mark and the suspension end with the case; the applicant reads the reply.
    let html = text(&public, page).await;
    assert!(
        html.contains(&decision_no) && !html.contains("异议处理中"),
        "back on view"
    );
    let tracked = text(&public, format!("{base}/track?code={code}")).await;
    assert!(
        tracked.contains("已答复") && tracked.contains("已由认定单位更正"),
        "{tracked}"
    );
    // Notices: received, materials, result; the recipient only masked.
    let notices: Vec<(String, String)> =
        sqlx::query_as("SELECT template, recipient FROM case_notices ORDER BY id")
            .fetch_all(&state.db.pool)
            .await
            .unwrap();
    let templates: Vec<&str> = notices.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(
        templates,
        ["case.submitted", "case.materials", "case.result"]
    );
    assert!(notices.iter().all(|(_, to)| !to.contains("13807435678")));
    assert_eq!(
        count(
            &state,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'cases.objection.suspend_display'"
        )
        .await,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn complaints_and_cases_entered_by_staff() {
    let (state, base) = common::cases::seeded_on(datetime!(2026-12-07 02:00 UTC)).await;
    let public = common::client();
    // A complaint about the service names no record.
    let token = form_token(&public, format!("{base}/complaint/apply"), "投诉内容").await;
    let loc = post_multipart(
        &public,
        format!("{base}/complaint/submit"),
        &[
            ("csrf_token", &token),
            ("description", "信用报告下载页面在手机上打不开。"),
            ("name", "刘敏"),
            ("contact", "13907438888"),
        ],
        &[],
    )
    .await;
    assert!(loc.starts_with("/track") && loc.contains("new=1"), "{loc}");
    let (kind, record_kind, channel): (String, String, String) =
        sqlx::query_as("SELECT kind, record_kind, channel FROM cases ORDER BY id DESC LIMIT 1")
            .fetch_one(&state.db.pool)
            .await
            .unwrap();
    assert_eq!(
        (kind.as_str(), record_kind.as_str(), channel.as_str()),
        ("complaint", "none", "portal")
    );
    // Without a description it goes back with the field's message; nothing stored.
    let token = form_token(&public, format!("{base}/complaint/apply"), "投诉内容").await;
    let loc = post_multipart(
        &public,
        format!("{base}/complaint/submit"),
        &[
            ("csrf_token", &token),
            ("name", "刘敏"),
            ("contact", "13907431234"),
        ],
        &[],
    )
    .await;
    assert!(loc.starts_with("/complaint/apply&error="), "{loc}");
    assert_eq!(count(&state, "SELECT COUNT(*) FROM cases").await, 1);

    // The office enters an objection received by phone; the record is marked at once.
    let (record, _, subject, uscc) = displayed_penalty(&state, &base, "").await;
    let office = common::client();
    common::login_demo(&office, &base, "operator").await;
    let form = [
        ("form[kind]", "objection"),
        ("form[record]", record.as_str()),
        ("form[uscc]", uscc.as_str()),
        ("form[ground]", "overdue"),
        ("form[description]", "该处罚公示期已满仍在公示。"),
        ("form[name]", "赵军"),
        ("form[contact]", "0743-8221234"),
        ("form[channel]", "phone"),
    ];
    let body = call(&office, &base, "cases/enter", &form).await;
    assert!(
        body.trim_matches('"').len() == 16,
        "a tracking code: {body}"
    );
    let channel: String = sqlx::query_scalar("SELECT channel FROM cases ORDER BY id DESC LIMIT 1")
        .fetch_one(&state.db.pool)
        .await
        .unwrap();
    assert_eq!(channel, "phone");
    let html = text(&public, format!("{base}/credit/subject/{subject}")).await;
    assert!(html.contains("异议处理中"));
    // "Portal" is not a channel staff enter; a clerk does not enter cases at all.
    let mut portal = form;
    portal[7] = ("form[channel]", "portal");
    let (s, _) = common::post_form(&office, &base, "cases/enter", &portal).await;
    assert_eq!(s, 422);
    let unit = common::client();
    common::login_demo(&unit, &base, "clerk").await;
    let (s, _) = common::post_form(&unit, &base, "cases/enter", &form).await;
    assert_eq!(s, 403);
    // A second objection on the marked record is refused (the public form goes back with the reason).
    let (s, _) = common::post_form(&office, &base, "cases/enter", &form).await;
    assert_eq!(s, 409);
    assert_eq!(count(&state, "SELECT COUNT(*) FROM cases").await, 2);
}
