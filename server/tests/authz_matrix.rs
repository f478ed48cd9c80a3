//! The generated authorisation matrix: every server function registered in the binary and every REST
//! route the router serves, called as every role (and anonymously), compared with the policy table.
//! A new server function or route that is not in `app::auth::policy::ENDPOINTS` fails this test, and
//! so does one without a sample request below.
// Test code: a panic here is a failing test (clippy.toml allows these lints in #[test] functions;
// the helpers of an integration test crate are test code as well).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
// Long scenario tests read top to bottom, one step after the other.
#![allow(clippy::too_many_lines)]
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
        "portal/policies" => "code=policy&level=national&page=1",
        "help/faq" => "q=信用",
        "credit/search" | "credit/staff_search" => "q=凤凰&page=1&filters[kind]=",
        "credit/subject" | "credit/request_form" => "id=no-such-subject",
        "credit/list" => "list=penalties&page=1&filters[q]=",
        "credit/record" => "kind=penalty&id=no-such-record",
        "credit/verify" => "code=NOSUCHCODE",
        "credit/staff_report" => "request[kind]=public&request[subject]=no-such-subject",
        "credit/report_stats" | "credit/disclosure" => "",
        "stats/public" => "",
        "stats/dashboard" => "month=",
        // The defaults again: an allowed caller saves without changing anything.
        "credit/disclosure_save" => {
            "rules[regime]=2025&rules[mask_head]=6&rules[mask_tail]=4"
        }
        "GET /api/v1/credit/search" | "GET /verify/public-key.pem" => "",
        "GET /credit/lists/{list}/export.xlsx" => "",
        "help/home" => "",
        // Fails validation (and, after a few calls from one address, the rate limit): nothing is stored.
        "help/consult_submit" => "topic=&text=",
        "help/track" => "code=NOSUCHCODE",
        "help/qa" | "help/consults" => "page=1",
        "help/consult" => "id=no-such-consult",
        "help/consult_route" => "id=no-such-consult&department=",
        "help/consult_answer" => "id=no-such-consult&answer=",
        "help/consult_publish" => "id=no-such-consult&publish=true&question=&answer=",
        "help/answer_days_save" => "days=0",
        "cases/track" => "code=NOSUCHCODE",
        "cases/repair_target" => "record=nothing-here",
        // Not a multipart form: answered with a redirect back to the form, nothing stored.
        "POST /repair/submit" => "",
        // The path names a case and a material that do not exist: 404 for those who may look.
        "GET /case-files/{case}/{file}" => "",
        // Not multipart forms either: a redirect back to the form (or the tracking page), nothing stored.
        "POST /objection/submit" | "POST /complaint/submit" | "POST /track/supplement" => "",
        "cases/record_target" => "record=nothing-here",
        // An empty entry fails validation (422) for those who may enter cases.
        "cases/enter" => "",
        "cases/suspend" => "id=no-such-case&on=true",
        "cases/mine" | "cases/stats" => "",
        "joint/measures" | "joint/matters" => "page=1",
        // Allowed callers fail validation (422), changing nothing.
        "joint/measure_add" | "joint/matter_save" => "",
        "joint/measure_retire" => "id=no-such-measure&reason=",
        // Not multipart: an allowed caller is sent back to the page with the message (303).
        "POST /console/joint/measures/import" | "POST /console/joint/matters/import" => "",
        "GET /console/joint/measures/sample.xlsx" => "",
        "joint/check_form" => "",
        // No such matter: an allowed caller fails validation (422), nothing is logged.
        "joint/check" => "matter=NO-SUCH-MATTER&subject=",
        "joint/checks" => "page=1",
        "joint/check_get" => "id=no-such-check",
        "joint/check_feedback" => "id=no-such-check",
        "joint/check_batch" => "id=no-such-check",
        "joint/stats" | "joint/embed_units" | "joint/feedback_days" => "",
        // Out of range: an allowed caller fails validation (422), nothing is stored.
        "joint/feedback_days_save" => "days=0",
        // An origin that is not one: an allowed caller fails validation (422), nothing is stored.
        "joint/embed_origins_save" => "unit=x&origins=not-an-origin",
        "POST /api/v1/embed-tickets" => "{}",
        "GET /embed/check" | "POST /embed/check" | "GET /embed/check.js" | "GET /embed/check.css" => "",
        // Not multipart: an allowed caller is sent back to the check page with the message (303).
        "POST /console/joint/check/batch" => "",
        "GET /console/joint/batches/{id}/results.xlsx" => "",
        "POST /api/v1/checks" => "{}",
        "POST /api/v1/checks/{id}/feedback" => "{}",
        "GET /api/v1/subjects/{uscc}" | "GET /api/v1/subjects/{uscc}/records" => "",
        "GET /api/v1/changes" => "",
        "POST /api/v1/reports" => "{}",
        "partner/access_log" => "",
        "province/push_log" => "page=1",
        // No such message: an allowed caller requeues nothing (audited as such).
        "province/push_resend" => "id=999999999",
        // No province is configured here: an allowed caller gets 409, nothing is sent.
        "province/push_now" => "kind=no-such-kind",
        // An unknown frequency: an allowed caller fails validation (422), nothing is stored.
        "province/push_schedule" => "kind=penalty&frequency=never",
        // Not a code: an allowed caller fails validation (422) before any call to the province.
        "province/upstream_subject" => "uscc=not-a-code",
        // No kind: an allowed caller is told to pick one (422), nothing is exported.
        "POST /console/province/push/export.xlsx" | "POST /console/province/push/export.csv" => "",
        "cases/list" => "page=1",
        "cases/case" => "id=no-such-case",
        "cases/move" => "id=no-such-case&code=approve",
        "cases/deadlines" => "",
        // The defaults again: an allowed caller saves without changing anything.
        "cases/deadlines_save" => "",
        "training/public" | "training/sessions" => "",
        "training/session" => "id=no-such-session",
        // Fails validation: nothing is stored.
        "training/session_save" => "title=",
        "training/attendee_add" => "session=no-such-session",
        "training/sign_in" => "id=no-such-attendee",
        "commitments/form" => "",
        // Fails validation (and, after a few calls from one address, the rate limit): nothing is stored.
        "commitments/submit" => "uscc=&name=",
        "commitments/list" => "page=1",
        "commitments/fulfilment" => "id=no-such-commitment&fulfilment=&reason=",
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
        "records/record" | "records/originals" => "kind=penalty&id=no-such-record",
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

// ---------------------------------------------------------------------------------------------------
// Scope: who may call an endpoint is not enough; the object it names must be in the caller's scope.

/// What an endpoint names by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A credit subject: scoped by the subject's county (`authz::SubjectScope`).
    Subject,
    /// A batch: scoped by its unit (console) or by the key's unit and classes (data API).
    Batch,
    /// A stored record: scoped by its unit (clerks) or its county (county users).
    Record,
    /// A CMS article: scoped by the column grants, over all of its columns.
    Article,
    /// A data class (the data API's submit): scoped by the key's classes.
    Class,
    /// A public consultation: scoped by the unit it was routed to.
    Consult,
    /// A case (credit repair …): scoped by the unit handling it (clerks) or the subject's county.
    Case,
    /// A 联合奖惩 check: scoped by the matter's unit (clerks, keys with the `check` scope) or that
    /// unit's county (county users).
    Check,
    /// A batch check: scoped as a check.
    CheckBatch,
}

fn scope_kind(endpoint: &str) -> Option<Kind> {
    Some(match endpoint {
        "credit/staff_report" | "subjects/subject" => Kind::Subject,
        "collect/batch"
        | "collect/batch_confirm"
        | "collect/batch_discard"
        | "collect/batch_mapping"
        | "POST /console/collect/errors.xlsx"
        | "GET /api/v1/batches/{id}"
        | "POST /api/v1/batches/{id}/confirm" => Kind::Batch,
        "records/record" | "records/originals" | "records/withdraw" => Kind::Record,
        "cms/article"
        | "cms/article_checks"
        | "cms/article_move"
        | "cms/article_diff"
        | "cms/article_preview"
        | "cms/article_expiry"
        | "cms/article_restore"
        | "cms/article_save"
        | "cms/release_change" => Kind::Article,
        "POST /api/v1/batches/{class}" => Kind::Class,
        "help/consult" | "help/consult_route" | "help/consult_answer" | "help/consult_publish" => {
            Kind::Consult
        }
        "cases/case" | "cases/move" | "cases/suspend" | "GET /case-files/{case}/{file}" => {
            Kind::Case
        }
        "joint/check_get" | "joint/check_feedback" | "POST /api/v1/checks/{id}/feedback" => {
            Kind::Check
        }
        "joint/check_batch" | "GET /console/joint/batches/{id}/results.xlsx" => Kind::CheckBatch,
        _ => return None,
    })
}

/// Endpoints whose sample names an id but that need no scope case, and why.
const NO_SCOPE_CASE: &[(&str, &str)] = &[(
    "POST /console/collect/upload",
    "takes a unit and a class, not a batch; a clerk always submits for their own unit",
)];

/// True when an endpoint (not public) names a subject, batch, record or article: its sample names a
/// missing one, or its path takes one.
fn takes_an_id(endpoint: &str) -> bool {
    let marks = [
        "no-such-subject",
        "no-such-batch",
        "no-such-record",
        "no-such-article",
        "no-such-consult",
        "no-such-case",
        "no-such-check",
    ];
    sample(endpoint).is_some_and(|s| marks.iter().any(|m| s.contains(m)))
        || endpoint.contains("{id}")
        || endpoint.contains("{class}")
        || endpoint == "cms/article_save"
        || endpoint == "cms/release_change"
}

/// A signed-in caller and what their scope rests on.
struct Who {
    label: &'static str,
    role: Role,
    client: reqwest::Client,
    dept: Option<i64>,
    dept_county: Option<String>,
    county: Option<String>,
    grants: Vec<&'static str>,
}

/// A data-API key.
struct Key {
    label: &'static str,
    key: String,
    dept: i64,
    classes: Vec<&'static str>,
}

/// An object named by id, with what its scope rests on.
struct Obj {
    label: String,
    kind: Kind,
    id: String,
    dept: Option<i64>,
    dept_county: Option<String>,
    county: Option<String>,
    class: String,
    /// What the staff search finds it by (subjects: the USCC).
    code: String,
    columns: Vec<&'static str>,
}

/// The scope rules, written out independently of the code under test.
fn sees(who: &Who, o: &Obj) -> bool {
    let same = |a: &Option<String>, b: &Option<String>| a.is_some() && a == b;
    match (o.kind, who.role) {
        (Kind::Subject | Kind::Batch | Kind::Record, Role::Operator) => true,
        (Kind::Subject, Role::County) => same(&o.county, &who.county),
        // A unit of the prefecture level (州本级) serves the whole prefecture; a county unit its county.
        (Kind::Subject, Role::Clerk) => {
            who.dept_county.as_deref() == Some("433100") || same(&o.county, &who.dept_county)
        }
        (Kind::Batch | Kind::Record, Role::Clerk) => o.dept.is_some() && o.dept == who.dept,
        (Kind::Batch, Role::County) => same(&o.dept_county, &who.county),
        (Kind::Record, Role::County) => same(&o.county, &who.county),
        (Kind::Consult, Role::Operator) => true,
        (Kind::Consult, Role::Clerk) => o.dept.is_some() && o.dept == who.dept,
        (Kind::Case, Role::Operator) => true,
        (Kind::Case, Role::Clerk) => o.dept.is_some() && o.dept == who.dept,
        (Kind::Case, Role::County) => same(&o.county, &who.county),
        (Kind::Check | Kind::CheckBatch, Role::Operator) => true,
        (Kind::Check | Kind::CheckBatch, Role::Clerk) => o.dept.is_some() && o.dept == who.dept,
        (Kind::Check | Kind::CheckBatch, Role::County) => same(&o.dept_county, &who.county),
        (Kind::Article, _) => {
            who.grants.is_empty() || o.columns.iter().all(|c| who.grants.contains(c))
        }
        _ => false,
    }
}

fn key_sees(k: &Key, o: &Obj) -> bool {
    match o.kind {
        Kind::Batch => o.dept == Some(k.dept) && k.classes.contains(&o.class.as_str()),
        Kind::Class => k.classes.contains(&o.class.as_str()),
        Kind::Check => o.dept == Some(k.dept) && k.classes.contains(&"check"),
        _ => false,
    }
}

/// The workflow move each CMS role tries (a move the role may make at all).
fn move_for(role: Role) -> Option<(&'static str, app::auth::policy::Action)> {
    use app::auth::policy::Action;
    match role {
        Role::CmsEditor => Some(("submit", Action::ArticleSubmit)),
        Role::CmsReviewer => Some(("approve", Action::ArticleApprove)),
        Role::CmsPublisher => Some(("publish", Action::ArticlePublish)),
        _ => None,
    }
}

/// The request (path under the base, body) that names `id` at `endpoint`.
fn scoped_request(endpoint: &str, id: &str, role: Role, release: &str) -> (String, String) {
    let api = |e: &str| format!("/api/{e}");
    let form = |body: String| (api(endpoint), body);
    match endpoint {
        "credit/staff_report" => form(format!(
            "request[kind]=public&request[subject]={id}&request[applicant]=%E6%9D%8E%E5%9B%9B\
             &request[purpose]=%E6%8B%9B%E6%8A%95%E6%A0%87&request[matter]=%E6%94%BF%E5%BA%9C%E9%87%87%E8%B4%AD"
        )),
        "subjects/subject"
        | "collect/batch"
        | "collect/batch_confirm"
        | "collect/batch_discard"
        | "collect/batch_mapping"
        | "cms/article"
        | "cms/article_checks"
        | "cms/article_expiry" => form(format!("id={id}")),
        "POST /console/collect/errors.xlsx" => {
            ("/console/collect/errors.xlsx".into(), format!("batch={id}"))
        }
        "records/record" | "records/originals" => form(format!("kind=penalty&id={id}")),
        "records/withdraw" => form(format!(
            "kind=penalty&id={id}&reason=%E5%A4%84%E7%BD%9A%E5%86%B3%E5%AE%9A%E5%B7%B2%E8%A2%AB%E6%92%A4%E9%94%80"
        )),
        "help/consult" => form(format!("id={id}")),
        // Inside the scope each fails validation or the state check (422 / 409), changing nothing.
        "help/consult_route" => form(format!("id={id}&department=")),
        "help/consult_answer" => form(format!("id={id}&answer=")),
        "help/consult_publish" => form(format!("id={id}&publish=true&question=&answer=")),
        "cases/case" => form(format!("id={id}")),
        // Inside the scope a repair case's display cannot be suspended (409), changing nothing.
        "cases/suspend" => form(format!("id={id}&on=true")),
        "GET /case-files/{case}/{file}" => (format!("/case-files/{id}/{id}-file"), String::new()),
        // Inside the scope a refusal without its reason fails validation (422), changing nothing.
        "cases/move" => form(format!("id={id}&code=refuse")),
        "cms/article_diff" => form(format!("id={id}&from=1&to=1")),
        "cms/article_preview" | "cms/article_restore" => form(format!("id={id}&version=1")),
        "cms/article_move" => form(format!(
            "id={id}&transition={}",
            move_for(role).map(|m| m.0).unwrap_or("submit")
        )),
        // Saves the text under the caller's grant: the stored article's columns decide.
        "cms/article_save" => form(
            serde_json::json!({ "save": { "public_id": id, "version": 0, "content": {
                "title": "范围测试", "subtitle": "", "columns": ["news"], "source": "", "author": "",
                "cover": null, "cover_alt": "", "summary": "", "body_html": "<p>范围测试</p>",
                "tags": [], "attachments": [], "headline": false } } })
            .to_string(),
        ),
        "cms/release_change" => form(format!("id={release}&change=add&article={id}")),
        // Inside the scope empty feedback fails validation (422), changing nothing.
        "joint/check_get" | "joint/check_feedback" | "joint/check_batch" => form(format!("id={id}")),
        "GET /console/joint/batches/{id}/results.xlsx" => {
            (format!("/console/joint/batches/{id}/results.xlsx"), String::new())
        }
        "POST /api/v1/checks/{id}/feedback" => (
            format!("/api/v1/checks/{id}/feedback"),
            r#"{"applied":false,"result":""}"#.into(),
        ),
        "GET /api/v1/batches/{id}" => (format!("/api/v1/batches/{id}"), String::new()),
        "POST /api/v1/batches/{id}/confirm" => {
            (format!("/api/v1/batches/{id}/confirm"), "{}".into())
        }
        "POST /api/v1/batches/{class}" => {
            (format!("/api/v1/batches/{id}"), r#"{"records":[]}"#.into())
        }
        other => panic!("no scoped request for {other}"),
    }
}

async fn send(
    c: &reqwest::Client,
    base: &str,
    endpoint: &str,
    path: &str,
    body: String,
    key: Option<&str>,
) -> (u16, String) {
    let url = format!("{base}{path}");
    let mut r = if endpoint.starts_with("GET ") {
        c.get(url)
    } else {
        let ct = if body.starts_with('{') {
            "application/json"
        } else {
            "application/x-www-form-urlencoded"
        };
        c.post(url).header("content-type", ct).body(body)
    };
    if let Some(k) = key {
        r = r.bearer_auth(k);
    }
    let res = r.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.text().await.unwrap_or_default())
}

async fn add_user(
    state: &app::server::AppState,
    hash: &str,
    username: &str,
    role: Role,
    dept: Option<i64>,
    county: Option<&str>,
) {
    let now = state.clock.now_text();
    let mut tx = state.db.begin().await.unwrap();
    let (id, _) = app::admin::service::users::insert_account(
        &mut tx,
        &now,
        username,
        username,
        hash,
        (dept, county.map(String::from), false),
        false,
    )
    .await
    .unwrap();
    sqlx::query("INSERT INTO user_roles (user_id, role_code, granted_at) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(role.code())
        .bind(&now)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

async fn unit(state: &app::server::AppState, code: &str) -> (i64, Option<String>) {
    use sqlx::Row;
    let r = sqlx::query("SELECT id, county_code FROM departments WHERE code = $1")
        .bind(code)
        .fetch_one(&state.db.pool)
        .await
        .unwrap();
    (r.get("id"), r.get("county_code"))
}

/// Two repair cases for the scope matrix: handled by `pref` (a 吉首 subject) and by `fh` (凤凰县).
async fn case_objects(state: &app::server::AppState, pref: i64, fh: i64) -> Vec<Obj> {
    let pool = &state.db.pool;
    let mut objects = vec![];
    for (n, dept, county) in [(1, pref, "433101"), (2, fh, "433123")] {
        let public_id = format!("scope-case-{n}");
        sqlx::query(
            "INSERT INTO cases (public_id, tracking_code, kind, state, record_kind, record_id, record_public_id, \
             subject_name, subject_uscc, department_id, county_code, applicant_name, contact_enc, contact_masked, \
             submitted_on, created_at, updated_at) VALUES ($1, $2, 'repair', 'assigned', 'penalty', 0, 'none', \
             '范围测试公司', '', $3, $4, '测试', 'x', '138****0000', '2026-01-05', '2026-01-05T01:00:00Z', \
             '2026-01-05T01:00:00Z')",
        )
        .bind(&public_id)
        .bind(format!("SCOPECASE{n}"))
        .bind(dept)
        .bind(county)
        .execute(pool)
        .await
        .unwrap();
        // One material each, on disk in the private store, so that a download in scope succeeds.
        let bytes = format!("%PDF-1.4\nscope case {n}\n%%EOF\n").into_bytes();
        let stored = app::cms::service::uploads::store_private(state, "材料.pdf", &bytes)
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO case_files (public_id, case_id, purpose, file_name, original_name, size_bytes, created_at) \
             SELECT $1, id, 'proof', $2, '材料.pdf', $3, '2026-01-05T01:00:00Z' FROM cases WHERE public_id = $4",
        )
        .bind(format!("{public_id}-file"))
        .bind(&stored.file)
        .bind(stored.size)
        .bind(&public_id)
        .execute(pool)
        .await
        .unwrap();
        objects.push(Obj {
            label: format!("case of unit {dept} in {county}"),
            kind: Kind::Case,
            id: public_id,
            dept: Some(dept),
            dept_county: None,
            county: Some(county.into()),
            class: String::new(),
            code: String::new(),
            columns: vec![],
        });
    }
    objects
}

/// A logged check with a hit for a matter of each unit (unit id, the unit's county).
async fn check_objects(state: &app::server::AppState, units: &[(i64, &str)]) -> Vec<Obj> {
    let pool = &state.db.pool;
    let mut objects = vec![];
    for (n, (dept, county)) in units.iter().enumerate() {
        let public_id = format!("scope-check-{n}");
        sqlx::query(
            "INSERT INTO matters (public_id, code, name, department_id, created_at, updated_at) \
             VALUES ($1, $2, '范围测试事项', $3, '2026-01-05T01:00:00Z', '2026-01-05T01:00:00Z')",
        )
        .bind(format!("scope-matter-{n}"))
        .bind(format!("SCOPE-MATTER-{n}"))
        .bind(dept)
        .execute(pool)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO joint_checks (public_id, matter_id, department_id, channel, checked_by, subject_kind, \
             subject_shown, subject_name, checked_on, checked_at, hit_count, hits, measures, feedback_due) \
             SELECT $1, id, $2, 'console', '测试', 'name', '范围测试公司', '范围测试公司', '2026-01-05', \
             '2026-01-05T01:00:00Z', 1, '[]', '[]', '2026-01-12' FROM matters WHERE public_id = $3",
        )
        .bind(&public_id)
        .bind(dept)
        .bind(format!("scope-matter-{n}"))
        .execute(pool)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO joint_check_batches (public_id, matter_id, department_id, file_name, status, created_at) \
             SELECT $1, id, $2, '名单.xlsx', 'done', '2026-01-05T01:00:00Z' FROM matters WHERE public_id = $3",
        )
        .bind(format!("scope-check-batch-{n}"))
        .bind(dept)
        .bind(format!("scope-matter-{n}"))
        .execute(pool)
        .await
        .unwrap();
        objects.push(Obj {
            label: format!("batch check for a matter of unit {dept}"),
            kind: Kind::CheckBatch,
            id: format!("scope-check-batch-{n}"),
            dept: Some(*dept),
            dept_county: Some((*county).into()),
            county: None,
            class: String::new(),
            code: String::new(),
            columns: vec![],
        });
        objects.push(Obj {
            label: format!("check for a matter of unit {dept}"),
            kind: Kind::Check,
            id: public_id,
            dept: Some(*dept),
            dept_county: Some((*county).into()),
            county: None,
            class: String::new(),
            code: String::new(),
            columns: vec![],
        });
    }
    objects
}

/// Every endpoint that takes the id of a subject, batch, record or article (or a class, for the data
/// API), called by every caller the policy lets call it, on objects inside and outside the caller's
/// scope: county users (their county), clerks of a prefecture unit, a county unit and a unit without a
/// county, CMS staff granted one column, and keys of one unit and one class. Outside the scope the
/// answer is 403 or 404; inside it, the call goes through. The lists (staff search, 法人库, CMS
/// articles) show exactly the objects in scope. A new endpoint whose sample names such an id fails
/// here until it has a scope case.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_id_endpoint_refuses_objects_outside_the_callers_scope() {
    use sqlx::Row;
    let state = common::fresh_state().await;
    let opts = SeedOptions {
        subjects: 20,
        seed: 5,
        as_of: state.clock.today(),
    };
    seed_demo(&state, &opts, |_, _| {}).await.expect("seed");
    let base = common::serve(state.clone()).await;
    let pool = &state.db.pool;

    // Every endpoint that names an id has a scope case.
    let missing: Vec<&str> = ENDPOINTS
        .iter()
        .filter(|(e, a)| *a != Access::Public && takes_an_id(e))
        .map(|(e, _)| *e)
        .filter(|e| scope_kind(e).is_none() && !NO_SCOPE_CASE.iter().any(|(n, _)| n == e))
        .collect();
    assert!(missing.is_empty(), "add a scope case for: {missing:?}");

    // Units: one of the prefecture level, one of 凤凰县, one without a county.
    let (pref, pref_county) = unit(&state, "scjg").await;
    let (fh, fh_county) = unit(&state, "fhx").await;
    assert_eq!(
        (pref_county.as_deref(), fh_county.as_deref()),
        (Some("433100"), Some("433123"))
    );
    sqlx::query(
        "INSERT INTO departments (public_id, code, name, active, created_at) \
         VALUES ('scope-none', 'scopenone', '无区县单位', 1, '2026-01-01T00:00:00Z')",
    )
    .execute(pool)
    .await
    .unwrap();
    let (none, _) = unit(&state, "scopenone").await;

    let hash = app::server::password::hash(server::seed::accounts::DEMO_PASSWORD.to_string())
        .await
        .unwrap();
    add_user(&state, &hash, "clerkpref", Role::Clerk, Some(pref), None).await;
    add_user(&state, &hash, "clerkfh", Role::Clerk, Some(fh), None).await;
    add_user(&state, &hash, "clerknone", Role::Clerk, Some(none), None).await;
    add_user(
        &state,
        &hash,
        "countyfh",
        Role::County,
        None,
        Some("433123"),
    )
    .await;

    // Subjects of 吉首市 and of 凤凰县.
    let mut objects: Vec<Obj> = vec![];
    for (label, county, serial) in [("吉首", "433101", 881_001u64), ("凤凰", "433123", 881_002)]
    {
        let public_id = format!("scope-subject-{serial}");
        let uscc = app::rules::uscc::compose('9', '1', county, serial);
        sqlx::query(
            "INSERT INTO subjects (public_id, kind, name, uscc, county_code, created_at, updated_at) \
             VALUES ($1, 'organisation', $2, $3, $4, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
        )
        .bind(&public_id)
        .bind(format!("{label}范围测试有限公司"))
        .bind(&uscc)
        .bind(county)
        .execute(pool)
        .await
        .unwrap();
        objects.push(Obj {
            label: format!("subject of {county}"),
            kind: Kind::Subject,
            id: public_id,
            dept: None,
            dept_county: None,
            county: Some(county.into()),
            class: String::new(),
            code: uscc,
            columns: vec![],
        });
    }

    // Batches of the prefecture unit (penalty and licence) and of the 凤凰县 unit.
    for (dept, dept_county, class) in [
        (pref, &pref_county, "penalty"),
        (pref, &pref_county, "licence"),
        (fh, &fh_county, "penalty"),
    ] {
        let sub = app::collect::service::intake::Submission {
            class_code: class,
            department_id: dept,
            user_id: None,
            channel: "api",
        };
        let (_, public_id) = app::collect::service::intake::create(&state, &sub, None)
            .await
            .unwrap();
        objects.push(Obj {
            label: format!("{class} batch of unit {dept}"),
            kind: Kind::Batch,
            id: public_id,
            dept: Some(dept),
            dept_county: dept_county.clone(),
            county: None,
            class: class.into(),
            code: String::new(),
            columns: vec![],
        });
    }
    for class in ["penalty", "licence"] {
        objects.push(Obj {
            label: format!("class {class}"),
            kind: Kind::Class,
            id: class.into(),
            dept: None,
            dept_county: None,
            county: None,
            class: class.into(),
            code: String::new(),
            columns: vec![],
        });
    }

    // Two seeded penalties, moved to the prefecture unit in 吉首市 and to the 凤凰县 unit in 凤凰县.
    let ids: Vec<String> = sqlx::query("SELECT public_id FROM penalties ORDER BY id LIMIT 2")
        .fetch_all(pool)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get("public_id"))
        .collect();
    assert_eq!(ids.len(), 2, "the seed has penalties");
    for (id, dept, county) in [(&ids[0], pref, "433101"), (&ids[1], fh, "433123")] {
        sqlx::query(
            "UPDATE penalties SET department_id = $1, county_code = $2 WHERE public_id = $3",
        )
        .bind(dept)
        .bind(county)
        .bind(id)
        .execute(pool)
        .await
        .unwrap();
        objects.push(Obj {
            label: format!("penalty of unit {dept} in {county}"),
            kind: Kind::Record,
            id: id.clone(),
            dept: Some(dept),
            dept_county: None,
            county: Some(county.into()),
            class: "penalty".into(),
            code: String::new(),
            columns: vec![],
        });
    }

    // Consultations routed to the prefecture unit and to the 凤凰县 unit.
    for (n, dept) in [(1, pref), (2, fh)] {
        let public_id = format!("scope-consult-{n}");
        sqlx::query(
            "INSERT INTO consultations (public_id, tracking_code, topic, question, asker_name, contact_enc, \
             contact_masked, status, department_id, received_on, due_on, created_at, updated_at) \
             VALUES ($1, $2, 'other', '范围测试咨询', '测试', 'x', '138****0000', 'routed', $3, \
             '2026-01-05', '2026-01-12', '2026-01-05T01:00:00Z', '2026-01-05T01:00:00Z')",
        )
        .bind(&public_id)
        .bind(format!("SCOPE{n}"))
        .bind(dept)
        .execute(pool)
        .await
        .unwrap();
        objects.push(Obj {
            label: format!("consultation routed to unit {dept}"),
            kind: Kind::Consult,
            id: public_id,
            dept: Some(dept),
            dept_county: None,
            county: None,
            class: String::new(),
            code: String::new(),
            columns: vec![],
        });
    }

    // Repair cases on records of the prefecture unit (a 吉首 subject) and of the 凤凰县 unit.
    objects.extend(case_objects(&state, pref, fh).await);
    objects.extend(check_objects(&state, &[(pref, "433100"), (fh, "433123")]).await);

    // Articles in 新闻 only and in 新闻 + 通知公告, written before the CMS staff get their grants.
    let editor = common::client();
    common::login_demo(&editor, &base, "editor").await;
    for columns in [vec!["news"], vec!["news", "notice"]] {
        let body = serde_json::json!({ "save": { "public_id": null, "version": 0, "content": {
            "title": format!("范围测试：{}", columns.join("+")), "subtitle": "", "columns": columns,
            "source": "湘西州信用办", "author": "张三", "cover": null, "cover_alt": "", "summary": "摘要",
            "body_html": "<p>正文</p>", "tags": [], "attachments": [], "headline": false } } });
        let r = editor
            .post(format!("{base}/api/cms/article_save"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let saved: serde_json::Value = r.json().await.unwrap();
        objects.push(Obj {
            label: format!("article in {columns:?}"),
            kind: Kind::Article,
            id: saved[0].as_str().unwrap().to_string(),
            dept: None,
            dept_county: None,
            county: None,
            class: String::new(),
            code: String::new(),
            columns,
        });
    }
    sqlx::query(
        "INSERT INTO cms_column_grants (user_id, column_code) \
         SELECT id, 'news' FROM users WHERE username IN ('editor', 'reviewer', 'publisher')",
    )
    .execute(pool)
    .await
    .unwrap();

    // The callers.
    let mut callers: Vec<Who> = vec![];
    for (label, role, dept, dept_county, county, grants) in [
        ("operator", Role::Operator, None, None, None, vec![]),
        ("county", Role::County, None, None, Some("433101"), vec![]),
        ("countyfh", Role::County, None, None, Some("433123"), vec![]),
        (
            "clerkpref",
            Role::Clerk,
            Some(pref),
            pref_county.clone(),
            None,
            vec![],
        ),
        (
            "clerkfh",
            Role::Clerk,
            Some(fh),
            fh_county.clone(),
            None,
            vec![],
        ),
        ("clerknone", Role::Clerk, Some(none), None, None, vec![]),
        ("editor", Role::CmsEditor, None, None, None, vec!["news"]),
        (
            "reviewer",
            Role::CmsReviewer,
            None,
            None,
            None,
            vec!["news"],
        ),
        (
            "publisher",
            Role::CmsPublisher,
            None,
            None,
            None,
            vec!["news"],
        ),
    ] {
        let client = common::client();
        common::login_demo(&client, &base, label).await;
        callers.push(Who {
            label,
            role,
            client,
            dept,
            dept_county,
            county: county.map(String::from),
            grants,
        });
    }
    let mut keys: Vec<Key> = vec![];
    for (label, dept, classes) in [
        ("penalty key of the prefecture unit", pref, vec!["penalty"]),
        ("licence key of the prefecture unit", pref, vec!["licence"]),
        ("penalty key of the 凤凰县 unit", fh, vec!["penalty"]),
        ("check key of the prefecture unit", pref, vec!["check"]),
    ] {
        let scopes: Vec<String> = classes.iter().map(|c| c.to_string()).collect();
        let (_, key) = app::collect::service::api_keys::create(
            &state,
            &app::server::audit::Actor::named("test"),
            dept,
            label,
            &scopes,
            None,
        )
        .await
        .unwrap();
        keys.push(Key {
            label,
            key,
            dept,
            classes,
        });
    }
    // An open release, for adding articles to it.
    let publisher = &callers
        .iter()
        .find(|w| w.label == "publisher")
        .unwrap()
        .client;
    let (status, release) = send(
        publisher,
        &base,
        "cms/release_create",
        "/api/cms/release_create",
        "name=%E8%8C%83%E5%9B%B4%E6%B5%8B%E8%AF%95".into(),
        None,
    )
    .await;
    assert_eq!(status, 200, "{release}");
    let release: String = serde_json::from_str(&release).unwrap();

    let mut mismatches = vec![];
    let mut calls = 0;
    let mut judge = |endpoint: &str, who: &str, o: &Obj, inside: bool, status: u16, text: &str| {
        calls += 1;
        let ok = if inside {
            !matches!(status, 401 | 403 | 404) && status < 500
        } else {
            matches!(status, 403 | 404)
        };
        if !ok {
            let text: String = text.chars().take(160).collect();
            mismatches.push(format!(
                "{endpoint} as {who} on {} ({}): status {status}, expected {} — {text}",
                o.label,
                o.id,
                if inside { "allowed" } else { "403/404" }
            ));
        }
    };
    for (endpoint, access) in ENDPOINTS {
        let Some(kind) = scope_kind(endpoint) else {
            continue;
        };
        for o in objects.iter().filter(|o| o.kind == kind) {
            match access {
                Access::ApiKey => {
                    for k in &keys {
                        let (path, body) = scoped_request(endpoint, &o.id, Role::Clerk, &release);
                        let c = reqwest::Client::new();
                        let (status, text) =
                            send(&c, &base, endpoint, &path, body, Some(&k.key)).await;
                        judge(endpoint, k.label, o, key_sees(k, o), status, &text);
                    }
                }
                Access::Action(action) => {
                    for who in &callers {
                        let action = match (*endpoint, move_for(who.role)) {
                            ("cms/article_move", Some((_, a))) => a,
                            ("cms/article_move", None) => continue,
                            // Viewing a case is not deciding it: only callers who may decide try.
                            ("cases/move", _) => app::auth::policy::Action::CaseDecide,
                            _ => *action,
                        };
                        if !may(&[who.role], action) {
                            continue;
                        }
                        let (path, body) = scoped_request(endpoint, &o.id, who.role, &release);
                        let (status, text) =
                            send(&who.client, &base, endpoint, &path, body, None).await;
                        judge(endpoint, who.label, o, sees(who, o), status, &text);
                    }
                }
                other => panic!("{endpoint}: a scope case for {other:?} access"),
            }
        }
    }

    // A new article goes only into columns the editor works in, the further ones included.
    let editor = &callers.iter().find(|w| w.label == "editor").unwrap().client;
    for (columns, expected) in [
        (vec!["news"], 200),
        (vec!["news", "notice"], 403),
        (vec!["notice", "news"], 403),
    ] {
        let body = serde_json::json!({ "save": { "public_id": null, "version": 0, "content": {
            "title": "范围测试：新文章", "subtitle": "", "columns": columns, "source": "", "author": "",
            "cover": null, "cover_alt": "", "summary": "", "body_html": "<p>正文</p>", "tags": [],
            "attachments": [], "headline": false } } });
        let r = editor
            .post(format!("{base}/api/cms/article_save"))
            .json(&body)
            .send()
            .await
            .unwrap();
        calls += 1;
        if r.status().as_u16() != expected {
            mismatches.push(format!(
                "cms/article_save of a new article in {columns:?} as editor (news only): status {}, expected {expected}",
                r.status()
            ));
        }
    }

    // The lists show exactly what is in scope: the staff search and the 法人库 by each subject's code,
    // the CMS article list.
    let mut listed = |endpoint: &str, who: &Who, o: &Obj, text: &str, inside: bool| {
        calls += 1;
        if text.contains(&o.id) != inside {
            mismatches.push(format!(
                "{endpoint} as {} {} {} ({})",
                who.label,
                if inside { "does not list" } else { "lists" },
                o.label,
                o.id
            ));
        }
    };
    for who in &callers {
        for o in objects.iter().filter(|o| o.kind == Kind::Subject) {
            for (endpoint, action) in [
                (
                    "credit/staff_search",
                    app::auth::policy::Action::CreditSearch,
                ),
                ("subjects/search", app::auth::policy::Action::SubjectView),
            ] {
                if !may(&[who.role], action) {
                    continue;
                }
                let (status, text) = send(
                    &who.client,
                    &base,
                    endpoint,
                    &format!("/api/{endpoint}"),
                    format!("q={}&page=1&filters[kind]=", o.code),
                    None,
                )
                .await;
                assert_eq!(status, 200, "{endpoint} as {}: {text}", who.label);
                listed(endpoint, who, o, &text, sees(who, o));
            }
        }
        if may(&[who.role], app::auth::policy::Action::ConsultView) {
            let (status, text) = send(
                &who.client,
                &base,
                "help/consults",
                "/api/help/consults",
                "page=1".into(),
                None,
            )
            .await;
            assert_eq!(status, 200, "help/consults as {}: {text}", who.label);
            for o in objects.iter().filter(|o| o.kind == Kind::Consult) {
                listed("help/consults", who, o, &text, sees(who, o));
            }
        }
        if may(&[who.role], app::auth::policy::Action::CaseView) {
            let (status, text) = send(
                &who.client,
                &base,
                "cases/list",
                "/api/cases/list",
                "page=1".into(),
                None,
            )
            .await;
            assert_eq!(status, 200, "cases/list as {}: {text}", who.label);
            for o in objects.iter().filter(|o| o.kind == Kind::Case) {
                listed("cases/list", who, o, &text, sees(who, o));
            }
        }
        if may(&[who.role], app::auth::policy::Action::CmsView) {
            let (status, text) = send(
                &who.client,
                &base,
                "cms/articles",
                "/api/cms/articles",
                String::new(),
                None,
            )
            .await;
            assert_eq!(status, 200, "cms/articles as {}: {text}", who.label);
            for o in objects.iter().filter(|o| o.kind == Kind::Article) {
                listed("cms/articles", who, o, &text, sees(who, o));
            }
        }
    }

    // Refused report pulls are audited as denials.
    let denied: i64 = sqlx::query(
        "SELECT COUNT(*) FROM audit_events WHERE action = 'credit.report.pull' AND outcome = 'denied'",
    )
    .fetch_one(pool)
    .await
    .unwrap()
    .get(0);
    if denied == 0 {
        mismatches.push("refused report pulls are not audited as denials".into());
    }
    assert!(
        mismatches.is_empty(),
        "{} of {calls} scope checks disagree:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
    eprintln!("scope matrix: {calls} calls and list checks, all as the scope rules say");
}
