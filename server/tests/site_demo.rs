//! The demo site as an inspector sees it: every column leads somewhere real, every article column has
//! published content, the forms download, and the site passes its own health board (issue 19).
// Test code: a panic here is a failing test (clippy.toml allows these lints in #[test] functions;
// the helpers of an integration test crate are test code as well).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod common;
use app::cms::health::Level;
use server::seed::{seed_demo, SeedOptions};
use sqlx::Row;

#[tokio::test]
async fn the_demo_site_passes_its_own_health_board() {
    let state = common::fresh_state().await;
    let opts = SeedOptions {
        subjects: 30,
        seed: 7,
        as_of: state.clock.today(),
    };
    seed_demo(&state, &opts, |_, _| {}).await.expect("seed");
    let pool = &state.db.pool;

    // 信用信息查询 is the first column of the navigation, and the services are links to their pages.
    let nav = app::portal::service::columns::visible(&state)
        .await
        .unwrap();
    let top: Vec<&str> = nav
        .iter()
        .filter(|c| c.parent_code.is_none())
        .map(|c| c.code.as_str())
        .collect();
    assert_eq!(top.first(), Some(&"credit"), "{top:?}");
    let href = |code: &str| nav.iter().find(|c| c.code == code).unwrap().href();
    assert_eq!(href("credit"), "/credit");
    assert_eq!(href("publicity"), "/credit/lists/penalties");
    assert_eq!(href("lists"), "/credit/lists/red");
    assert_eq!(href("consult"), "/help/consult");
    // 信用修复 opens the service page, which links the guides (issue 20).
    assert_eq!(href("repair"), "/repair");
    // Two levels at most, as the column manager allows.
    for c in nav.iter().filter(|c| c.parent_code.is_some()) {
        let parent = nav.iter().find(|p| Some(&p.code) == c.parent_code.as_ref());
        assert!(
            parent.is_some_and(|p| p.parent_code.is_none()),
            "{} sits two levels deep",
            c.code
        );
    }
    assert!(top.len() <= 11, "the main navigation stays short: {top:?}");

    // Every visible article column has at least one published article of its own.
    for r in sqlx::query(
        "SELECT c.code, (SELECT COUNT(*) FROM article_live_columns l WHERE l.column_code = c.code) AS live \
         FROM site_columns c WHERE c.visible = 1 AND c.link_path IS NULL",
    )
    .fetch_all(pool)
    .await
    .unwrap()
    {
        let code: String = r.get("code");
        let live: i64 = r.get("live");
        assert!(live > 0, "column {code} has no published article");
    }

    // The forms are stored files attached to the download articles.
    let attachments: Vec<String> = sqlx::query_scalar(
        "SELECT l.attachments FROM article_live l JOIN article_live_columns c ON c.article_id = l.article_id \
         WHERE c.column_code = 'download'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let files: Vec<app::portal::model::Attachment> = attachments
        .iter()
        .flat_map(|a| serde_json::from_str::<Vec<app::portal::model::Attachment>>(a).unwrap())
        .collect();
    assert!(files.len() >= 4, "{files:?}");
    assert!(files.iter().any(|f| f.name.ends_with(".xlsx")));
    assert!(files.iter().any(|f| f.name.ends_with(".docx")));

    // The column manager accepts the built-in columns as they are (links, parents, two levels).
    let base = common::serve(state.clone()).await;
    let operator = common::client();
    common::login_demo(&operator, &base, "operator").await;
    for c in &nav {
        let row = sqlx::query("SELECT sort_order, update_days FROM site_columns WHERE code = $1")
            .bind(&c.code)
            .fetch_one(pool)
            .await
            .unwrap();
        let sort_order = row.get::<i64, _>("sort_order").to_string();
        let update_days = row
            .get::<Option<i64>, _>("update_days")
            .map(|d| d.to_string())
            .unwrap_or_default();
        let form = [
            ("original", c.code.as_str()),
            ("code", c.code.as_str()),
            ("name", c.name.as_str()),
            ("parent_code", c.parent_code.as_deref().unwrap_or("")),
            ("sort_order", sort_order.as_str()),
            ("kind", c.kind.as_str()),
            ("update_days", update_days.as_str()),
            ("description", c.description.as_str()),
            ("visible", "true"),
            ("link_path", c.link_path.as_deref().unwrap_or("")),
        ];
        let body: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&form)
            .finish();
        let r = operator
            .post(format!("{base}/api/cms/column_save"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        assert_eq!(status, 200, "{}: {}", c.code, r.text().await.unwrap());
    }

    // The crawler walks the portal through the router (every navigation, footer and article link, and
    // the attachments), then the board shows no inspection failure.
    // The static files (favicon) from their source folder: the built site may not exist in a test run.
    let mut options = server::http::leptos_options(None);
    options.site_root = concat!(env!("CARGO_MANIFEST_DIR"), "/../public").into();
    let router = server::http::router(state.clone(), options).await.unwrap();
    let found = server::crawl::crawl(&router, &state).await.unwrap();
    assert!(found > 20, "links found: {found}");
    let failing: Vec<(String, String)> =
        sqlx::query("SELECT url, detail FROM link_checks WHERE ok = 0 AND internal = 1")
            .fetch_all(pool)
            .await
            .unwrap()
            .iter()
            .map(|r| (r.get("url"), r.get("detail")))
            .collect();
    assert!(failing.is_empty(), "broken internal links: {failing:?}");
    for f in &files {
        let checked: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM link_checks WHERE url LIKE $1 AND ok = 1")
                .bind(format!("/files/{}%", f.file))
                .fetch_one(pool)
                .await
                .unwrap();
        assert!(checked > 0, "{} was downloaded by the crawler", f.name);
    }
    let board = app::cms::service::health::board(&state).await.unwrap();
    let errors: Vec<_> = board
        .problems
        .iter()
        .filter(|p| p.level == Level::Error)
        .collect();
    assert!(errors.is_empty(), "inspection failures: {errors:?}");
    assert!(
        !board
            .problems
            .iter()
            .any(|p| p.key.starts_with("cms.health.empty")),
        "{:?}",
        board.problems
    );
}
