//! The 联合奖惩 catalogue (issue 21, items 2 and 3). Measures: the demo ships the sample of the
//! national base list; the credit office re-imports it (nothing changes), imports a changed list
//! (added and updated by code, all in one transaction), is told row by row what is wrong with a bad
//! one (nothing stored), adds a local measure and retires one with its reason; a clerk reads the list
//! but imports nothing. Matters: each unit sees its own, the office saves and imports them with
//! their measures.
// Test code: a panic here is a failing test (clippy.toml allows these lints in #[test] functions;
// the helpers of an integration test crate are test code as well).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
#![allow(clippy::too_many_lines)]
mod common;
use common::cases::count;
use time::macros::datetime;

/// Posts an XLSX to the measures import: the decoded redirect target (or the status when refused).
async fn import(c: &reqwest::Client, base: &str, bytes: Vec<u8>) -> Result<String, u16> {
    upload(c, base, "/console/joint/measures/import", bytes).await
}

/// Posts an XLSX to an import route.
async fn upload(
    c: &reqwest::Client,
    base: &str,
    path: &str,
    bytes: Vec<u8>,
) -> Result<String, u16> {
    let token = common::csrf_token(c, base).await;
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", token)
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name("措施清单.xlsx"),
        );
    let r = c
        .post(format!("{base}{path}"))
        .header("accept", "text/html")
        .multipart(form)
        .send()
        .await
        .unwrap();
    if r.status() != 303 {
        return Err(r.status().as_u16());
    }
    Ok(common::cases::decoded(
        r.headers()["location"].to_str().unwrap(),
    ))
}

fn sheet(rows: &[Vec<&str>]) -> Vec<u8> {
    table(
        &[
            "措施编号",
            "措施类型",
            "适用名单",
            "措施内容",
            "依据",
            "实施部门",
        ],
        rows,
    )
}

fn table(headers: &[&str], rows: &[Vec<&str>]) -> Vec<u8> {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| (*c).to_string()).collect())
        .collect();
    server::http::export::xlsx("清单", headers, &rows).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_office_keeps_the_measures_list() {
    let (state, base) = common::cases::seeded_on(datetime!(2026-12-07 02:00 UTC)).await;
    let seeded = count(&state, "SELECT COUNT(*) FROM measures").await;
    assert!(seeded >= 20, "the demo's sample: {seeded}");
    let office = common::client();
    common::login_demo(&office, &base, "operator").await;

    // The sample downloads and, imported again, changes nothing.
    let r = office
        .get(format!("{base}/console/joint/measures/sample.xlsx"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let sample = r.bytes().await.unwrap().to_vec();
    let loc = import(&office, &base, sample).await.unwrap();
    assert!(loc.ends_with(&format!("imported=0,0,{seeded}")), "{loc}");

    // A changed list: one measure reworded, one new; added and updated by code.
    let changed = sheet(&[
        vec![
            "JC-01",
            "惩戒",
            "黑名单",
            "依法限制参加政府采购活动（三年内）",
            "《中华人民共和国政府采购法》第二十二条",
            "财政部门",
        ],
        vec![
            "JC-99",
            "",
            "严重失信主体名单",
            "限制参与评先评优",
            "国发〔2016〕33号",
            "各评选表彰主办单位",
        ],
    ]);
    let loc = import(&office, &base, changed).await.unwrap();
    assert!(loc.ends_with("imported=1,1,0"), "{loc}");
    let (content, kind): (String, String) =
        sqlx::query_as("SELECT content, kind FROM measures WHERE code = 'JC-99'")
            .fetch_one(&state.db.pool)
            .await
            .unwrap();
    assert_eq!(
        (content.as_str(), kind.as_str()),
        ("限制参与评先评优", "sanction")
    );

    // A bad list: every wrong row named, nothing stored.
    let bad = sheet(&[
        vec![
            "JC-50",
            "惩戒",
            "黑名单",
            "限制申请财政补助",
            "国发〔2016〕33号",
            "财政部门",
        ],
        vec![
            "JC-51",
            "惩戒",
            "白名单",
            "限制融资",
            "国发〔2016〕33号",
            "金融监管部门",
        ],
        vec![
            "JC-50",
            "惩戒",
            "黑名单",
            "重复编号",
            "国发〔2016〕33号",
            "",
        ],
    ]);
    let loc = import(&office, &base, bad).await.unwrap();
    assert!(loc.contains("error=第 3 行：适用名单"), "{loc}");
    assert!(loc.contains("第 4 行") && loc.contains("实施部门"), "{loc}");
    let loc = import(&office, &base, b"PK\x03\x04 not really a workbook".to_vec())
        .await
        .unwrap();
    assert!(loc.contains("已损坏"), "{loc}");
    assert_eq!(
        count(&state, "SELECT COUNT(*) FROM measures").await,
        seeded + 1
    );
    assert_eq!(
        count(
            &state,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'joint.measures_import'"
        )
        .await,
        // The demo's import, the re-import and the changed list; refused files leave no line.
        3
    );

    // A local measure gets the next local number; retiring needs a reason.
    let (s, body) = common::post_form(
        &office,
        &base,
        "joint/measure_add",
        &[
            ("measure[list_kind]", "red"),
            ("measure[content]", "在州内政务服务中心设“诚信窗口”优先办理"),
            ("measure[basis]", "湘西州守信激励措施（演示）"),
            ("measure[agency]", "州政务服务中心"),
        ],
    )
    .await;
    assert_eq!(s, 200, "{body}");
    let id = body.trim_matches('"').to_string();
    let (code, kind): (String, String) =
        sqlx::query_as("SELECT code, kind FROM measures WHERE public_id = $1")
            .bind(&id)
            .fetch_one(&state.db.pool)
            .await
            .unwrap();
    assert_eq!((code.as_str(), kind.as_str()), ("L-0001", "reward"));
    let (s, _) = common::post_form(
        &office,
        &base,
        "joint/measure_retire",
        &[("id", &id), ("reason", "")],
    )
    .await;
    assert_eq!(s, 422);
    let (s, body) = common::post_form(
        &office,
        &base,
        "joint/measure_retire",
        &[("id", &id), ("reason", "并入 JL-06，不再单列")],
    )
    .await;
    assert_eq!(s, 200, "{body}");
    let listed = |status: &'static str| {
        let (office, base) = (office.clone(), base.clone());
        async move {
            let (s, body) = common::post_form(
                &office,
                &base,
                "joint/measures",
                &[
                    ("filter[status]", status),
                    ("filter[list_kind]", "red"),
                    ("page", "1"),
                ],
            )
            .await;
            assert_eq!(s, 200, "{body}");
            body
        }
    };
    assert!(!listed("").await.contains("L-0001"), "retired: not in use");
    assert!(listed("retired").await.contains("并入 JL-06"));

    // A clerk reads the list but imports and adds nothing.
    let clerk = common::client();
    common::login_demo(&clerk, &base, "clerk").await;
    let (s, body) = common::post_form(&clerk, &base, "joint/measures", &[("page", "1")]).await;
    assert_eq!(s, 200, "{body}");
    assert!(body.contains("JC-01"));
    assert_eq!(import(&clerk, &base, sheet(&[])).await, Err(403));
    let (s, _) = common::post_form(
        &clerk,
        &base,
        "joint/measure_add",
        &[("measure[content]", "x")],
    )
    .await;
    assert_eq!(s, 403);
}

/// The matters a caller sees: their codes.
async fn matter_codes(c: &reqwest::Client, base: &str) -> Vec<String> {
    let (s, body) = common::post_form(c, base, "joint/matters", &[("page", "1")]).await;
    assert_eq!(s, 200, "{body}");
    let list: serde_json::Value = serde_json::from_str(&body).unwrap();
    list["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap().to_string())
        .collect()
}

async fn measure_public_id(state: &app::server::AppState, code: &str) -> String {
    sqlx::query_scalar("SELECT public_id FROM measures WHERE code = $1")
        .bind(code)
        .fetch_one(&state.db.pool)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn matters_are_scoped_saved_and_imported() {
    let (state, base) = common::cases::seeded_on(datetime!(2026-12-07 02:00 UTC)).await;
    let office = common::client();
    common::login_demo(&office, &base, "operator").await;
    let clerk = common::client();
    common::login_demo(&clerk, &base, "clerk").await;
    let all = matter_codes(&office, &base).await;
    let own = matter_codes(&clerk, &base).await;
    assert!(all.len() >= 10, "{all:?}");
    assert!(!own.is_empty() && own.len() < all.len(), "{own:?}");
    let clerk_unit: String = sqlx::query_scalar(
        "SELECT d.public_id FROM users u JOIN departments d ON d.id = u.department_id WHERE u.username = 'clerk'",
    )
    .fetch_one(&state.db.pool)
    .await
    .unwrap();

    // The office saves a matter for the clerk's unit with two measures; the clerk sees it.
    let (jc01, jl01) = (
        measure_public_id(&state, "JC-01").await,
        measure_public_id(&state, "JL-01").await,
    );
    let form = |name: &'static str| {
        vec![
            ("matter[code]", "XX-TEST-001".to_string()),
            ("matter[name]", name.to_string()),
            ("matter[department]", clerk_unit.clone()),
            ("matter[measures][0]", jc01.clone()),
            ("matter[measures][3]", jl01.clone()),
        ]
    };
    let post = |c: reqwest::Client, f: Vec<(&'static str, String)>| {
        let base = base.clone();
        async move {
            let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            common::post_form(&c, &base, "joint/matter_save", &pairs).await
        }
    };
    let (s, body) = post(office.clone(), form("政府采购供应商资格审查")).await;
    assert_eq!(s, 200, "{body}");
    assert!(matter_codes(&clerk, &base)
        .await
        .contains(&"XX-TEST-001".to_string()));
    // The same code updates it.
    let (s, body) = post(office.clone(), form("政府采购供应商资格审查（修订）")).await;
    assert_eq!(s, 200, "{body}");
    let (name, links): (String, i64) = sqlx::query_as(
        "SELECT m.name, (SELECT COUNT(*) FROM matter_measures mm WHERE mm.matter_id = m.id) FROM matters m WHERE m.code = 'XX-TEST-001'",
    )
    .fetch_one(&state.db.pool)
    .await
    .unwrap();
    assert_eq!(
        (name.as_str(), links),
        ("政府采购供应商资格审查（修订）", 2)
    );
    // A clerk saves nothing.
    let (s, _) = post(clerk.clone(), form("x")).await;
    assert_eq!(s, 403);

    // Import: one new, one updated; a bad file names its rows and stores nothing.
    let headers = ["事项编码", "事项名称", "实施部门", "适用措施"];
    let good = table(
        &headers,
        &[
            vec![
                "XX-TEST-002",
                "道路货物运输经营许可",
                "湘西州交通运输局",
                "JC-07、JC-13",
            ],
            vec![
                "XX-TEST-001",
                "政府采购供应商资格审查",
                "湘西州交通运输局",
                "JC-01",
            ],
        ],
    );
    let loc = upload(&office, &base, "/console/joint/matters/import", good)
        .await
        .unwrap();
    assert!(loc.ends_with("imported=1,1,0"), "{loc}");
    let matters = count(&state, "SELECT COUNT(*) FROM matters").await;
    let bad = table(
        &headers,
        &[
            vec!["XX-TEST-003", "某事项", "不存在的局", "JC-01"],
            vec!["XX-TEST-004", "另一事项", "湘西州交通运输局", "JC-77"],
        ],
    );
    let loc = upload(&office, &base, "/console/joint/matters/import", bad)
        .await
        .unwrap();
    assert!(loc.contains("第 2 行：实施部门“不存在的局”"), "{loc}");
    assert!(loc.contains("第 3 行：措施编号 JC-77"), "{loc}");
    assert_eq!(count(&state, "SELECT COUNT(*) FROM matters").await, matters);
    assert_eq!(
        upload(
            &clerk,
            &base,
            "/console/joint/matters/import",
            table(&headers, &[])
        )
        .await,
        Err(403)
    );
}
