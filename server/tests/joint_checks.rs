//! The 联合奖惩 check and its feedback (issue 21, items 4 and 5; docs/domain.md §8). A clerk checks a
//! black-listed company for a matter of its unit and sees the entry and the matter's measures; the
//! check is logged (an ID number only encrypted, hashed and masked); feedback closes it; a check left
//! unanswered past its working days is chased in the unit's reminders and alarms the office, and the
//! alarm resolves once answered. The data API answers each refusal with its stable code, and an entry
//! whose removal date has passed is not a hit.
// Test code: a panic here is a failing test (clippy.toml allows these lints in #[test] functions;
// the helpers of an integration test crate are test code as well).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
#![allow(clippy::too_many_lines)]
mod common;
use common::cases::count;
use serde_json::{json, Value};
use sqlx::Row;
use time::macros::datetime;

/// A company on the black list in force today, alone on the lists: (entry id, payload, USCC, name).
async fn black_listed(state: &app::server::AppState) -> (i64, String, String, String) {
    let r = sqlx::query(
        "SELECT g.id, g.payload, s.uscc, s.name FROM generic_records g \
         JOIN data_classes dc ON dc.id = g.class_id JOIN subjects s ON s.id = g.subject_id \
         WHERE dc.code = 'black_list' AND g.published = 1 AND g.withdrawn = 0 AND s.uscc IS NOT NULL \
         AND g.payload LIKE '%\"status\":\"有效\"%' AND (SELECT COUNT(*) FROM generic_records o \
         JOIN data_classes oc ON oc.id = o.class_id WHERE o.subject_id = g.subject_id \
         AND oc.code IN ('red_list', 'black_list', 'watch_list')) = 1 ORDER BY g.id LIMIT 1",
    )
    .fetch_one(&state.db.pool)
    .await
    .expect("the demo has a black-listed company");
    (r.get("id"), r.get("payload"), r.get("uscc"), r.get("name"))
}

/// Puts a company that is on no list onto the red list (in force since 2026-01-05): its USCC.
async fn red_listed(state: &app::server::AppState) -> String {
    let r = sqlx::query(
        "SELECT s.id, s.name, s.uscc FROM subjects s WHERE s.kind = 'organisation' AND s.uscc IS NOT NULL \
         AND NOT EXISTS (SELECT 1 FROM generic_records g WHERE g.subject_id = s.id) ORDER BY s.id LIMIT 1",
    )
    .fetch_one(&state.db.pool)
    .await
    .unwrap();
    let (id, name, uscc): (i64, String, String) = (r.get("id"), r.get("name"), r.get("uscc"));
    let payload = json!({ "subject_name": name, "subject_uscc": uscc, "authority": "湘西州税务局",
        "basis": "纳税信用A级", "listed_on": "2026-01-05", "removed_on": "", "status": "有效" });
    sqlx::query(
        "INSERT INTO generic_records (public_id, class_id, subject_id, subject_name, dedupe_key, payload, \
         published, created_at, updated_at) SELECT 'test-red', id, $1, $2, 'test-red', $3, 1, \
         '2026-01-05T00:00:00Z', '2026-01-05T00:00:00Z' FROM data_classes WHERE code = 'red_list'",
    )
    .bind(id)
    .bind(&name)
    .bind(payload.to_string())
    .execute(&state.db.pool)
    .await
    .unwrap();
    uscc
}

async fn api(base: &str, key: &str, path: &str, body: Value) -> (u16, Value) {
    let r = reqwest::Client::new()
        .post(format!("{base}{path}"))
        .bearer_auth(key)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn key(state: &app::server::AppState, unit: &str, scopes: &[&str]) -> String {
    let id: i64 = sqlx::query("SELECT id FROM departments WHERE code = $1")
        .bind(unit)
        .fetch_one(&state.db.pool)
        .await
        .unwrap()
        .get("id");
    let scopes: Vec<String> = scopes.iter().map(|s| s.to_string()).collect();
    app::collect::service::api_keys::create(
        state,
        &app::server::audit::Actor::named("test"),
        id,
        "核查测试",
        &scopes,
        None,
    )
    .await
    .unwrap()
    .1
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clerk_checks_a_black_listed_company_and_closes_the_loop() {
    // Monday 2026-12-07, 10:00 in Beijing.
    let (state, base) = common::cases::seeded_on(datetime!(2026-12-07 02:00 UTC)).await;
    let (_, _, uscc, name) = black_listed(&state).await;
    let clerk = common::client();
    common::login_demo(&clerk, &base, "clerk").await;

    // The clerk (发改委) checks for its unit's matter; another unit's matter is refused, unlogged.
    let (status, body) = common::post_form(
        &clerk,
        &base,
        "joint/check",
        &[("matter", "XXFGW-001"), ("subject", &uscc)],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    let hits = v["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 1, "{body}");
    assert_eq!(hits[0]["list"], "black");
    assert!(!hits[0]["authority"].as_str().unwrap().is_empty());
    assert_eq!(v["subject_name"], name.as_str());
    let measures = v["measures"].as_array().unwrap();
    assert!(
        !measures.is_empty(),
        "the matter's black-list measures: {body}"
    );
    assert!(measures.iter().all(|m| m["list"] == "black"), "{body}");
    assert_eq!(v["feedback_due"], "2026-12-14", "five working days");
    let check_id = v["public_id"].as_str().unwrap().to_string();
    let (status, _) = common::post_form(
        &clerk,
        &base,
        "joint/check",
        &[("matter", "XXFHX-001"), ("subject", &uscc)],
    )
    .await;
    assert_eq!(status, 403, "another unit's matter");
    assert_eq!(count(&state, "SELECT COUNT(*) FROM joint_checks").await, 1);

    // A malformed code is named, nothing logged.
    let mut bad = uscc.clone();
    let last = if bad.ends_with('0') { '1' } else { '0' };
    bad.pop();
    bad.push(last);
    let (status, body) = common::post_form(
        &clerk,
        &base,
        "joint/check",
        &[("matter", "XXFGW-001"), ("subject", &bad)],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("USCC_CHECK_CHAR"), "{body}");
    assert_eq!(count(&state, "SELECT COUNT(*) FROM joint_checks").await, 1);

    // An ID number is logged encrypted, hashed and masked, never in clear.
    let id_number = app::rules::resident_id::compose(
        "433101",
        app::rules::date::Ymd::parse_iso("1980-05-06").unwrap(),
        7,
    );
    let (status, body) = common::post_form(
        &clerk,
        &base,
        "joint/check",
        &[("matter", "XXFGW-001"), ("subject", &id_number)],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(!body.contains(&id_number), "the answer shows it masked");
    let r = sqlx::query(
        "SELECT subject_kind, subject_shown, subject_id_enc, subject_id_hmac, hit_count, feedback_due \
         FROM joint_checks WHERE subject_kind = 'id_number'",
    )
    .fetch_one(&state.db.pool)
    .await
    .unwrap();
    let shown: String = r.get("subject_shown");
    assert!(
        shown.contains('*') && !shown.contains(&id_number[6..14]),
        "{shown}"
    );
    let enc: String = r.get("subject_id_enc");
    assert_eq!(state.secrets.decrypt_id(&enc).unwrap(), id_number);
    assert_eq!(
        r.get::<String, _>("subject_id_hmac"),
        state.secrets.id_hmac(&id_number)
    );
    assert_eq!(r.get::<i64, _>("hit_count"), 0);
    assert_eq!(
        r.get::<Option<String>, _>("feedback_due"),
        None,
        "no hits, no feedback"
    );
    let clear = format!(
        "SELECT COUNT(*) FROM joint_checks WHERE subject_shown || subject_name || hits || measures \
         || subject_id_enc || subject_id_hmac || checked_by LIKE '%{id_number}%'"
    );
    assert_eq!(
        count(&state, &clear).await,
        0,
        "no column holds the number in clear"
    );

    // The log lists both, the hit one awaiting feedback.
    let (status, body) = common::post_form(&clerk, &base, "joint/checks", &[("page", "1")]).await;
    assert_eq!(status, 200, "{body}");
    let log: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(log["total"], 2);
    assert_eq!(
        (log["awaiting"].as_i64(), log["overdue"].as_i64()),
        (Some(1), Some(0))
    );
    // Words of the subject's name find its check only.
    let (_, body) = common::post_form(
        &clerk,
        &base,
        "joint/checks",
        &[("page", "1"), ("filter[q]", &name)],
    )
    .await;
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()["total"],
        1,
        "{body}"
    );

    // Five working days later nothing is late; the sixth, the scan chases the unit and alarms the office.
    state.clock.set(datetime!(2026-12-14 10:00 UTC)).unwrap();
    let r = app::joint::service::feedback::scan(&state).await.unwrap();
    assert_eq!((r.chased, r.alarms), (0, 0));
    state.clock.set(datetime!(2026-12-15 02:00 UTC)).unwrap();
    let r = app::joint::service::feedback::scan(&state).await.unwrap();
    assert_eq!((r.chased, r.alarms), (1, 1));
    // A week later the clerk's session has timed out: signed in again.
    let clerk = common::client();
    common::login_demo(&clerk, &base, "clerk").await;
    let r = app::joint::service::feedback::scan(&state).await.unwrap();
    assert_eq!(r.chased, 0, "chased once");
    let link = format!("/console/joint/checks/{check_id}");
    assert_eq!(
        count(
            &state,
            &format!("SELECT COUNT(*) FROM reminders WHERE link = '{link}'")
        )
        .await,
        1
    );
    let open_alarm = "SELECT COUNT(*) FROM alarms WHERE alarm_key LIKE 'joint.feedback_overdue:%' AND status <> 'resolved'";
    assert_eq!(count(&state, open_alarm).await, 1);
    let (_, body) = common::post_form(
        &clerk,
        &base,
        "joint/checks",
        &[("page", "1"), ("filter[state]", "overdue")],
    )
    .await;
    let log: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        (log["total"].as_i64(), log["overdue"].as_i64()),
        (Some(1), Some(1)),
        "{body}"
    );

    // Feedback: a measure not offered, and no reason for not applying, are refused.
    let (status, body) = common::post_form(
        &clerk,
        &base,
        "joint/check_feedback",
        &[
            ("id", &check_id),
            ("feedback[applied]", "false"),
            ("feedback[result]", "已办结"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("REASON_REQUIRED"), "{body}");
    let first = measures[0]["code"].as_str().unwrap();
    let (status, body) = common::post_form(
        &clerk,
        &base,
        "joint/check_feedback",
        &[
            ("id", &check_id),
            ("feedback[applied]", "true"),
            ("feedback[measures][0]", first),
            ("feedback[result]", "不予受理"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = common::post_form(
        &clerk,
        &base,
        "joint/check_feedback",
        &[
            ("id", &check_id),
            ("feedback[applied]", "true"),
            ("feedback[measures][0]", first),
            ("feedback[result]", "再次"),
        ],
    )
    .await;
    assert_eq!(status, 409, "answered once");
    assert_eq!(
        count(&state, open_alarm).await,
        0,
        "the alarm resolved itself"
    );
    assert_eq!(
        count(
            &state,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'joint.check_feedback'"
        )
        .await,
        1
    );
    let (_, body) = common::post_form(&clerk, &base, "joint/check_get", &[("id", &check_id)]).await;
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["feedback"]["applied"], true);
    assert_eq!(v["feedback"]["measures"], json!([first]));
    assert_eq!(v["overdue"], false);

    // The office's statistics count both checks, the hit, its feedback and the measure applied; the
    // matters never checked and the units without a check this month show in 应查必查.
    let office = common::client();
    common::login_demo(&office, &base, "operator").await;
    let (status, body) = common::post_form(
        &office,
        &base,
        "joint/stats",
        &[("filter[from]", "2026-12-01")],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let st: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(st["total"]["checks"], 2, "{body}");
    let unit = st["by_unit"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["checks"] == 2)
        .unwrap();
    assert_eq!(
        (
            unit["hits"].as_i64(),
            unit["answered"].as_i64(),
            unit["applied"].as_i64(),
            unit["measures"].as_i64()
        ),
        (Some(1), Some(1), Some(1), Some(1)),
        "{body}"
    );
    assert_eq!(st["by_month"][0]["label"], "2026-12");
    let unchecked: Vec<&str> = st["unchecked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["code"].as_str().unwrap())
        .collect();
    assert!(
        unchecked.contains(&"XXFHX-001") && !unchecked.contains(&"XXFGW-001"),
        "{unchecked:?}"
    );
    let idle: Vec<&str> = st["idle"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["unit"].as_str().unwrap())
        .collect();
    assert!(
        !idle.is_empty() && !idle.iter().any(|u| u.contains("发展")),
        "{idle:?}"
    );
    let (status, _) = common::post_form(&clerk, &base, "joint/stats", &[]).await;
    assert_eq!(status, 403, "the statistics are the office's");
    // The office shortens the feedback deadline to 3 working days (audited); refused out of range.
    let (status, _) = common::post_form(
        &office,
        &base,
        "joint/feedback_days_save",
        &[("days", "31")],
    )
    .await;
    assert_eq!(status, 422);
    let (status, _) =
        common::post_form(&office, &base, "joint/feedback_days_save", &[("days", "3")]).await;
    assert_eq!(status, 200);
    assert_eq!(
        count(
            &state,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'joint.feedback_days.save'"
        )
        .await,
        1
    );
    let (_, body) = common::post_form(
        &clerk,
        &base,
        "joint/check",
        &[("matter", "XXFGW-001"), ("subject", &uscc)],
    )
    .await;
    let v: Value = serde_json::from_str(&body).unwrap();
    // Tuesday 2026-12-15 + 3 working days = Friday 2026-12-18.
    assert_eq!(v["feedback_due"], "2026-12-18", "{body}");
    let token = common::csrf_token(&office, &base).await;
    let r = office
        .post(format!("{base}/console/export/joint_stats.xlsx"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("from", "2026-12-01"),
            ("to", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.bytes().await.unwrap().starts_with(b"PK"));

    // The 凤凰县 clerk does not see the 发改委's check.
    let other = common::client();
    common::login_demo(&other, &base, "clerk2").await;
    let (status, _) =
        common::post_form(&other, &base, "joint/check_get", &[("id", &check_id)]).await;
    assert_eq!(status, 404);
    let (_, body) = common::post_form(&other, &base, "joint/checks", &[("page", "1")]).await;
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap()["total"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_checks_for_a_units_matters_with_stable_codes() {
    let (state, base) = common::cases::seeded_on(datetime!(2026-12-07 02:00 UTC)).await;
    let (entry, payload, uscc, _) = black_listed(&state).await;
    let fgw = key(&state, "fgw", &["check"]).await;
    let fhx = key(&state, "fhx", &["check"]).await;
    let no_scope = key(&state, "fgw", &["penalty"]).await;
    let ask = |matter: &str, subject: &str| json!({ "matter": matter, "subject": subject });
    let code = |v: &Value| v["error"]["code"].as_str().unwrap_or_default().to_string();

    // Each refusal with its code; nothing logged.
    let (s, v) = api(
        &base,
        "xxc_nothing_here",
        "/api/v1/checks",
        ask("XXFGW-001", &uscc),
    )
    .await;
    assert_eq!((s, code(&v)), (401, "UNAUTHORIZED".into()));
    let (s, v) = api(&base, &no_scope, "/api/v1/checks", ask("XXFGW-001", &uscc)).await;
    assert_eq!((s, code(&v)), (403, "SCOPE_MISSING".into()));
    let (s, v) = api(&base, &fhx, "/api/v1/checks", ask("XXFGW-001", &uscc)).await;
    assert_eq!((s, code(&v)), (403, "MATTER_OTHER_DEPARTMENT".into()));
    let (s, v) = api(&base, &fgw, "/api/v1/checks", ask("NO-SUCH", &uscc)).await;
    assert_eq!((s, code(&v)), (404, "MATTER_UNKNOWN".into()));
    let mut bad = uscc.clone();
    let last = if bad.ends_with('0') { '1' } else { '0' };
    bad.pop();
    bad.push(last);
    let (s, v) = api(&base, &fgw, "/api/v1/checks", ask("XXFGW-001", &bad)).await;
    assert_eq!((s, code(&v)), (422, "VALIDATION".into()), "{v}");
    assert_eq!(v["error"]["fields"][0]["field"], "subject");
    assert_eq!(v["error"]["fields"][0]["code"], "USCC_CHECK_CHAR", "{v}");
    let (s, v) = api(&base, &fgw, "/api/v1/checks", ask("XXFGW-001", "某")).await;
    assert_eq!(
        (s, v["error"]["fields"][0]["code"].as_str()),
        (422, Some("SUBJECT_NAME_INVALID")),
        "{v}"
    );
    let (s, v) = api(&base, &fgw, "/api/v1/checks", json!({ "matter": 7 })).await;
    assert_eq!((s, code(&v)), (422, "VALIDATION".into()));
    assert_eq!(v["error"]["fields"][0]["code"], "BAD_JSON");
    assert_eq!(count(&state, "SELECT COUNT(*) FROM joint_checks").await, 0);

    // A hit, with the matter's measures and a check id for the feedback.
    let (s, v) = api(&base, &fgw, "/api/v1/checks", ask("XXFGW-001", &uscc)).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["hits"].as_array().unwrap().len(), 1);
    assert!(!v["measures"].as_array().unwrap().is_empty());
    let id = v["check_id"].as_str().unwrap().to_string();
    let feedback = format!("/api/v1/checks/{id}/feedback");
    let (s, v) = api(
        &base,
        &fhx,
        &feedback,
        json!({ "applied": true, "result": "x" }),
    )
    .await;
    assert_eq!(
        (s, code(&v)),
        (404, "NOT_FOUND".into()),
        "another unit's check"
    );
    let (s, v) = api(
        &base,
        &fgw,
        &feedback,
        json!({ "applied": false, "result": "容缺受理" }),
    )
    .await;
    assert_eq!((s, code(&v)), (422, "VALIDATION".into()));
    let (s, v) = api(
        &base,
        &fgw,
        &feedback,
        json!({ "applied": false, "result": "容缺受理", "reason": "申请人已履行处罚决定，正在信用修复中" }),
    )
    .await;
    assert_eq!((s, v["recorded"].clone()), (200, json!(true)), "{v}");
    let (s, v) = api(
        &base,
        &fgw,
        &feedback,
        json!({ "applied": false, "result": "x", "reason": "y" }),
    )
    .await;
    assert_eq!((s, code(&v)), (409, "CONFLICT".into()));

    // A red-listed company: the matter's incentives, answered the same way.
    let red = red_listed(&state).await;
    let (s, v) = api(&base, &fgw, "/api/v1/checks", ask("XXFGW-001", &red)).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["hits"][0]["list"], "red", "{v}");
    let incentives = v["measures"].as_array().unwrap();
    assert!(!incentives.is_empty(), "{v}");
    assert!(
        incentives
            .iter()
            .all(|m| m["kind"] == "reward" && m["list"] == "red"),
        "{v}"
    );

    // The entry's removal date passes: no longer a hit, even before the daily job marks it.
    let mut p: Value = serde_json::from_str(&payload).unwrap();
    p["removed_on"] = "2026-12-07".into();
    sqlx::query("UPDATE generic_records SET payload = $1 WHERE id = $2")
        .bind(p.to_string())
        .bind(entry)
        .execute(&state.db.pool)
        .await
        .unwrap();
    let (s, v) = api(&base, &fgw, "/api/v1/checks", ask("XXFGW-001", &uscc)).await;
    assert_eq!(s, 200);
    assert_eq!(v["hits"], json!([]), "{v}");
    assert_eq!(v["measures"], json!([]));
    assert_eq!(v["feedback_due"], Value::Null);

    // The checks are in the OpenAPI document.
    let doc: Value = reqwest::get(format!("{base}/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["paths"]["/api/v1/checks"]["post"].is_object());
    assert!(doc["paths"]["/api/v1/checks/{id}/feedback"]["post"].is_object());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_check_stages_checks_and_downloads_its_results() {
    let (state, base) = common::cases::seeded_on(datetime!(2026-12-07 02:00 UTC)).await;
    let (_, _, uscc, name) = black_listed(&state).await;
    let clerk = common::client();
    common::login_demo(&clerk, &base, "clerk").await;
    let id_number = app::rules::resident_id::compose(
        "433101",
        app::rules::date::Ymd::parse_iso("1975-01-02").unwrap(),
        9,
    );
    let rows: Vec<Vec<String>> = vec![
        vec!["1".into(), uscc.clone(), String::new()],
        vec!["2".into(), "91433101XXXXXXXXX0".into(), String::new()],
        vec!["3".into(), String::new(), String::new()],
        vec!["4".into(), String::new(), id_number.clone()],
        vec!["5".into(), String::new(), "湘西州某某无记录有限公司".into()],
    ];
    let file = server::http::export::xlsx("名单", &["序号", "统一社会信用代码", "核查对象"], &rows)
        .unwrap();
    let token = common::csrf_token(&clerk, &base).await;
    let post = |matter: &str, bytes: Vec<u8>| {
        let form = reqwest::multipart::Form::new()
            .text("csrf_token", token.clone())
            .text("matter", matter.to_string())
            .part(
                "file",
                reqwest::multipart::Part::bytes(bytes).file_name("名单.xlsx"),
            );
        clerk
            .post(format!("{base}/console/joint/check/batch"))
            .header("accept", "text/html")
            .multipart(form)
            .send()
    };
    // Another unit's matter is refused; a sheet without a subject column is sent back with the reason.
    assert_eq!(post("XXFHX-001", file.clone()).await.unwrap().status(), 403);
    let bare = server::http::export::xlsx("名单", &["序号"], &[vec!["1".into()]]).unwrap();
    let r = post("XXFGW-001", bare).await.unwrap();
    assert_eq!(r.status(), 303);
    let to = common::cases::decoded(r.headers()["location"].to_str().unwrap());
    // (`decoded` writes the query's `?` as `&`.)
    assert!(
        to.starts_with("/console/joint/check&error=") && to.contains("统一社会信用代码"),
        "{to}"
    );
    assert_eq!(
        count(&state, "SELECT COUNT(*) FROM joint_check_batches").await,
        0
    );

    let r = post("XXFGW-001", file).await.unwrap();
    assert_eq!(r.status(), 303);
    let to = r.headers()["location"].to_str().unwrap().to_string();
    let public_id = to
        .strip_prefix("/console/joint/batches/")
        .unwrap()
        .to_string();
    // Staged: four subjects (the empty row skipped), one of them faulty; the ID number only encrypted.
    let staged = "SELECT COUNT(*) FROM joint_check_batch_rows";
    assert_eq!(count(&state, staged).await, 4);
    assert_eq!(
        count(&state, &format!("SELECT COUNT(*) FROM joint_check_batch_rows WHERE subject_value || subject_shown LIKE '%{id_number}%'")).await,
        0
    );
    let (_, body) =
        common::post_form(&clerk, &base, "joint/check_batch", &[("id", &public_id)]).await;
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        (
            v["status"].as_str(),
            v["rows_total"].as_i64(),
            v["rows_faulty"].as_i64()
        ),
        (Some("queued"), Some(4), Some(1)),
        "{body}"
    );

    let batch_id: i64 = sqlx::query("SELECT id FROM joint_check_batches WHERE public_id = $1")
        .bind(&public_id)
        .fetch_one(&state.db.pool)
        .await
        .unwrap()
        .get("id");
    app::joint::service::batch::run(&state, batch_id)
        .await
        .unwrap();
    let (_, body) =
        common::post_form(&clerk, &base, "joint/check_batch", &[("id", &public_id)]).await;
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        (
            v["status"].as_str(),
            v["rows_done"].as_i64(),
            v["rows_hit"].as_i64()
        ),
        (Some("done"), Some(3), Some(1)),
        "{body}"
    );
    assert_eq!(
        count(
            &state,
            "SELECT COUNT(*) FROM joint_checks WHERE channel = 'batch'"
        )
        .await,
        3
    );
    assert_eq!(
        count(
            &state,
            "SELECT COUNT(*) FROM joint_check_batch_rows WHERE fault IS NULL"
        )
        .await,
        0
    );

    // The results, in the sheet's order, the faulty row with its reason.
    let r = clerk
        .get(format!(
            "{base}/console/joint/batches/{public_id}/results.xlsx"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let bytes = r.bytes().await.unwrap();
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    use calamine::Reader;
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let cells: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(cells.len(), 5, "{cells:?}");
    assert_eq!(cells[1][0], "2");
    assert_eq!(cells[1][2], name);
    assert!(cells[1][3].starts_with("命中"), "{cells:?}");
    assert!(cells[2][3].starts_with("未核查："), "{cells:?}");
    assert!(
        !cells[3][1].contains(&id_number) && cells[3][1].contains('*'),
        "{cells:?}"
    );
    assert_eq!(cells[4][3], "未命中");

    // The 凤凰县 clerk sees neither the batch nor its results.
    let other = common::client();
    common::login_demo(&other, &base, "clerk2").await;
    let r = other
        .get(format!(
            "{base}/console/joint/batches/{public_id}/results.xlsx"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_embedded_page_is_framed_only_where_the_unit_allows() {
    let (state, base) = common::cases::seeded_on(datetime!(2026-12-07 02:00 UTC)).await;
    let (_, _, uscc, _) = black_listed(&state).await;
    let fgw = key(&state, "fgw", &["check"]).await;
    let no_scope = key(&state, "fgw", &["penalty"]).await;
    let (s, v) = api(
        &base,
        &no_scope,
        "/api/v1/embed-tickets",
        json!({ "handler": "张三" }),
    )
    .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (403, Some("SCOPE_MISSING"))
    );
    let (s, v) = api(
        &base,
        &fgw,
        "/api/v1/embed-tickets",
        json!({ "handler": " " }),
    )
    .await;
    assert_eq!(
        (s, v["error"]["fields"][0]["code"].as_str()),
        (422, Some("HANDLER_REQUIRED"))
    );
    let (s, v) = api(
        &base,
        &fgw,
        "/api/v1/embed-tickets",
        json!({ "handler": "张三" }),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let ticket = v["ticket"].as_str().unwrap().to_string();

    let plain = common::plain_client();
    let open = |matter: &str, ticket: &str| {
        plain
            .get(format!(
                "{base}/embed/check?matter={matter}&ticket={ticket}"
            ))
            .send()
    };
    let csp = |r: &reqwest::Response| {
        r.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string()
    };
    // No origin registered yet: the page answers but may not be framed anywhere.
    let r = open("XXFGW-001", &ticket).await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(csp(&r).contains("frame-ancestors 'none'"), "{}", csp(&r));
    // The office registers the unit's system; the page may be framed there, and only there.
    let office = common::client();
    common::login_demo(&office, &base, "operator").await;
    let unit: String = sqlx::query("SELECT public_id FROM departments WHERE code = 'fgw'")
        .fetch_one(&state.db.pool)
        .await
        .unwrap()
        .get("public_id");
    let (status, body) = common::post_form(
        &office,
        &base,
        "joint/embed_origins_save",
        &[("unit", &unit), ("origins", "zwfw.example")],
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let (status, _) = common::post_form(
        &office,
        &base,
        "joint/embed_origins_save",
        &[("unit", &unit), ("origins", "https://zwfw.example:8443/")],
    )
    .await;
    assert_eq!(status, 200);
    let r = open("XXFGW-001", &ticket).await.unwrap();
    assert!(
        csp(&r).contains("frame-ancestors https://zwfw.example:8443;")
            || csp(&r).ends_with("frame-ancestors https://zwfw.example:8443"),
        "{}",
        csp(&r)
    );
    assert!(r.headers().get("x-frame-options").is_none());
    assert_eq!(r.headers()["referrer-policy"], "same-origin");
    // Every other page still refuses framing.
    let home = plain.get(format!("{base}/")).send().await.unwrap();
    assert_eq!(home.headers()["x-frame-options"], "DENY");
    // A forged ticket, or another unit's matter, opens nothing.
    assert_eq!(open("XXFGW-001", "xxt_forged").await.unwrap().status(), 401);
    assert_eq!(open("XXFHX-001", &ticket).await.unwrap().status(), 403);

    // A check from the page is logged for the ticket's handler.
    let r = plain
        .post(format!("{base}/embed/check"))
        .header("accept", "text/html")
        .form(&[
            ("ticket", ticket.as_str()),
            ("matter", "XXFGW-001"),
            ("subject", uscc.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("data-hits=\"1\"") && html.contains("应采取的措施"),
        "{html}"
    );
    let (who, channel): (String, String) =
        sqlx::query_as("SELECT checked_by, channel FROM joint_checks")
            .fetch_one(&state.db.pool)
            .await
            .unwrap();
    assert_eq!((who.as_str(), channel.as_str()), ("张三", "embed"));
    // A malformed subject is named on the page; nothing more is logged.
    let r = plain
        .post(format!("{base}/embed/check"))
        .header("accept", "text/html")
        .form(&[
            ("ticket", ticket.as_str()),
            ("matter", "XXFGW-001"),
            ("subject", "91433101XXXXXXXXX0"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("统一社会信用代码有误"));
    assert_eq!(count(&state, "SELECT COUNT(*) FROM joint_checks").await, 1);
    // The script frames the page.
    let js = plain
        .get(format!("{base}/embed/check.js"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(js.contains("/embed/check?matter="));
}
