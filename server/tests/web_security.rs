//! Web security probes (issue 17): markup in titles and meta tags, TOTP for every enrolled account,
//! 三员分立 in password recovery, the login's `next`, the server-side login redirect of console
//! pages, and the smaller edges: paging bounds, exchange redirects, the Origin scheme, and what a
//! failed login writes into the audit log.
// Test code: a panic here is a failing test (clippy.toml allows these lints in #[test] functions;
// the helpers of an integration test crate are test code as well).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod common;
use app::server::AppState;
use reqwest::header::{ACCEPT, LOCATION, ORIGIN};
use server::seed::{accounts::DEMO_PASSWORD, seed_demo, SeedOptions};
use sqlx::Row;

/// A name or title that tries to close `<title>` and plant a redirect.
const HOSTILE: &str =
    r#"凤凰</title><meta http-equiv="refresh" content="0;url=https://evil.example">"#;

async fn start() -> (AppState, String) {
    let state = common::fresh_state().await;
    let opts = SeedOptions {
        subjects: 10,
        seed: 17,
        as_of: state.clock.today(),
    };
    seed_demo(&state, &opts, |_, _| {}).await.expect("seed");
    let base = common::serve(state.clone()).await;
    (state, base)
}

async fn call(c: &reqwest::Client, base: &str, path: &str, body: &str) -> (u16, String) {
    let r = c
        .post(format!("{base}/api/{path}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

fn form(pairs: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

async fn login(c: &reqwest::Client, base: &str, user: &str, pass: &str) -> (u16, String) {
    call(
        c,
        base,
        "auth/login",
        &form(&[("username", user), ("password", pass)]),
    )
    .await
}

async fn get(c: &reqwest::Client, url: &str) -> (u16, String) {
    let r = c.get(url).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn public_id_of(state: &AppState, username: &str) -> String {
    sqlx::query("SELECT public_id FROM users WHERE username = $1")
        .bind(username)
        .fetch_one(&state.db.pool)
        .await
        .unwrap()
        .get("public_id")
}

async fn count(state: &AppState, sql: &str) -> i64 {
    sqlx::query(sql)
        .fetch_one(&state.db.pool)
        .await
        .unwrap()
        .get(0)
}

/// The page has exactly one `<title>` element, no planted tag, and the hostile text in it escaped.
fn assert_head_is_clean(page: &str, what: &str) {
    assert_eq!(page.matches("<title>").count(), 1, "{what}: one <title>");
    assert_eq!(page.matches("</title>").count(), 1, "{what}: one </title>");
    assert!(
        !page.contains("<meta http-equiv=\"refresh\""),
        "{what}: a planted meta refresh"
    );
    let title = page
        .split("<title>")
        .nth(1)
        .and_then(|t| t.split("</title>").next())
        .unwrap_or_default();
    assert!(
        title.starts_with("凤凰&lt;/title&gt;&lt;meta http-equiv="),
        "{what}: the title text is escaped: {title}"
    );
}

// ---- Item 2: markup in <title> and <meta> ----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_subject_names_and_article_titles_stay_text_in_the_head() {
    let (state, base) = start().await;
    let now = state.clock.now_text();
    // A subject named to break out of <title> (its page is public).
    let subject = format!("s{}", uuid::Uuid::now_v7().simple());
    sqlx::query(
        "INSERT INTO subjects (public_id, kind, name, county_code, created_at, updated_at) \
         VALUES ($1, 'organisation', $2, '433123', $3, $3)",
    )
    .bind(&subject)
    .bind(HOSTILE)
    .bind(&now)
    .execute(&state.db.pool)
    .await
    .unwrap();
    // A published article with such a title (and summary: the description meta tags).
    let article = format!("t{}", uuid::Uuid::now_v7().simple());
    let mut tx = state.db.begin().await.unwrap();
    let id: i64 = sqlx::query(
        "INSERT INTO articles (public_id, column_code, columns, title, summary, body_html, source, status, created_at, updated_at) \
         VALUES ($1, 'notice', '[\"notice\"]', $2, $2, '<p>正文</p>', '测试来源', 'published', $3, $3) RETURNING id",
    )
    .bind(&article)
    .bind(HOSTILE)
    .bind(&now)
    .fetch_one(&mut *tx)
    .await
    .unwrap()
    .get(0);
    app::cms::service::live::put_live(&mut tx, id, &now)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let c = common::client();
    let (status, page) = get(&c, &format!("{base}/credit/subject/{subject}")).await;
    assert_eq!(status, 200, "{page}");
    assert_head_is_clean(&page, "subject page");
    // The social-card meta tags carry the name as an attribute value, escaped by the renderer.
    assert!(
        page.contains("property=\"og:title\" content=\"凤凰&lt;/title&gt;&lt;meta http-equiv=&quot;refresh&quot;"),
        "og:title escaped: {page}"
    );

    let (status, page) = get(&c, &format!("{base}/article/{article}")).await;
    assert_eq!(status, 200, "{page}");
    assert_head_is_clean(&page, "article page");
    assert!(
        page.contains("name=\"description\" content=\"凤凰&lt;/title&gt;"),
        "description escaped: {page}"
    );
}

// ---- Item 5: an enrolled TOTP is always asked for ----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_enrolled_totp_is_asked_for_even_when_the_policy_does_not_require_it() {
    let (state, base) = start().await;
    // The policy does not require TOTP (the default); the operator enrols of their own accord.
    let c = common::client();
    assert_eq!(login(&c, &base, "operator", DEMO_PASSWORD).await.0, 200);
    let (_, begun) = call(&c, &base, "account/totp_begin", "").await;
    let key = serde_json::from_str::<serde_json::Value>(&begun).unwrap()["manual_key"]
        .as_str()
        .unwrap()
        .to_string();
    let secret = hex::encode(base32_decode(&key));
    let code = app::auth::totp::code_at(&secret, "operator", state.clock.now());
    let (s, body) = call(&c, &base, "account/totp_confirm", &format!("code={code}")).await;
    assert_eq!(s, 200, "{body}");

    // The next login stops at the code; without it nothing is open.
    let c = common::client();
    let (s, body) = login(&c, &base, "operator", DEMO_PASSWORD).await;
    assert_eq!(s, 200, "{body}");
    assert!(body.contains("Totp"), "{body}");
    assert_eq!(call(&c, &base, "auth/me", "").await.1, "null");
    state.clock.advance(time::Duration::seconds(30)).unwrap();
    let code = app::auth::totp::code_at(&secret, "operator", state.clock.now());
    assert_eq!(
        call(&c, &base, "auth/totp", &format!("code={code}"))
            .await
            .0,
        200
    );
    assert!(call(&c, &base, "auth/me", "")
        .await
        .1
        .contains("\"username\":\"operator\""));
    // The enrolment page says so.
    let (status, page) = get(&c, &format!("{base}/account/totp")).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("绑定后，每次登录都需要输入动态验证码"),
        "the enrolment page says what happens: {page}"
    );
}

fn base32_decode(s: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let (mut bits, mut n, mut out) = (0u64, 0, vec![]);
    for ch in s.trim_end_matches('=').bytes() {
        let v = ALPHABET.iter().position(|c| *c == ch).unwrap() as u64;
        bits = (bits << 5) | v;
        n += 5;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
            bits &= (1 << n) - 1;
        }
    }
    out
}

// ---- Item 6: 三员分立 in password recovery ----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_system_admin_cannot_reset_another_admins_password_or_sessions() {
    let (state, base) = start().await;
    let sec = common::client();
    assert_eq!(login(&sec, &base, "secadmin", DEMO_PASSWORD).await.0, 200);
    let admin = common::client();
    assert_eq!(login(&admin, &base, "sysadmin", DEMO_PASSWORD).await.0, 200);
    for target in ["secadmin", "auditor"] {
        let id = public_id_of(&state, target).await;
        let (s, body) = call(
            &admin,
            &base,
            "admin/user_reset_password",
            &format!("id={id}"),
        )
        .await;
        assert_eq!(s, 403, "reset {target}: {body}");
        assert!(
            !body.contains("password\""),
            "no temporary password: {body}"
        );
        let (s, body) = call(
            &admin,
            &base,
            "admin/user_end_sessions",
            &format!("id={id}"),
        )
        .await;
        assert_eq!(s, 403, "end sessions of {target}: {body}");
    }
    // The security admin is still signed in, with the old password.
    assert!(call(&sec, &base, "auth/me", "")
        .await
        .1
        .contains("\"username\":\"secadmin\""));
    assert_eq!(
        login(&common::client(), &base, "auditor", DEMO_PASSWORD)
            .await
            .0,
        200
    );
    // The refusals are in the audit log.
    assert_eq!(
        count(
            &state,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'user.reset_password' AND outcome = 'denied'"
        )
        .await,
        2
    );
    // A business account is still reset from the console.
    let id = public_id_of(&state, "reviewer").await;
    let (s, body) = call(
        &admin,
        &base,
        "admin/user_reset_password",
        &format!("id={id}"),
    )
    .await;
    assert_eq!(s, 200, "{body}");
    assert!(body.contains("\"password\""), "{body}");
}

/// The real binary, as an operator runs it on the host.
fn server_bin(state: &AppState) -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_server"));
    for k in ["APP_SECRET_FILE", "APP_ENV", "APP_CONFIG_FILE"] {
        c.env_remove(k);
    }
    c.env("APP_SECRET", "integration-test-master-secret-0123456789")
        .env("DATABASE_URL", &state.db.url)
        .env(
            "APP_DATA_DIR",
            std::env::temp_dir().join("xiangxi-credit-tests"),
        );
    c
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_account_is_recovered_on_the_host_and_audited() {
    let (state, base) = start().await;
    let sec = common::client();
    assert_eq!(login(&sec, &base, "secadmin", DEMO_PASSWORD).await.0, 200);
    let fresh = "Recover#Host2026";
    let out = server_bin(&state)
        .args(["reset-admin", "--username", "secadmin"])
        .env("ADMIN_PASSWORD", fresh)
        .output()
        .expect("run server");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("secadmin"));
    // The old login has ended, the old password is gone, the new one works and must be changed.
    assert_eq!(call(&sec, &base, "auth/me", "").await.1, "null");
    assert_eq!(
        login(&common::client(), &base, "secadmin", DEMO_PASSWORD)
            .await
            .0,
        422
    );
    let c = common::client();
    assert_eq!(login(&c, &base, "secadmin", fresh).await.0, 200);
    assert!(call(&c, &base, "auth/me", "")
        .await
        .1
        .contains("\"must_change_password\":true"));
    let row = sqlx::query(
        "SELECT actor_name, actor_id, object_id FROM audit_events WHERE action = 'account.recover_admin' AND outcome = 'success'",
    )
    .fetch_one(&state.db.pool)
    .await
    .unwrap();
    assert_eq!(row.get::<String, _>("actor_name"), "主机命令行");
    assert_eq!(row.get::<Option<i64>, _>("actor_id"), None);
    assert_eq!(
        row.get::<Option<String>, _>("object_id"),
        Some(public_id_of(&state, "secadmin").await)
    );
    // Business accounts are reset in the console, not here; a weak password is refused.
    let out = server_bin(&state)
        .args(["reset-admin", "--username", "reviewer"])
        .env("ADMIN_PASSWORD", fresh)
        .output()
        .expect("run server");
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("不是管理员账户"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = server_bin(&state)
        .args(["reset-admin", "--username", "auditor"])
        .env("ADMIN_PASSWORD", "12345678")
        .output()
        .expect("run server");
    assert!(!out.status.success());
    assert!(app::server::audit::verify(&state.db.pool, &state.secrets)
        .await
        .unwrap()
        .first_break
        .is_none());
}

// ---- Item 8: the login's `next` ----

#[test]
fn safe_next_keeps_local_paths_only() {
    use app::auth::login::safe_next;
    assert_eq!(safe_next("/console/users?q=a"), "/console/users?q=a");
    assert_eq!(safe_next("/account"), "/account");
    for bad in [
        "//evil.example",
        "/\t/evil.example",
        "/%09/evil.example",
        "/%0a/evil.example",
        "/\n/evil.example",
        "/console\r\nSet-Cookie: x=1",
        "/\\evil.example",
        "\\\\evil.example",
        "/%5cevil.example",
        "/%2F/evil.example",
        "https://evil.example",
        "/ /evil.example",
        "",
        "/login?next=/x",
    ] {
        assert_eq!(safe_next(bad), "/console", "{bad:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_with_a_hostile_next_goes_to_a_local_page() {
    let (_state, base) = start().await;
    for next in ["/\t/evil.example", "/\n/evil.example", "/%09/evil.example"] {
        let c = common::client();
        let r = c
            .post(format!("{base}/api/auth/login"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form(&[
                ("username", "operator"),
                ("password", DEMO_PASSWORD),
                ("next", next),
            ]))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{next:?}");
        assert_eq!(
            r.headers().get(LOCATION).and_then(|v| v.to_str().ok()),
            Some("/console"),
            "{next:?}"
        );
    }
}

// ---- Item 10: console pages redirect anonymous visitors on the server ----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn console_and_account_pages_send_anonymous_visitors_to_the_login() {
    let (_state, base) = start().await;
    let c = common::client();
    for (path, next) in [
        ("/console", "%2Fconsole"),
        (
            "/console/users?q=a&page=2",
            "%2Fconsole%2Fusers%3Fq%3Da%26page%3D2",
        ),
        ("/account/password", "%2Faccount%2Fpassword"),
    ] {
        // A monitoring probe (no Accept) and a browser without JavaScript see the same answer.
        for accept in ["*/*", "text/html"] {
            let r = c
                .get(format!("{base}{path}"))
                .header(ACCEPT, accept)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 303, "{path} ({accept})");
            assert_eq!(
                r.headers().get(LOCATION).and_then(|v| v.to_str().ok()),
                Some(format!("/login?next={next}").as_str()),
                "{path}"
            );
            assert_eq!(r.headers()["cache-control"], "no-store");
        }
    }
    // The login page itself, public pages and the console's REST downloads are not redirected.
    assert_eq!(get(&c, &format!("{base}/login")).await.0, 200);
    assert_eq!(get(&c, &format!("{base}/credit")).await.0, 200);
    let r = c
        .get(format!("{base}/console/quality/report.xlsx"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    // Signed in, the console opens.
    assert_eq!(login(&c, &base, "operator", DEMO_PASSWORD).await.0, 200);
    assert_eq!(get(&c, &format!("{base}/console")).await.0, 200);
    assert_eq!(get(&c, &format!("{base}/account")).await.0, 200);
}

// ---- Item 11 ----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_huge_page_number_gets_a_sane_answer() {
    let (_state, base) = start().await;
    let c = common::client();
    let huge = i64::MAX.to_string();
    let r = c
        .get(format!("{base}/api/v1/credit/search"))
        .query(&[("q", "湘西"), ("page", huge.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: serde_json::Value = r.json().await.unwrap();
    assert!(v["hits"].as_array().is_some(), "{v}");
    assert!(v["page"].as_i64().unwrap() >= 1, "{v}");
    let (s, body) = call(
        &c,
        &base,
        "credit/search",
        &format!("q=湘西&page={huge}&filters[kind]="),
    )
    .await;
    assert_eq!(s, 200, "{body}");
    let (s, _) = get(
        &c,
        &format!("{base}/credit?q=%E6%B9%98%E8%A5%BF&page={huge}"),
    )
    .await;
    assert_eq!(s, 200);
    // The portal's lists and search take a page number from the URL too.
    for path in [
        format!("/search?q=%E4%BF%A1%E7%94%A8&page={huge}"),
        format!("/column/notice?page={huge}"),
    ] {
        let (s, page) = get(&c, &format!("{base}{path}")).await;
        assert_eq!(s, 200, "{path}: {page}");
    }
}

/// A unit's exchange server: a file, a redirect on the same host, and redirects elsewhere.
async fn exchange_server() -> String {
    use axum::response::IntoResponse;
    use axum::routing::get;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let port = addr.port();
    let found = |to: String| {
        (
            axum::http::StatusCode::FOUND,
            [(axum::http::header::LOCATION, to)],
            "moved",
        )
            .into_response()
    };
    let app = axum::Router::new()
        .route(
            "/penalty.csv",
            get(|| async {
                (
                    [(axum::http::header::CONTENT_TYPE, "text/csv")],
                    "行政相对人名称,统一社会信用代码\n测试,1\n",
                )
            }),
        )
        .route(
            "/same",
            get(move || async move { found("/penalty.csv".into()) }),
        )
        .route(
            "/loopback",
            get(move || async move { found(format!("http://localhost:{port}/penalty.csv")) }),
        )
        .route(
            "/metadata",
            get(move || async move { found("http://169.254.169.254/latest/meta-data/".into()) }),
        );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_exchange_does_not_follow_redirects_to_other_hosts() {
    use common::collect::{post, setup};
    let (state, unit) = setup().await;
    let base = common::serve(state.clone()).await;
    let op = common::client();
    common::login_demo(&op, &base, "operator").await;
    let http = exchange_server().await;
    let unit_id = unit.id;
    let pull = |path: &'static str| {
        let (op, base, http) = (op.clone(), base.clone(), http.clone());
        async move {
            let body = format!(
                "class=penalty&department={}&frequency=daily&exchange_url={http}{path}",
                unit_id
            );
            let (s, out) = post(&op, &base, "catalogue/source_save", &body).await;
            assert_eq!(s, 200, "{out}");
            let (s, out) = post(
                &op,
                &base,
                "catalogue/source_exchange_now",
                &format!("class=penalty&department={unit_id}"),
            )
            .await;
            assert_eq!(s, 200, "{out}");
            out
        }
    };
    let out = pull("/loopback").await;
    assert!(out.contains("交换失败") && out.contains("重定向"), "{out}");
    let out = pull("/metadata").await;
    assert!(out.contains("交换失败") && out.contains("重定向"), "{out}");
    // A move on the unit's own host is followed.
    let out = pull("/same").await;
    assert!(out.contains("生成批次"), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_origin_check_compares_the_scheme_too() {
    let (_state, base) = start().await;
    let host = base.trim_start_matches("http://");
    let c = common::client();
    let r = c
        .post(format!("{base}/api/auth/me"))
        .header(ORIGIN, format!("https://{host}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "another scheme is another origin");
    let r = c
        .post(format!("{base}/api/auth/me"))
        .header(ORIGIN, format!("http://{host}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_login_stores_a_short_clean_username() {
    let (state, base) = start().await;
    let typed = format!(
        "nobody\r\n2026-01-01 auth.login success\u{1b}[2J{}",
        "x".repeat(300)
    );
    assert_eq!(
        login(&common::client(), &base, &typed, "wrong").await.0,
        422
    );
    let name: String = sqlx::query(
        "SELECT actor_name FROM audit_events WHERE action = 'auth.login' AND outcome = 'failure' ORDER BY id DESC",
    )
    .fetch_one(&state.db.pool)
    .await
    .unwrap()
    .get("actor_name");
    assert!(name.chars().count() <= 64, "{name:?}");
    assert!(!name.chars().any(char::is_control), "{name:?}");
    assert!(name.starts_with("nobody"), "{name:?}");
}
