//! Credit commitments (issue 20 item 3) over HTTP: a subject commits online without JavaScript, the
//! accepting unit confirms the batch, the commitment is on the public list (filters find what they
//! should and nothing else) and the subject page; the unit marks it 未履约 — a new version of the same
//! record, shown as a negative record — while another unit's clerk is refused; bad input is answered
//! per field in Chinese; 承诺即公示 as a setting; the repair commitment inside a caller's transaction.
// Test code: a panic here is a failing test (clippy.toml allows these lints in #[test] functions;
// the helpers of an integration test crate are test code as well).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
// Long scenario tests read top to bottom, one step after the other.
#![allow(clippy::too_many_lines)]
mod common;
use app::commitments::rules::{template, BREACH_LABEL};
use app::credit::model::ListFilters;
use app::credit::service::lists;
use app::server::AppState;
use server::seed::{seed_demo, SeedOptions};
use sqlx::Row;

const FORM: &str = "application/x-www-form-urlencoded";
const MIAOXIU: &str = "凤凰县沱江苗绣工艺品有限公司";
const CANYIN: &str = "吉首市乾州古城餐饮管理有限公司";

fn enc(s: &str) -> String {
    app::ui::url::encode(s)
}

fn uscc(serial: u64) -> String {
    app::rules::uscc::compose('9', '1', "433123", serial)
}

async fn seeded(extra: &[(&str, &str)]) -> (AppState, String) {
    let url = common::fresh_database_url().await;
    let mut vars = vec![("APP_COMMITMENT_RATE_PER_HOUR", "1000")];
    vars.extend_from_slice(extra);
    let config = common::test_config_with(&url, &vars);
    let state = common::state_with_config(config, app::server::clock::Clock::adjustable()).await;
    let opts = SeedOptions {
        subjects: 5,
        seed: 3,
        as_of: state.clock.today(),
    };
    seed_demo(&state, &opts, |_, _| {}).await.expect("seed");
    // The demo's own commitments (server/src/seed/commitments.rs) are there; these tests count their own.
    let demo: i64 = sqlx::query(
        "SELECT COUNT(*) FROM generic_records WHERE class_id = (SELECT id FROM data_classes WHERE code = 'commitment')",
    )
    .fetch_one(&state.db.pool)
    .await
    .unwrap()
    .get(0);
    assert!(demo >= 1, "the demo seeds commitments");
    sqlx::query(
        "DELETE FROM generic_records WHERE class_id = (SELECT id FROM data_classes WHERE code = 'commitment')",
    )
    .execute(&state.db.pool)
    .await
    .unwrap();
    let base = common::serve(state.clone()).await;
    (state, base)
}

/// The code and name of a demo user's unit.
async fn unit_of(state: &AppState, username: &str) -> (String, String) {
    let r = sqlx::query(
        "SELECT d.code, d.name FROM users u JOIN departments d ON d.id = u.department_id WHERE u.username = $1",
    )
    .bind(username)
    .fetch_one(&state.db.pool)
    .await
    .unwrap();
    (r.get("code"), r.get("name"))
}

fn commitment(code: &str, name: &str, kind: &str, unit: &str) -> String {
    format!(
        "uscc={code}&name={}&kind={}&matter=&text={}&contact={}&unit={}",
        enc(name),
        enc(kind),
        enc(&template(kind, name, "")),
        enc("0743-8221234"),
        enc(unit)
    )
}

/// Commits without JavaScript: a plain form post with the CSRF token, answered by a redirect to the
/// page that says what happens next. Returns the batch reference.
async fn commit_without_script(citizen: &reqwest::Client, base: &str, body: &str) -> String {
    let token = common::csrf_token(citizen, base).await;
    let r = citizen
        .post(format!("{base}/api/commitments/submit"))
        .header("content-type", FORM)
        .header("accept", "text/html")
        .body(format!("{body}&csrf_token={token}"))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_redirection(), "{}", r.status());
    let location = r.headers()["location"].to_str().unwrap().to_string();
    let reference = location
        .strip_prefix("/commitments/submitted?ref=")
        .and_then(|s| s.split('&').next())
        .unwrap_or_else(|| panic!("redirect to the answer page: {location}"))
        .to_string();
    let html = citizen
        .get(format!("{base}{location}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("信用承诺已提交") && html.contains(&reference),
        "{html}"
    );
    reference
}

async fn call(c: &reqwest::Client, base: &str, endpoint: &str, body: String) -> (u16, String) {
    let r = c
        .post(format!("{base}/api/{endpoint}"))
        .header("content-type", FORM)
        .body(body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// Subject names on the commitments list's first page for the filters, sorted.
async fn found(state: &AppState, pairs: &[(&str, &str)]) -> Vec<String> {
    let mut f = ListFilters::default();
    for (k, v) in pairs {
        let v = (*v).to_string();
        match *k {
            "q" => f.q = v,
            "kind" => f.kind = v,
            "fulfilment" => f.fulfilment = v,
            "authority" => f.authority = v,
            "from" => f.from = v,
            "to" => f.to = v,
            other => panic!("no filter {other}"),
        }
    }
    let p = lists::list_page(state, "commitments", &f, 1).await.unwrap();
    let mut names: Vec<String> = p.entries.into_iter().map(|e| e.subject_name).collect();
    names.sort();
    names
}

async fn subject_page(state: &AppState, base: &str, code: &str) -> String {
    let id: String = sqlx::query("SELECT public_id FROM subjects WHERE uscc = $1")
        .bind(code)
        .fetch_one(&state.db.pool)
        .await
        .unwrap()
        .get(0);
    reqwest::get(format!("{base}/credit/subject/{id}"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

async fn record_of(state: &AppState, code: &str) -> (String, i64, String) {
    let r = sqlx::query(
        "SELECT g.public_id, g.version, g.dedupe_key FROM generic_records g JOIN subjects s ON s.id = g.subject_id \
         WHERE s.uscc = $1",
    )
    .bind(code)
    .fetch_one(&state.db.pool)
    .await
    .unwrap();
    (r.get("public_id"), r.get("version"), r.get("dedupe_key"))
}

/// Where the portal's 信用承诺 column leads (migration 0020 points it at the public list).
async fn column_link(state: &AppState) -> Option<String> {
    sqlx::query("SELECT link_path FROM site_columns WHERE code = 'commitment'")
        .fetch_one(&state.db.pool)
        .await
        .unwrap()
        .get(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_online_commitment_is_confirmed_listed_and_its_breach_is_a_negative_record() {
    let (state, base) = seeded(&[]).await;
    let (unit, unit_name) = unit_of(&state, "clerk").await;
    let citizen = common::client();
    let (a, b) = (uscc(70_001), uscc(70_002));
    let first =
        commit_without_script(&citizen, &base, &commitment(&a, MIAOXIU, "主动型", &unit)).await;
    let second = commit_without_script(
        &citizen,
        &base,
        &commitment(&b, CANYIN, "行业自律型", &unit),
    )
    .await;
    // Not public before the accepting unit confirms.
    assert!(found(&state, &[]).await.is_empty());

    let clerk = common::client();
    common::login_demo(&clerk, &base, "clerk").await;
    for reference in [&first, &second] {
        let (status, text) = call(
            &clerk,
            &base,
            "collect/batch_confirm",
            format!("id={reference}"),
        )
        .await;
        assert_eq!(status, 200, "{text}");
    }
    assert_eq!(found(&state, &[]).await, vec![MIAOXIU, CANYIN]);
    // A fragment finds its subject and nothing else; the filters narrow as they say.
    assert_eq!(found(&state, &[("q", "苗绣")]).await, vec![MIAOXIU]);
    assert_eq!(found(&state, &[("q", "乾州古城")]).await, vec![CANYIN]);
    assert!(found(&state, &[("q", "不存在的名称")]).await.is_empty());
    assert_eq!(found(&state, &[("q", &a)]).await, vec![MIAOXIU]);
    assert_eq!(found(&state, &[("kind", "行业自律型")]).await, vec![CANYIN]);
    assert_eq!(found(&state, &[("fulfilment", "履约中")]).await.len(), 2);
    assert!(found(&state, &[("fulfilment", "未履约")]).await.is_empty());
    let fragment: String = unit_name.chars().take(4).collect();
    assert_eq!(found(&state, &[("authority", &fragment)]).await.len(), 2);
    let today = state.clock.today().iso();
    assert_eq!(
        found(&state, &[("from", &today), ("to", &today)])
            .await
            .len(),
        2
    );
    assert!(found(&state, &[("to", "2000-01-01")]).await.is_empty());

    // The public page and its download.
    let html = reqwest::get(format!("{base}/credit/lists/commitments?q={}", enc("苗绣")))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(MIAOXIU) && !html.contains(CANYIN), "{html}");
    assert!(html.contains("/column/commitment"), "the guide is linked");
    assert_eq!(
        column_link(&state).await.as_deref(),
        Some("/credit/lists/commitments")
    );
    let xlsx = reqwest::get(format!("{base}/credit/lists/commitments/export.xlsx"))
        .await
        .unwrap();
    assert_eq!(xlsx.status().as_u16(), 200);

    // The subject page shows the commitment with its type and fulfilment.
    let page = subject_page(&state, &base, &a).await;
    assert!(page.contains("主动型") && page.contains("履约中"), "{page}");

    // Another unit's clerk: the commitment does not exist for them.
    let (id, version, key) = record_of(&state, &a).await;
    assert_eq!(version, 1);
    let clerk2 = common::client();
    common::login_demo(&clerk2, &base, "clerk2").await;
    let body = format!(
        "id={id}&fulfilment={}&reason={}",
        enc("未履约"),
        enc("逾期未整改")
    );
    let (status, text) = call(&clerk2, &base, "commitments/fulfilment", body.clone()).await;
    assert_eq!(status, 404, "{text}");
    let (status, text) = call(&clerk2, &base, "commitments/list", "page=1".into()).await;
    assert_eq!(status, 200, "{text}");
    assert!(!text.contains(&id));

    // A verdict needs a reason.
    let (status, text) = call(
        &clerk,
        &base,
        "commitments/fulfilment",
        format!("id={id}&fulfilment={}&reason=", enc("未履约")),
    )
    .await;
    assert_eq!(status, 422, "{text}");
    assert!(text.contains("认定理由"), "{text}");

    // The unit's verdict: a new version of the same record (same key), audited.
    let (status, text) = call(&clerk, &base, "commitments/fulfilment", body).await;
    assert_eq!(status, 200, "{text}");
    let (id2, version, key2) = record_of(&state, &a).await;
    assert_eq!(
        (id2.as_str(), version, key2.as_str()),
        (id.as_str(), 2, key.as_str())
    );
    let versions: i64 = sqlx::query(
        "SELECT COUNT(*) FROM record_versions v JOIN generic_records g ON g.id = v.record_id \
         WHERE g.public_id = $1 AND v.record_kind = 'commitment'",
    )
    .bind(&id)
    .fetch_one(&state.db.pool)
    .await
    .unwrap()
    .get(0);
    assert_eq!(versions, 1, "one version row for the change");
    let audited: i64 =
        sqlx::query("SELECT COUNT(*) FROM audit_events WHERE action = 'commitments.fulfilment'")
            .fetch_one(&state.db.pool)
            .await
            .unwrap()
            .get(0);
    assert_eq!(audited, 1);
    assert_eq!(
        found(&state, &[("fulfilment", "未履约")]).await,
        vec![MIAOXIU]
    );
    let page = subject_page(&state, &base, &a).await;
    assert!(
        page.contains("未履约") && page.contains(BREACH_LABEL),
        "{page}"
    );
    let (status, text) = call(
        &clerk,
        &base,
        "commitments/list",
        format!("page=1&filter[fulfilment]={}", enc("未履约")),
    )
    .await;
    assert_eq!(status, 200, "{text}");
    assert!(text.contains(&id) && !text.contains(CANYIN), "{text}");
    // The unit sees the contact the subject left, masked.
    assert!(
        text.contains("\"contact_masked\":\"")
            && !text.contains("\"contact_masked\":\"\"")
            && !text.contains("07438221234"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_answered_per_field_in_chinese() {
    let (state, base) = seeded(&[]).await;
    let (unit, _) = unit_of(&state, "clerk").await;
    let c = common::client();
    let (status, text) = call(
        &c,
        &base,
        "commitments/submit",
        format!(
            "uscc=91433123MA4L000000&name=&kind={}&matter=&text={}&contact=123&unit={unit}",
            enc("审批替代型"),
            enc("太短")
        ),
    )
    .await;
    assert_eq!(status, 422, "{text}");
    for (field, words) in [
        ("\"uscc\"", "校验码"),
        ("\"name\"", "名称"),
        ("\"matter\"", "事项"),
        ("\"text\"", "承诺内容"),
        ("\"contact\"", "手机号码"),
    ] {
        assert!(
            text.contains(field) && text.contains(words),
            "{field}: {text}"
        );
    }
    let (status, text) = call(
        &c,
        &base,
        "commitments/submit",
        commitment(&uscc(70_010), MIAOXIU, "主动型", "NO-SUCH-UNIT"),
    )
    .await;
    assert_eq!(status, 422, "{text}");
    assert!(text.contains("受理单位"), "{text}");
    let n: i64 = sqlx::query("SELECT COUNT(*) FROM generic_records")
        .fetch_one(&state.db.pool)
        .await
        .unwrap()
        .get(0);
    let before = n;
    let (status, _) = call(
        &c,
        &base,
        "commitments/submit",
        commitment(&uscc(70_011), MIAOXIU, "信用修复型", &unit),
    )
    .await;
    assert_eq!(
        status, 422,
        "a repair commitment comes with a repair application"
    );
    let n: i64 = sqlx::query("SELECT COUNT(*) FROM generic_records")
        .fetch_one(&state.db.pool)
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publish_at_once_is_a_setting_and_repair_commitments_join_the_callers_transaction() {
    let (state, base) = seeded(&[]).await;
    let (unit, _) = unit_of(&state, "clerk").await;
    sqlx::query(
        "INSERT INTO settings (key, value, updated_at, updated_by) \
         VALUES ('commitments.publish_at_once', 'true', '2026-12-01T00:00:00Z', 'test')",
    )
    .execute(&state.db.pool)
    .await
    .unwrap();
    let citizen = common::client();
    let a = uscc(70_020);
    let (status, text) = call(
        &citizen,
        &base,
        "commitments/submit",
        commitment(&a, MIAOXIU, "主动型", &unit),
    )
    .await;
    assert_eq!(status, 200, "{text}");
    assert!(text.contains("\"published\":true"), "{text}");
    assert_eq!(found(&state, &[]).await, vec![MIAOXIU]);
    // 行业自律型 still waits for the unit.
    let (status, text) = call(
        &citizen,
        &base,
        "commitments/submit",
        commitment(&uscc(70_021), CANYIN, "行业自律型", &unit),
    )
    .await;
    assert_eq!(status, 200, "{text}");
    assert!(text.contains("\"published\":false"), "{text}");
    assert_eq!(found(&state, &[]).await, vec![MIAOXIU]);

    // The case engine's repair commitment: nothing exists if its transaction rolls back.
    use app::commitments::service::repair::{
        confirm_checked, record_repair_commitment, RepairCommitment,
    };
    let department_id: i64 = sqlx::query("SELECT id FROM departments WHERE code = $1")
        .bind(&unit)
        .fetch_one(&state.db.pool)
        .await
        .unwrap()
        .get(0);
    let b = uscc(70_022);
    let input = RepairCommitment {
        subject_name: "泸溪县浦市古镇农家乐有限公司".into(),
        subject_uscc: b.clone(),
        text: template("信用修复型", "泸溪县浦市古镇农家乐有限公司", ""),
        department_id,
        case_ref: "TESTCASE01".into(),
    };
    let mut tx = state.db.begin().await.unwrap();
    record_repair_commitment(&mut tx, &state, &input)
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    let n: i64 =
        sqlx::query("SELECT COUNT(*) FROM audit_events WHERE action = 'commitments.repair_record'")
            .fetch_one(&state.db.pool)
            .await
            .unwrap()
            .get(0);
    assert_eq!(n, 0);
    let mut tx = state.db.begin().await.unwrap();
    let batch = record_repair_commitment(&mut tx, &state, &input)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let actor = app::server::audit::Actor::named("test");
    assert!(
        !confirm_checked(&state, &batch, &actor).await.unwrap(),
        "not checked yet"
    );
    let id: i64 = sqlx::query("SELECT id FROM batches WHERE public_id = $1")
        .bind(&batch)
        .fetch_one(&state.db.pool)
        .await
        .unwrap()
        .get(0);
    app::collect::service::pipeline::check_file(&state, id)
        .await
        .unwrap();
    assert!(confirm_checked(&state, &batch, &actor).await.unwrap());
    assert_eq!(
        found(&state, &[("kind", "信用修复型")]).await,
        vec!["泸溪县浦市古镇农家乐有限公司"]
    );
}
