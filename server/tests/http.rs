//! The real router on a loopback port: pages, health, headers, CSP, caching, 404, Origin check.
// Test code: a panic here is a failing test (clippy.toml allows these lints in #[test] functions;
// the helpers of an integration test crate are test code as well).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod common;
use server::seed::{seed_demo, SeedOptions};

struct Running {
    base: String,
    client: reqwest::Client,
}

async fn start() -> Running {
    let state = common::fresh_state().await;
    let opts = SeedOptions {
        subjects: 200,
        seed: 7,
        as_of: state.clock.today(),
    };
    seed_demo(&state, &opts, |_, _| {}).await.expect("seed");
    let base = common::serve(state).await;
    let client = common::plain_client();
    Running { base, client }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_and_readiness() {
    let s = start().await;
    let r = s
        .client
        .get(format!("{}/healthz", s.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = s
        .client
        .get(format!("{}/readyz", s.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["database"],
        "ok"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn home_page_is_rendered_from_the_database_with_security_headers() {
    let s = start().await;
    let r = s.client.get(format!("{}/", s.base)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let h = r.headers().clone();
    assert!(h.get("x-request-id").is_some());
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["cache-control"], "public, max-age=60");
    let csp = h["content-security-policy"].to_str().unwrap().to_string();
    assert!(
        csp.contains("frame-ancestors 'none'") && csp.contains("'sha256-"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-inline"));
    let html = r.text().await.unwrap();
    assert!(html.contains("湘西州公共信用信息平台"));
    assert!(html.contains("最新行政处罚") && html.contains("信用动态"));
    // Counts come from the database: 200 generated subjects and the 2 showcase ones.
    assert!(html.contains(">202<"), "subject count rendered");
    // Every inline script the server wrote is allowed by hash (the nonce itself is stripped).
    assert!(!html.contains("nonce="));
    // A public reading page is sent without the WASM; the login page hydrates.
    assert!(!html.contains(".wasm") && html.contains("data-enhanced"));
    let login = s
        .client
        .get(format!("{}/login", s.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(login.contains(".wasm"), "the login page loads the WASM");
    for hash in server::http::security::inline_script_hashes(&html) {
        assert!(csp.contains(&hash), "script hash {hash} missing from CSP");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_pages_are_identical_for_every_visitor() {
    let s = start().await;
    let get = || async {
        s.client
            .get(format!("{}/", s.base))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    };
    let (a, b) = (get().await, get().await);
    assert!(
        !a.contains("nonce="),
        "no per-request nonce in a cacheable page"
    );
    assert_eq!(a, b);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uscc_checker_renders_results_without_javascript() {
    let s = start().await;
    let get = |code: &str| {
        let url = format!("{}/tools/uscc?code={}", s.base, code);
        let client = s.client.clone();
        async move { client.get(url).send().await.unwrap().text().await.unwrap() }
    };
    assert!(get("91110000802100433B").await.contains("代码有效"));
    assert!(get("9111000080210043").await.contains("当前为16位"));
    assert!(get("91110000802100433C").await.contains("第18位校验码错误"));
    assert!(get("91110000802100434B")
        .await
        .contains("组织机构代码的校验码错误"));
    assert!(get("91110000802I00433B").await.contains("第12位的“I”"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_pages_get_a_chinese_404() {
    let s = start().await;
    let r = s
        .client
        .get(format!("{}/no/such/page", s.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert!(r.text().await.unwrap().contains("页面不存在"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_site_posts_are_rejected() {
    let s = start().await;
    let r = s
        .client
        .post(format!("{}/elder", s.base))
        .header("origin", "http://evil.example")
        .form(&[("back", "/")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["code"], "CROSS_SITE");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn elder_switch_works_without_javascript_and_makes_pages_private() {
    let s = start().await;
    let r = s
        .client
        .post(format!("{}/elder", s.base))
        .form(&[("back", "/tools/uscc")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/tools/uscc");
    assert!(r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .starts_with("elder=1"));
    let page = s
        .client
        .get(format!("{}/", s.base))
        .header("cookie", "elder=1")
        .send()
        .await
        .unwrap();
    assert_eq!(page.headers()["cache-control"], "private, no-cache");
    assert!(page
        .text()
        .await
        .unwrap()
        .contains("<html lang=\"zh-CN\" class=\"elder\""));
    // An off-site "back" is ignored, including ones a browser would turn into "//host".
    for bad in ["//evil.example", "/\\evil.example", "/\t/evil.example"] {
        let r = s
            .client
            .post(format!("{}/elder", s.base))
            .form(&[("back", bad)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.headers()["location"], "/", "{bad:?}");
    }
}
