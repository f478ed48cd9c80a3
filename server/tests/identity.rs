//! Identity over real HTTP: login, lockout, sessions (rotation, idle and absolute limits, ending),
//! password policy, TOTP, CSRF, and the probes of the security baseline (cross-site POST, session
//! fixation, SQL injection, brute force); the console lists the admins see and their XLSX exports.
// Test code: a panic here is a failing test (clippy.toml allows these lints in #[test] functions;
// the helpers of an integration test crate are test code as well).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod common;
use app::server::clock::Clock;
use app::server::AppState;
use reqwest::header::{ACCEPT, COOKIE, ORIGIN, SET_COOKIE};
use server::seed::{accounts::DEMO_PASSWORD, seed_demo, SeedOptions};

async fn seeded(state: &AppState) {
    let opts = SeedOptions {
        subjects: 20,
        seed: 3,
        as_of: state.clock.today(),
    };
    seed_demo(state, &opts, |_, _| {}).await.expect("seed");
}

async fn start() -> (AppState, String) {
    let state = common::fresh_state().await;
    seeded(&state).await;
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

async fn audit_count(state: &AppState, action: &str, outcome: &str) -> i64 {
    use sqlx::Row;
    sqlx::query("SELECT COUNT(*) AS n FROM audit_events WHERE action = $1 AND outcome = $2")
        .bind(action)
        .bind(outcome)
        .fetch_one(&state.db.pool)
        .await
        .unwrap()
        .try_get("n")
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_and_logout_are_audited_and_failures_are_generic() {
    let (state, base) = start().await;
    let c = common::client();
    let (s, body) = login(&c, &base, "operator", "wrong-password").await;
    assert_eq!(s, 422, "{body}");
    let (s2, body2) = login(&c, &base, "no-such-user", "wrong-password").await;
    assert_eq!(s2, 422);
    // Same message whether or not the account exists.
    let msg = |b: &str| {
        serde_json::from_str::<serde_json::Value>(b).unwrap()["Validation"][0]["message"].clone()
    };
    assert_eq!(msg(&body), msg(&body2));
    assert_eq!(audit_count(&state, "auth.login", "failure").await, 2);

    let (s, body) = login(&c, &base, "operator", DEMO_PASSWORD).await;
    assert_eq!(s, 200, "{body}");
    let (s, me) = call(&c, &base, "auth/me", "").await;
    assert_eq!(s, 200);
    assert!(me.contains("\"username\":\"operator\""), "{me}");
    assert_eq!(audit_count(&state, "auth.login", "success").await, 1);
    let (s, _) = call(&c, &base, "auth/logout", "").await;
    assert_eq!(s, 200);
    let (_, me) = call(&c, &base, "auth/me", "").await;
    assert_eq!(me, "null");
    assert_eq!(audit_count(&state, "auth.logout", "success").await, 1);
    assert!(app::server::audit::verify(&state.db.pool, &state.secrets)
        .await
        .unwrap()
        .first_break
        .is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_failures_lock_the_account_until_an_admin_unlocks_it() {
    let (state, base) = start().await;
    let c = common::client();
    for _ in 0..5 {
        assert_eq!(login(&c, &base, "clerk", "Wrong#Pass1").await.0, 422);
    }
    // Locked: the right password fails too, with the same status.
    assert_eq!(login(&c, &base, "clerk", DEMO_PASSWORD).await.0, 422);
    assert_eq!(audit_count(&state, "account.lock", "success").await, 1);
    // The system admin unlocks it.
    let admin = common::client();
    assert_eq!(login(&admin, &base, "sysadmin", DEMO_PASSWORD).await.0, 200);
    let (_, list) = call(&admin, &base, "admin/users", "q=clerk&status=locked").await;
    let page: serde_json::Value = serde_json::from_str(&list).unwrap();
    assert_eq!(page["total"], 1, "{list}");
    let id = page["rows"][0]["public_id"].as_str().unwrap().to_string();
    let (s, body) = call(&admin, &base, "admin/user_unlock", &format!("id={id}")).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(login(&c, &base, "clerk", DEMO_PASSWORD).await.0, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lock_expires_after_its_time() {
    let (state, base) = start().await;
    let c = common::client();
    for _ in 0..5 {
        login(&c, &base, "editor", "Wrong#Pass1").await;
    }
    assert_eq!(login(&c, &base, "editor", DEMO_PASSWORD).await.0, 422);
    state.clock.advance(time::Duration::minutes(16)).unwrap();
    assert_eq!(login(&c, &base, "editor", DEMO_PASSWORD).await.0, 200);
}

/// The raw answer to the operator's login, optionally with a cookie header of our choosing.
async fn login_response(
    c: &reqwest::Client,
    base: &str,
    cookie: Option<&str>,
) -> reqwest::Response {
    let mut req = c
        .post(format!("{base}/api/auth/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(&[
            ("username", "operator"),
            ("password", DEMO_PASSWORD),
        ]));
    if let Some(cookie) = cookie {
        req = req.header(COOKIE, cookie);
    }
    req.send().await.unwrap()
}

/// Session fixation probe: an id planted before login is not kept.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_session_id_rotates_at_login() {
    let (_state, base) = start().await;
    let c = common::plain_client();
    // An id chosen by an attacker and planted in the victim's browser.
    let planted = "xxcredit_sid=plantedsessionid0000000";
    let r = login_response(&c, &base, Some(planted)).await;
    assert_eq!(r.status(), 200);
    let set: Vec<String> = r
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    let sid = set
        .iter()
        .find(|c| c.starts_with("xxcredit_sid="))
        .expect("a session cookie is set at login");
    assert!(!sid.starts_with(planted), "{sid}");
    assert!(
        sid.contains("HttpOnly") && sid.contains("SameSite=Lax"),
        "{sid}"
    );
    // The planted id carries no login.
    let r = c
        .post(format!("{base}/api/auth/me"))
        .header(COOKIE, planted)
        .send()
        .await
        .unwrap();
    assert_eq!(r.text().await.unwrap(), "null");
    // Rotation also holds for a real pre-login session: log in twice on one client.
    let c2 = common::client();
    assert_eq!(login(&c2, &base, "operator", DEMO_PASSWORD).await.0, 200);
    let first = login_response(&c2, &base, None)
        .await
        .headers()
        .get(SET_COOKIE)
        .cloned();
    let second = login_response(&c2, &base, None)
        .await
        .headers()
        .get(SET_COOKIE)
        .cloned();
    assert!(first.is_some() && second.is_some());
    assert_ne!(first, second);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_end_after_idle_and_absolute_limits() {
    let (state, base) = start().await;
    let c = common::client();
    assert_eq!(login(&c, &base, "operator", DEMO_PASSWORD).await.0, 200);
    state.clock.advance(time::Duration::minutes(29)).unwrap();
    assert_ne!(call(&c, &base, "auth/me", "").await.1, "null");
    state.clock.advance(time::Duration::minutes(31)).unwrap();
    assert_eq!(call(&c, &base, "auth/me", "").await.1, "null", "idle limit");
    let (_, notice) = call(&c, &base, "auth/notice", "").await;
    assert!(notice.contains("已自动退出"), "{notice}");

    // Absolute: active every 20 minutes, still ended after 12 hours.
    let c = common::client();
    assert_eq!(login(&c, &base, "operator", DEMO_PASSWORD).await.0, 200);
    for _ in 0..35 {
        state.clock.advance(time::Duration::minutes(20)).unwrap();
        assert_ne!(call(&c, &base, "auth/me", "").await.1, "null");
    }
    state.clock.advance(time::Duration::minutes(20)).unwrap();
    assert_eq!(
        call(&c, &base, "auth/me", "").await.1,
        "null",
        "absolute limit"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_ends_a_users_sessions_and_a_password_change_ends_the_others() {
    let (_state, base) = start().await;
    let (a, b) = (common::client(), common::client());
    assert_eq!(login(&a, &base, "reviewer", DEMO_PASSWORD).await.0, 200);
    assert_eq!(login(&b, &base, "reviewer", DEMO_PASSWORD).await.0, 200);
    // Password change on `a` ends `b`, keeps `a`.
    let new = "Qz7!mkTr42ab";
    let (s, body) = call(
        &a,
        &base,
        "account/password",
        &form(&[
            ("current_password", DEMO_PASSWORD),
            ("new_password", new),
            ("confirm_password", new),
        ]),
    )
    .await;
    assert_eq!(s, 200, "{body}");
    assert_ne!(call(&a, &base, "auth/me", "").await.1, "null");
    assert_eq!(call(&b, &base, "auth/me", "").await.1, "null");
    // Reusing a recent password is refused.
    let newer = "Lm4$riverBend";
    let (s, body) = call(
        &a,
        &base,
        "account/password",
        &form(&[
            ("current_password", new),
            ("new_password", newer),
            ("confirm_password", newer),
        ]),
    )
    .await;
    assert_eq!(s, 200, "{body}");
    let (s, body) = call(
        &a,
        &base,
        "account/password",
        &form(&[
            ("current_password", newer),
            ("new_password", new),
            ("confirm_password", new),
        ]),
    )
    .await;
    assert_eq!(s, 422);
    assert!(body.contains("PASSWORD_REUSED"), "{body}");
    let new = newer;
    // A weak one too, with the field named.
    let (s, body) = call(
        &a,
        &base,
        "account/password",
        &form(&[
            ("current_password", new),
            ("new_password", "abc"),
            ("confirm_password", "abc"),
        ]),
    )
    .await;
    assert_eq!(s, 422);
    assert!(
        body.contains("new_password") && body.contains("PASSWORD_TOO_SHORT"),
        "{body}"
    );
    // The system admin ends all of reviewer's sessions.
    let admin = common::client();
    assert_eq!(login(&admin, &base, "sysadmin", DEMO_PASSWORD).await.0, 200);
    let (_, list) = call(&admin, &base, "admin/users", "q=reviewer").await;
    let id = serde_json::from_str::<serde_json::Value>(&list).unwrap()["rows"][0]["public_id"]
        .as_str()
        .unwrap()
        .to_string();
    let (s, n) = call(
        &admin,
        &base,
        "admin/user_end_sessions",
        &format!("id={id}"),
    )
    .await;
    assert_eq!((s, n.as_str()), (200, "1"));
    assert_eq!(call(&a, &base, "auth/me", "").await.1, "null");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_password_must_be_changed_before_anything_else() {
    let (state, base) = start().await;
    state.clock.advance(time::Duration::days(91)).unwrap();
    let c = common::client();
    assert_eq!(login(&c, &base, "sysadmin", DEMO_PASSWORD).await.0, 200);
    let (_, me) = call(&c, &base, "auth/me", "").await;
    assert!(me.contains("\"must_change_password\":true"), "{me}");
    assert_eq!(call(&c, &base, "admin/users", "").await.0, 403);
    let new = "Wp9#sunRise";
    let (s, body) = call(
        &c,
        &base,
        "account/password",
        &form(&[
            ("current_password", DEMO_PASSWORD),
            ("new_password", new),
            ("confirm_password", new),
        ]),
    )
    .await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(call(&c, &base, "admin/users", "").await.0, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn totp_is_required_when_the_policy_says_so() {
    let (state, base) = start().await;
    // The security admin switches TOTP on.
    let sec = common::client();
    assert_eq!(login(&sec, &base, "secadmin", DEMO_PASSWORD).await.0, 200);
    let (s, body) = call(&sec, &base, "admin/policy_save", "policy[totp_required]=true&policy[password_profile]=dengbao&policy[idle_minutes]=30&policy[absolute_hours]=12&policy[lockout_threshold]=5&policy[lockout_minutes]=15&policy[audit_retention_days]=184").await;
    assert_eq!(s, 200, "{body}");
    // An operator without TOTP must enrol before using the console.
    let c = common::client();
    assert_eq!(login(&c, &base, "operator", DEMO_PASSWORD).await.0, 200);
    let (_, me) = call(&c, &base, "auth/me", "").await;
    assert!(me.contains("\"must_enrol_totp\":true"), "{me}");
    assert_eq!(call(&c, &base, "admin/alarms", "").await.0, 403);
    let (s, _) = call(&c, &base, "account/totp_begin", "").await;
    assert_eq!(s, 200);
    // Read the secret the way a person types it into an authenticator: the manual key.
    let (_, enrol) = call(&c, &base, "account/totp_begin", "").await;
    let key = serde_json::from_str::<serde_json::Value>(&enrol).unwrap()["manual_key"]
        .as_str()
        .unwrap()
        .to_string();
    let secret = hex::encode(base32_decode(&key));
    let code = app::auth::totp::code_at(&secret, "operator", state.clock.now());
    assert_eq!(
        call(&c, &base, "account/totp_confirm", "code=000000")
            .await
            .0,
        422
    );
    let (s, body) = call(&c, &base, "account/totp_confirm", &format!("code={code}")).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(call(&c, &base, "admin/alarms", "").await.0, 200);
    // Next login asks for the code; without it nothing is open.
    let c = common::client();
    let (s, body) = login(&c, &base, "operator", DEMO_PASSWORD).await;
    assert_eq!(s, 200);
    assert!(body.contains("Totp"), "{body}");
    assert_eq!(call(&c, &base, "auth/me", "").await.1, "null");
    assert_eq!(call(&c, &base, "admin/alarms", "").await.0, 401);
    assert_eq!(call(&c, &base, "auth/totp", "code=000000").await.0, 422);
    state.clock.advance(time::Duration::seconds(30)).unwrap();
    let code = app::auth::totp::code_at(&secret, "operator", state.clock.now());
    assert_eq!(
        call(&c, &base, "auth/totp", &format!("code={code}"))
            .await
            .0,
        200
    );
    assert_eq!(call(&c, &base, "admin/alarms", "").await.0, 200);
    // The same code cannot be used again within its window (replay).
    let c = common::client();
    assert_eq!(login(&c, &base, "operator", DEMO_PASSWORD).await.0, 200);
    assert_eq!(
        call(&c, &base, "auth/totp", &format!("code={code}"))
            .await
            .0,
        422
    );
    assert_eq!(call(&c, &base, "auth/me", "").await.1, "null");
}

fn base32_decode(s: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut bits = 0u64;
    let mut n = 0;
    let mut out = vec![];
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

/// Probe: a cross-site POST to a server function is refused before it runs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_site_posts_are_refused() {
    let (state, base) = start().await;
    let c = common::client();
    let r = c
        .post(format!("{base}/api/auth/login"))
        .header(ORIGIN, "https://evil.example")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(&[
            ("username", "operator"),
            ("password", DEMO_PASSWORD),
        ]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert!(r.text().await.unwrap().contains("CROSS_SITE"));
    let r = c
        .post(format!("{base}/api/auth/login"))
        .header("sec-fetch-site", "cross-site")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(&[
            ("username", "operator"),
            ("password", DEMO_PASSWORD),
        ]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // Neither attempt reached the login: nothing was audited.
    assert_eq!(audit_count(&state, "auth.login", "success").await, 0);
}

/// A form posted without JavaScript must carry the CSRF token that matches its cookie.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_form_posts_need_the_csrf_token() {
    let (_state, base) = start().await;
    let c = common::client();
    let body = form(&[("username", "operator"), ("password", DEMO_PASSWORD)]);
    let r = c
        .post(format!("{base}/api/auth/login"))
        .header(ACCEPT, "text/html")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "no token");
    // The login page sets the cookie and renders the token.
    let page = c.get(format!("{base}/login")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    // One cookie, minted once for the page however many forms it has; a page with a token is private.
    let set: Vec<_> = page
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter(|v| v.to_str().unwrap().starts_with("csrf="))
        .collect();
    assert_eq!(set.len(), 1, "one CSRF cookie");
    assert_eq!(page.headers()["cache-control"], "private, no-store");
    let html = page.text().await.unwrap();
    let token = html
        .split("name=\"csrf_token\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the login form carries a token")
        .to_string();
    // With the cookie already there, the page sets none and is still private.
    let again = c.get(format!("{base}/login")).send().await.unwrap();
    assert!(again.headers().get("set-cookie").is_none());
    assert_eq!(again.headers()["cache-control"], "private, no-store");
    let with = |t: &str| format!("{body}&csrf_token={t}");
    let r = c
        .post(format!("{base}/api/auth/login"))
        .header(ACCEPT, "text/html")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("referer", format!("{base}/login"))
        .body(with(&"0".repeat(64)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "wrong token");
    let r = c
        .post(format!("{base}/api/auth/login"))
        .header(ACCEPT, "text/html")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("referer", format!("{base}/login"))
        .body(with(&token))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
    assert_eq!(r.headers()["location"], "/console");
}

/// Probe: SQL injection strings in the login and in list filters are just text.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sql_injection_strings_are_inert() {
    let (state, base) = start().await;
    let c = common::client();
    for attempt in [
        "' OR '1'='1",
        "operator'--",
        "operator\" OR 1=1 --",
        "'; DROP TABLE users; --",
    ] {
        assert_eq!(
            login(&c, &base, attempt, "' OR '1'='1").await.0,
            422,
            "{attempt}"
        );
    }
    assert_eq!(login(&c, &base, "sysadmin", DEMO_PASSWORD).await.0, 200);
    for q in ["' OR 1=1 --", "%", "_", "'; DROP TABLE users; --", "\\"] {
        let (s, body) = call(
            &c,
            &base,
            "admin/users",
            &form(&[("q", q), ("sort", "username; DROP TABLE users")]),
        )
        .await;
        assert_eq!(s, 200, "{q}: {body}");
        let page: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(page["total"], 0, "{q} matched rows: {body}");
    }
    // The users table is intact.
    use sqlx::Row;
    let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM users")
        .fetch_one(&state.db.pool)
        .await
        .unwrap()
        .try_get("n")
        .unwrap();
    assert!(n >= 11);
}

/// Probe: brute force from one IP is cut off by the per-IP login limit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn brute_force_from_one_ip_is_rate_limited() {
    let url = common::fresh_database_url().await;
    let config = common::test_config_with(&url, &[("APP_LOGIN_RATE_PER_MIN", "5")]);
    let state = common::state_with_config(config, Clock::adjustable()).await;
    seeded(&state).await;
    let base = common::serve(state.clone()).await;
    let c = common::client();
    let mut statuses = vec![];
    // Different accounts, so that no account lockout is involved.
    for (i, user) in ["a1", "b2", "c3", "d4", "e5", "f6", "g7", "h8"]
        .iter()
        .enumerate()
    {
        statuses.push(login(&c, &base, user, &format!("guess{i}")).await.0);
    }
    assert_eq!(&statuses[..5], &[422; 5]);
    assert!(statuses[5..].iter().all(|s| *s == 429), "{statuses:?}");
    let (s, body) = login(&c, &base, "operator", DEMO_PASSWORD).await;
    assert_eq!(s, 429, "even the right password waits: {body}");
    assert!(body.contains("RateLimited"), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_roles_stay_separated() {
    let (_state, base) = start().await;
    let sec = common::client();
    assert_eq!(login(&sec, &base, "secadmin", DEMO_PASSWORD).await.0, 200);
    let (_, list) = call(&sec, &base, "admin/users", "q=sysadmin").await;
    let id = serde_json::from_str::<serde_json::Value>(&list).unwrap()["rows"][0]["public_id"]
        .as_str()
        .unwrap()
        .to_string();
    let (s, body) = call(
        &sec,
        &base,
        "admin/user_roles",
        &format!("id={id}&roles[0]=system_admin&roles[1]=audit_admin"),
    )
    .await;
    assert_eq!(s, 422, "{body}");
    assert!(body.contains("三员分立"), "{body}");
    // Nobody changes their own roles.
    let (_, list) = call(&sec, &base, "admin/users", "q=secadmin").await;
    let me = serde_json::from_str::<serde_json::Value>(&list).unwrap()["rows"][0]["public_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        call(
            &sec,
            &base,
            "admin/user_roles",
            &format!("id={me}&roles[0]=operator")
        )
        .await
        .0,
        409
    );
    // A new account takes two people: the system admin creates it, the security admin grants roles.
    let sys = common::client();
    assert_eq!(login(&sys, &base, "sysadmin", DEMO_PASSWORD).await.0, 200);
    let (s, body) = call(
        &sys,
        &base,
        "admin/user_create",
        "username=newop&display_name=新同事&unit_kind=office",
    )
    .await;
    assert_eq!(s, 200, "{body}");
    let created: serde_json::Value = serde_json::from_str(&body).unwrap();
    let new_id = created["public_id"].as_str().unwrap();
    assert_eq!(
        call(
            &sys,
            &base,
            "admin/user_roles",
            &format!("id={new_id}&roles[0]=operator")
        )
        .await
        .0,
        403
    );
    assert_eq!(
        call(
            &sec,
            &base,
            "admin/user_roles",
            &format!("id={new_id}&roles[0]=operator")
        )
        .await
        .0,
        200
    );
    // The one-time password works once and must be changed.
    let c = common::client();
    assert_eq!(
        login(&c, &base, "newop", created["password"].as_str().unwrap())
            .await
            .0,
        200
    );
    let (_, me) = call(&c, &base, "auth/me", "").await;
    assert!(me.contains("\"must_change_password\":true"), "{me}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn console_lists_sort_and_page() {
    let (_state, base) = start().await;
    let op = common::client();
    assert_eq!(login(&op, &base, "operator", DEMO_PASSWORD).await.0, 200);
    let names = |body: &str| -> Vec<String> {
        serde_json::from_str::<serde_json::Value>(body).unwrap()["departments"]["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["name"].as_str().unwrap().to_string())
            .collect()
    };
    let (s, asc) = call(&op, &base, "admin/orgs", "sort=name&page=1").await;
    assert_eq!(s, 200, "{asc}");
    let (_, desc) = call(&op, &base, "admin/orgs", "sort=-name&page=1").await;
    let (asc, desc) = (names(&asc), names(&desc));
    assert!(!asc.is_empty() && asc.len() <= 20);
    let mut sorted = asc.clone();
    sorted.sort();
    assert_eq!(asc, sorted);
    assert!(desc.first() >= asc.first());
    // `all` returns every department for choice lists.
    let (_, all) = call(&op, &base, "admin/orgs", "all=true").await;
    let total = serde_json::from_str::<serde_json::Value>(&all).unwrap()["departments"]["total"]
        .as_i64()
        .unwrap();
    assert_eq!(names(&all).len() as i64, total);

    let auditor = common::client();
    assert_eq!(
        login(&auditor, &base, "auditor", DEMO_PASSWORD).await.0,
        200
    );
    let (s, body) = call(&auditor, &base, "admin/audit", "sort=actor").await;
    assert_eq!(s, 200, "{body}");
    let actors: Vec<String> = serde_json::from_str::<serde_json::Value>(&body).unwrap()["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["actor_name"].as_str().unwrap().to_string())
        .collect();
    let mut sorted = actors.clone();
    sorted.sort();
    assert_eq!(actors, sorted);
    let (s, _) = call(
        &auditor,
        &base,
        "admin/audit",
        "sort=id;DROP TABLE audit_events",
    )
    .await;
    assert_eq!(s, 200);
}

/// The sheet name and header row of each console export, copied from the exports as they were before
/// they shared one writer (commit cf8db37): what people download and import elsewhere must not move.
const EXPORT_SHEETS: &[(&str, &str, &[&str])] = &[
    (
        "users.xlsx",
        "用户",
        &[
            "用户名",
            "姓名",
            "所属单位",
            "角色",
            "状态",
            "最近登录",
            "创建时间",
        ],
    ),
    (
        "orgs.xlsx",
        "信源单位",
        &[
            "编码",
            "名称",
            "所在区县",
            "统一社会信用代码",
            "账户数",
            "状态",
        ],
    ),
    ("holidays.xlsx", "节假日", &["日期", "类型", "名称", "来源"]),
    (
        "audit.xlsx",
        "审计日志",
        &[
            "序号",
            "时间(UTC)",
            "操作人",
            "角色",
            "操作代码",
            "操作",
            "对象",
            "结果",
            "IP",
        ],
    ),
    (
        "alarms.xlsx",
        "告警",
        &[
            "编号",
            "级别",
            "标题",
            "详情",
            "状态",
            "次数",
            "首次",
            "最近",
            "处理人",
            "处理说明",
        ],
    ),
    (
        "reports.xlsx",
        "信用报告出具记录",
        &[
            "报告编号",
            "类型",
            "渠道",
            "主体",
            "申请人",
            "用途",
            "办理事项",
            "出具时间",
            "验证码",
        ],
    ),
];

/// Posts an export form as a browser without JavaScript does, opens the file, checks that it has the
/// one sheet with the name and header row of `EXPORT_SHEETS`, and returns its data rows as text.
async fn export_rows(
    c: &reqwest::Client,
    base: &str,
    file: &str,
    fields: &[(&str, &str)],
) -> Vec<Vec<String>> {
    use calamine::Reader;
    let (_, sheet, headers) = EXPORT_SHEETS.iter().find(|(f, _, _)| *f == file).unwrap();
    let token = common::csrf_token(c, base).await;
    let mut pairs = vec![("csrf_token", token.as_str())];
    pairs.extend_from_slice(fields);
    let r = c
        .post(format!("{base}/console/export/{file}"))
        .header(ACCEPT, "text/html")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(&pairs))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{file}");
    assert_eq!(
        r.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = r.bytes().await.unwrap();
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    assert_eq!(book.sheet_names(), vec![sheet.to_string()], "{file}");
    let range = book.worksheet_range(sheet).unwrap();
    let mut rows = range
        .rows()
        .map(|r| r.iter().map(ToString::to_string).collect::<Vec<String>>());
    assert_eq!(rows.next().unwrap(), *headers, "{file}: header row");
    rows.collect()
}

/// The one row whose cell `col` is `value`.
fn row_where<'a>(rows: &'a [Vec<String>], col: usize, value: &str) -> &'a [String] {
    let found: Vec<_> = rows.iter().filter(|r| r[col] == value).collect();
    assert_eq!(
        found.len(),
        1,
        "one row with {value:?} in column {col}: {rows:?}"
    );
    found[0]
}

/// The operator pulls a public report on a seeded subject for a service matter; returns its serial and
/// the subject's name.
async fn pull_report(state: &AppState, op: &reqwest::Client, base: &str) -> (String, String) {
    use sqlx::Row;
    let subject = sqlx::query("SELECT public_id, name FROM subjects ORDER BY id LIMIT 1")
        .fetch_one(&state.db.pool)
        .await
        .unwrap();
    let (public_id, name): (String, String) =
        (subject.try_get(0).unwrap(), subject.try_get(1).unwrap());
    let (s, body) = call(
        op,
        base,
        "credit/staff_report",
        &form(&[
            ("request[kind]", "public"),
            ("request[subject]", &public_id),
            ("request[applicant]", "导出核对申请人"),
            ("request[purpose]", "招投标"),
            ("request[matter]", "政府采购供应商资格审查"),
        ]),
    )
    .await;
    assert_eq!(s, 200, "{body}");
    let issued: serde_json::Value = serde_json::from_str(&body).unwrap();
    (issued["serial"].as_str().unwrap().to_string(), name)
}

/// Each of the six console exports, downloaded by a role allowed to, keeps its sheet name and header
/// row and carries the rows of what the test created (or the seed guarantees) in the right columns.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_console_export_keeps_its_sheet_headers_and_rows() {
    let (state, base) = start().await;
    let signed_in = |user: &'static str| {
        let base = base.clone();
        async move {
            let c = common::client();
            assert_eq!(login(&c, &base, user, DEMO_PASSWORD).await.0, 200);
            c
        }
    };
    let (sys, op, auditor) = (
        signed_in("sysadmin").await,
        signed_in("operator").await,
        signed_in("auditor").await,
    );
    // What the lists will show: an account, a holiday, an alarm and a pulled report.
    let account = "username=exportcheck&display_name=导出核对员&unit_kind=office";
    let (s, body) = call(&sys, &base, "admin/user_create", account).await;
    assert_eq!(s, 200, "{body}");
    let holiday = [
        ("day", "2026-10-16"),
        ("kind", "holiday"),
        ("name", "导出核对假日"),
    ];
    let (s, body) = call(&op, &base, "admin/holiday_save", &form(&holiday)).await;
    assert_eq!(s, 200, "{body}");
    let warning = app::server::alarms::Severity::Warning;
    app::server::alarms::raise(
        &state.db,
        &state.clock,
        "export-check",
        warning,
        "导出核对告警",
        "核对导出",
    )
    .await
    .unwrap();
    let (serial, subject) = pull_report(&state, &op, &base).await;

    let users = export_rows(&sys, &base, "users.xlsx", &[("q", "exportcheck")]).await;
    let user = row_where(&users, 0, "exportcheck");
    assert_eq!(
        user[..5],
        ["exportcheck", "导出核对员", "州信用办", "", "正常"]
    );
    assert!(!user[6].is_empty(), "created at: {user:?}");

    let orgs = export_rows(&op, &base, "orgs.xlsx", &[]).await;
    let uscc = app::rules::uscc::compose('1', '1', "433100", 10_000);
    let org = row_where(&orgs, 0, "scjg");
    assert_eq!(
        [&org[1], &org[3], &org[5]],
        ["湘西州市场监督管理局", uscc.as_str(), "启用"]
    );

    let days = export_rows(&op, &base, "holidays.xlsx", &[("year", "2026")]).await;
    let day = row_where(&days, 0, "2026-10-16");
    assert_eq!(day, ["2026-10-16", "放假", "导出核对假日", "manual"]);

    let alarms = export_rows(&op, &base, "alarms.xlsx", &[]).await;
    let alarm = row_where(&alarms, 2, "导出核对告警");
    assert_eq!(
        alarm[1..6],
        ["警告", "导出核对告警", "核对导出", "未处理", "1"]
    );

    let reports = export_rows(&op, &base, "reports.xlsx", &[]).await;
    let report = row_where(&reports, 0, &serial);
    assert_eq!(
        report[1..7],
        [
            "公共信用信息报告",
            "部门经办",
            subject.as_str(),
            "导出核对申请人",
            "招投标",
            "政府采购供应商资格审查"
        ]
    );
    assert!(!report[8].is_empty(), "verify code: {report:?}");

    // The audit log lists the holiday the operator saved and the export the system admin made.
    let audit = export_rows(&auditor, &base, "audit.xlsx", &[]).await;
    let saved = row_where(&audit, 6, "holiday:2026-10-16");
    assert_eq!(
        saved[4..8],
        ["holiday.save", "保存节假日", "holiday:2026-10-16", "成功"]
    );
    let exported = row_where(&audit, 6, "export:/console/export/users.xlsx");
    assert_eq!(
        exported[4..8],
        [
            "export",
            "导出",
            "export:/console/export/users.xlsx",
            "成功"
        ]
    );
}

/// Guessing the current password on the password change counts like guessing it at the login: five
/// wrong guesses lock the account (audited), the right password is refused while it is locked, the
/// login is locked too, and the lock expires after its time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_current_passwords_on_the_password_change_lock_the_account() {
    let (state, base) = start().await;
    let c = common::client();
    assert_eq!(login(&c, &base, "operator", DEMO_PASSWORD).await.0, 200);
    let new = "Qz7!mkTr42ab";
    let change = |current: &'static str| {
        let (c, base) = (c.clone(), base.clone());
        async move {
            call(
                &c,
                &base,
                "account/password",
                &form(&[
                    ("current_password", current),
                    ("new_password", new),
                    ("confirm_password", new),
                ]),
            )
            .await
        }
    };
    for _ in 0..5 {
        let (s, body) = change("Wrong#Guess1").await;
        assert_eq!(s, 422);
        assert!(body.contains("PASSWORD_WRONG"), "{body}");
    }
    assert_eq!(
        audit_count(&state, "account.password_change", "failure").await,
        5
    );
    assert_eq!(audit_count(&state, "account.lock", "success").await, 1);
    // Locked: the right current password is refused too, and so is a new login.
    let (s, body) = change(DEMO_PASSWORD).await;
    assert_eq!(s, 422);
    assert!(
        body.contains("ACCOUNT_LOCKED") && body.contains("current_password"),
        "{body}"
    );
    assert_eq!(
        audit_count(&state, "account.password_change", "failure").await,
        6
    );
    assert_eq!(
        audit_count(&state, "account.password_change", "success").await,
        0
    );
    assert_eq!(
        login(&common::client(), &base, "operator", DEMO_PASSWORD)
            .await
            .0,
        422
    );
    // After the lockout time (15 min) the change goes through.
    state.clock.advance(time::Duration::minutes(16)).unwrap();
    let (s, body) = change(DEMO_PASSWORD).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(
        audit_count(&state, "account.password_change", "success").await,
        1
    );
}
