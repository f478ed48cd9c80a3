//! Statistics (issue 19 item 5): the public 信用统计 counts only what the public may see, by department,
//! county and decision month; the office's dashboard counts everything received, with its permission,
//! its usage counters and its XLSX exports. Runs on both databases, a fresh one per test.
// Test code: a panic here is a failing test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
#![allow(clippy::too_many_lines)]
mod common;
use app::server::AppState;
use serde_json::{json, Value};
use sqlx::Row;
use time::macros::datetime;

const ORG: &str = "法人及非法人组织";
const MARKET: &str = "湘西州市场监督管理局";
const TAX: &str = "凤凰县税务局";

struct Fixture {
    state: AppState,
    base: String,
    market: i64,
    tax: i64,
    subject: i64,
}

async fn start() -> Fixture {
    let state = common::fresh_state().await;
    state
        .clock
        .set(datetime!(2026-06-01 02:00 UTC))
        .expect("adjustable clock");
    server::seed::seed_reference(&state)
        .await
        .expect("reference data");
    let market = department(&state, "T-ZSJJ", MARKET).await;
    let tax = department(&state, "T-FHSW", TAX).await;
    // After the units: the demo clerks belong to one.
    server::seed::accounts::seed(&state)
        .await
        .expect("demo accounts");
    let subject: i64 = sqlx::query(
        "INSERT INTO subjects (public_id, kind, name, uscc, county_code, legal_rep, created_at, updated_at) \
         VALUES ('s-stats', 'organisation', '凤凰古城旅游开发有限公司', '91433123MA4L000011', '433123', '张三', \
         '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z') RETURNING id",
    )
    .fetch_one(&state.db.pool)
    .await
    .unwrap()
    .try_get(0)
    .unwrap();
    let base = common::serve(state.clone()).await;
    Fixture {
        state,
        base,
        market,
        tax,
        subject,
    }
}

async fn department(state: &AppState, code: &str, name: &str) -> i64 {
    sqlx::query(
        "INSERT INTO departments (public_id, code, name, county_code, created_at) \
         VALUES ($1, $2, $3, '433100', '2026-01-01T00:00:00Z') RETURNING id",
    )
    .bind(format!("d{}", uuid::Uuid::now_v7().simple()))
    .bind(code)
    .bind(name)
    .fetch_one(&state.db.pool)
    .await
    .unwrap()
    .try_get(0)
    .unwrap()
}

/// A penalty of `unit` in `county`, decided on `decided`, shown until `until`.
async fn penalty(
    f: &Fixture,
    unit: i64,
    county: &str,
    decided: &str,
    until: &str,
    withdrawn: bool,
) {
    let no = format!("湘市监罚〔2026〕{}号", uuid::Uuid::now_v7().simple());
    sqlx::query(
        "INSERT INTO penalties (public_id, subject_id, department_id, county_code, subject_name, subject_category, \
         decision_no, violation_type, violation_facts, legal_basis, categories, content, decision_date, authority, \
         authority_uscc, source_unit, source_unit_uscc, severity, display_until, repair_eligible_from, withdrawn, \
         dedupe_key, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, '凤凰古城旅游开发有限公司', $5, $6, '违反食品安全管理规定', '销售过期食品', \
         '《中华人民共和国食品安全法》第一百二十四条', '罚款', '罚款五千元', $7, '湘西州市场监督管理局', \
         '11433100MB1234567X', '湘西州市场监督管理局', '11433100MB1234567X', 'general', $8, $7, $9, $10, \
         '2026-05-20T00:00:00Z', '2026-05-20T00:00:00Z')",
    )
    .bind(format!("p{}", uuid::Uuid::now_v7().simple()))
    .bind(f.subject)
    .bind(unit)
    .bind(county)
    .bind(ORG)
    .bind(&no)
    .bind(decided)
    .bind(until)
    .bind(i64::from(withdrawn))
    .bind(no.clone())
    .execute(&f.state.db.pool)
    .await
    .unwrap();
}

async fn licence(f: &Fixture, unit: i64, county: &str, decided: &str, withdrawn: bool) {
    let no = format!("湘食许〔2026〕{}号", uuid::Uuid::now_v7().simple());
    sqlx::query(
        "INSERT INTO licences (public_id, subject_id, department_id, county_code, subject_name, subject_category, \
         subject_uscc, decision_doc_name, decision_no, licence_category, content, decision_date, valid_from, valid_to, \
         authority, authority_uscc, state, source_unit, source_unit_uscc, withdrawn, dedupe_key, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, '凤凰古城旅游开发有限公司', $5, '91433123MA4L000011', '食品经营许可决定书', $6, '普通', \
         '预包装食品销售', $7, $7, '2030-12-31', '湘西州市场监督管理局', '11433100MB1234567X', '有效', \
         '湘西州市场监督管理局', '11433100MB1234567X', $8, $9, '2026-05-20T00:00:00Z', '2026-05-20T00:00:00Z')",
    )
    .bind(format!("l{}", uuid::Uuid::now_v7().simple()))
    .bind(f.subject)
    .bind(unit)
    .bind(county)
    .bind(ORG)
    .bind(&no)
    .bind(decided)
    .bind(i64::from(withdrawn))
    .bind(no.clone())
    .execute(&f.state.db.pool)
    .await
    .unwrap();
}

/// Public: three penalties and one licence on display; a penalty past its display period, a withdrawn
/// penalty and a withdrawn licence are held but not shown.
async fn data(f: &Fixture) {
    penalty(f, f.market, "433123", "2026-05-10", "2029-05-10", false).await;
    penalty(f, f.market, "433101", "2026-03-05", "2029-03-05", false).await;
    penalty(f, f.tax, "433123", "2025-12-01", "2028-12-01", false).await;
    // Past its display period: not public.
    penalty(f, f.tax, "433123", "2019-01-01", "2020-01-01", false).await;
    // Withdrawn: not public.
    penalty(f, f.market, "433123", "2026-05-12", "2029-05-12", true).await;
    licence(f, f.market, "433123", "2026-05-20", false).await;
    licence(f, f.tax, "433130", "2026-05-21", true).await;
}

async fn call(c: &reqwest::Client, base: &str, endpoint: &str, body: &str) -> (u16, Value) {
    let r = c
        .post(format!("{base}/api/{endpoint}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// `[label, licences, penalties]` of each group with a record.
fn volumes(v: &Value) -> Vec<Value> {
    v.as_array()
        .unwrap()
        .iter()
        .filter(|r| r["licences"].as_i64().unwrap() + r["penalties"].as_i64().unwrap() > 0)
        .map(|r| json!([r["label"], r["licences"], r["penalties"]]))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_page_counts_only_what_is_on_display() {
    let f = start().await;
    data(&f).await;
    let c = common::client();
    let (status, s) = call(&c, &f.base, "stats/public", "").await;
    assert_eq!(status, 200, "{s}");
    assert_eq!(s["as_of"], "2026-06-01");
    assert_eq!(
        (s["licences"].as_i64(), s["penalties"].as_i64()),
        (Some(1), Some(3))
    );
    assert_eq!(
        volumes(&s["by_department"]),
        vec![json!([MARKET, 1, 2]), json!([TAX, 0, 1])]
    );
    // Every county and city of the prefecture is listed, in the official order.
    let counties = s["by_county"].as_array().unwrap();
    assert_eq!(counties.len(), app::rules::division::XIANGXI.len());
    assert_eq!(
        volumes(&s["by_county"]),
        vec![json!(["吉首市", 0, 1]), json!(["凤凰县", 1, 2])]
    );
    let months = s["by_month"].as_array().unwrap();
    assert_eq!(months.len(), 12);
    assert_eq!(months[0]["label"], "2025-07");
    assert_eq!(months[11]["label"], "2026-06");
    assert_eq!(
        volumes(&s["by_month"]),
        vec![
            json!(["2025-12", 0, 1]),
            json!(["2026-03", 0, 1]),
            json!(["2026-05", 1, 1])
        ]
    );

    // The page itself: without JavaScript, charts with titles and the tables behind them.
    let r = c.get(format!("{}/stats", f.base)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("信用统计"));
    assert!(html.contains("role=\"img\""), "an svg chart");
    assert!(html.contains("<title>各部门公示的行政许可和行政处罚数量"));
    assert!(html.contains("<table"));
    assert!(html.contains("本平台公示中的行政许可 1 条、行政处罚 3 条"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_counts_everything_received_for_the_credit_office_only() {
    let f = start().await;
    data(&f).await;
    // Two credit searches through the JSON API and one data API call with no valid key (not counted).
    let c = common::client();
    for q in ["凤凰古城", "91433123MA4L000011"] {
        let r = c
            .get(format!("{}/api/v1/credit/search", f.base))
            .query(&[("q", q)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }
    let (status, _) = call(&c, &f.base, "stats/dashboard", "month=").await;
    assert_eq!(status, 401, "anonymous");
    let clerk = common::client();
    common::login_demo(&clerk, &f.base, "clerk").await;
    let (status, _) = call(&clerk, &f.base, "stats/dashboard", "month=").await;
    assert_eq!(status, 403, "a unit's clerk");

    let op = common::client();
    common::login_demo(&op, &f.base, "operator").await;
    let (status, d) = call(&op, &f.base, "stats/dashboard", "month=").await;
    assert_eq!(status, 200, "{d}");
    let class = |name: &str| {
        d["by_class"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["class"] == name)
            .map(|c| c["records"].as_i64().unwrap())
    };
    let names: std::collections::BTreeMap<String, i64> = d["by_class"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["class"].as_str().unwrap().to_string(),
                c["records"].as_i64().unwrap(),
            )
        })
        .collect();
    // Received: every record held, public or not.
    let penalty_name = sqlx::query("SELECT name FROM data_classes WHERE code = 'penalty'")
        .fetch_one(&f.state.db.pool)
        .await
        .unwrap()
        .try_get::<String, _>(0)
        .unwrap();
    assert_eq!(class(&penalty_name), Some(5), "{names:?}");
    let received = |v: &Value| -> Vec<Value> {
        v.as_array()
            .unwrap()
            .iter()
            .filter(|r| r["licences"].as_i64().unwrap() + r["penalties"].as_i64().unwrap() > 0)
            .map(|r| json!([r["label"], r["licences"], r["penalties"], r["others"]]))
            .collect()
    };
    assert_eq!(
        received(&d["by_department"]),
        vec![json!([MARKET, 1, 3, 0]), json!([TAX, 1, 2, 0])]
    );
    assert_eq!(
        received(&d["by_county"]),
        vec![
            json!(["吉首市", 0, 1, 0]),
            json!(["凤凰县", 1, 4, 0]),
            json!(["龙山县", 1, 0, 0])
        ]
    );
    assert_eq!(received(&d["by_month"]), vec![json!(["2026-05", 2, 5, 0])]);
    let june = d["activity"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(june["month"], "2026-06");
    assert_eq!(june["searches"], 2, "{june}");

    // The monthly report of May counts May's receipts; June's is empty.
    let (_, may) = call(&op, &f.base, "stats/dashboard", "month=2026-05").await;
    assert_eq!(may["month"], "2026-05");
    assert_eq!(received(&may["by_department"]).len(), 2);
    let (_, june) = call(&op, &f.base, "stats/dashboard", "month=2026-06").await;
    assert!(received(&june["by_department"]).is_empty());
    // Anything that is not a month is this month (the report page asks so when no month is given).
    let (_, current) = call(&op, &f.base, "stats/dashboard", "month=current").await;
    assert_eq!(current["month"], "2026-06");

    // Pages: the dashboard and the printable report render for the operator.
    for path in ["/console/stats", "/console/stats/monthly?month=2026-05"] {
        let r = op.get(format!("{}{path}", f.base)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        let html = r.text().await.unwrap();
        assert!(html.contains("role=\"img\""), "{path}");
    }

    // The XLSX download of a table parses, with its header row and rows.
    use calamine::Reader;
    let export = |c: reqwest::Client, table: &'static str| {
        let base = f.base.clone();
        async move {
            let token = common::csrf_token(&c, &base).await;
            let body: String = form_urlencoded::Serializer::new(String::new())
                .append_pair("csrf_token", &token)
                .append_pair("table", table)
                .append_pair("month", "")
                .finish();
            c.post(format!("{base}/console/export/stats.xlsx"))
                .header("accept", "text/html")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body)
                .send()
                .await
                .unwrap()
        }
    };
    let r = export(op.clone(), "department").await;
    assert_eq!(r.status(), 200);
    let bytes = r.bytes().await.unwrap();
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    assert_eq!(book.sheet_names(), vec!["按单位".to_string()]);
    let range = book.worksheet_range("按单位").unwrap();
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(ToString::to_string).collect())
        .collect();
    assert_eq!(
        rows[0],
        ["单位", "行政许可", "行政处罚", "其他类别", "合计"]
    );
    assert!(
        rows.contains(&vec![
            MARKET.into(),
            "1".into(),
            "3".into(),
            "0".into(),
            "4".into()
        ]),
        "{rows:?}"
    );
    let r = export(op.clone(), "activity").await;
    assert_eq!(r.status(), 200);
    let r = export(clerk.clone(), "department").await;
    assert_eq!(r.status(), 403, "the clerk may not export");
}
