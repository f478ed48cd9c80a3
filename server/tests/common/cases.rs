//! Helpers of the case tests (repair in `cases.rs`, objections and complaints in `objections.rs`,
//! accounts and statistics in `case_accounts.rs`): a seeded server on a chosen day, a penalty on
//! public display moved to the demo clerk's unit, page text, counts and the tracking code of a redirect.
use app::server::AppState;
use server::seed::{seed_demo, SeedOptions};
use sqlx::Row;
use time::OffsetDateTime;

pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
pub const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00";

/// A server seeded as of `now` (an adjustable clock), with the public-form limits raised.
pub async fn seeded_on(now: OffsetDateTime) -> (AppState, String) {
    let url = super::fresh_database_url().await;
    let config = super::test_config_with(
        &url,
        &[
            ("APP_CONSULT_RATE_PER_HOUR", "1000"),
            ("APP_TRACK_RATE_PER_MIN", "1000"),
        ],
    );
    let state = super::state_with_config(config, app::server::clock::Clock::adjustable()).await;
    state.clock.set(now).unwrap();
    let opts = SeedOptions {
        subjects: 12,
        seed: 7,
        as_of: state.clock.today(),
    };
    seed_demo(&state, &opts, |_, _| {}).await.expect("seed");
    let base = super::serve(state.clone()).await;
    (state, base)
}

/// A penalty on public display (shown on its subject page) that also meets `extra` (SQL on `p`),
/// moved to the demo clerk's unit: (record public id, decision number, subject public id, USCC).
pub async fn displayed_penalty(
    state: &AppState,
    base: &str,
    extra: &str,
) -> (String, String, String, String) {
    let today = state.clock.today().iso();
    let rows = sqlx::query(&format!(
        "SELECT p.id, p.public_id, p.decision_no, s.public_id AS sid, s.uscc FROM penalties p \
         JOIN subjects s ON s.id = p.subject_id WHERE p.published = 1 AND p.withdrawn = 0 AND p.repaired = 0 \
         AND p.display_until >= $1 AND s.uscc IS NOT NULL{extra} ORDER BY p.id"
    ))
    .bind(&today)
    .fetch_all(&state.db.pool)
    .await
    .unwrap();
    let c = super::plain_client();
    for r in rows {
        let sid: String = r.get("sid");
        let no: String = r.get("decision_no");
        let html = text(&c, format!("{base}/credit/subject/{sid}")).await;
        if html.contains(&no) {
            let clerk_dept: i64 =
                sqlx::query_scalar("SELECT department_id FROM users WHERE username = 'clerk'")
                    .fetch_one(&state.db.pool)
                    .await
                    .unwrap();
            sqlx::query("UPDATE penalties SET department_id = $1 WHERE id = $2")
                .bind(clerk_dept)
                .bind(r.get::<i64, _>("id"))
                .execute(&state.db.pool)
                .await
                .unwrap();
            return (r.get("public_id"), no, sid, r.get("uscc"));
        }
    }
    panic!("the demo data has no such penalty on display");
}

/// A page's text.
pub async fn text(c: &reqwest::Client, url: String) -> String {
    c.get(url).send().await.unwrap().text().await.unwrap()
}

/// One number from the database.
pub async fn count(state: &AppState, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&state.db.pool)
        .await
        .unwrap()
}

/// A redirect target with its query decoded (for reading messages).
pub fn decoded(s: &str) -> String {
    form_urlencoded::parse(s.replace('?', "&").as_bytes())
        .map(|(k, v)| {
            if v.is_empty() {
                k.into_owned()
            } else {
                format!("{k}={v}")
            }
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// The tracking code in a redirect to the tracking page.
pub fn code_of(location: &str) -> String {
    location
        .split("code=")
        .nth(1)
        .and_then(|s| s.split('&').next())
        .unwrap()
        .to_string()
}

/// The CSRF token a public form page renders (the client keeps its cookie).
pub async fn form_token(c: &reqwest::Client, url: String, marker: &str) -> String {
    let html = text(c, url).await;
    assert!(html.contains(marker), "{html}");
    html.split("name=\"csrf_token\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the form carries a CSRF token")
        .to_string()
}

/// Posts a multipart public form (`fields`, then `files` as (input, name, bytes)) and answers the
/// decoded redirect target (every outcome of these forms is a 303).
pub async fn post_multipart(
    c: &reqwest::Client,
    url: String,
    fields: &[(&str, &str)],
    files: &[(&str, &str, &[u8])],
) -> String {
    let mut form = reqwest::multipart::Form::new();
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    for (input, name, bytes) in files {
        form = form.part(
            input.to_string(),
            reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_string()),
        );
    }
    let r = c
        .post(url)
        .header("accept", "text/html")
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap_or_default());
    decoded(r.headers()["location"].to_str().unwrap())
}
