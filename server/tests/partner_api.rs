//! The partner API (issue 22, item 4; docs/domain.md §12) over HTTP against the real router: a key
//! reads only the classes of its `read:<class>` scopes (403 `SCOPE_MISSING` otherwise) and sees what
//! the public sees; the change feed gives a penalty's publication and withdrawal in order, the
//! withdrawn one no longer on display; a report is issued for a service matter and logged as a pull
//! by the key; a key over its rate limit is answered 429 with `Retry-After`; every request is in the
//! key's access log with its status and rows.
// Test code: a panic here is a failing test (clippy.toml allows these lints in #[test] functions;
// the helpers of an integration test crate are test code as well).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod common;
use app::collect::service::api_keys;
use app::server::AppState;
use common::collect::{code, scalar, setup, Unit};
use common::province::{publish_penalty, withdraw_penalty, DECISION_NO};
use serde_json::Value;
use std::time::{Duration, Instant};

async fn key(
    state: &AppState,
    unit: &Unit,
    name: &str,
    scopes: &[&str],
    rate: Option<i64>,
) -> String {
    let scopes: Vec<String> = scopes.iter().map(|s| s.to_string()).collect();
    api_keys::create(
        state,
        &app::server::audit::Actor::named("test"),
        unit.id,
        name,
        &scopes,
        rate,
    )
    .await
    .expect("key")
    .1
}

/// GET with a key: status and JSON body.
async fn get(base: &str, path: &str, key: Option<&str>) -> (u16, Value) {
    let mut r = common::plain_client().get(format!("{base}{path}"));
    if let Some(k) = key {
        r = r.bearer_auth(k);
    }
    let r = r.send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

fn error_code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or("")
}

/// Waits until the access log holds at least `n` rows of the key with prefix `prefix` (it is written
/// beside the requests, in the background).
async fn access_rows(state: &AppState, prefix: &str, n: i64) -> i64 {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let have = scalar(
            state,
            &format!(
                "SELECT COUNT(*) FROM api_access_log a JOIN api_keys k ON k.id = a.key_id WHERE k.prefix = '{prefix}'"
            ),
        )
        .await;
        if have >= n || Instant::now() > deadline {
            return have;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn prefix_of(key: &str) -> String {
    key.split('_').nth(1).unwrap().to_string()
}

/// A seeded platform with the test penalty published and served: (state, unit, base URL, its id).
async fn start() -> (AppState, Unit, String, i64) {
    let (state, unit) = setup().await;
    let id = publish_penalty(&state, &unit, "生产不合格产品").await;
    let base = common::serve(state.clone()).await;
    (state, unit, base, id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_reads_only_the_classes_it_is_scoped_to_and_each_read_is_logged() {
    let (state, unit, base, _) = start().await;
    let penalties = key(&state, &unit, "智慧办处罚读取", &["read:penalty"], None).await;
    let licences = key(&state, &unit, "智慧办许可读取", &["read:licence"], None).await;
    let submit_only = key(&state, &unit, "处罚报送", &["penalty"], None).await;
    let uscc = code(77);

    // The records of a class the key reads: the penalty, as the public sees it.
    let records = format!("/api/v1/subjects/{uscc}/records?class=penalty");
    let (status, body) = get(&base, &records, Some(&penalties)).await;
    assert_eq!(status, 200, "{body}");
    let found = body["records"].as_array().unwrap();
    assert_eq!(found.len(), 1, "{body}");
    assert_eq!(found[0]["decision_no"], DECISION_NO);
    assert_eq!(body["subject"]["uscc"], uscc.as_str());

    // A class the key does not read, a key that only submits, no key at all.
    let (status, body) = get(&base, &records, Some(&licences)).await;
    assert_eq!(
        (status, error_code(&body)),
        (403, "SCOPE_MISSING"),
        "{body}"
    );
    let (status, body) = get(&base, &records, Some(&submit_only)).await;
    assert_eq!(
        (status, error_code(&body)),
        (403, "SCOPE_MISSING"),
        "{body}"
    );
    let subject = format!("/api/v1/subjects/{uscc}");
    let (status, body) = get(&base, &subject, Some(&submit_only)).await;
    assert_eq!(
        (status, error_code(&body)),
        (403, "SCOPE_MISSING"),
        "{body}"
    );
    let (status, _) = get(&base, &records, None).await;
    assert_eq!(status, 401);
    // A wrong code names the field; an unknown class is not found.
    let (status, body) = get(
        &base,
        "/api/v1/subjects/91433101MA4L0A0K1Z",
        Some(&penalties),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "uscc", "{body}");
    let unknown = format!("/api/v1/subjects/{uscc}/records?class=no_such_class");
    let (status, _) = get(&base, &unknown, Some(&penalties)).await;
    assert_eq!(status, 404);

    // The subject lists the classes the key reads, and only those.
    let (status, body) = get(&base, &subject, Some(&penalties)).await;
    assert_eq!(status, 200, "{body}");
    let classes = body["classes"].as_array().unwrap();
    assert_eq!(classes.len(), 1, "{body}");
    assert_eq!(
        (classes[0]["class"].as_str(), classes[0]["count"].as_i64()),
        (Some("penalty"), Some(1))
    );

    // The access log: every request of the reading key, refusals included, with its rows.
    let reader = prefix_of(&penalties);
    assert_eq!(access_rows(&state, &reader, 4).await, 4);
    let rows_of = |status: i64, path: &str| {
        format!(
            "SELECT COALESCE(MAX(a.rows_out), -1) FROM api_access_log a JOIN api_keys k ON k.id = a.key_id \
             WHERE k.prefix = '{reader}' AND a.status = {status} AND a.path = '{path}' AND a.method = 'GET'"
        )
    };
    assert_eq!(scalar(&state, &rows_of(200, &records)).await, 1);
    assert_eq!(scalar(&state, &rows_of(404, &unknown)).await, 0);
    assert_eq!(
        scalar(&state, &rows_of(422, "/api/v1/subjects/91433101MA4L0A0K1Z")).await,
        0
    );
    // The refusals of the other keys are theirs; a request without a key is no key's.
    assert_eq!(access_rows(&state, &prefix_of(&licences), 1).await, 1);
    assert_eq!(
        scalar(
            &state,
            "SELECT COUNT(*) FROM api_access_log WHERE status = 401"
        )
        .await,
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_change_feed_gives_a_publication_then_its_withdrawal_off_display() {
    let (state, unit, base, id) = start().await;
    let penalties = key(&state, &unit, "智慧办镜像", &["read:penalty"], None).await;
    let licences = key(&state, &unit, "许可镜像", &["read:licence"], None).await;
    let (status, body) = get(
        &base,
        "/api/v1/changes?after=0&limit=1000",
        Some(&penalties),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let changes = body["changes"].as_array().unwrap();
    assert!(changes.iter().all(|c| c["class"] == "penalty"), "{body}");
    let ours: Vec<&Value> = changes
        .iter()
        .filter(|c| c["record"]["decision_no"] == DECISION_NO)
        .collect();
    assert_eq!(ours.len(), 1, "{body}");
    assert_eq!(
        (ours[0]["action"].as_str(), ours[0]["on_display"].as_bool()),
        (Some("create"), Some(true))
    );
    let cursor = body["next_cursor"].as_i64().unwrap();
    assert!(cursor > 0);
    // Paging: one at a time, each after the last, the same changes in the same order.
    let (_, first) = get(&base, "/api/v1/changes?after=0&limit=1", Some(&penalties)).await;
    assert_eq!(first["changes"].as_array().unwrap().len(), 1);
    assert_eq!(first["more"], changes.len() > 1);
    assert_eq!(first["changes"][0]["cursor"], changes[0]["cursor"]);

    withdraw_penalty(&state, id).await;
    let after = format!("/api/v1/changes?after={cursor}");
    let (status, body) = get(&base, &after, Some(&penalties)).await;
    assert_eq!(status, 200, "{body}");
    let next = body["changes"].as_array().unwrap();
    assert_eq!(next.len(), 1, "{body}");
    assert_eq!(next[0]["action"], "withdraw");
    assert_eq!(next[0]["on_display"], false);
    assert!(next[0]["record"].is_null());
    assert_eq!(body["more"], false);
    assert!(body["next_cursor"].as_i64().unwrap() > cursor);

    // A licence reader is not shown the penalty's changes; a wrong cursor names its parameter.
    let (_, body) = get(&base, "/api/v1/changes?after=0&limit=1000", Some(&licences)).await;
    let theirs = body["changes"].as_array().unwrap();
    assert!(theirs.iter().all(|c| c["class"] == "licence"), "{body}");
    let (status, body) = get(&base, "/api/v1/changes?after=-1", Some(&penalties)).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "after");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_for_a_service_matter_is_issued_and_logged_as_the_keys_pull() {
    let (state, unit, base, _) = start().await;
    let reader = key(&state, &unit, "只读", &["read:penalty"], None).await;
    let reporter = key(&state, &unit, "智慧办报告", &["report"], None).await;
    let report = serde_json::json!({
        "subject": code(77), "matter": "政府采购供应商资格审查", "applicant": "湘西州政务服务中心", "purpose": "政府采购",
    });
    let post = |key: String, body: Value| {
        let base = base.clone();
        async move {
            let r = common::plain_client()
                .post(format!("{base}/api/v1/reports"))
                .bearer_auth(key)
                .json(&body)
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        }
    };
    let (status, body) = post(reader.clone(), report.clone()).await;
    assert_eq!(
        (status, error_code(&body)),
        (403, "SCOPE_MISSING"),
        "{body}"
    );
    // No matter: the field is named.
    let mut no_matter = report.clone();
    no_matter["matter"] = "".into();
    let (status, body) = post(reporter.clone(), no_matter).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "matter", "{body}");

    let (status, body) = post(reporter.clone(), report).await;
    assert_eq!(status, 201, "{body}");
    let serial = body["serial"].as_str().unwrap();
    assert_eq!(
        scalar(
            &state,
            &format!(
                "SELECT COUNT(*) FROM credit_reports WHERE serial = '{serial}' AND channel = 'api' \
                 AND department_id = {} AND matter = '政府采购供应商资格审查'",
                unit.id
            ),
        )
        .await,
        1
    );
    assert_eq!(
        scalar(
            &state,
            &format!(
                "SELECT COUNT(*) FROM audit_events WHERE action = 'credit.report.pull' AND object_id = '{serial}' \
                 AND actor_name = 'apikey:{}'",
                prefix_of(&reporter)
            ),
        )
        .await,
        1
    );
    let pdf = common::plain_client()
        .get(format!("{base}{}", body["download"].as_str().unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status().as_u16(), 200);
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_over_its_rate_is_answered_429_with_retry_after() {
    let (state, unit) = setup().await;
    let slow = key(&state, &unit, "限流测试", &["read:penalty"], Some(3)).await;
    let other = key(&state, &unit, "另一系统", &["read:penalty"], None).await;
    let base = common::serve(state.clone()).await;
    let path = "/api/v1/changes?after=0&limit=1";
    for _ in 0..3 {
        let (status, body) = get(&base, path, Some(&slow)).await;
        assert_eq!(status, 200, "{body}");
    }
    let r = common::plain_client()
        .get(format!("{base}{path}"))
        .bearer_auth(&slow)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 429);
    // Three a minute: the next request is allowed some 20 seconds later.
    let wait: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=20).contains(&wait), "Retry-After: {wait}");
    let body: Value = r.json().await.unwrap();
    assert_eq!(error_code(&body), "RATE_LIMITED");
    // Another key keeps its own allowance.
    let (status, _) = get(&base, path, Some(&other)).await;
    assert_eq!(status, 200);
    // The refusal is in the key's access log.
    let prefix = prefix_of(&slow);
    assert_eq!(access_rows(&state, &prefix, 4).await, 4);
    assert_eq!(
        scalar(
            &state,
            &format!(
                "SELECT COUNT(*) FROM api_access_log a JOIN api_keys k ON k.id = a.key_id \
                 WHERE k.prefix = '{prefix}' AND a.status = 429"
            ),
        )
        .await,
        1
    );
}

/// The security admin reads the access log and exports it; nobody else may.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_security_admin_reads_and_exports_the_access_log() {
    let (state, unit) = setup().await;
    let reader = key(&state, &unit, "智慧办", &["read:penalty"], None).await;
    let base = common::serve(state.clone()).await;
    let (status, _) = get(&base, "/api/v1/changes", Some(&reader)).await;
    assert_eq!(status, 200);
    access_rows(&state, &prefix_of(&reader), 1).await;

    let admin = common::client();
    common::login_demo(&admin, &base, "secadmin").await;
    let (status, text) = common::post_form(&admin, &base, "partner/access_log", &[]).await;
    assert_eq!(status, 200, "{text}");
    let page: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(page["rows"][0]["path"], "/api/v1/changes", "{text}");
    assert_eq!(page["usage"][0]["requests"], 1, "{text}");
    let token = common::csrf_token(&admin, &base).await;
    let r = admin
        .post(format!("{base}/console/export/api_access.xlsx"))
        .form(&[("csrf_token", token.as_str()), ("key", &prefix_of(&reader))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let bytes = r.bytes().await.unwrap();
    assert!(bytes.starts_with(b"PK"), "an XLSX file");
    assert_eq!(
        scalar(
            &state,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'export' \
             AND object_id = '/console/export/api_access.xlsx'"
        )
        .await,
        1
    );

    let operator = common::client();
    common::login_demo(&operator, &base, "operator").await;
    let (status, _) = common::post_form(&operator, &base, "partner/access_log", &[]).await;
    assert_eq!(status, 403);
}

/// An answered check is logged once, in the check log, and the access log reads it there; a refused
/// check has its own access line.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_keys_answered_checks_are_read_from_the_check_log() {
    let (state, unit, base, _) = start().await;
    let checker = key(&state, &unit, "政务服务系统", &["check"], None).await;
    let reader = key(&state, &unit, "只读系统", &["read:penalty"], None).await;
    let check = |key: String| {
        let base = base.clone();
        async move {
            common::plain_client()
                .post(format!("{base}/api/v1/checks"))
                .bearer_auth(key)
                .json(&serde_json::json!({"matter": "XXSCJG-001", "subject": code(77)}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(check(checker.clone()).await, 200);
    assert_eq!(check(reader.clone()).await, 403);
    assert_eq!(access_rows(&state, &prefix_of(&reader), 1).await, 1);
    // Nothing of the answered check in the log's own table …
    assert_eq!(
        scalar(
            &state,
            &format!(
                "SELECT COUNT(*) FROM api_access_log a JOIN api_keys k ON k.id = a.key_id WHERE k.prefix = '{}'",
                prefix_of(&checker)
            ),
        )
        .await,
        0
    );
    // … yet the security admin reads it, from the check log.
    let admin = common::client();
    common::login_demo(&admin, &base, "secadmin").await;
    let (status, text) = common::post_form(
        &admin,
        &base,
        "partner/access_log",
        &[("filter[key]", prefix_of(&checker).as_str())],
    )
    .await;
    assert_eq!(status, 200, "{text}");
    let page: Value = serde_json::from_str(&text).unwrap();
    let rows = page["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{text}");
    assert_eq!(
        (
            rows[0]["method"].as_str(),
            rows[0]["path"].as_str(),
            rows[0]["status"].as_i64(),
            rows[0]["millis"].as_i64()
        ),
        (Some("POST"), Some("/api/v1/checks"), Some(200), Some(-1))
    );
    assert_eq!(page["usage"][0]["requests"], 1, "{text}");
}
