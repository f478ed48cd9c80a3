//! 政策法规 as documents and the FAQ (issue 19 items 3 and 4): the document fields are checked, saved,
//! published into the portal's copy and shown; the policy list filters find exactly the right
//! documents of the demo data; the FAQ search finds by fragment.
// Test code: a panic here is a failing test (clippy.toml allows these lints in #[test] functions;
// the helpers of an integration test crate are test code as well).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod common;
use app::portal::model::PolicyFilter;
use app::portal::service::policies::policy_page;
use app::server::AppState;
use serde_json::{json, Value};
use server::seed::{seed_demo, SeedOptions};

async fn start() -> (AppState, String) {
    let state = common::fresh_state().await;
    let opts = SeedOptions {
        subjects: 10,
        seed: 5,
        as_of: state.clock.today(),
    };
    seed_demo(&state, &opts, |_, _| {}).await.expect("seed");
    let base = common::serve(state.clone()).await;
    (state, base)
}

async fn as_user(base: &str, user: &str) -> reqwest::Client {
    let c = common::client();
    common::login_demo(&c, base, user).await;
    c
}

fn content(column: &str, policy: Value) -> Value {
    json!({
        "title": "湘西州信用承诺管理办法（测试）", "subtitle": "", "columns": [column], "source": "湘西州信用办",
        "author": "张三", "cover": null, "cover_alt": "", "summary": "", "body_html": "<p>正文</p>",
        "tags": [], "attachments": [], "headline": false, "policy": policy
    })
}

async fn save(
    c: &reqwest::Client,
    base: &str,
    id: Option<&str>,
    version: i64,
    content: Value,
) -> (u16, Value) {
    let r = c
        .post(format!("{base}/api/cms/article_save"))
        .json(&json!({ "save": { "public_id": id, "version": version, "content": content } }))
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

async fn mv(c: &reqwest::Client, base: &str, id: &str, t: &str) {
    let (status, text) = common::post_form(
        c,
        base,
        "cms/article_move",
        &[("id", id), ("transition", t), ("comment", "同意")],
    )
    .await;
    assert_eq!(status, 200, "{t}: {text}");
}

async fn page(base: &str, path: &str) -> String {
    let r = reqwest::get(format!("{base}{path}")).await.unwrap();
    assert_eq!(r.status().as_u16(), 200, "{path}");
    r.text().await.unwrap()
}

/// The fields named in a 422 answer.
fn fields(body: &Value) -> Vec<String> {
    body["Validation"]
        .as_array()
        .unwrap_or_else(|| panic!("not a validation error: {body}"))
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn policy_fields_are_checked_saved_and_published() {
    let (state, base) = start().await;
    let (editor, reviewer, publisher) = (
        as_user(&base, "editor").await,
        as_user(&base, "reviewer").await,
        as_user(&base, "publisher").await,
    );
    // A policy article without its document fields is refused, each field named.
    let (status, body) = save(&editor, &base, None, 0, content("policy", Value::Null)).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        fields(&body),
        ["doc_issuer", "doc_level", "doc_status", "doc_issued_on"]
    );
    // Wrong codes, an impossible date and an effective date before the issue date.
    let bad = json!({ "issuer": "湘西州信用办", "number": "", "level": "city", "issued_on": "2025-02-30",
                      "effective_on": "", "status": "valid" });
    let (status, body) = save(&editor, &base, None, 0, content("policy", bad)).await;
    assert_eq!(status, 422);
    assert_eq!(fields(&body), ["doc_level", "doc_status", "doc_issued_on"]);
    let early = json!({ "issuer": "湘西州信用办", "number": "", "level": "prefecture", "issued_on": "2025-03-01",
                        "effective_on": "2025-02-28", "status": "effective" });
    let (status, body) = save(&editor, &base, None, 0, content("policy", early)).await;
    assert_eq!(status, 422);
    assert_eq!(
        body["Validation"][0]["message"],
        "施行日期不能早于成文日期。"
    );
    // A good one is saved trimmed; the editor reads it back.
    let good = json!({ "issuer": " 湘西州社会信用体系建设领导小组办公室 ", "number": " 州信用办发〔2026〕9号 ",
                       "level": "prefecture", "issued_on": "2026-03-01", "effective_on": "2026-04-01", "status": "effective" });
    let (status, saved) = save(&editor, &base, None, 0, content("policy", good)).await;
    assert_eq!(status, 200, "{saved}");
    let id = saved[0].as_str().unwrap().to_string();
    let (_, text) = common::post_form(&editor, &base, "cms/article", &[("id", &id)]).await;
    let d: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        d["content"]["policy"]["issuer"],
        "湘西州社会信用体系建设领导小组办公室"
    );
    assert_eq!(d["content"]["policy"]["number"], "州信用办发〔2026〕9号");
    // Not public before publication; then the portal's copy carries the fields.
    let (status, _) = common::post_form(
        &editor,
        &base,
        "cms/article_move",
        &[("id", &id), ("transition", "submit")],
    )
    .await;
    assert_eq!(status, 200);
    mv(&reviewer, &base, &id, "approve").await;
    mv(&publisher, &base, &id, "publish").await;
    let live: (String, String, Option<String>) = sqlx::query_as(
        "SELECT doc_number, doc_level, doc_effective_on FROM article_live WHERE public_id = $1",
    )
    .bind(&id)
    .fetch_one(&state.db.pool)
    .await
    .unwrap();
    assert_eq!(
        live,
        (
            "州信用办发〔2026〕9号".into(),
            "prefecture".into(),
            Some("2026-04-01".into())
        )
    );
    let article = page(&base, &format!("/article/{id}")).await;
    assert!(
        article.contains("文件信息")
            && article.contains("州信用办发〔2026〕9号")
            && article.contains("州级")
    );
    let list = page(
        &base,
        "/column/policy?q=%E5%B7%9E%E4%BF%A1%E7%94%A8%E5%8A%9E%E5%8F%91",
    )
    .await;
    assert!(
        list.contains("湘西州信用承诺管理办法（测试）"),
        "found by its 文号"
    );
    // In another column the fields are not kept.
    let (status, saved) = save(
        &editor,
        &base,
        None,
        0,
        content("news", json!({ "issuer": "x" })),
    )
    .await;
    assert_eq!(status, 200, "{saved}");
    let (_, text) = common::post_form(
        &editor,
        &base,
        "cms/article",
        &[("id", saved[0].as_str().unwrap())],
    )
    .await;
    assert!(serde_json::from_str::<Value>(&text).unwrap()["content"]["policy"].is_null());
}

async fn titles(state: &AppState, f: PolicyFilter) -> Vec<String> {
    let mut t: Vec<String> = policy_page(state, "policy", &f, 1)
        .await
        .unwrap()
        .rows
        .rows
        .into_iter()
        .map(|r| r.title)
        .collect();
    t.sort();
    t
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_policy_list_filters_find_exactly_the_right_documents() {
    let (state, base) = start().await;
    let f = |level: &str, status: &str, issuer: &str, year: &str, q: &str| PolicyFilter {
        level: level.into(),
        status: status.into(),
        issuer: issuer.into(),
        year: year.into(),
        q: q.into(),
    };
    assert_eq!(
        titles(&state, f("", "repealed", "", "", "")).await,
        ["湘西州公共信用信息管理暂行办法"]
    );
    assert_eq!(
        titles(&state, f("county", "", "", "", "")).await,
        ["凤凰县旅游市场信用承诺实施方案"]
    );
    assert_eq!(
        titles(&state, f("", "", "", "", "国办发")).await,
        [
            "国务院办公厅关于加快推进社会信用体系建设构建以信用为基础的新型监管机制的指导意见",
            "国务院办公厅关于运用大数据加强对市场主体服务和监管的若干意见",
            "国务院办公厅关于进一步完善失信约束制度构建诚信建设长效机制的指导意见",
        ]
    );
    // A fragment of the title, and the fragment with a level that excludes it.
    assert_eq!(
        titles(&state, f("national", "", "", "", "修复管理")).await,
        ["失信行为纠正后的信用信息修复管理办法（试行）"]
    );
    assert!(titles(&state, f("county", "", "", "", "修复管理"))
        .await
        .is_empty());
    assert_eq!(
        titles(&state, f("", "", "国务院", "2019", "")).await,
        ["中华人民共和国政府信息公开条例", "优化营商环境条例"]
    );
    // Every prefecture document is a local one, and all of them are found.
    let prefecture = titles(&state, f("prefecture", "", "", "", "")).await;
    assert_eq!(prefecture.len(), 5, "{prefecture:?}");
    assert!(prefecture
        .iter()
        .all(|t| t.contains("湘西州") || t.contains("信用承诺制度")));
    // The page: filters in the URL, without JavaScript.
    let html = page(&base, "/column/policy?level=county").await;
    assert!(html.contains("凤凰县旅游市场信用承诺实施方案") && html.contains("已修订"));
    assert!(!html.contains("优化营商环境条例"));
    assert!(html.contains("符合条件的文件共 1 件"));
    let data = policy_page(&state, "policy", &PolicyFilter::default(), 1)
        .await
        .unwrap();
    assert!(data.issuers.contains(&"国务院办公厅".to_string()));
    assert!(data.years.contains(&"2014".to_string()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_faq_is_searched_by_fragment() {
    let (_state, base) = start().await;
    let all = page(&base, "/help/faq").await;
    assert!(all.contains("共 12 个问题") && all.contains("<details") && all.contains("双公示"));
    let found = page(&base, "/help/faq?q=%E4%BF%AE%E5%A4%8D").await; // 修复
    assert!(found.contains("行政处罚信息可以申请信用修复吗？"));
    assert!(!found.contains("如何核验一份信用报告的真伪？"));
    // A fragment of an answer finds its question too.
    let found = page(&base, "/help/faq?q=%E4%BA%8C%E7%BB%B4%E7%A0%81").await; // 二维码
    assert!(found.contains("找到 1 个") && found.contains("如何核验一份信用报告的真伪？"));
    let none = page(&base, "/help/faq?q=%E6%97%A0%E6%AD%A4%E9%97%AE%E9%A2%98").await; // 无此问题
    assert!(none.contains("找到 0 个"));
}
