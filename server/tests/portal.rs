//! The public portal over HTTP: columns, articles, search, feeds, files. Only the published copy of
//! an article is ever shown; bodies are sanitised on the way to the portal.
// Test code: a panic here is a failing test (clippy.toml allows these lints in #[test] functions;
// the helpers of an integration test crate are test code as well).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod common;
use app::server::AppState;
use server::seed::{seed_demo, SeedOptions};

async fn start() -> (AppState, String, reqwest::Client) {
    let state = common::fresh_state().await;
    let opts = SeedOptions {
        subjects: 20,
        seed: 11,
        as_of: state.clock.today(),
    };
    seed_demo(&state, &opts, |_, _| {}).await.expect("seed");
    let base = common::serve(state.clone()).await;
    let client = common::plain_client();
    (state, base, client)
}

async fn get(c: &reqwest::Client, url: String) -> (u16, reqwest::header::HeaderMap, String) {
    let r = c.get(url).send().await.unwrap();
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    (status, headers, r.text().await.unwrap())
}

/// Adds an article straight into the working table (the CMS journey is tested elsewhere) and, when
/// `publish`, puts it on the portal the way publication does.
async fn article(state: &AppState, column: &str, title: &str, body: &str, publish: bool) -> String {
    let public_id = format!("t{}", uuid::Uuid::now_v7().simple());
    let now = state.clock.now_text();
    let mut tx = state.db.begin().await.unwrap();
    sqlx::query(
        "INSERT INTO articles (public_id, column_code, columns, title, summary, body_html, source, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, '测试摘要', $5, '测试来源', $6, $7, $7)",
    )
    .bind(&public_id)
    .bind(column)
    .bind(format!("[\"{column}\"]"))
    .bind(title)
    .bind(body)
    .bind(if publish { "published" } else { "draft" })
    .bind(&now)
    .execute(&mut *tx)
    .await
    .unwrap();
    if publish {
        let id: i64 = sqlx::Row::try_get(
            &sqlx::query("SELECT id FROM articles WHERE public_id = $1")
                .bind(&public_id)
                .fetch_one(&mut *tx)
                .await
                .unwrap(),
            "id",
        )
        .unwrap();
        app::cms::service::live::put_live(&mut tx, id, &now)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    public_id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn columns_articles_and_search_show_published_articles_only() {
    let (state, base, c) = start().await;
    let published = article(
        &state,
        "notice",
        "关于开展诚信宣传月活动的通知",
        "<p>全州开展诚信宣传月。</p>",
        true,
    )
    .await;
    let draft = article(
        &state,
        "notice",
        "尚未审核的草稿通知",
        "<p>草稿正文凤凰古城</p>",
        false,
    )
    .await;

    // Home: the column boxes link to the newest articles.
    let (status, headers, home) = get(&c, format!("{base}/")).await;
    assert_eq!(status, 200);
    assert_eq!(headers["cache-control"], "public, max-age=60");
    assert!(
        home.contains(&format!("/article/{published}")),
        "newest notice on the home page"
    );
    assert!(!home.contains("尚未审核的草稿通知"));
    // The navigation comes from the column table.
    assert!(home.contains("href=\"/column/policy\"") && home.contains("政策法规"));

    // Column list: the article is there, the draft is not; a page past the end is empty, not an error.
    let (status, _, list) = get(&c, format!("{base}/column/notice")).await;
    assert_eq!(status, 200);
    assert!(list.contains("关于开展诚信宣传月活动的通知"));
    assert!(!list.contains("尚未审核的草稿通知"));
    assert!(list.contains("/rss/notice.xml"));
    let (status, _, _) = get(&c, format!("{base}/column/no-such-column")).await;
    assert_eq!(status, 404);

    // Article page: meta, views counted, neighbours, and the draft is not reachable.
    let (status, _, page) = get(&c, format!("{base}/article/{published}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("<h1 id=\"article-title\">关于开展诚信宣传月活动的通知<"));
    assert!(
        page.contains("property=\"og:title\"")
            && page.contains("来源：")
            && page.contains("测试来源")
    );
    assert!(
        page.contains("浏览次数：1<"),
        "the reader's own view is in the count"
    );
    // The second reader gets the cached page, but both views are written (in a batch, within seconds).
    let (_, _, again) = get(&c, format!("{base}/article/{published}")).await;
    assert_eq!(again, page, "the page is served from the cache, identical");
    let mut written = 0;
    for _ in 0..40 {
        written = sqlx::query_scalar::<_, i64>("SELECT views FROM articles WHERE public_id = $1")
            .bind(&published)
            .fetch_one(&state.db.pool)
            .await
            .unwrap();
        if written == 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    assert_eq!(written, 2, "both views written");
    assert!(page.contains("上一篇："));
    let (status, _, _) = get(&c, format!("{base}/article/{draft}")).await;
    assert_eq!(status, 404, "a draft is not on the portal");

    // Search finds 2-character words in titles and text, never in drafts.
    let (status, _, found) = get(&c, format!("{base}/search?q=%E8%AF%9A%E4%BF%A1")).await; // 诚信
    assert_eq!(status, 200);
    assert!(
        found.contains("关于开展诚信宣传月活动的通知"),
        "2-character word found"
    );
    let (_, _, found) = get(&c, format!("{base}/search?q=%E5%87%A4%E5%87%B0")).await; // 凤凰
    assert!(
        found.contains("凤凰县开展“信用+旅游”专项行动"),
        "demo article found by 凤凰"
    );
    assert!(
        !found.contains("尚未审核的草稿通知"),
        "draft text is not searched"
    );
    let (_, _, one) = get(&c, format!("{base}/search?q=%E4%BF%A1")).await; // 信
    assert!(
        one.contains("没有找到"),
        "a single character is not a search word"
    );

    // Feeds.
    let (status, headers, sitemap) = get(&c, format!("{base}/sitemap.xml")).await;
    assert_eq!(status, 200);
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/xml"));
    assert!(
        sitemap.starts_with("<?xml") && sitemap.contains(&format!("/article/{published}</loc>"))
    );
    assert!(!sitemap.contains(&draft));
    let (status, headers, rss) = get(&c, format!("{base}/rss/notice.xml")).await;
    assert_eq!(status, 200);
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/rss+xml"));
    assert!(
        rss.contains("<title>关于开展诚信宣传月活动的通知</title>") && rss.contains("<pubDate>")
    );
    let (status, _, _) = get(&c, format!("{base}/rss/nothing.xml")).await;
    assert_eq!(status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_body_never_reaches_the_portal_page() {
    let (state, base, c) = start().await;
    let body = r#"<p>正文<script>alert('x')</script></p><img src="/files/x.png" onerror="alert(1)" alt="图"><a href="javascript:alert(2)">点我</a>"#;
    let id = article(&state, "news", "含有恶意代码的文章", body, true).await;
    let (status, headers, page) = get(&c, format!("{base}/article/{id}")).await;
    assert_eq!(status, 200);
    let start = page.find("class=\"article-body\"").expect("body rendered");
    let rendered = &page[start..start + 400.min(page.len() - start)];
    assert!(
        rendered.contains("正文") && rendered.contains("点我"),
        "{rendered}"
    );
    for bad in ["<script", "onerror", "javascript:"] {
        assert!(
            !rendered.contains(bad),
            "{bad} reached the page: {rendered}"
        );
    }
    // And even if one did, the CSP allows no inline script but the server's own by hash.
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(!csp.contains("unsafe-inline"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stored_files_are_served_by_content_address_only() {
    let (state, base, c) = start().await;
    let dir = server::http::portal::uploads_dir(&state);
    std::fs::create_dir_all(&dir).unwrap();
    let hash = "ab".repeat(32);
    std::fs::write(dir.join(format!("{hash}.pdf")), b"%PDF-1.4 test").unwrap();
    let r = c
        .get(format!(
            "{base}/files/{hash}.pdf?name=%E9%80%9A%E7%9F%A5.pdf"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert_eq!(
        r.headers()["content-disposition"],
        "attachment; filename*=UTF-8''%E9%80%9A%E7%9F%A5.pdf"
    );
    assert!(r.headers()["cache-control"]
        .to_str()
        .unwrap()
        .contains("immutable"));
    assert_eq!(r.bytes().await.unwrap().as_ref(), b"%PDF-1.4 test");
    for bad in [
        "..%2Fsecret.key",
        "secret.key",
        &format!("{hash}.exe"),
        &format!("{}.pdf", "cd".repeat(32)),
    ] {
        let r = c.get(format!("{base}/files/{bad}")).send().await.unwrap();
        assert_eq!(r.status(), 404, "{bad}");
    }
}
