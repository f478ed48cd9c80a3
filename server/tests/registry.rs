//! 法人库: a register import adds subjects, renames known ones with their former name kept, leaves
//! faulty rows out with their reasons, and is idempotent; staff find subjects by name or code within
//! their scope.
// Test code: a panic here is a failing test (clippy.toml allows these lints in #[test] functions;
// the helpers of an integration test crate are test code as well).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod common;
use app::collect::service::registry;
use app::server::audit::Actor;
use common::collect::*;
use sqlx::Row;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_register_import_adds_renames_and_reports_faulty_rows() {
    let (state, _) = setup().await;
    let base = common::serve(state.clone()).await;
    let r = sqlx::query(
        "SELECT public_id, uscc, name, county_code FROM subjects WHERE kind = 'organisation' AND uscc IS NOT NULL \
         AND county_code IS NOT NULL ORDER BY id LIMIT 1",
    )
    .fetch_one(&state.db.pool)
    .await
    .unwrap();
    let (known, old_name, county): (String, String, String) =
        (r.get("uscc"), r.get("name"), r.get("county_code"));
    let known_id: String = r.get("public_id");
    let renamed = format!("{old_name}（登记更名）");
    let fresh = code(501);
    let folder = std::env::temp_dir().join(format!("registry-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&folder).unwrap();
    let file = folder.join("市场主体登记.csv");
    let csv = format!(
        "统一社会信用代码,企业名称,法定代表人,住所,成立日期\n\
         {known},{renamed},李四,吉首市人民北路1号,2019-05-01\n\
         {fresh},湘西登记新设有限公司,王五,凤凰县沱江镇,2026-01-15\n\
         {},湘西校验错误有限公司,赵六,,\n\
         {},,钱七,,\n\
         {},湘西日期错误有限公司,孙八,,2026-13-40\n",
        bad_check(502),
        code(503),
        code(504)
    );
    std::fs::write(&file, csv).unwrap();

    let report = registry::import_file(&state, &Actor::named("test"), &file, "市场主体登记.csv")
        .await
        .unwrap();
    assert_eq!(report.rows, 5);
    assert_eq!((report.added, report.renamed), (1, 1), "{report:?}");
    let fault_rows: Vec<u64> = report.faults.iter().map(|(r, _)| *r).collect();
    assert_eq!(fault_rows, vec![3, 4, 5], "{:?}", report.faults);
    assert!(
        report.faults[0].1.contains("校验码"),
        "{}",
        report.faults[0].1
    );
    assert!(
        report.faults[2].1.contains("成立日期"),
        "{}",
        report.faults[2].1
    );

    let r = sqlx::query(
        "SELECT name, legal_rep, address, established_on FROM subjects WHERE uscc = $1",
    )
    .bind(&known)
    .fetch_one(&state.db.pool)
    .await
    .unwrap();
    assert_eq!(r.get::<String, _>("name"), renamed);
    assert_eq!(
        r.get::<Option<String>, _>("legal_rep").as_deref(),
        Some("李四")
    );
    assert_eq!(
        r.get::<Option<String>, _>("established_on").as_deref(),
        Some("2019-05-01")
    );
    let former = scalar(&state, &format!(
        "SELECT COUNT(*) FROM subject_names n JOIN subjects s ON s.id = n.subject_id WHERE s.uscc = '{known}' AND n.name = '{old_name}'"
    ))
    .await;
    assert_eq!(former, 1);
    assert_eq!(
        scalar(
            &state,
            &format!("SELECT COUNT(*) FROM subjects WHERE uscc = '{}'", code(503))
        )
        .await,
        0
    );

    // The same file again changes nothing.
    let again = registry::import_file(&state, &Actor::named("test"), &file, "市场主体登记.csv")
        .await
        .unwrap();
    assert_eq!(
        (again.added, again.renamed, again.updated, again.unchanged),
        (0, 0, 0, 2)
    );

    // Staff find subjects by fragment or code start; a county user only within the county.
    let op = common::client();
    common::login_demo(&op, &base, "operator").await;
    let (status, body) = post(
        &op,
        &base,
        "subjects/search",
        &format!("q={}", &fresh[..10]),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let page: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(
        page["rows"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["name"] == "湘西登记新设有限公司"),
        "{body}"
    );
    let (status, body) = post(&op, &base, "subjects/subject", &format!("id={known_id}")).await;
    assert_eq!(status, 200, "{body}");
    let detail: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(detail["row"]["name"], renamed.as_str());
    assert_eq!(detail["names"][0][0], old_name.as_str());
    assert!(detail["source"].as_str().is_some());

    let county_user = common::client();
    common::login_demo(&county_user, &base, "county").await;
    let county_code: String =
        sqlx::query("SELECT county_code FROM users WHERE username = 'county'")
            .fetch_one(&state.db.pool)
            .await
            .unwrap()
            .get("county_code");
    let (status, body) = post(&county_user, &base, "subjects/search", "q=").await;
    assert_eq!(status, 200, "{body}");
    let page: serde_json::Value = serde_json::from_str(&body).unwrap();
    let rows = page["rows"].as_array().unwrap();
    assert!(!rows.is_empty());
    let outside = scalar(
        &state,
        &format!(
            "SELECT COUNT(*) FROM subjects WHERE COALESCE(county_code, '') <> '{county_code}'"
        ),
    )
    .await;
    assert!(outside > 0);
    assert_eq!(
        page["total"].as_i64().unwrap(),
        scalar(
            &state,
            &format!("SELECT COUNT(*) FROM subjects WHERE county_code = '{county_code}'")
        )
        .await
    );
    let (status, _) = post(
        &county_user,
        &base,
        "subjects/subject",
        &format!("id={known_id}"),
    )
    .await;
    assert_eq!(status, if county == county_code { 200 } else { 404 });
    let clerk = common::client();
    common::login_demo(&clerk, &base, "clerk").await;
    assert_eq!(post(&clerk, &base, "subjects/search", "q=").await.0, 403);
}
