//! Collection acceptance: a unit uploads a GBK CSV with v1 headers and an XLSX with Chinese headers;
//! planted faults come back with the right rule code and row; clean rows publish on confirm; the error
//! report round-trips; an update becomes a new version; hostile files are refused and change nothing.
// Test code: a panic here is a failing test (clippy.toml allows these lints in #[test] functions;
// the helpers of an integration test crate are test code as well).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
// Long scenario tests read top to bottom, one step after the other.
#![allow(clippy::too_many_lines)]
mod common;
use app::collect::service::confirm;
use app::collect::service::intake::{self, Submission};
use app::collect::service::pipeline::CheckOutcome;
use app::collect::service::{pipeline, report};
use app::rules::date::Ymd;
use app::server::AppState;
use common::collect::*;
use server::seed::{seed_demo, SeedOptions};
use sqlx::Row;

fn xlsx(rows: &[Vec<String>]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, v).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

const XLSX_HEADERS: &[&str] = &[
    "行政相对人名称",
    "行政相对人类别",
    "统一社会信用代码",
    "法定代表人",
    "行政处罚决定书文号",
    "违法行为类型",
    "违法事实",
    "处罚依据",
    "处罚类别",
    "处罚内容",
    "罚款金额（万元）",
    "处罚决定日期",
    "公示截止期",
    "处罚机关",
];

/// A penalty row from its varying cells: name, code, decision number, facts, basis, categories, fine,
/// display-until date and authority.
fn xlsx_row(
    [name, uscc, no, facts, basis, cats, fine, until, authority]: [&str; 9],
) -> Vec<String> {
    s(&[
        name,
        "法人及非法人组织",
        uscc,
        "张三",
        no,
        "违反产品质量管理规定",
        facts,
        basis,
        cats,
        "依法处理",
        fine,
        "2026-03-07",
        until,
        authority,
    ])
}

#[tokio::test]
async fn planted_faults_publish_update_and_error_report_round_trip() {
    let (state, unit) = setup().await;
    let auth = unit.name.as_str();
    let basis = "《中华人民共和国产品质量法》第四十九条";
    // 1. XLSX with Chinese headers.
    let book = xlsx(&[
        s(XLSX_HEADERS),
        xlsx_row([
            "湘西甲商贸有限公司",
            &code(1),
            "湘西市监罚〔2026〕101号",
            "销售不合格产品",
            basis,
            "罚款",
            "0.5",
            "",
            auth,
        ]),
        xlsx_row([
            "湘西乙商贸有限公司",
            &code(2),
            "湘西市监罚〔2026〕102号",
            "销售不合格产品",
            basis,
            "警告",
            "0.5",
            "",
            auth,
        ]),
        xlsx_row([
            "湘西丙商贸有限公司",
            &code(3),
            "湘西市监罚〔2026〕103号",
            "销售不合格产品",
            basis,
            "罚款",
            "1",
            "2026-01-01",
            auth,
        ]),
        xlsx_row([
            "湘西丁商贸有限公司",
            &code(4),
            "湘西市监罚〔2026〕104号",
            "生产不合格产品",
            basis,
            "责令停产停业",
            "",
            "",
            auth,
        ]),
        xlsx_row([
            "湘西戊商贸有限公司",
            &code(5),
            "湘西市监罚〔2026〕105号",
            "=HYPERLINK(\"http://x.invalid\")",
            "",
            "警告",
            "",
            "",
            auth,
        ]),
    ]);
    let before_subjects = scalar(&state, "SELECT COUNT(*) FROM subjects").await;
    let (xb, outcome) = upload(&state, &unit, "处罚.xlsx", &book).await;
    assert_eq!(outcome, CheckOutcome::Checked);
    let f = faults(&state, xb).await;
    assert!(f.contains(&(2, "FINE_WITHOUT_CATEGORY".into())), "{f:?}");
    assert!(
        f.contains(&(3, "DATE_DISPLAY_BEFORE_DECISION".into())),
        "{f:?}"
    );
    assert!(f.contains(&(5, "REQ_MISSING".into())), "{f:?}");
    assert_eq!(counts(&state, xb).await, [2, 0, 0, 3]);
    // Staged, not public yet.
    let public = "SELECT COUNT(*) FROM penalties WHERE published = 1 AND decision_no LIKE '湘西市监罚〔2026〕1%'";
    assert_eq!(scalar(&state, public).await, 0);
    let report = confirm::confirm(&state, xb, &actor())
        .await
        .expect("confirm");
    assert_eq!(report.published, 2);
    assert_eq!(scalar(&state, public).await, 2);
    assert_eq!(
        scalar(&state, "SELECT COUNT(*) FROM subjects").await,
        before_subjects + 2,
        "the two published rows' subjects join the registry"
    );
    // A second confirmation is refused.
    assert!(confirm::confirm(&state, xb, &actor()).await.is_err());

    // 2. GBK CSV with v1 headers.
    let header = "CF_WSH,CF_CFMC,CF_CFLB1,CF_CFLB2,CF_SY,CF_YJ,CF_XDR_MC,CF_XDR_SHXYM,CF_FR,CF_JG,CF_JDRQ,CF_XZJG,DFBM,BZ";
    let line = |no: &str,
                facts: &str,
                basis: &str,
                name: &str,
                code: &str,
                cat: &str,
                date: &str| {
        format!("{no},违反产品质量管理规定,{cat},,{facts},{basis},{name},{code},张三,依法处理,{date},{auth},433101,")
    };
    let rows = [
        line(
            "湘西市监罚〔2026〕201号",
            "无照经营",
            basis,
            "湘西己商贸有限公司",
            &code(6),
            "责令停产停业",
            "2026/04/01",
        ),
        line(
            "湘西市监罚〔2026〕202号",
            "无照经营",
            basis,
            "湘西庚商贸有限公司",
            &bad_check(7),
            "责令停产停业",
            "2026/04/01",
        ),
        line(
            "湘西市监罚〔2026〕203号",
            "无照经营",
            "",
            "湘西辛商贸有限公司",
            &code(8),
            "责令停产停业",
            "2026/04/01",
        ),
        line(
            "湘西市监罚〔2026〕204号",
            "当事人王五（身份证11010519491231002X）无照经营",
            basis,
            "湘西壬商贸有限公司",
            &code(9),
            "责令停产停业",
            "2026/04/01",
        ),
        line(
            "湘西市监罚〔2026〕201号",
            "无照经营",
            basis,
            "湘西己商贸有限公司",
            &code(6),
            "责令停产停业",
            "2026/04/01",
        ),
        line(
            "湘西市监罚〔2026〕104号",
            "生产不合格产品，且拒不改正",
            basis,
            "湘西丁商贸有限公司",
            &code(4),
            "责令停产停业",
            "2026年3月7日",
        ),
    ];
    let text = format!("{header}\r\n{}\r\n", rows.join("\r\n"));
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    let (cb, outcome) = upload(&state, &unit, "处罚v1.csv", &gbk).await;
    assert_eq!(outcome, CheckOutcome::Checked);
    let enc: String = sqlx::query("SELECT encoding FROM batches WHERE id = $1")
        .bind(cb)
        .fetch_one(&state.db.pool)
        .await
        .unwrap()
        .get(0);
    assert_eq!(enc, "GBK/GB18030");
    let f = faults(&state, cb).await;
    assert!(f.contains(&(2, "USCC_CHECK_CHAR".into())), "{f:?}");
    assert!(f.contains(&(3, "REQ_MISSING".into())), "{f:?}");
    // An ID number in the facts is masked by the platform: a warning, the row publishes (masked).
    assert!(f.contains(&(4, "TEXT_ID_UNMASKED".into())), "{f:?}");
    assert!(f.contains(&(5, "DUPLICATE".into())), "{f:?}");
    assert_eq!(counts(&state, cb).await, [2, 1, 1, 2]);

    // The error report: faulty rows as sent, with reasons; fix them and upload the report itself.
    let rep = report::faulty_rows(&state, cb).await.unwrap();
    assert_eq!(rep.rows.len(), 2);
    assert_eq!(rep.headers.first().map(String::as_str), Some("原行号"));
    assert_eq!(rep.headers.last().map(String::as_str), Some("错误说明"));
    assert!(rep.rows[0].last().unwrap().contains("校验码"));
    let file = server::http::export::xlsx(
        "错误数据",
        &rep.headers.iter().map(String::as_str).collect::<Vec<_>>(),
        &rep.rows,
    )
    .unwrap();
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(file)).unwrap();
    use calamine::Reader;
    let range = book.worksheet_range("错误数据").unwrap();
    let mut table: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(table[1][0], "2");
    let col = |name: &str| table[0].iter().position(|h| h == name).unwrap();
    let (c_code, c_basis, c_facts) = (col("CF_XDR_SHXYM"), col("CF_YJ"), col("CF_SY"));
    table[1][c_code] = code(7);
    table[2][c_basis] = basis.into();
    assert_eq!(table[2][c_facts], "无照经营");
    let fixed = xlsx(&table);
    let (fb, outcome) = upload(&state, &unit, "错误数据-已修改.xlsx", &fixed).await;
    assert_eq!(outcome, CheckOutcome::Checked);
    assert_eq!(
        counts(&state, fb).await,
        [2, 0, 0, 0],
        "{:?}",
        faults(&state, fb).await
    );

    // As if its period had ended and the take-down job had run: the correction's new period (a serious
    // penalty of March 2026, shown until 2029) puts it back on display.
    sqlx::query("UPDATE penalties SET taken_down_at = '2026-05-01T00:00:00Z' WHERE decision_no = '湘西市监罚〔2026〕104号'")
        .execute(&state.db.pool)
        .await
        .unwrap();
    // Confirm the CSV: two new records (one with its ID number masked), one update with a version.
    let done = confirm::confirm(&state, cb, &actor()).await.unwrap();
    assert_eq!((done.published, done.updated), (2, 1));
    let facts: String = sqlx::query(
        "SELECT violation_facts FROM penalties WHERE decision_no = '湘西市监罚〔2026〕204号'",
    )
    .fetch_one(&state.db.pool)
    .await
    .unwrap()
    .get(0);
    assert_eq!(facts, "当事人王五（身份证110105********002X）无照经营");
    let r = sqlx::query("SELECT id, version, violation_facts, taken_down_at FROM penalties WHERE decision_no = '湘西市监罚〔2026〕104号'")
        .fetch_one(&state.db.pool)
        .await
        .unwrap();
    assert_eq!(r.get::<i64, _>("version"), 2);
    assert_eq!(
        r.get::<String, _>("violation_facts"),
        "生产不合格产品，且拒不改正"
    );
    assert_eq!(r.get::<Option<String>, _>("taken_down_at"), None);
    let v = sqlx::query("SELECT version, action, changes FROM record_versions WHERE record_kind = 'penalty' AND record_id = $1")
        .bind(r.get::<i64, _>("id"))
        .fetch_one(&state.db.pool)
        .await
        .unwrap();
    assert_eq!(v.get::<i64, _>("version"), 2);
    assert_eq!(v.get::<String, _>("action"), "update");
    let changes: Vec<confirm::Change> =
        serde_json::from_str(&v.get::<String, _>("changes")).unwrap();
    let facts = changes
        .iter()
        .find(|c| c.field == "violation_facts")
        .expect("facts changed");
    assert_eq!(facts.from, "生产不合格产品");
    assert_eq!(facts.to, "生产不合格产品，且拒不改正");
}

#[tokio::test]
async fn formula_cells_are_neutralised_in_the_error_report() {
    let (state, unit) = setup().await;
    let book = xlsx(&[
        s(XLSX_HEADERS),
        xlsx_row([
            "湘西戊商贸有限公司",
            &code(5),
            "湘西市监罚〔2026〕105号",
            "=1+2",
            "",
            "警告",
            "",
            "",
            &unit.name,
        ]),
        xlsx_row([
            "湘西戊商贸有限公司",
            &code(5),
            "@SUM(A1)",
            "-3+4",
            "",
            "+警告",
            "",
            "",
            &unit.name,
        ]),
    ]);
    let (b, _) = upload(&state, &unit, "f.xlsx", &book).await;
    let rep = report::faulty_rows(&state, b).await.unwrap();
    assert_eq!(rep.rows.len(), 2);
    let file = server::http::export::xlsx(
        "错误数据",
        &rep.headers.iter().map(String::as_str).collect::<Vec<_>>(),
        &rep.rows,
    )
    .unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(file)).unwrap();
    let mut sheet = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut sheet,
    )
    .unwrap();
    assert!(!sheet.contains("<f>"), "no formula in the report");
    let mut styles = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/styles.xml").unwrap(), &mut styles).unwrap();
    assert!(
        styles.contains("quotePrefix=\"1\""),
        "formula-like cells carry the quote prefix"
    );
    for v in ["=1+2", "@SUM(A1)", "-3+4", "+警告"] {
        assert!(server::http::export::looks_like_formula(v));
    }
}

/// Hostile and broken files: each refused with a clear message, nothing stored changes.
#[tokio::test]
async fn bad_files_are_refused_and_change_nothing() {
    let url = common::fresh_database_url().await;
    let state = common::state_with_config(
        common::test_config_with(&url, &[("APP_UPLOAD_MAX_MB", "10")]),
        app::server::clock::Clock::adjustable(),
    )
    .await;
    seed_demo(
        &state,
        &SeedOptions {
            subjects: 10,
            seed: 1,
            as_of: Ymd::new(2026, 11, 29),
        },
        |_, _| {},
    )
    .await
    .unwrap();
    let unit_id: i64 = scalar(&state, "SELECT id FROM departments WHERE code = 'scjg'").await;
    let unit = Unit {
        id: unit_id,
        name: String::new(),
    };
    let snapshot = |state: AppState| async move {
        (
            scalar(&state, "SELECT COUNT(*) FROM penalties").await,
            scalar(&state, "SELECT COUNT(*) FROM subjects").await,
            scalar(&state, "SELECT COUNT(*) FROM batch_rows").await,
        )
    };
    let before = snapshot(state.clone()).await;
    let sub = Submission {
        class_code: "penalty",
        department_id: unit.id,
        user_id: None,
        channel: "file",
    };

    // Refused at upload: empty, executable, legacy/encrypted workbook, over the size limit.
    let exe = [b"MZ\x90\x00".as_slice(), &[0u8; 100]].concat();
    let ole = [
        [0xD0u8, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1].as_slice(),
        &[0u8; 100],
    ]
    .concat();
    let big = vec![b'a'; 11 * 1024 * 1024];
    for (bytes, needle) in [
        (Vec::new(), "空"),
        (exe, "不是表格"),
        (ole, "加密"),
        (big, "超过上限"),
    ] {
        let e = intake::create_file_batch(&state, &sub, "x.pdf", &bytes)
            .await
            .expect_err("refused");
        assert!(e.to_string().contains(needle), "{e}");
    }

    // Refused while checking: the batch fails with the reason.
    let book = xlsx(&[s(XLSX_HEADERS), s(&["湘西"])]);
    let truncated = book[..book.len() / 2].to_vec();
    let mut bomb = Vec::new();
    {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(&mut bomb));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        w.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
        let zeros = vec![b'0'; 1024 * 1024];
        for _ in 0..200 {
            std::io::Write::write_all(&mut w, &zeros).unwrap();
        }
        w.finish().unwrap();
    }
    let wide = format!("{}\n", vec!["CF_WSH"; 1_000_000].join(","));
    let huge_cell = format!(
        "CF_WSH,CF_SY\n湘西市监罚〔2026〕1号,{}\n",
        "事".repeat(1_000_000 / 3 + 1)
    );
    let mixed: Vec<u8> = [
        b"CF_WSH,CF_SY\n".as_slice(),
        &[0x81, 0x20, 0xFF, 0xFE, 0x80, 0x0A],
    ]
    .concat();
    for (name, bytes, needle) in [
        ("truncated.xlsx", truncated, "损坏"),
        ("bomb.xlsx", bomb, "压缩炸弹"),
        ("wide.csv", wide.into_bytes(), "列"),
        ("cell.csv", huge_cell.into_bytes(), "单元格上限"),
        ("mixed.csv", mixed, "编码"),
    ] {
        let (id, _) = intake::create_file_batch(&state, &sub, name, &bytes)
            .await
            .expect(name);
        match pipeline::check_file(&state, id).await.expect(name) {
            CheckOutcome::Failed(message) => assert!(message.contains(needle), "{name}: {message}"),
            other => panic!("{name}: {other:?}"),
        }
    }
    assert_eq!(snapshot(state.clone()).await, before);
}

/// A withdrawal takes the record off public view at once, is a version with its reason, is audited,
/// and a clerk of another unit cannot even see the record.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn withdrawal_is_a_version_and_leaves_public_view_at_once() {
    let (state, _) = setup().await;
    let base = common::serve(state.clone()).await;
    let clerk_unit: i64 = scalar(
        &state,
        "SELECT department_id FROM users WHERE username = 'clerk'",
    )
    .await;
    // One of the home page's latest penalties (its query), from a unit other than the clerk's.
    let today = state.clock.today().iso();
    let r = sqlx::query(&format!(
        "SELECT public_id, decision_no, department_id FROM penalties WHERE published = 1 AND withdrawn = 0 \
         AND repaired = 0 AND display_until >= '{today}' AND subject_category <> '自然人' AND severity <> 'minor' \
         ORDER BY decision_date DESC, id DESC LIMIT 8"
    ))
    .fetch_all(&state.db.pool)
    .await
    .unwrap()
    .into_iter()
    .find(|r| r.get::<i64, _>("department_id") != clerk_unit)
    .expect("a home-page penalty of another unit");
    let (id, decision_no): (String, String) = (r.get("public_id"), r.get("decision_no"));
    let home = reqwest::get(format!("{base}/"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        home.contains(&decision_no),
        "the record is on the home page before"
    );

    let clerk = common::client();
    common::login_demo(&clerk, &base, "clerk").await;
    let (status, _) = post(
        &clerk,
        &base,
        "records/record",
        &format!("kind=penalty&id={id}"),
    )
    .await;
    assert_eq!(
        status, 404,
        "outside the clerk's unit the record does not exist for them"
    );
    let (status, _) = post(
        &clerk,
        &base,
        "records/withdraw",
        &format!("kind=penalty&id={id}&reason=试图撤下别人的记录"),
    )
    .await;
    assert_eq!(status, 404);

    let op = common::client();
    common::login_demo(&op, &base, "operator").await;
    let (status, body) = post(
        &op,
        &base,
        "records/withdraw",
        &format!("kind=penalty&id={id}&reason=短"),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("撤下原因"), "{body}");
    let reason = "处罚决定已被撤销（行政复议决定）";
    let (status, body) = post(
        &op,
        &base,
        "records/withdraw",
        &format!("kind=penalty&id={id}&reason={reason}"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = post(
        &op,
        &base,
        "records/record",
        &format!("kind=penalty&id={id}"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let detail: app::collect::model::RecordDetail = serde_json::from_str(&body).unwrap();
    assert_eq!(detail.state, "已撤下");
    assert_eq!(detail.versions.len(), 2);
    assert_eq!(detail.versions[1].version, 2);
    assert_eq!(detail.versions[1].reason, reason);
    assert_eq!(detail.versions[1].changes[0].to, "已撤下");
    assert!(!detail.can_withdraw);
    // Off the portal at once: the home page's latest penalties no longer list it.
    let home = reqwest::get(format!("{base}/"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !home.contains(&decision_no),
        "withdrawn record still on the home page"
    );
    assert_eq!(
        scalar(
            &state,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'collect.record_withdraw'"
        )
        .await,
        1
    );
    // A second withdrawal is refused, not a second version.
    let (status, _) = post(
        &op,
        &base,
        "records/withdraw",
        &format!("kind=penalty&id={id}&reason={reason}"),
    )
    .await;
    assert_eq!(status, 409);
}

async fn api(
    c: &reqwest::Client,
    method: reqwest::Method,
    url: String,
    key: Option<&str>,
    body: Option<serde_json::Value>,
) -> (u16, serde_json::Value) {
    let mut r = c.request(method, url);
    if let Some(k) = key {
        r = r.header("authorization", format!("Bearer {k}"));
    }
    if let Some(b) = body {
        r = r.json(&b);
    }
    let res = r.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(serde_json::Value::Null))
}

/// The same planted faults sent by the REST API come back as structured faults with stable codes;
/// keys are scoped, revocable and checked on every call; the OpenAPI document describes the routes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_reports_the_same_faults_with_stable_codes() {
    use reqwest::Method;
    let (state, unit) = setup().await;
    let base = common::serve(state.clone()).await;
    let (_, key) = app::collect::service::api_keys::create(
        &state,
        &app::server::audit::Actor::named("test"),
        unit.id,
        "处罚系统",
        &["penalty".into()],
        None,
    )
    .await
    .unwrap();
    let c = reqwest::Client::new();
    let basis = "《中华人民共和国产品质量法》第四十九条";
    let record = |no: &str, code: &str, cats: &str, fine: &str, facts: &str| {
        serde_json::json!({
            "CF_XDR_MC": format!("湘西接口{no}有限公司"), "CF_XDR_LB": "法人及非法人组织", "CF_XDR_SHXYM": code,
            "CF_FRDB": "张三", "CF_WSH": format!("湘西市监罚〔2026〕接口{no}号"), "CF_WFXW": "违反产品质量管理规定",
            "CF_SY": facts, "CF_YJ": basis, "CF_CFLB": cats, "CF_NR": "依法处理", "CF_NR_FK": fine,
            "CF_JDRQ": "2026-03-07", "CF_CFJG": unit.name,
        })
    };
    let body = serde_json::json!({ "records": [
        record("1", &code(11), "罚款", "0.5", "销售不合格产品"),
        record("2", &bad_check(12), "罚款", "0.5", "销售不合格产品"),
        record("3", &code(13), "警告", "0.5", "销售不合格产品"),
        record("4", &code(14), "罚款", "0.5", "当事人（身份证11010519491231002X）销售不合格产品"),
        record("1", &code(11), "罚款", "0.5", "销售不合格产品"),
    ]});
    let url = format!("{base}/api/v1/batches/penalty");

    // No key, a wrong key, a key without the class: refused with structured errors.
    let (status, e) = api(&c, Method::POST, url.clone(), None, Some(body.clone())).await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (401, Some("UNAUTHORIZED"))
    );
    let (status, _) = api(
        &c,
        Method::POST,
        url.clone(),
        Some("xxc_00000000_nope"),
        Some(body.clone()),
    )
    .await;
    assert_eq!(status, 401);
    let (status, e) = api(
        &c,
        Method::POST,
        format!("{base}/api/v1/batches/licence"),
        Some(&key),
        Some(body.clone()),
    )
    .await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (403, Some("FORBIDDEN"))
    );
    let (status, e) = api(
        &c,
        Method::POST,
        url.clone(),
        Some(&key),
        Some(serde_json::json!({"rows": 1})),
    )
    .await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (400, Some("BAD_JSON"))
    );

    let (status, r) = api(&c, Method::POST, url.clone(), Some(&key), Some(body)).await;
    assert_eq!(status, 201, "{r}");
    let faults: Vec<(i64, String)> = r["faults"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["row"].as_i64().unwrap(),
                f["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for expected in [
        (2, "USCC_CHECK_CHAR"),
        (3, "FINE_WITHOUT_CATEGORY"),
        (4, "TEXT_ID_UNMASKED"),
        (5, "DUPLICATE"),
    ] {
        assert!(
            faults.contains(&(expected.0, expected.1.to_string())),
            "{expected:?} in {faults:?}"
        );
    }
    assert_eq!(r["status"], "checked");
    // Row 4's ID number is masked by the platform (a warning): it is not a faulty row.
    assert_eq!(
        (
            r["rows_new"].as_i64(),
            r["rows_faulty"].as_i64(),
            r["rows_duplicate"].as_i64()
        ),
        (Some(2), Some(2), Some(1))
    );
    let id = r["batch_id"].as_str().unwrap().to_string();
    let (status, got) = api(
        &c,
        Method::GET,
        format!("{base}/api/v1/batches/{id}"),
        Some(&key),
        None,
    )
    .await;
    assert_eq!((status, got["rows_faulty"].as_i64()), (200, Some(2)));
    let (status, done) = api(
        &c,
        Method::POST,
        format!("{base}/api/v1/batches/{id}/confirm"),
        Some(&key),
        None,
    )
    .await;
    assert_eq!(
        (status, done["published"].as_u64()),
        (200, Some(2)),
        "{done}"
    );
    let (status, e) = api(
        &c,
        Method::POST,
        format!("{base}/api/v1/batches/{id}/confirm"),
        Some(&key),
        None,
    )
    .await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (409, Some("CONFLICT"))
    );

    // Another unit's key does not see this batch; a revoked key stops working at once.
    let other: i64 = scalar(
        &state,
        "SELECT id FROM departments WHERE code <> 'scjg' ORDER BY id LIMIT 1",
    )
    .await;
    let (other_id, other_key) = app::collect::service::api_keys::create(
        &state,
        &app::server::audit::Actor::named("test"),
        other,
        "其他",
        &["penalty".into()],
        None,
    )
    .await
    .unwrap();
    let (status, _) = api(
        &c,
        Method::GET,
        format!("{base}/api/v1/batches/{id}"),
        Some(&other_key),
        None,
    )
    .await;
    assert_eq!(status, 404);
    app::collect::service::api_keys::revoke(
        &state,
        &app::server::audit::Actor::named("test"),
        &other_id,
    )
    .await
    .unwrap();
    let (status, _) = api(
        &c,
        Method::GET,
        format!("{base}/api/v1/batches/{id}"),
        Some(&other_key),
        None,
    )
    .await;
    assert_eq!(status, 401);
    // Keys are stored only as hashes.
    let stored = scalar(
        &state,
        &format!("SELECT COUNT(*) FROM api_keys WHERE key_hash = '{key}'"),
    )
    .await;
    assert_eq!(stored, 0);

    let (status, doc) = api(
        &c,
        Method::GET,
        format!("{base}/api/v1/openapi.json"),
        None,
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for p in [
        "/api/v1/batches/{class}",
        "/api/v1/batches/{id}",
        "/api/v1/batches/{id}/confirm",
    ] {
        assert!(doc["paths"][p].is_object(), "{p} documented");
    }
}

/// A name that differs from the registry's name for the same code is a warning, the record publishes,
/// and the conflict becomes an operator task; taking the new name keeps the old one in the history.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_name_code_conflict_becomes_a_task_the_operator_resolves() {
    let (state, unit) = setup().await;
    let base = common::serve(state.clone()).await;
    let r = sqlx::query("SELECT uscc, name FROM subjects WHERE kind = 'organisation' AND uscc IS NOT NULL ORDER BY id LIMIT 1")
        .fetch_one(&state.db.pool)
        .await
        .unwrap();
    let (code, old_name): (String, String) = (r.get("uscc"), r.get("name"));
    let new_name = format!("{old_name}（更名后）");
    let book = xlsx(&[
        s(XLSX_HEADERS),
        xlsx_row([
            &new_name,
            &code,
            "湘西市监罚〔2026〕301号",
            "销售不合格产品",
            "《产品质量法》第四十九条",
            "罚款",
            "0.5",
            "",
            &unit.name,
        ]),
    ]);
    let (b, _) = upload(&state, &unit, "更名.xlsx", &book).await;
    assert!(faults(&state, b)
        .await
        .contains(&(1, "NAME_CODE_CONFLICT".into())));
    assert_eq!(
        counts(&state, b).await,
        [1, 0, 0, 0],
        "a warning does not stop the row"
    );
    let report = confirm::confirm(&state, b, &actor()).await.unwrap();
    assert_eq!((report.published, report.conflicts), (1, 1));

    let op = common::client();
    common::login_demo(&op, &base, "operator").await;
    let (status, body) = post(&op, &base, "collect/conflicts", "").await;
    assert_eq!(status, 200, "{body}");
    let page: serde_json::Value = serde_json::from_str(&body).unwrap();
    let task = &page["rows"][0];
    assert_eq!(task["registry_name"], old_name.as_str());
    assert_eq!(task["incoming_name"], new_name.as_str());
    let id = task["public_id"].as_str().unwrap().to_string();
    // A clerk may not resolve it.
    let clerk = common::client();
    common::login_demo(&clerk, &base, "clerk").await;
    let (status, _) = post(
        &clerk,
        &base,
        "collect/conflict_resolve",
        &format!("id={id}&decision=rename"),
    )
    .await;
    assert_eq!(status, 403);
    let (status, body) = post(
        &op,
        &base,
        "collect/conflict_resolve",
        &format!("id={id}&decision=rename"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let name: String = sqlx::query("SELECT name FROM subjects WHERE uscc = $1")
        .bind(&code)
        .fetch_one(&state.db.pool)
        .await
        .unwrap()
        .get(0);
    assert_eq!(name, new_name);
    let history = scalar(&state, &format!(
        "SELECT COUNT(*) FROM subject_names n JOIN subjects s ON s.id = n.subject_id WHERE s.uscc = '{code}' AND n.name = '{old_name}'"
    ))
    .await;
    assert_eq!(history, 1, "the old name stays in the history");
    let (status, _) = post(
        &op,
        &base,
        "collect/conflict_resolve",
        &format!("id={id}&decision=keep"),
    )
    .await;
    assert_eq!(status, 404, "a closed task is not resolved twice");
    assert_eq!(
        scalar(
            &state,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'collect.conflict_resolve'"
        )
        .await,
        1
    );
}

fn form_body(class: &str, extra: &str, pairs: &[(&str, &str)]) -> String {
    let mut body = form_urlencoded::Serializer::new(String::new());
    body.append_pair("class", class);
    for (k, v) in pairs {
        body.append_pair(&format!("record[{k}]"), v);
    }
    let body = body.finish();
    if extra.is_empty() {
        body
    } else {
        format!("{body}&{extra}")
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_web_form_checks_one_record_in_the_clerks_own_unit() {
    let (state, _) = setup().await;
    let base = common::serve(state.clone()).await;
    let clerk = common::client();
    common::login_demo(&clerk, &base, "clerk").await;
    let r = sqlx::query(
        "SELECT d.id, d.name FROM users u JOIN departments d ON d.id = u.department_id WHERE u.username = 'clerk'",
    )
    .fetch_one(&state.db.pool)
    .await
    .unwrap();
    let (own_id, own_name): (i64, String) = (r.get("id"), r.get("name"));
    let other: i64 = scalar(
        &state,
        &format!("SELECT MIN(id) FROM departments WHERE id <> {own_id}"),
    )
    .await;

    // The spec is the clerk's own unit's, whatever unit the request names.
    let (status, body) = post(
        &clerk,
        &base,
        "collect/form_spec",
        &format!("class=penalty&department={other}"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let spec: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(spec["department_id"], own_id);
    assert_eq!(spec["unit"]["name"], own_name.as_str());
    assert!(spec["class"]["fields"].as_array().unwrap().len() > 20);

    let good = code(41);
    let record = [
        ("subject_name", "湘西表单测试有限公司"),
        ("subject_category", "法人及非法人组织"),
        ("subject_uscc", good.as_str()),
        ("legal_rep", "王五"),
        ("decision_no", "湘西市监罚〔2026〕901号"),
        ("violation_type", "销售不合格产品"),
        ("violation_facts", "经查，当事人销售不合格产品。"),
        ("legal_basis", "《产品质量法》第四十九条"),
        ("categories", "警告；罚款"),
        ("content", "警告并处罚款0.5万元"),
        ("fine", "0.5"),
        ("decision_date", "2026-03-07"),
        ("authority", own_name.as_str()),
    ];
    let batches_before = scalar(&state, "SELECT COUNT(*) FROM batches").await;
    let (status, body) = post(
        &clerk,
        &base,
        "collect/form_submit",
        &form_body("penalty", &format!("department={other}"), &record),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let public_id: String = serde_json::from_str(&body).unwrap();
    let b = sqlx::query("SELECT id, channel, status, department_id, rows_new, rows_faulty FROM batches WHERE public_id = $1")
        .bind(&public_id)
        .fetch_one(&state.db.pool)
        .await
        .unwrap();
    let batch: i64 = b.get("id");
    assert_eq!(b.get::<String, _>("channel"), "form");
    assert_eq!(b.get::<String, _>("status"), "checked");
    assert_eq!(
        b.get::<i64, _>("department_id"),
        own_id,
        "a clerk cannot submit for another unit"
    );
    assert_eq!(
        (b.get::<i64, _>("rows_new"), b.get::<i64, _>("rows_faulty")),
        (1, 0),
        "{:?}",
        faults(&state, batch).await
    );
    let (status, body) = post(
        &clerk,
        &base,
        "collect/batch_confirm",
        &format!("id={public_id}"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let published = scalar(&state, "SELECT COUNT(*) FROM penalties WHERE decision_no = '湘西市监罚〔2026〕901号' AND published = 1").await;
    assert_eq!(published, 1);
    let audited = scalar(&state, &format!("SELECT COUNT(*) FROM audit_events WHERE action = 'collect.form_submit' AND object_id = '{public_id}'")).await;
    assert_eq!(audited, 1);

    // Planted faults come back on row 1 with their rule codes, as for a file.
    let bad = bad_check(42);
    let mut faulty = record.to_vec();
    faulty.retain(|(k, _)| !matches!(*k, "subject_uscc" | "fine" | "decision_no"));
    faulty.push(("subject_uscc", bad.as_str()));
    faulty.push(("decision_no", "湘西市监罚〔2026〕902号"));
    let (status, body) = post(
        &clerk,
        &base,
        "collect/form_submit",
        &form_body("penalty", "", &faulty),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let public_id: String = serde_json::from_str(&body).unwrap();
    let batch = scalar(
        &state,
        &format!("SELECT id FROM batches WHERE public_id = '{public_id}'"),
    )
    .await;
    let found = faults(&state, batch).await;
    assert!(found.contains(&(1, "USCC_CHECK_CHAR".into())), "{found:?}");
    assert!(
        found.contains(&(1, "FINE_AMOUNT_MISSING".into())),
        "{found:?}"
    );
    assert_eq!(counts(&state, batch).await[3], 1);

    // Bad input: an unknown field and an empty form are refused with the field named; no batch.
    let before = scalar(&state, "SELECT COUNT(*) FROM batches").await;
    assert_eq!(before, batches_before + 2);
    let (status, body) = post(
        &clerk,
        &base,
        "collect/form_submit",
        &form_body("penalty", "", &[("no_such_field", "x")]),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("FIELD_UNKNOWN"), "{body}");
    let (status, body) = post(
        &clerk,
        &base,
        "collect/form_submit",
        &form_body("penalty", "", &[("subject_name", "  ")]),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("FORM_EMPTY"), "{body}");
    assert_eq!(scalar(&state, "SELECT COUNT(*) FROM batches").await, before);

    // The credit office names the unit; without one it is asked to.
    let op = common::client();
    common::login_demo(&op, &base, "operator").await;
    let (status, body) = post(&op, &base, "collect/form_spec", "class=penalty").await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("请选择报送单位"), "{body}");
    let (status, body) = post(
        &op,
        &base,
        "collect/form_spec",
        &format!("class=penalty&department={other}"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    // A county user only watches: no form.
    let county = common::client();
    common::login_demo(&county, &base, "county").await;
    let (status, _) = post(&county, &base, "collect/form_spec", "class=penalty").await;
    assert_eq!(status, 403);
}

/// Issue 17 item 12: a v1 GBK file as a department's old system writes it — CF_ZT and SJC columns, no
/// authority code column, the authority written by its full name (and by an alias) — passes with no
/// fault on its clean rows; the authority's code is filled from the department register and marked
/// with its source; a revoked row (CF_ZT = 1) is stored withdrawn; only the genuinely faulty rows fail.
#[tokio::test]
async fn a_departments_v1_gbk_file_passes_with_full_authority_names() {
    let (state, unit) = setup().await;
    state
        .clock
        .set(time::macros::datetime!(2026-12-01 02:00 UTC))
        .expect("adjustable clock");
    let unit_uscc: String = sqlx::query("SELECT uscc FROM departments WHERE id = $1")
        .bind(unit.id)
        .fetch_one(&state.db.pool)
        .await
        .unwrap()
        .get(0);
    let ecology_uscc: String = sqlx::query("SELECT uscc FROM departments WHERE code = 'sthj'")
        .fetch_one(&state.db.pool)
        .await
        .unwrap()
        .get(0);
    let basis = "《中华人民共和国产品质量法》第四十九条";
    let header = "CF_WSH,CF_CFMC,CF_CFLB1,CF_CFLB2,CF_SY,CF_YJ,CF_XDR_MC,CF_XDR_SHXYM,CF_FR,CF_JG,CF_JDRQ,CF_XZJG,CF_ZT,DFBM,SJC,BZ";
    let line = |no: u32, name: &str, code: &str, authority: &str, state: &str| {
        format!(
            "湘西市监罚〔2026〕{no}号,违反产品质量管理规定,责令停产停业,,生产不合格产品,{basis},{name},{code},张三,责令停产停业,2026/10/{:02},{authority},{state},433101,2026-10-31 18:20:05,"
            , no % 28 + 1
        )
    };
    let full = "湘西土家族苗族自治州市场监督管理局";
    let rows = [
        line(301, "湘西子商贸有限公司", &code(31), full, "0"),
        line(302, "湘西丑商贸有限公司", &code(32), full, "0"),
        line(303, "湘西寅商贸有限公司", &code(33), "州市场监管局", "0"),
        line(
            304,
            "湘西卯商贸有限公司",
            &code(34),
            "湘西土家族苗族自治州生态环境局",
            "0",
        ),
        line(305, "湘西辰商贸有限公司", &code(35), full, "1"),
        // Genuinely faulty: a wrong check character; an authority nobody knows.
        line(306, "湘西巳商贸有限公司", &bad_check(36), full, "0"),
        line(307, "湘西午商贸有限公司", &code(37), "湘西州不存在局", "0"),
    ];
    let text = format!("{header}\r\n{}\r\n", rows.join("\r\n"));
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    let (batch, outcome) = upload(&state, &unit, "行政处罚v1.csv", &gbk).await;
    assert_eq!(outcome, CheckOutcome::Checked, "v1 codes need no mapping");
    let errors: Vec<(i64, String)> = sqlx::query(
        "SELECT row_no, rule_code FROM batch_faults WHERE batch_id = $1 AND level = 'error' ORDER BY row_no",
    )
    .bind(batch)
    .fetch_all(&state.db.pool)
    .await
    .unwrap()
    .iter()
    .map(|r| (r.get("row_no"), r.get("rule_code")))
    .collect();
    assert_eq!(
        errors,
        vec![
            (6, "USCC_CHECK_CHAR".to_string()),
            (7, "AUTHORITY_UNKNOWN".to_string())
        ],
        "only the genuinely faulty rows fail: {:?}",
        faults(&state, batch).await
    );
    assert_eq!(counts(&state, batch).await, [5, 0, 0, 2]);
    let message: String = sqlx::query(
        "SELECT message FROM batch_faults WHERE batch_id = $1 AND rule_code = 'AUTHORITY_UNKNOWN'",
    )
    .bind(batch)
    .fetch_one(&state.db.pool)
    .await
    .unwrap()
    .get(0);
    assert!(message.contains("湘西州不存在局"), "{message}");
    let done = confirm::confirm(&state, batch, &actor()).await.unwrap();
    assert_eq!(done.published, 5);
    let stored = sqlx::query(
        "SELECT decision_no, authority, authority_uscc, filled, state, withdrawn FROM penalties \
         WHERE decision_no LIKE '湘西市监罚〔2026〕30%' ORDER BY decision_no",
    )
    .fetch_all(&state.db.pool)
    .await
    .unwrap();
    assert_eq!(stored.len(), 5);
    for r in &stored {
        let no: String = r.get("decision_no");
        let expected = if no.contains("304") {
            &ecology_uscc
        } else {
            &unit_uscc
        };
        assert_eq!(&r.get::<String, _>("authority_uscc"), expected, "{no}");
        let filled: String = r.get("filled");
        assert!(
            filled.contains("authority_uscc:信源单位名录"),
            "{no}: {filled}"
        );
        let revoked = no.contains("305");
        assert_eq!(
            r.get::<String, _>("state"),
            if revoked { "撤销" } else { "有效" }
        );
        assert_eq!(r.get::<i64, _>("withdrawn"), i64::from(revoked), "{no}");
    }
    // The authority is kept as the unit wrote it.
    assert_eq!(stored[0].get::<String, _>("authority"), full);
}

/// Issue 17 item 12: the org console keeps every name a department goes by. The system admin adds an
/// alias; the next check fills the authority's code from it (before, the same row was faulty); a name
/// another department already goes by is refused, so that a name never points at two departments.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn department_aliases_are_edited_in_the_console_and_fill_the_next_check() {
    let (state, unit) = setup().await;
    state
        .clock
        .set(time::macros::datetime!(2026-12-01 02:00 UTC))
        .expect("adjustable clock");
    let base = common::serve(state.clone()).await;
    let r = sqlx::query(
        "SELECT public_id, code, name, uscc, county_code FROM departments WHERE id = $1",
    )
    .bind(unit.id)
    .fetch_one(&state.db.pool)
    .await
    .unwrap();
    let (public_id, dept_code, name, uscc, county): (String, String, String, String, String) = (
        r.get("public_id"),
        r.get("code"),
        r.get("name"),
        r.get("uscc"),
        r.get("county_code"),
    );
    let csv = format!(
        "CF_WSH,CF_CFMC,CF_CFLB1,CF_SY,CF_YJ,CF_XDR_MC,CF_XDR_SHXYM,CF_FR,CF_JG,CF_JDRQ,CF_XZJG\n\
         湘西市监罚〔2026〕401号,违反产品质量管理规定,责令停产停业,生产不合格产品,《产品质量法》第四十九条,湘西未商贸有限公司,{},张三,责令停产停业,2026-11-02,湘西州市监局\n",
        code(41)
    );
    let (before, _) = upload(&state, &unit, "别名前.csv", csv.as_bytes()).await;
    assert_eq!(
        faults(&state, before).await,
        vec![(1, "AUTHORITY_UNKNOWN".to_string())]
    );
    confirm::discard(&state, before, &actor()).await.unwrap();

    let admin = common::client();
    common::login_demo(&admin, &base, "sysadmin").await;
    let save = |client: reqwest::Client, fields: Vec<(&'static str, String)>| {
        let url = format!("{base}/api/admin/department_save");
        async move {
            let r = client.post(url).form(&fields).send().await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    let (status, body) = save(
        admin.clone(),
        vec![
            ("id", public_id.clone()),
            ("code", dept_code.clone()),
            ("name", name.clone()),
            ("full_name", "湘西土家族苗族自治州市场监督管理局".into()),
            ("aliases", "州市场监管局；湘西州市监局".into()),
            ("uscc", uscc.clone()),
            ("county_code", county.clone()),
            ("active", "true".into()),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let aliases: String = sqlx::query("SELECT aliases FROM departments WHERE id = $1")
        .bind(unit.id)
        .fetch_one(&state.db.pool)
        .await
        .unwrap()
        .get(0);
    assert_eq!(aliases, "州市场监管局;湘西州市监局");

    let (after, _) = upload(&state, &unit, "别名后.csv", csv.as_bytes()).await;
    assert_eq!(
        counts(&state, after).await,
        [1, 0, 0, 0],
        "{:?}",
        faults(&state, after).await
    );
    confirm::confirm(&state, after, &actor()).await.unwrap();
    let filled: (String, String) = {
        let r = sqlx::query(
            "SELECT authority_uscc, filled FROM penalties WHERE decision_no = '湘西市监罚〔2026〕401号'",
        )
        .fetch_one(&state.db.pool)
        .await
        .unwrap();
        (r.get(0), r.get(1))
    };
    assert_eq!(filled.0, uscc);
    assert!(
        filled.1.contains("authority_uscc:信源单位名录"),
        "{}",
        filled.1
    );

    // Another department may not take the alias.
    let other = sqlx::query("SELECT public_id, code, name FROM departments WHERE code = 'sthj'")
        .fetch_one(&state.db.pool)
        .await
        .unwrap();
    let (status, body) = save(
        admin.clone(),
        vec![
            ("id", other.get::<String, _>("public_id")),
            ("code", other.get::<String, _>("code")),
            ("name", other.get::<String, _>("name")),
            ("aliases", "湘西州市监局".into()),
            ("county_code", county.clone()),
            ("active", "true".into()),
        ],
    )
    .await;
    assert_ne!(status, 200, "{body}");
    assert!(body.contains("DEPT_NAME_TAKEN"), "{body}");
}
