//! Public credit information over HTTP: search ranking and the capped count, display periods with a
//! controllable clock, the take-down job, lists, and signed reports that verify (and fail when changed).
//! ID numbers of the persons involved must never appear in full anywhere public.
// Test code: a panic here is a failing test (clippy.toml allows these lints in #[test] functions;
// the helpers of an integration test crate are test code as well).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
// Long scenario tests read top to bottom, one step after the other.
#![allow(clippy::too_many_lines)]
mod common;
use app::server::AppState;
use sqlx::Row;
use time::macros::datetime;

const ORG: &str = "法人及非法人组织";

struct Fixture {
    state: AppState,
    base: String,
    c: reqwest::Client,
}

async fn start() -> Fixture {
    let state = common::fresh_state().await;
    state
        .clock
        .set(datetime!(2026-06-01 02:00 UTC))
        .expect("adjustable clock");
    // Counties, roles, columns and the catalogue's classes (the records refer to them).
    server::seed::seed_reference(&state)
        .await
        .expect("reference data");
    let base = common::serve(state.clone()).await;
    Fixture {
        state,
        base,
        c: common::client(),
    }
}

async fn subject(state: &AppState, kind: &str, name: &str, uscc: Option<&str>) -> (i64, String) {
    let public_id = format!("s{}", uuid::Uuid::now_v7().simple());
    let now = state.clock.now_text();
    let id: i64 = sqlx::query(
        "INSERT INTO subjects (public_id, kind, name, uscc, county_code, legal_rep, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, '433123', '张三', $5, $5) RETURNING id",
    )
    .bind(&public_id)
    .bind(kind)
    .bind(name)
    .bind(uscc)
    .bind(&now)
    .fetch_one(&state.db.pool)
    .await
    .unwrap()
    .try_get(0)
    .unwrap();
    (id, public_id)
}

struct Penalty<'a> {
    no: &'a str,
    decided: &'a str,
    until: &'a str,
    severity: &'a str,
    categories: &'a str,
    repaired: bool,
}

impl<'a> Penalty<'a> {
    /// A general fine, not repaired.
    fn fine(no: &'a str, decided: &'a str, until: &'a str) -> Self {
        Penalty {
            no,
            decided,
            until,
            severity: "general",
            categories: "罚款",
            repaired: false,
        }
    }
}

async fn penalty(state: &AppState, subject_id: i64, name: &str, p: Penalty<'_>) -> String {
    let public_id = format!("p{}", uuid::Uuid::now_v7().simple());
    let now = state.clock.now_text();
    sqlx::query(
        "INSERT INTO penalties (public_id, subject_id, subject_name, subject_category, subject_uscc, decision_no, \
         violation_type, violation_facts, legal_basis, categories, content, decision_date, authority, authority_uscc, \
         source_unit, source_unit_uscc, severity, display_until, repair_eligible_from, repaired, dedupe_key, \
         county_code, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, NULL, $5, '违反食品安全管理规定', '销售过期食品', '《食品安全法》第一百二十四条', $6, \
         '罚款五千元', $7, '凤凰县市场监督管理局', '11433123MB1234567X', '凤凰县市场监督管理局', '11433123MB1234567X', \
         $8, $9, $7, $10, $11, '433123', $12, $12)",
    )
    .bind(&public_id)
    .bind(subject_id)
    .bind(name)
    .bind(ORG)
    .bind(p.no)
    .bind(p.categories)
    .bind(p.decided)
    .bind(p.severity)
    .bind(p.until)
    .bind(if p.repaired { 1i64 } else { 0 })
    .bind(format!("{}|{subject_id}", p.no))
    .bind(&now)
    .execute(&state.db.pool)
    .await
    .unwrap();
    public_id
}

async fn get(c: &reqwest::Client, url: String) -> (u16, String) {
    let r = c.get(url).send().await.unwrap();
    let s = r.status().as_u16();
    (s, r.text().await.unwrap())
}

async fn search_json(f: &Fixture, query: &str) -> serde_json::Value {
    let r =
        f.c.get(format!("{}/api/v1/credit/search", f.base))
            .query(&[("q", query)])
            .send()
            .await
            .unwrap();
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

fn names(v: &serde_json::Value) -> Vec<String> {
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_ranks_codes_names_prefixes_and_fragments() {
    let f = start().await;
    let s = &f.state;
    let uscc = app::rules::uscc::compose('9', '1', "433123", 777_001);
    subject(s, "organisation", "湘西凤凰旅游开发有限公司", None).await;
    subject(s, "organisation", "凤凰县古城商贸有限公司", Some(&uscc)).await;
    subject(s, "organisation", "凤凰", None).await;
    subject(s, "person", "凤凰人", None).await;
    let (renamed, _) = subject(s, "organisation", "吉首市老字号餐饮店", None).await;

    let v = search_json(&f, "凤凰").await;
    assert_eq!(
        names(&v),
        ["凤凰", "凤凰县古城商贸有限公司", "湘西凤凰旅游开发有限公司"],
        "exact name, then prefix, then fragment; natural persons are not listed publicly"
    );
    assert_eq!(v["hits"][0]["matched"], "ExactName");
    assert_eq!(v["hits"][2]["matched"], "Fragment");
    assert_eq!(v["total_label"], "3");
    // The match is highlighted.
    assert_eq!(
        v["hits"][2]["highlighted"][1],
        serde_json::json!(["凤凰", true])
    );

    // A code in full, full-width, or its last digits.
    let v = search_json(&f, &uscc).await;
    assert_eq!(names(&v), ["凤凰县古城商贸有限公司"]);
    assert_eq!(v["hits"][0]["matched"], "Code");
    let v = search_json(&f, &uscc[12..].to_lowercase()).await;
    assert_eq!(names(&v), ["凤凰县古城商贸有限公司"]);
    // …or its start, as a clerk reads it off a licence.
    let v = search_json(&f, &uscc[..10]).await;
    assert_eq!(names(&v), ["凤凰县古城商贸有限公司"]);

    // A longer fragment must appear whole, not just its pairs.
    let v = search_json(&f, "凤凰旅游").await;
    assert_eq!(names(&v), ["湘西凤凰旅游开发有限公司"]);
    let v = search_json(&f, "旅游凤凰").await;
    assert!(names(&v).is_empty());

    // One character is too short: a clear message, no search.
    let v = search_json(&f, "凤").await;
    assert!(
        v["message"].as_str().unwrap().contains("至少输入 2 个字"),
        "{v}"
    );

    // A rename moves the subject in the index (kept by triggers).
    sqlx::query("UPDATE subjects SET name = '凤凰古镇餐饮店' WHERE id = $1")
        .bind(renamed)
        .execute(&s.db.pool)
        .await
        .unwrap();
    assert_eq!(names(&search_json(&f, "古镇").await), ["凤凰古镇餐饮店"]);
    assert!(names(&search_json(&f, "老字号").await).is_empty());

    // Ten thousand and more matches: counted to the cap, shown as "1万+", and paged.
    let now = s.clock.now_text();
    for chunk in 0..101 {
        let mut sql = String::from(
            "INSERT INTO subjects (public_id, kind, name, created_at, updated_at) VALUES ",
        );
        for i in 0..100 {
            let n = chunk * 100 + i;
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(&format!(
                "('bulk{n}', 'organisation', '湘西州第{n}号合作社', '{now}', '{now}')"
            ));
        }
        sqlx::query(&sql).execute(&s.db.pool).await.unwrap();
    }
    let v = search_json(&f, "湘西").await;
    assert_eq!(v["total_label"], "1万+");
    assert_eq!(v["capped"], true);
    assert_eq!(v["hits"].as_array().unwrap().len(), 20);
    assert_eq!(v["last_page"], 50);
    // Prefix matches (湘西州…) rank before the fragment match (湘西凤凰… sorts after 湘西州 by code point? no:
    // every hit on page 1 starts with 湘西).
    assert!(names(&v).iter().all(|n| n.starts_with("湘西")));

    // The HTML page says the same, with and without a query.
    let (status, html) = get(&f.c, format!("{}/credit?q=%E5%87%A4%E5%87%B0", f.base)).await;
    assert_eq!(status, 200);
    // Four now: the renamed 凤凰古镇餐饮店 too.
    assert!(html.contains("找到 4 个信用主体"), "{html}");
    assert!(html.contains("<mark>凤凰"));
    let (status, html) = get(&f.c, format!("{}/credit", f.base)).await;
    assert_eq!(status, 200);
    assert!(html.contains("信用信息查询"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_search_is_rate_limited_per_ip_with_a_clear_message() {
    let url = common::fresh_database_url().await;
    let config = common::test_config_with(&url, &[("APP_SEARCH_RATE_PER_MIN", "3")]);
    let state = common::state_with_config(config, app::server::clock::Clock::adjustable()).await;
    let base = common::serve(state).await;
    let c = common::client();
    for _ in 0..3 {
        let r = c
            .get(format!("{base}/api/v1/credit/search?q=凤凰"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }
    let r = c
        .get(format!("{base}/api/v1/credit/search?q=凤凰"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "RATE_LIMITED");
    let (status, html) = get(&c, format!("{base}/credit?q=%E5%87%A4%E5%87%B0")).await;
    assert_eq!(status, 429);
    assert!(html.contains("请求过于频繁，请稍后再试"), "{html}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn penalties_show_only_in_their_display_period_and_the_job_takes_them_down() {
    let f = start().await;
    let s = &f.state;
    let (id, public) = subject(s, "organisation", "凤凰县诚信超市有限公司", None).await;
    let name = "凤凰县诚信超市有限公司";
    let regime = app::rules::disclosure::Regime::regime_2025();
    use app::rules::date::Ymd;
    use app::rules::disclosure::Severity;
    // A general penalty shown until 2026-06-30; a serious one without 公示截止期: decision + 3 years.
    let serious_until = regime
        .display_until(Ymd::new(2025, 1, 10), Severity::Serious, None)
        .iso();
    assert_eq!(serious_until, "2028-01-10");
    let showing = [
        penalty(
            s,
            id,
            name,
            Penalty::fine("凤市监罚〔2025〕11号", "2025-06-30", "2026-06-30"),
        )
        .await,
        penalty(
            s,
            id,
            name,
            Penalty {
                no: "凤市监罚〔2025〕2号",
                decided: "2025-01-10",
                until: &serious_until,
                severity: "serious",
                categories: "罚款;吊销许可证件",
                repaired: false,
            },
        )
        .await,
    ];
    let hidden = [
        (
            "expired",
            penalty(
                s,
                id,
                name,
                Penalty::fine("凤市监罚〔2024〕5号", "2024-03-01", "2025-03-01"),
            )
            .await,
        ),
        (
            "repaired",
            penalty(
                s,
                id,
                name,
                Penalty {
                    repaired: true,
                    ..Penalty::fine("凤市监罚〔2025〕7号", "2025-09-01", "2026-09-01")
                },
            )
            .await,
        ),
        (
            "warning only",
            penalty(
                s,
                id,
                name,
                Penalty {
                    no: "凤市监罚〔2025〕9号",
                    decided: "2025-10-01",
                    until: "2026-01-01",
                    severity: "minor",
                    categories: "警告",
                    repaired: false,
                },
            )
            .await,
        ),
        (
            "future",
            penalty(
                s,
                id,
                name,
                Penalty::fine("凤市监罚〔2026〕99号", "2026-07-01", "2027-07-01"),
            )
            .await,
        ),
    ];
    let page = format!("{}/credit/subject/{public}", f.base);
    let (status, html) = get(&f.c, page.clone()).await;
    assert_eq!(status, 200);
    for no in ["凤市监罚〔2025〕11号", "凤市监罚〔2025〕2号"] {
        assert!(html.contains(no), "{no} is on display on 2026-06-01");
    }
    for no in ["〔2024〕5号", "〔2025〕7号", "〔2025〕9号", "〔2026〕99号"] {
        assert!(!html.contains(no), "{no} must not show");
    }
    // Sections in report order.
    let order: Vec<usize> = [
        "行政许可",
        "行政处罚",
        "守信激励",
        "严重失信主体名单",
        "重点关注名单",
        "信用承诺",
        "其他信息",
    ]
    .iter()
    .map(|t| {
        html.find(&format!("-title\">{t}"))
            .unwrap_or_else(|| panic!("section {t}"))
    })
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    for (why, id) in &hidden {
        let (status, _) = get(&f.c, format!("{}/credit/record/penalty/{id}", f.base)).await;
        assert_eq!(status, 404, "{why}");
    }
    let (status, _) = get(
        &f.c,
        format!("{}/credit/record/penalty/{}", f.base, showing[0]),
    )
    .await;
    assert_eq!(status, 200);

    // The public penalty list shows what is on display, latest first.
    let (status, html) = get(&f.c, format!("{}/credit/lists/penalties", f.base)).await;
    assert_eq!(status, 200);
    let a = html.find("〔2025〕11号").expect("listed");
    let b = html.find("〔2025〕2号").expect("listed");
    assert!(a < b, "latest first");
    assert!(!html.contains("〔2025〕7号"));

    // The day after its end the general penalty is gone, before and after the job runs.
    s.clock.set(datetime!(2026-07-01 02:00 UTC)).unwrap();
    let (_, html) = get(&f.c, page.clone()).await;
    assert!(!html.contains("凤市监罚〔2025〕11号"));
    assert!(html.contains("凤市监罚〔2025〕2号"));
    assert!(
        html.contains("凤市监罚〔2026〕99号"),
        "decided today: now shown"
    );
    let taken = app::credit::service::takedown::run(s).await.unwrap();
    // The 2024 penalty, the warning that ended in January (never shown anyway) and the one that just ended.
    assert_eq!(taken, 3);
    assert_eq!(
        app::credit::service::takedown::run(s).await.unwrap(),
        0,
        "idempotent"
    );
    let audited: i64 =
        sqlx::query("SELECT COUNT(*) FROM audit_events WHERE action = 'credit.takedown'")
            .fetch_one(&s.db.pool)
            .await
            .unwrap()
            .try_get(0)
            .unwrap();
    assert_eq!(audited, 1);
    // The serious one stays for the regime's maximum (3 years) and not a day more.
    s.clock.set(datetime!(2028-01-10 02:00 UTC)).unwrap();
    assert!(get(&f.c, page.clone())
        .await
        .1
        .contains("凤市监罚〔2025〕2号"));
    s.clock.set(datetime!(2028-01-11 02:00 UTC)).unwrap();
    assert!(!get(&f.c, page.clone())
        .await
        .1
        .contains("凤市监罚〔2025〕2号"));
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

async fn upload_check(f: &Fixture, bytes: Vec<u8>) -> String {
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name("report.pdf"),
    );
    let r =
        f.c.post(format!("{}/verify/check", f.base))
            .multipart(form)
            .send()
            .await
            .unwrap();
    assert_eq!(r.status(), 303);
    r.headers()["location"].to_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_public_report_is_signed_verifiable_and_its_text_extracts() {
    let f = start().await;
    let s = &f.state;
    let name = "凤凰县诚信超市有限公司";
    let uscc = app::rules::uscc::compose('9', '1', "433123", 5_001);
    let (id, public) = subject(s, "organisation", name, Some(&uscc)).await;
    penalty(
        s,
        id,
        name,
        Penalty::fine("凤市监罚〔2025〕11号", "2025-06-30", "2026-06-30"),
    )
    .await;
    penalty(
        s,
        id,
        name,
        Penalty {
            repaired: true,
            ..Penalty::fine("凤市监罚〔2025〕7号", "2025-09-01", "2026-09-01")
        },
    )
    .await;

    // The request page, then the form (as a browser without JavaScript sends it).
    let (status, html) = get(&f.c, format!("{}/credit/subject/{public}/report", f.base)).await;
    assert_eq!(status, 200);
    let token = html
        .split("name=\"csrf_token\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("csrf token")
        .to_string();
    let post = |applicant: &str| {
        f.c.post(format!("{}/credit/report", f.base))
            .header("accept", "text/html")
            .form(&[
                ("csrf_token", token.as_str()),
                ("subject", public.as_str()),
                ("applicant", applicant),
                ("purpose", "招投标"),
            ])
            .send()
    };
    let r = post("").await.unwrap();
    assert_eq!(r.status(), 303);
    let back = r.headers()["location"].to_str().unwrap().to_string();
    assert!(
        back.starts_with(&format!("/credit/subject/{public}/report?error=")),
        "{back}"
    );
    let r = post("湘西某建设有限公司").await.unwrap();
    assert_eq!(r.status(), 303);
    let verify = r.headers()["location"].to_str().unwrap().to_string();
    assert!(
        verify.starts_with("/verify/") && verify.ends_with("?issued=1"),
        "{verify}"
    );
    let code = verify
        .trim_start_matches("/verify/")
        .trim_end_matches("?issued=1")
        .to_string();

    let (status, html) = get(&f.c, format!("{}{verify}", f.base)).await;
    assert_eq!(status, 200);
    assert!(html.contains("真实有效"), "{html}");
    assert!(html.contains("凤市监罚〔2025〕11号"), "what it contained");

    let r =
        f.c.get(format!("{}/verify/{code}/report.pdf", f.base))
            .send()
            .await
            .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let pdf = r.bytes().await.unwrap().to_vec();
    let text = pdftotext(&pdf);
    for needle in [
        name,
        uscc.as_str(),
        "公共信用信息报告",
        "凤市监罚〔2025〕11号",
        "查询期内无相关信息",
        code.as_str(),
    ] {
        assert!(
            text.contains(needle),
            "{needle} not in the PDF text:\n{text}"
        );
    }
    assert!(
        !text.contains("〔2025〕7号"),
        "a repaired penalty is not in the public report"
    );
    // The sections follow docs/domain.md §9.
    let titles = [
        "一、基本信息",
        "二、行政管理信息",
        "三、守信激励信息",
        "四、严重失信主体名单信息",
        "五、经营异常信息",
        "六、信用承诺信息",
        "七、信用评价信息",
        "八、司法信息",
        "九、其他信息",
        "十、信用改进建议",
        "十一、地方补充信息",
    ];
    let at: Vec<usize> = titles
        .iter()
        .map(|t| {
            text.find(t)
                .unwrap_or_else(|| panic!("{t} missing:\n{text}"))
        })
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");

    // The downloaded file checks out; one changed byte in the signed content does not.
    assert_eq!(
        upload_check(&f, pdf.clone()).await,
        format!("/verify/{code}?checked=1")
    );
    let mut altered = pdf.clone();
    let i = altered.len() / 2;
    altered[i] ^= 0x01;
    assert_eq!(upload_check(&f, altered).await, "/verify?result=altered");
    // Offline: the public key and the signature line are enough.
    let pem = get(&f.c, format!("{}/verify/public-key.pem", f.base))
        .await
        .1;
    assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----"));
    let key =
        app::credit::service::signing::signing_key(&s.secrets.report_signing_seed).verifying_key();
    assert!(matches!(
        app::credit::service::signing::check(&key, &pdf),
        app::credit::service::signing::Check::Valid { .. }
    ));

    // The request is logged.
    let (kind, channel, applicant): (String, String, String) = {
        let r = sqlx::query(
            "SELECT kind, channel, applicant FROM credit_reports WHERE verify_code = $1",
        )
        .bind(&code)
        .fetch_one(&s.db.pool)
        .await
        .unwrap();
        (
            r.try_get(0).unwrap(),
            r.try_get(1).unwrap(),
            r.try_get(2).unwrap(),
        )
    };
    assert_eq!(
        (kind.as_str(), channel.as_str(), applicant.as_str()),
        ("public", "public", "湘西某建设有限公司")
    );
    let (status, _) = get(&f.c, format!("{}/verify/NOSUCHCODE2", f.base)).await;
    assert_eq!(status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_pull_a_special_report_with_repaired_records_marked() {
    let f = start().await;
    let s = &f.state;
    server::seed::accounts::seed(s)
        .await
        .expect("demo accounts");
    let name = "凤凰县诚信超市有限公司";
    let (id, public) = subject(s, "organisation", name, None).await;
    penalty(
        s,
        id,
        name,
        Penalty {
            repaired: true,
            ..Penalty::fine("凤市监罚〔2025〕7号", "2025-09-01", "2026-09-01")
        },
    )
    .await;
    penalty(
        s,
        id,
        name,
        Penalty::fine("凤市监罚〔2019〕1号", "2019-09-01", "2020-09-01"),
    )
    .await;
    let staff = common::client();
    common::login_demo(&staff, &f.base, "operator").await;
    let call = |from: &str| {
        staff
            .post(format!("{}/api/credit/staff_report", f.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!(
                "request[kind]=special&request[subject]={public}&request[applicant]=%E6%9D%8E%E5%9B%9B&request[purpose]=%E6%8B%9B%E6%8A%95%E6%A0%87\
                 &request[matter]=%E6%94%BF%E5%BA%9C%E9%87%87%E8%B4%AD&request[from]={from}&request[to]=2026-06-01&request[sections][0]=trust"
            ))
            .send()
    };
    let r = call("2020-01-01").await.unwrap();
    assert_eq!(r.status(), 422, "more than 5 years");
    let r = call("2021-06-01").await.unwrap();
    assert_eq!(r.status(), 200);
    let issued: serde_json::Value = r.json().await.unwrap();
    let pdf =
        f.c.get(format!(
            "{}{}",
            f.base,
            issued["download"].as_str().unwrap()
        ))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let text = pdftotext(&pdf);
    assert!(text.contains("专项信用报告"));
    assert!(
        text.contains("凤市监罚〔2025〕7号") && text.contains("已修复"),
        "{text}"
    );
    assert!(!text.contains("〔2019〕1号"), "outside the period");
    for t in [
        "行政处罚信息",
        "行政强制信息",
        "严重失信主体名单信息",
        "刑事犯罪记录",
        "守信激励信息",
    ] {
        assert!(text.contains(t), "{t}");
    }
    assert!(!text.contains("信用承诺信息"), "not chosen");
    let audited: i64 =
        sqlx::query("SELECT COUNT(*) FROM audit_events WHERE action = 'credit.report.pull'")
            .fetch_one(&s.db.pool)
            .await
            .unwrap()
            .try_get(0)
            .unwrap();
    assert_eq!(audited, 1);
    // The office's statistics count it.
    let report_stats = || async {
        let r = staff
            .post(format!("{}/api/credit/report_stats", f.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        r.json::<serde_json::Value>().await.unwrap()
    };
    let stats = report_stats().await;
    assert_eq!(stats["total"], 1);
    assert_eq!(stats["by_channel"][0], serde_json::json!(["部门经办", 1]));
    // Days are Beijing days: 17:30 UTC is 01:30 the next morning in Xiangxi.
    s.clock.set(datetime!(2026-06-01 17:30 UTC)).unwrap();
    // (The morning's session has timed out by then.)
    common::login_demo(&staff, &f.base, "operator").await;
    assert_eq!(call("2021-06-02").await.unwrap().status(), 200);
    let stats = report_stats().await;
    let days = stats["by_day"].as_array().unwrap();
    assert_eq!(days.len(), 30);
    assert_eq!(days[29], serde_json::json!(["2026-06-02", 1]));
    assert_eq!(days[28], serde_json::json!(["2026-06-01", 1]));
    assert_eq!(stats["last_30_days"], 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn id_numbers_never_appear_in_full_on_any_public_surface() {
    let f = start().await;
    let s = &f.state;
    // The demo seed makes natural persons (adults and minors) with penalties and licences.
    server::seed::seed_demo(
        s,
        &server::seed::SeedOptions {
            subjects: 400,
            seed: 3,
            as_of: s.clock.today(),
        },
        |_, _| {},
    )
    .await
    .unwrap();
    // Publish penalties on persons too (the setting's strictest case for masking).
    sqlx::query("INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)")
        .bind(app::credit::service::POLICY_KEY)
        .bind(r#"{"publish_person_penalties":true}"#)
        .bind(s.clock.now_text())
        .execute(&s.db.pool)
        .await
        .unwrap();
    let persons = sqlx::query(
        "SELECT public_id, name, id_number_enc, birth_date FROM subjects WHERE kind = 'person'",
    )
    .fetch_all(&s.db.pool)
    .await
    .unwrap();
    assert!(persons.len() > 10, "the seed has persons");
    let mut numbers = vec![];
    let mut pages = vec![
        "/credit/lists/penalties".to_string(),
        "/credit/lists/licences".to_string(),
        "/".to_string(),
    ];
    for p in &persons {
        let enc: String = p.try_get("id_number_enc").unwrap();
        numbers.push(s.secrets.decrypt_id(&enc).unwrap());
        pages.push(format!(
            "/credit/subject/{}",
            p.try_get::<String, _>("public_id").unwrap()
        ));
    }
    let mut bodies = vec![];
    let mut shown_persons = 0;
    for path in &pages {
        let (status, body) = get(&f.c, format!("{}{path}", f.base)).await;
        assert!(status == 200 || status == 404, "{path}: {status}");
        if status == 200 && path.starts_with("/credit/subject/") {
            shown_persons += 1;
        }
        bodies.push((path.clone(), body));
    }
    assert!(
        shown_persons > 0,
        "some adult persons are published (masked)"
    );
    for q in ["4331", "433123", "张", "湘西"] {
        let v = search_json(&f, q).await;
        bodies.push((format!("search {q}"), v.to_string()));
    }
    // Reports of subjects with person records.
    let orgs = sqlx::query("SELECT DISTINCT s.public_id FROM penalties p JOIN subjects s ON s.id = p.subject_id LIMIT 3")
        .fetch_all(&s.db.pool)
        .await
        .unwrap();
    for o in orgs {
        let id: String = o.try_get(0).unwrap();
        let req = app::credit::model::ReportRequest {
            kind: "public".into(),
            subject: id,
            applicant: "测试申请人".into(),
            purpose: "核查".into(),
            ..Default::default()
        };
        if let Ok(r) = app::credit::service::reports::issue(
            s,
            app::credit::service::reports::Issuer::Public { ip: None },
            &req,
            "http://localhost",
        )
        .await
        {
            let pdf =
                f.c.get(format!("{}{}", f.base, r.download))
                    .send()
                    .await
                    .unwrap()
                    .bytes()
                    .await
                    .unwrap();
            bodies.push((format!("report {}", r.serial), pdftotext(&pdf)));
            bodies.push((
                format!("verify {}", r.serial),
                get(&f.c, format!("{}{}", f.base, r.verify)).await.1,
            ));
        }
    }
    for (where_, body) in &bodies {
        for n in &numbers {
            assert!(
                !body.contains(n.as_str()),
                "{where_} shows the ID number {n}"
            );
        }
    }
    // Minors are never published.
    for p in &persons {
        let birth: Option<String> = p.try_get("birth_date").unwrap();
        if birth
            .as_deref()
            .is_some_and(|b| app::credit::visibility::minor_on(b, "2026-06-01"))
        {
            let (status, _) = get(
                &f.c,
                format!(
                    "{}/credit/subject/{}",
                    f.base,
                    p.try_get::<String, _>("public_id").unwrap()
                ),
            )
            .await;
            assert_eq!(status, 404, "a minor's page");
        }
    }
}

/// The 公示规则 console: the credit office turns on the publication of warnings and the public subject
/// page shows one at once; a county user may not; bad months are refused by field; the change is audited.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disclosure_rules_are_the_offices_data() {
    let f = start().await;
    let s = &f.state;
    server::seed::accounts::seed(s)
        .await
        .expect("demo accounts");
    let name = "凤凰县警示商店有限公司";
    let (id, public) = subject(s, "organisation", name, None).await;
    penalty(
        s,
        id,
        name,
        Penalty {
            categories: "警告",
            ..Penalty::fine("凤市监罚〔2026〕3号", "2026-03-01", "2027-03-01")
        },
    )
    .await;
    let page = format!("{}/credit/subject/{public}", f.base);
    let (status, html) = get(&f.c, page.clone()).await;
    assert_eq!(status, 200);
    assert!(
        !html.contains("〔2026〕3号"),
        "warnings are not published by default"
    );

    let save = |c: reqwest::Client, body: &'static str| {
        let url = format!("{}/api/credit/disclosure_save", f.base);
        async move {
            c.post(url)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body)
                .send()
                .await
                .unwrap()
        }
    };
    let county = common::client();
    common::login_demo(&county, &f.base, "county").await;
    let r = save(
        county,
        "rules[regime]=2025&rules[publish_warnings]=true&rules[mask_head]=6&rules[mask_tail]=4",
    )
    .await;
    assert_eq!(r.status(), 403);

    let office = common::client();
    common::login_demo(&office, &f.base, "operator").await;
    let r = save(
        office.clone(),
        "rules[regime]=custom&rules[minor_max]=3&rules[general_min]=3&rules[general_max]=12\
         &rules[serious_min]=40&rules[serious_max]=36&rules[mask_head]=6&rules[mask_tail]=4",
    )
    .await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("serious_min") && body.contains("不能超过"),
        "{body}"
    );
    let (_, html) = get(&f.c, page.clone()).await;
    assert!(
        !html.contains("〔2026〕3号"),
        "a refused save changes nothing"
    );

    let r = save(
        office.clone(),
        "rules[regime]=2023&rules[publish_warnings]=true&rules[mask_head]=6&rules[mask_tail]=4",
    )
    .await;
    assert_eq!(r.status(), 200);
    let now: serde_json::Value = r.json().await.unwrap();
    assert_eq!(now["regime"], "2023");
    assert_eq!(now["publish_warnings"], true);
    assert_eq!(now["updated_by"], "operator");
    let (_, html) = get(&f.c, page).await;
    assert!(
        html.contains("〔2026〕3号"),
        "published as soon as the office says so"
    );
    let regime = app::server::settings::disclosure_regime(s).await.unwrap();
    assert_eq!(regime, app::rules::disclosure::Regime::regime_2023());
    let audited: i64 =
        sqlx::query("SELECT COUNT(*) FROM audit_events WHERE action = 'disclosure.save'")
            .fetch_one(&s.db.pool)
            .await
            .unwrap()
            .try_get(0)
            .unwrap();
    assert_eq!(audited, 1, "the refused save is not a change");
}

/// The number as a reader would see it, whatever its digit forms and separators.
fn shows_number(body: &str, number: &str) -> bool {
    let plain: String = app::rules::normalize::to_half_width(body)
        .chars()
        .filter(|c| {
            !c.is_whitespace()
                && !matches!(
                    c,
                    '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '-' | '.' | '·'
                )
        })
        .collect();
    plain.contains(number)
}

fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap_or(c))
        .collect()
}

/// Issue 17 items 4 and 13: ID and mobile numbers inside a penalty's texts (full-width, spaced, in the
/// decision number) are masked on the record page, the subject page, the public report and the
/// verification page — with the text rules on and switched off, and for rows stored before the fix —
/// while the credit office reads the text as sent through the audited staff path.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ids_inside_texts_are_masked_on_every_public_surface_rules_on_and_off() {
    use app::rules::date::Ymd;
    use app::rules::resident_id::compose;
    use common::collect::{code, counts, faults, setup, upload};
    let (state, unit) = setup().await;
    state
        .clock
        .set(datetime!(2026-12-01 02:00 UTC))
        .expect("adjustable clock");
    let base = common::serve(state.clone()).await;
    let c = common::client();
    let id_a = compose("433101", Ymd::new(1990, 1, 1), 201);
    let id_b = compose("433123", Ymd::new(1985, 5, 5), 33);
    let id_old = compose("433130", Ymd::new(1979, 9, 9), 57);
    let spaced = |n: &str| format!("{} {} {} {}", &n[..6], &n[6..10], &n[10..14], &n[14..]);
    let header = "行政相对人名称,行政相对人类别,统一社会信用代码,法定代表人,行政处罚决定书文号,违法行为类型,违法事实,处罚依据,处罚类别,处罚内容,罚款金额（万元）,处罚决定日期,处罚机关";
    let line = |name: &str, uscc: &str, no: &str, facts: &str| {
        format!("{name},法人及非法人组织,{uscc},张三,{no},无照经营,{facts},《无证无照经营查处办法》第十三条,罚款,罚款0.5万元,0.5,2026-11-02,湘西土家族苗族自治州市场监督管理局")
    };
    let facts_a = format!(
        "当事人（身份证 {}，电话 138 1234 5678）无照经营",
        spaced(&id_a)
    );
    let csv_a = format!(
        "{header}\n{}\n",
        line(
            "湘西脱敏甲商贸有限公司",
            &code(901),
            &format!("湘西市监罚〔2026〕{}号", full_width(&id_a)),
            &facts_a
        )
    );
    // 1. Rules on: a warning with the count, no fault; the row publishes masked.
    let (batch_a, _) = upload(&state, &unit, "脱敏甲.csv", csv_a.as_bytes()).await;
    assert_eq!(
        counts(&state, batch_a).await,
        [1, 0, 0, 0],
        "{:?}",
        faults(&state, batch_a).await
    );
    let codes: Vec<String> = faults(&state, batch_a)
        .await
        .into_iter()
        .map(|(_, c)| c)
        .collect();
    assert!(codes.contains(&"TEXT_ID_UNMASKED".to_string()), "{codes:?}");
    assert!(
        codes.contains(&"TEXT_PHONE_UNMASKED".to_string()),
        "{codes:?}"
    );
    let errors: i64 =
        sqlx::query("SELECT COUNT(*) FROM batch_faults WHERE batch_id = $1 AND level = 'error'")
            .bind(batch_a)
            .fetch_one(&state.db.pool)
            .await
            .unwrap()
            .get(0);
    assert_eq!(errors, 0);
    app::collect::service::confirm::confirm(&state, batch_a, &common::collect::actor())
        .await
        .expect("confirm");

    // 2. Rules switched off for the class: silent, and still masked.
    let class_id: i64 = sqlx::query("SELECT id FROM data_classes WHERE code = 'penalty'")
        .fetch_one(&state.db.pool)
        .await
        .unwrap()
        .get(0);
    for rule in ["TEXT_ID_UNMASKED", "TEXT_PHONE_UNMASKED"] {
        sqlx::query(
            "INSERT INTO class_rule_overrides (class_id, rule_code, enabled, updated_at, updated_by) \
             VALUES ($1, $2, 0, '2026-12-01T00:00:00Z', 'test')",
        )
        .bind(class_id)
        .bind(rule)
        .execute(&state.db.pool)
        .await
        .unwrap();
    }
    let csv_b = format!(
        "{header}\n{}\n",
        line(
            "湘西脱敏乙商贸有限公司",
            &code(902),
            &format!("湘西市监罚〔2026〕{}号", spaced(&id_b)),
            &format!("当事人（身份证{}）无照经营", full_width(&id_b))
        )
    );
    let (batch_b, _) = upload(&state, &unit, "脱敏乙.csv", csv_b.as_bytes()).await;
    assert_eq!(counts(&state, batch_b).await, [1, 0, 0, 0]);
    assert!(
        !faults(&state, batch_b)
            .await
            .iter()
            .any(|(_, c)| c.starts_with("TEXT_")),
        "switched off: no warning"
    );
    app::collect::service::confirm::confirm(&state, batch_b, &common::collect::actor())
        .await
        .expect("confirm");

    // 3. A row stored before the fix, with a full number in plain digits.
    sqlx::query("UPDATE penalties SET content = $1 WHERE subject_uscc = $2")
        .bind(format!("罚款0.5万元（经办人身份证{id_old}）"))
        .bind(code(901))
        .execute(&state.db.pool)
        .await
        .unwrap();
    // The home page's latest penalties read the decision number straight from the table.
    sqlx::query("UPDATE penalties SET decision_no = $1 WHERE subject_uscc = $2")
        .bind(format!("湘西市监罚〔2026〕{id_old}号"))
        .bind(code(902))
        .execute(&state.db.pool)
        .await
        .unwrap();

    let numbers = [id_a.as_str(), id_b.as_str(), id_old.as_str(), "13812345678"];
    let mut bodies: Vec<(String, String)> = vec![];
    let (status, home) = get(&c, format!("{base}/")).await;
    assert_eq!(status, 200, "home page");
    assert!(
        home.contains("湘西脱敏乙"),
        "the penalty is among the latest"
    );
    bodies.push(("home".to_string(), home));
    for serial in [901, 902] {
        let r = sqlx::query(
            "SELECT p.public_id, s.public_id AS subject, p.decision_no, p.violation_facts, p.published, \
             p.text_originals_enc FROM penalties p JOIN subjects s ON s.id = p.subject_id WHERE p.subject_uscc = $1",
        )
        .bind(code(serial))
        .fetch_one(&state.db.pool)
        .await
        .unwrap();
        let (record, subject): (String, String) = (r.get("public_id"), r.get("subject"));
        assert_eq!(r.get::<i64, _>("published"), 1);
        let stored = format!(
            "{} {}",
            r.get::<String, _>("decision_no"),
            r.get::<String, _>("violation_facts")
        );
        for n in &numbers[..2] {
            assert!(
                !shows_number(&stored, n),
                "the stored public copy holds {n}: {stored}"
            );
        }
        assert!(
            r.get::<Option<String>, _>("text_originals_enc").is_some(),
            "the original is sealed"
        );
        let (status, page) = get(&c, format!("{base}/credit/record/penalty/{record}")).await;
        assert_eq!(status, 200, "record page");
        assert!(page.contains("433"), "the masked number is shown");
        assert!(page.contains("********"), "masked with the policy's rule");
        bodies.push((format!("record {serial}"), page));
        let (status, page) = get(&c, format!("{base}/credit/subject/{subject}")).await;
        assert_eq!(status, 200, "subject page");
        bodies.push((format!("subject {serial}"), page));
        let req = app::credit::model::ReportRequest {
            kind: "public".into(),
            subject: subject.clone(),
            applicant: "测试申请人".into(),
            purpose: "核查".into(),
            ..Default::default()
        };
        let issued = app::credit::service::reports::issue(
            &state,
            app::credit::service::reports::Issuer::Public { ip: None },
            &req,
            "http://localhost",
        )
        .await
        .expect("report");
        let pdf = c
            .get(format!("{base}{}", issued.download))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        let text = pdftotext(&pdf);
        assert!(
            text.contains("湘西脱敏"),
            "the report is the subject's:\n{text}"
        );
        bodies.push((format!("report {serial}"), text));
        let (status, page) = get(&c, format!("{base}{}", issued.verify)).await;
        assert_eq!(status, 200, "verify page");
        assert!(page.contains("湘西市监罚〔2026〕"), "the record is listed");
        bodies.push((format!("verify {serial}"), page));
    }
    for (where_, body) in &bodies {
        for n in numbers {
            assert!(!shows_number(body, n), "{where_} shows {n}");
        }
    }

    // 4. The credit office reads the text as sent; the read is audited. A county user may not.
    let record_a: String = sqlx::query("SELECT public_id FROM penalties WHERE subject_uscc = $1")
        .bind(code(901))
        .fetch_one(&state.db.pool)
        .await
        .unwrap()
        .get(0);
    common::login_demo(&c, &base, "operator").await;
    let (status, body) = common::collect::post(
        &c,
        &base,
        "records/originals",
        &format!("kind=penalty&id={record_a}"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains(&facts_a), "{body}");
    assert!(body.contains("违法事实"), "{body}");
    let audited: i64 = sqlx::query(
        "SELECT COUNT(*) FROM audit_events WHERE action = 'collect.record_unmask' AND object_id = $1",
    )
    .bind(&record_a)
    .fetch_one(&state.db.pool)
    .await
    .unwrap()
    .get(0);
    assert_eq!(audited, 1);
    let county = common::client();
    common::login_demo(&county, &base, "county").await;
    let (status, body) = common::collect::post(
        &county,
        &base,
        "records/originals",
        &format!("kind=penalty&id={record_a}"),
    )
    .await;
    assert_eq!(status, 403, "{body}");
    assert!(!body.contains(&id_a[..14]));
}
