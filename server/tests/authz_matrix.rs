//! The generated authorisation matrix: every server function registered in the binary and every REST
//! route the router serves, called as every role (and anonymously), compared with the policy table.
//! A new server function or route that is not in `app::auth::policy::ENDPOINTS` fails this test, and
//! so does one without a sample request below.
mod common;
use app::auth::model::Role;
use app::auth::policy::{may, Access, ENDPOINTS};
use server::seed::{accounts::DEMO_ACCOUNTS, seed_demo, SeedOptions};
use std::collections::BTreeSet;

/// A request body (form-encoded) that parses for each endpoint. It names objects that do not exist
/// or values that fail validation, so an allowed caller gets 200 / 404 / 409 / 422 and changes nothing.
fn sample(endpoint: &str) -> Option<&'static str> {
    Some(match endpoint {
        "portal/home" | "portal/nav" | "auth/logout" | "auth/me" | "auth/notice" => "",
        "portal/column" => "code=no-such-column&page=1",
        "cms/articles" | "cms/releases" | "cms/site" | "cms/health" | "cms/health_check" => "",
        "cms/article" | "cms/article_checks" => "id=no-such-article",
        "cms/article_save" => r#"{"save":{"public_id":null,"version":0,"content":{"title":"","subtitle":"","columns":[],"source":"","author":"","cover":null,"cover_alt":"","summary":"","body_html":"","tags":[],"attachments":[],"headline":false}}}"#,
        "cms/article_move" => "id=no-such-article&transition=submit",
        "cms/article_diff" => "id=no-such-article&from=1&to=2",
        "cms/article_preview" => "id=no-such-article&version=1",
        "cms/article_expiry" => "id=no-such-article",
        "cms/release" => "id=no-such-release",
        "cms/column_save" => "name=&kind=",
        "cms/column_delete" => "code=no-such-column",
        "cms/column_grant" => "code=no-such-column&username=nobody&grant=true",
        "cms/word_set" => "word=",
        "cms/release_create" => "name=",
        "cms/release_change" => "id=no-such-release&change=cancel",
        "cms/article_restore" => "id=no-such-article&version=1",
        "POST /console/cms/upload" => "",
        "portal/article" => "id=no-such-article",
        "portal/search" => "q=信用&page=1",
        "credit/search" | "credit/staff_search" => "q=凤凰&page=1&filters[kind]=",
        "credit/subject" | "credit/request_form" => "id=no-such-subject",
        "credit/list" => "list=penalties&page=1&filters[q]=",
        "credit/record" => "kind=penalty&id=no-such-record",
        "credit/verify" => "code=NOSUCHCODE",
        "credit/staff_report" => "request[kind]=public&request[subject]=no-such-subject",
        "credit/report_stats" | "credit/disclosure" => "",
        // The defaults again: an allowed caller saves without changing anything.
        "credit/disclosure_save" => {
            "rules[regime]=2025&rules[mask_head]=6&rules[mask_tail]=4"
        }
        "GET /api/v1/credit/search" | "GET /verify/public-key.pem" => "",
        "GET /verify/{code}/report.pdf" => "",
        "POST /credit/report" => "subject=no-such-subject",
        "POST /verify/check" => "",
        "auth/login" => "username=matrix-nobody&password=x",
        "auth/totp" => "code=000000",
        "account/overview" | "account/totp_begin" | "account/end_other_sessions" => "",
        "account/password" => {
            "current_password=wrong&new_password=Aa1!aaaaaa&confirm_password=Aa1!aaaaaa"
        }
        "account/totp_confirm" => "code=000000",
        "admin/users" | "admin/orgs" | "admin/policy" | "admin/audit" | "admin/audit_verify"
        | "admin/alarms" => "",
        "admin/user"
        | "admin/user_unlock"
        | "admin/user_reset_password"
        | "admin/user_end_sessions"
        | "admin/user_roles"
        | "admin/department" => "id=no-such-id",
        "admin/user_create" => "username=matrixuser&display_name=x&unit_kind=nowhere",
        "admin/user_update" => "id=no-such-id&display_name=x&unit_kind=office",
        "admin/user_status" => "id=no-such-id&active=true",
        "admin/department_save" => "code=&name=",
        "admin/county_save" => "code=1&name=",
        "admin/policy_save" => "policy[idle_minutes]=1",
        "admin/holidays" => "year=2026",
        "admin/holiday_save" => "day=not-a-day&kind=holiday&name=x",
        "admin/holiday_delete" => "day=1900-01-01",
        "admin/holiday_import" => "csv=",
        "admin/audit_event" => "id=0",
        "admin/alarm_handle" => "id=0&resolve=false",
        "GET /healthz" | "GET /readyz" | "POST /elder" | "GET /sitemap.xml" | "GET /rss/{feed}"
        | "GET /files/{name}" => "",
        "POST /__test/clock" => "{}",
        "POST /__test/user" => r#"{"username":"x","role":"no-such-role"}"#,
        e if e.starts_with("POST /console/export/") => "",
        "collect/options" | "collect/batches" | "catalogue/classes" => "",
        "collect/batch"
        | "collect/batch_confirm"
        | "collect/batch_discard"
        | "collect/batch_mapping" => "id=no-such-batch",
        "catalogue/class" => "code=no-such-class",
        "collect/form_spec" => "class=no-such-class",
        "subjects/search" => "q=湘西",
        "subjects/subject" => "id=no-such-subject",
        "catalogue/field_save" => {
            "class=no-such-class&field[key]=x&field[name]=x&field[field_type]=text&field[requirement]=optional&field[max_len]=10"
        }
        "catalogue/field_remove" => "class=no-such-class&key=x",
        "catalogue/rule_switch" => "class=no-such-class&code=DATE_FUTURE&enabled=true",
        "catalogue/source_save" => "class=no-such-class&department=0&frequency=monthly",
        "catalogue/source_remove" | "catalogue/source_exchange_now" => {
            "class=no-such-class&department=0"
        }
        "catalogue/class_create" => "code=&name=",
        "collect/form_submit" => "class=no-such-class&record[x]=y",
        "records/search" => "kind=penalty",
        "records/record" => "kind=penalty&id=no-such-record",
        "records/withdraw" => "kind=penalty&id=no-such-record&reason=x",
        "POST /console/collect/upload" | "POST /console/collect/errors.xlsx" => {
            "batch=no-such-batch"
        }
        "apikeys/list" | "collect/conflicts" | "collect/due" => "",
        "collect/reminder_read" => "id=0",
        "collect/quality" => "month=2026-11",
        "collect/quality_report" => "unit=0&month=2026-11",
        "GET /console/quality/report.xlsx" => "",
        "collect/conflict_resolve" => "id=no-such-task&decision=keep",
        "apikeys/create" => "name=&department=0",
        "apikeys/revoke" => "id=no-such-key",
        "GET /api/v1/openapi.json" | "GET /api/v1/batches/{id}" => "",
        "POST /api/v1/batches/{class}" => r#"{"records":[]}"#,
        "POST /api/v1/batches/{id}/confirm" => "{}",
        _ => return None,
    })
}

/// Calls that end the caller's login: the client logs in again after them.
const ENDS_SESSION: &[&str] = &["auth/logout", "auth/login"];

async fn request(c: &reqwest::Client, base: &str, endpoint: &str, body: &str) -> u16 {
    let r = if let Some(path) = endpoint.strip_prefix("GET ") {
        c.get(format!("{base}{path}")).send().await.unwrap()
    } else if let Some(path) = endpoint.strip_prefix("POST ") {
        let ct = if body.starts_with('{') {
            "application/json"
        } else {
            "application/x-www-form-urlencoded"
        };
        c.post(format!("{base}{path}"))
            .header("content-type", ct)
            .body(body.to_string())
            .send()
            .await
            .unwrap()
    } else {
        let ct = if body.starts_with('{') {
            "application/json"
        } else {
            "application/x-www-form-urlencoded"
        };
        c.post(format!("{base}/api/{endpoint}"))
            .header("content-type", ct)
            .body(body.to_string())
            .send()
            .await
            .unwrap()
    };
    r.status().as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_endpoint_as_every_role_matches_the_policy() {
    let state = common::fresh_state().await;
    let opts = SeedOptions {
        subjects: 20,
        seed: 5,
        as_of: state.clock.today(),
    };
    seed_demo(&state, &opts, |_, _| {}).await.expect("seed");
    let base = common::serve(state.clone()).await;

    // The surface of the binary: registered server functions and the router's REST routes.
    let mut surface: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(p, _)| p.trim_start_matches("/api/").to_string())
        .collect();
    surface.extend(server::http::rest_routes(state.config.test_hooks));
    let listed: BTreeSet<String> = ENDPOINTS.iter().map(|(p, _)| p.to_string()).collect();
    let unlisted: Vec<_> = surface.difference(&listed).collect();
    assert!(
        unlisted.is_empty(),
        "endpoints missing from the policy's ENDPOINTS: {unlisted:?}"
    );
    let stale: Vec<_> = listed.difference(&surface).collect();
    assert!(
        stale.is_empty(),
        "ENDPOINTS lists routes the binary does not serve: {stale:?}"
    );
    let no_sample: Vec<_> = surface.iter().filter(|e| sample(e).is_none()).collect();
    assert!(
        no_sample.is_empty(),
        "add a sample request for: {no_sample:?}"
    );

    // One caller per role (the demo accounts hold exactly one role each), plus anonymous.
    let mut callers: Vec<(Option<Role>, Option<&str>)> = vec![(None, None)];
    for (username, _, role, _) in DEMO_ACCOUNTS {
        callers.push((Some(*role), Some(*username)));
    }
    let roles_covered: BTreeSet<_> = callers.iter().filter_map(|(r, _)| *r).collect();
    assert_eq!(
        roles_covered.len(),
        Role::ALL.len(),
        "every role has a caller"
    );

    let mut mismatches = vec![];
    let mut calls = 0;
    for (role, username) in &callers {
        let c = common::client();
        if let Some(u) = username {
            common::login_demo(&c, &base, u).await;
        }
        for (endpoint, access) in ENDPOINTS {
            let allowed = match access {
                Access::Public => true,
                Access::SignedIn => role.is_some(),
                Access::Action(a) => role.is_some_and(|r| may(&[r], *a)),
                // A session is never an API key: every caller here is unauthenticated for the API.
                Access::ApiKey => false,
            };
            let status = request(&c, &base, endpoint, sample(endpoint).unwrap_or("")).await;
            calls += 1;
            let refused = status == 401 || status == 403;
            let expected_refusal = if role.is_none() || *access == Access::ApiKey {
                401
            } else {
                403
            };
            let ok = if allowed {
                !refused && status < 500
            } else {
                status == expected_refusal
            };
            if !ok {
                mismatches.push(format!(
                    "{endpoint} as {}: status {status}, expected {}",
                    role.map(|r| r.code()).unwrap_or("anonymous"),
                    if allowed {
                        "allowed".to_string()
                    } else {
                        expected_refusal.to_string()
                    }
                ));
            }
            if username.is_some() && ENDS_SESSION.contains(endpoint) {
                common::login_demo(&c, &base, username.unwrap()).await;
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} of {calls} calls disagree with the policy:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
    assert_eq!(calls, callers.len() * ENDPOINTS.len());
    eprintln!(
        "authorisation matrix: {} endpoints × {} callers = {calls} calls, all as the policy says",
        ENDPOINTS.len(),
        callers.len()
    );
}
