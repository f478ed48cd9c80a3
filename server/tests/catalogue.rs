//! Catalogue editing and scheduled exchange: what an operator changes applies to the next check, what
//! would break the rules is refused with the field named, every change is audited; exchange entries
//! are pulled on schedule, unchanged files make no batch, and a failing address raises an alarm that
//! clears when it works again.
// Test code: a panic here is a failing test (clippy.toml allows these lints in #[test] functions;
// the helpers of an integration test crate are test code as well).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
// Long scenario tests read top to bottom, one step after the other.
#![allow(clippy::too_many_lines)]
mod common;
use app::collect::service::pipeline::CheckOutcome;
use app::collect::service::{exchange, pipeline};
use common::collect::*;
use sqlx::Row;

fn penalty_csv(category_header: &str, unit: &str, rows: &[(u64, &str)]) -> Vec<u8> {
    let mut csv = format!(
        "行政相对人名称,行政相对人类别,统一社会信用代码,法定代表人,行政处罚决定书文号,违法行为类型,违法事实,处罚依据,{category_header},处罚内容,罚款金额（万元）,处罚决定日期,处罚机关\n"
    );
    for (serial, no) in rows {
        csv.push_str(&format!(
            "湘西目录测试{serial}有限公司,法人及非法人组织,{},张三,{no},销售不合格产品,经查属实,《产品质量法》第四十九条,罚款,罚款0.5万元,0.5,2026-03-07,{unit}\n",
            code(*serial)
        ));
    }
    csv.into_bytes()
}

/// The edit form of an existing field, filled from the class as the console shows it.
fn field_form(class: &serde_json::Value, key: &str) -> Vec<(String, String)> {
    let f = class["spec"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == key)
        .unwrap_or_else(|| panic!("no field {key}"));
    let list = |v: &serde_json::Value| {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap().to_string())
            .collect::<Vec<_>>()
            .join("；")
    };
    vec![
        ("field[key]".into(), key.into()),
        ("field[name]".into(), f["name"].as_str().unwrap().into()),
        (
            "field[code_v2]".into(),
            f["code_v2"].as_str().unwrap_or("").into(),
        ),
        ("field[codes_v1]".into(), list(&f["codes_v1"])),
        ("field[synonyms]".into(), list(&f["synonyms"])),
        (
            "field[field_type]".into(),
            f["field_type"].as_str().unwrap().into(),
        ),
        (
            "field[requirement]".into(),
            f["requirement"].as_str().unwrap().into(),
        ),
        ("field[options]".into(), list(&f["options"])),
        ("field[max_len]".into(), f["max_len"].to_string()),
    ]
}

fn encode(pairs: &[(String, String)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

fn set(pairs: &mut [(String, String)], key: &str, value: &str) {
    pairs.iter_mut().find(|(k, _)| k == key).unwrap().1 = value.into();
}

async fn class(c: &reqwest::Client, base: &str, code: &str) -> serde_json::Value {
    let (status, body) = post(c, base, "catalogue/class", &format!("code={code}")).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn catalogue_edits_apply_to_the_next_check_and_unsafe_ones_are_refused() {
    let (state, unit) = setup().await;
    let base = common::serve(state.clone()).await;
    let op = common::client();
    common::login_demo(&op, &base, "operator").await;
    let clerk = common::client();
    common::login_demo(&clerk, &base, "clerk").await;

    // A header nobody knows needs mapping today …
    let csv = penalty_csv("处罚决定种类", &unit.name, &[(61, "目录〔2026〕1号")]);
    let (_, outcome) = upload(&state, &unit, "种类.csv", &csv).await;
    assert!(
        matches!(outcome, CheckOutcome::NeedsMapping(ref h) if h == &["处罚决定种类".to_string()]),
        "{outcome:?}"
    );

    // … a clerk may not change the catalogue; the operator adds the header as a synonym.
    let penalty = class(&op, &base, "penalty").await;
    assert_eq!(penalty["may_manage"], true);
    assert_eq!(class(&clerk, &base, "penalty").await["may_manage"], false);
    let mut form = field_form(&penalty, "categories");
    let synonyms = form
        .iter()
        .find(|(k, _)| k == "field[synonyms]")
        .unwrap()
        .1
        .clone();
    set(
        &mut form,
        "field[synonyms]",
        &format!("{synonyms}；处罚决定种类"),
    );
    let body = format!("class=penalty&{}", encode(&form));
    let (status, _) = post(&clerk, &base, "catalogue/field_save", &body).await;
    assert_eq!(status, 403);
    let (status, out) = post(&op, &base, "catalogue/field_save", &body).await;
    assert_eq!(status, 200, "{out}");
    let (batch, outcome) = upload(&state, &unit, "种类.csv", &csv).await;
    assert_eq!(outcome, CheckOutcome::Checked);
    assert_eq!(counts(&state, batch).await, [1, 0, 0, 0]);

    // Relaxing a standard field, renaming it or claiming another field's header is refused.
    let mut form = field_form(&penalty, "decision_no");
    set(&mut form, "field[requirement]", "optional");
    let (status, out) = post(
        &op,
        &base,
        "catalogue/field_save",
        &format!("class=penalty&{}", encode(&form)),
    )
    .await;
    assert_eq!(status, 422, "{out}");
    assert!(out.contains("不能放宽"), "{out}");
    let mut form = field_form(&penalty, "content");
    set(&mut form, "field[synonyms]", "CF_WSH");
    let (status, out) = post(
        &op,
        &base,
        "catalogue/field_save",
        &format!("class=penalty&{}", encode(&form)),
    )
    .await;
    assert_eq!(status, 422, "{out}");
    assert!(out.contains("行政处罚决定书文号"), "{out}");

    // Rule switches: an optional rule goes off for the class; a required one cannot.
    let rules = penalty["rules"].as_array().unwrap();
    let optional = rules.iter().find(|r| r["optional"] == true).unwrap()["code"]
        .as_str()
        .unwrap()
        .to_string();
    let fixed = rules.iter().find(|r| r["optional"] == false).unwrap()["code"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, out) = post(
        &op,
        &base,
        "catalogue/rule_switch",
        &format!("class=penalty&code={optional}&enabled=false"),
    )
    .await;
    assert_eq!(status, 200, "{out}");
    let after = class(&op, &base, "penalty").await;
    let state_of = |code: &str| {
        after["rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["code"] == code)
            .unwrap()["enabled"]
            .clone()
    };
    assert_eq!(state_of(&optional), false);
    let (status, out) = post(
        &op,
        &base,
        "catalogue/rule_switch",
        &format!("class=penalty&code={fixed}&enabled=false"),
    )
    .await;
    assert_eq!(status, 422, "{out}");

    // A class of the operator's own, with a field of its own, takes records through the same pipeline.
    let (status, out) = post(
        &op,
        &base,
        "catalogue/class_create",
        "code=tax_rating&name=纳税信用评价",
    )
    .await;
    assert_eq!(status, 200, "{out}");
    let (status, out) = post(&op, &base, "catalogue/class_create", "code=Tax&name=重复").await;
    assert_eq!(status, 422, "{out}");
    let grade = [
        ("field[key]", "grade"),
        ("field[name]", "评价等级"),
        ("field[field_type]", "enum"),
        ("field[requirement]", "required"),
        ("field[options]", "A；B；M；C；D"),
        ("field[max_len]", "2"),
    ]
    .map(|(k, v)| (k.to_string(), v.to_string()));
    let (status, out) = post(
        &op,
        &base,
        "catalogue/field_save",
        &format!("class=tax_rating&is_new=true&{}", encode(&grade)),
    )
    .await;
    assert_eq!(status, 200, "{out}");
    let (status, out) = post(
        &op,
        &base,
        "catalogue/field_save",
        &format!("class=penalty&is_new=true&{}", encode(&grade)),
    )
    .await;
    assert_eq!(status, 422, "a built-in class takes no new fields: {out}");
    let tax = class(&op, &base, "tax_rating").await;
    assert_eq!(tax["spec"]["fields"].as_array().unwrap().len(), 7);
    let csv = format!(
        "主体名称,统一社会信用代码,文书编号,作出日期,作出单位,评价等级\n湘西纳税甲公司,{},税评〔2026〕1号,2026-04-01,{},A\n湘西纳税乙公司,{},税评〔2026〕2号,2026-04-01,{},Z\n",
        code(71), unit.name, code(72), unit.name
    );
    let sub = app::collect::service::intake::Submission {
        class_code: "tax_rating",
        department_id: unit.id,
        user_id: None,
        channel: "file",
    };
    let (b, _) =
        app::collect::service::intake::create_file_batch(&state, &sub, "纳税.csv", csv.as_bytes())
            .await
            .unwrap();
    assert_eq!(
        pipeline::check_file(&state, b).await.unwrap(),
        CheckOutcome::Checked
    );
    assert_eq!(counts(&state, b).await, [1, 0, 0, 1]);
    assert!(faults(&state, b)
        .await
        .contains(&(2, "ENUM_INVALID".into())));
    let report = app::collect::service::confirm::confirm(&state, b, &actor())
        .await
        .unwrap();
    assert_eq!(report.published, 1);
    // Its subject fields are core and cannot be removed; its own field can.
    let (status, _) = post(
        &op,
        &base,
        "catalogue/field_remove",
        "class=tax_rating&key=decision_no",
    )
    .await;
    assert_eq!(status, 409);
    let (status, out) = post(
        &op,
        &base,
        "catalogue/field_remove",
        "class=tax_rating&key=grade",
    )
    .await;
    assert_eq!(status, 200, "{out}");

    // Source units with their frequency.
    let (status, out) = post(
        &op,
        &base,
        "catalogue/source_save",
        &format!(
            "class=tax_rating&department={}&frequency=quarterly",
            unit.id
        ),
    )
    .await;
    assert_eq!(status, 200, "{out}");
    let tax = class(&op, &base, "tax_rating").await;
    assert_eq!(tax["sources"][0]["frequency"], "quarterly");
    let (status, _) = post(
        &op,
        &base,
        "catalogue/source_save",
        &format!("class=tax_rating&department={}&frequency=hourly", unit.id),
    )
    .await;
    assert_eq!(status, 422);

    let audited = scalar(
        &state,
        "SELECT COUNT(*) FROM audit_events WHERE action LIKE 'catalogue.%' AND outcome = 'success'",
    )
    .await;
    assert_eq!(
        audited, 6,
        "field, rule, class, field added, field removed, source"
    );
}

async fn serve_files(files: std::sync::Arc<std::sync::Mutex<Vec<u8>>>) -> String {
    use axum::routing::get;
    let app = axum::Router::new().route(
        "/penalty.csv",
        get(move || {
            let files = files.clone();
            async move { files.lock().unwrap().clone() }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scheduled_exchange_pulls_new_files_once_and_alarms_when_it_fails() {
    let (state, unit) = setup().await;
    let base = common::serve(state.clone()).await;
    let op = common::client();
    common::login_demo(&op, &base, "operator").await;
    let folder = state
        .config
        .data_path("exchange")
        .join(uuid::Uuid::new_v4().simple().to_string());
    std::fs::create_dir_all(&folder).unwrap();
    let file = folder.join("处罚.csv");
    std::fs::write(
        &file,
        penalty_csv("处罚类别", &unit.name, &[(81, "交换〔2026〕1号")]),
    )
    .unwrap();

    // Only files inside the exchange folder may be named.
    let (status, out) = post(
        &op,
        &base,
        "catalogue/source_save",
        &format!(
            "class=penalty&department={}&frequency=daily&exchange_url=file:///etc/passwd",
            unit.id
        ),
    )
    .await;
    assert_eq!(status, 422, "{out}");
    let url = format!("file://{}", file.display());
    let body = format!(
        "class=penalty&department={}&frequency=daily&exchange_url={}",
        unit.id,
        url.replace('%', "%25")
    );
    let (status, out) = post(&op, &base, "catalogue/source_save", &body).await;
    assert_eq!(status, 200, "{out}");

    let batches = || async {
        scalar(
            &state,
            &format!(
                "SELECT COUNT(*) FROM batches WHERE channel = 'exchange' AND department_id = {}",
                unit.id
            ),
        )
        .await
    };
    let pulled = exchange::run_due(&state).await.unwrap();
    assert_eq!(pulled.len(), 1, "{pulled:?}");
    assert!(matches!(pulled[0].2, exchange::Pulled::Batch(_)));
    assert_eq!(batches().await, 1);
    let batch = scalar(
        &state,
        "SELECT MAX(id) FROM batches WHERE channel = 'exchange'",
    )
    .await;
    assert_eq!(
        pipeline::check_file(&state, batch).await.unwrap(),
        CheckOutcome::Checked
    );
    assert_eq!(counts(&state, batch).await, [1, 0, 0, 0]);

    // Not due again until a day has passed; then an unchanged file makes no batch.
    assert!(exchange::run_due(&state).await.unwrap().is_empty());
    state.clock.advance(time::Duration::hours(25)).unwrap();
    let op = common::client();
    common::login_demo(&op, &base, "operator").await;
    let pulled = exchange::run_due(&state).await.unwrap();
    assert_eq!(pulled[0].2, exchange::Pulled::Unchanged);
    assert_eq!(batches().await, 1);

    // 立即交换 from the console picks up a changed file at once.
    std::fs::write(
        &file,
        penalty_csv(
            "处罚类别",
            &unit.name,
            &[(81, "交换〔2026〕1号"), (82, "交换〔2026〕2号")],
        ),
    )
    .unwrap();
    let (status, out) = post(
        &op,
        &base,
        "catalogue/source_exchange_now",
        &format!("class=penalty&department={}", unit.id),
    )
    .await;
    assert_eq!(status, 200, "{out}");
    assert!(out.contains("生成批次"), "{out}");
    assert_eq!(batches().await, 2);

    // Over HTTP: a missing file fails, is shown on the entry and raises an alarm; the next good pull
    // clears it.
    let served = std::sync::Arc::new(std::sync::Mutex::new(penalty_csv(
        "处罚类别",
        &unit.name,
        &[(83, "交换〔2026〕3号")],
    )));
    let http = serve_files(served.clone()).await;
    let body = format!(
        "class=penalty&department={}&frequency=daily&exchange_url={http}/missing.csv",
        unit.id
    );
    assert_eq!(
        post(&op, &base, "catalogue/source_save", &body).await.0,
        200
    );
    let (status, out) = post(
        &op,
        &base,
        "catalogue/source_exchange_now",
        &format!("class=penalty&department={}", unit.id),
    )
    .await;
    assert_eq!(status, 200, "{out}");
    assert!(out.contains("HTTP 404"), "{out}");
    let open_alarms = || async {
        scalar(&state, "SELECT COUNT(*) FROM alarms WHERE alarm_key LIKE 'collect.exchange:%' AND status <> 'resolved'").await
    };
    assert_eq!(open_alarms().await, 1);
    let penalty = class(&op, &base, "penalty").await;
    let entry = penalty["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["department_id"] == unit.id)
        .unwrap()
        .clone();
    assert!(
        entry["last_exchange"]
            .as_str()
            .unwrap()
            .contains("HTTP 404"),
        "{entry}"
    );
    let body = format!(
        "class=penalty&department={}&frequency=daily&exchange_url={http}/penalty.csv",
        unit.id
    );
    assert_eq!(
        post(&op, &base, "catalogue/source_save", &body).await.0,
        200
    );
    let (status, out) = post(
        &op,
        &base,
        "catalogue/source_exchange_now",
        &format!("class=penalty&department={}", unit.id),
    )
    .await;
    assert_eq!(status, 200, "{out}");
    assert!(out.contains("生成批次"), "{out}");
    assert_eq!(batches().await, 3);
    assert_eq!(open_alarms().await, 0);
    let row = sqlx::query("SELECT last_exchange_status FROM class_sources s JOIN data_classes c ON c.id = s.class_id WHERE c.code = 'penalty' AND s.department_id = $1")
        .bind(unit.id)
        .fetch_one(&state.db.pool)
        .await
        .unwrap();
    assert_eq!(row.get::<String, _>("last_exchange_status"), "batch");
}
