//! The help centre's consultations over HTTP: a citizen asks (with and without JavaScript), the credit
//! office routes, the unit answers (another unit's clerk cannot see it), the citizen reads the answer
//! by tracking code, the office publishes it masked as public Q&A. Validation, the per-IP limit, and
//! with the controllable clock the 5-working-day deadline, skipping a holiday.
// Test code: a panic here is a failing test (clippy.toml allows these lints in #[test] functions;
// the helpers of an integration test crate are test code as well).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
// Long scenario tests read top to bottom, one step after the other.
#![allow(clippy::too_many_lines)]
mod common;
use app::server::AppState;
use server::seed::{seed_demo, SeedOptions};
use sqlx::Row;
use time::macros::datetime;

const FORM: &str = "application/x-www-form-urlencoded";

fn enc(s: &str) -> String {
    app::ui::url::encode(s)
}

/// A seeded server (demo accounts and units) with the consultation limit raised.
async fn seeded(extra: &[(&str, &str)]) -> (AppState, String) {
    let url = common::fresh_database_url().await;
    let mut vars = vec![("APP_CONSULT_RATE_PER_HOUR", "1000")];
    vars.extend_from_slice(extra);
    let config = common::test_config_with(&url, &vars);
    let state = common::state_with_config(config, app::server::clock::Clock::adjustable()).await;
    let opts = SeedOptions {
        subjects: 5,
        seed: 3,
        as_of: state.clock.today(),
    };
    seed_demo(&state, &opts, |_, _| {}).await.expect("seed");
    let base = common::serve(state.clone()).await;
    (state, base)
}

async fn call(c: &reqwest::Client, base: &str, endpoint: &str, body: String) -> (u16, String) {
    let r = c
        .post(format!("{base}/api/{endpoint}"))
        .header("content-type", FORM)
        .body(body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn get(c: &reqwest::Client, url: String) -> (u16, String) {
    let r = c.get(url).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

fn question(text: &str, contact: &str, consent: bool) -> String {
    format!(
        "topic=repair&text={}&name={}&contact={}{}",
        enc(text),
        enc("张三"),
        enc(contact),
        if consent { "&consent=true" } else { "" }
    )
}

async fn department_of(state: &AppState, username: &str) -> (i64, String) {
    let r = sqlx::query(
        "SELECT d.id, d.public_id FROM users u JOIN departments d ON d.id = u.department_id WHERE u.username = $1",
    )
    .bind(username)
    .fetch_one(&state.db.pool)
    .await
    .unwrap();
    (r.get("id"), r.get("public_id"))
}

async fn public_id_of(state: &AppState, code: &str) -> String {
    sqlx::query("SELECT public_id FROM consultations WHERE tracking_code = $1")
        .bind(code)
        .fetch_one(&state.db.pool)
        .await
        .unwrap()
        .get("public_id")
}

/// Asks without JavaScript: a plain form post with the CSRF token, answered by a redirect to the
/// tracking page of the new code, which says so. Returns the code.
async fn ask_without_script(
    state: &AppState,
    citizen: &reqwest::Client,
    base: &str,
    text: &str,
) -> String {
    let token = common::csrf_token(citizen, base).await;
    let r = citizen
        .post(format!("{base}/api/help/consult_submit"))
        .header("content-type", FORM)
        .header("accept", "text/html")
        .body(format!(
            "{}&csrf_token={token}",
            question(text, "138 1234 5678", true)
        ))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_redirection(), "{}", r.status());
    let location = r.headers()["location"].to_str().unwrap().to_string();
    let code = location
        .strip_prefix("/help/track?code=")
        .and_then(|s| s.strip_suffix("&new=1"))
        .unwrap_or_else(|| panic!("redirect to the tracking page: {location}"))
        .to_string();
    assert_eq!(code.len(), 10);
    let (status, html) = get(citizen, format!("{base}{location}")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains(&code) && html.contains("咨询已提交"),
        "{html}"
    );
    assert!(html.contains("138****5678") && !html.contains("13812345678"));
    assert!(html.contains("已受理，待分办"));

    // The contact is stored sealed with the ID-number key.
    let sealed: String =
        sqlx::query("SELECT contact_enc FROM consultations WHERE tracking_code = $1")
            .bind(&code)
            .fetch_one(&state.db.pool)
            .await
            .unwrap()
            .get(0);
    assert!(!sealed.contains("13812345678"));
    assert_eq!(state.secrets.decrypt_id(&sealed).unwrap(), "13812345678");
    code
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_question_is_routed_answered_read_by_code_and_published_masked() {
    let (state, base) = seeded(&[]).await;
    let citizen = common::client();
    let text = "我是张三，身份证433101199001012018，电话13812345678。公司被列入经营异常名录后已补报年报，如何申请信用修复？";
    let code = ask_without_script(&state, &citizen, &base, text).await;
    let id = public_id_of(&state, &code).await;

    // The credit office routes it to the clerk's unit.
    let operator = common::client();
    common::login_demo(&operator, &base, "operator").await;
    let (status, list) = call(
        &operator,
        &base,
        "help/consults",
        "page=1&filter[status]=new".into(),
    )
    .await;
    assert_eq!(status, 200, "{list}");
    assert!(list.contains(&id));
    let (dept, dept_public) = department_of(&state, "clerk").await;
    let (status, text_) = call(
        &operator,
        &base,
        "help/consult_route",
        format!("id={id}&department="),
    )
    .await;
    assert_eq!(status, 422, "a unit must be chosen: {text_}");
    let (status, text_) = call(
        &operator,
        &base,
        "help/consult_route",
        format!("id={id}&department={dept_public}"),
    )
    .await;
    assert_eq!(status, 200, "{text_}");
    let routed: Option<i64> =
        sqlx::query("SELECT department_id FROM consultations WHERE public_id = $1")
            .bind(&id)
            .fetch_one(&state.db.pool)
            .await
            .unwrap()
            .get(0);
    assert_eq!(routed, Some(dept));

    // Another unit's clerk: it does not exist for them.
    let clerk2 = common::client();
    common::login_demo(&clerk2, &base, "clerk2").await;
    assert_ne!(department_of(&state, "clerk2").await.0, dept);
    for (endpoint, body) in [
        ("help/consult", format!("id={id}")),
        ("help/consult_answer", format!("id={id}&answer=%E7%AD%94")),
    ] {
        let (status, t) = call(&clerk2, &base, endpoint, body).await;
        assert_eq!(status, 404, "{endpoint} as clerk2: {t}");
    }
    let (_, list) = call(&clerk2, &base, "help/consults", "page=1".into()).await;
    assert!(!list.contains(&id));

    // The clerk of the unit answers.
    let clerk = common::client();
    common::login_demo(&clerk, &base, "clerk").await;
    let (status, detail) = call(&clerk, &base, "help/consult", format!("id={id}")).await;
    assert_eq!(status, 200, "{detail}");
    assert!(detail.contains("138****5678") && !detail.contains("13812345678"));
    let (status, t) = call(
        &clerk,
        &base,
        "help/consult_answer",
        format!("id={id}&answer="),
    )
    .await;
    assert_eq!(status, 422, "{t}");
    let answer = "您好！补报年度报告后，可向作出列入决定的市场监管部门申请移出经营异常名录，移出后平台信息同步更新。";
    let (status, t) = call(
        &clerk,
        &base,
        "help/consult_answer",
        format!("id={id}&answer={}", enc(answer)),
    )
    .await;
    assert_eq!(status, 200, "{t}");
    let (status, t) = call(
        &clerk,
        &base,
        "help/consult_answer",
        format!("id={id}&answer=x"),
    )
    .await;
    assert_eq!(status, 409, "answered once: {t}");

    // The citizen reads the answer by code (typed in lower case with a space).
    let typed = format!("{} {}", &code[..5].to_lowercase(), &code[5..]);
    let (status, html) = get(&citizen, format!("{base}/help/track?code={}", enc(&typed))).await;
    assert_eq!(status, 200);
    assert!(html.contains(answer) && html.contains("已答复"), "{html}");
    let (status, _) = get(&citizen, format!("{base}/help/track?code=ABCDEFGHJK")).await;
    assert_eq!(status, 404);

    publish_masked(&state, &operator, &citizen, &base, &id, text, answer).await;
}

/// Published by the office: the proposals are masked; whatever is sent is masked again; it shows in
/// the public Q&A (found by a fragment) and on the help centre's home. Every move was audited.
async fn publish_masked(
    state: &AppState,
    operator: &reqwest::Client,
    citizen: &reqwest::Client,
    base: &str,
    id: &str,
    text: &str,
    answer: &str,
) {
    let (_, detail) = call(operator, base, "help/consult", format!("id={id}")).await;
    let detail: serde_json::Value = serde_json::from_str(&detail).unwrap();
    let proposed = detail["public_question"].as_str().unwrap();
    assert!(
        proposed.contains("张*") && proposed.contains("138****5678"),
        "{proposed}"
    );
    assert!(!proposed.contains("433101199001012018") && !proposed.contains("张三"));
    let (status, t) = call(
        operator,
        base,
        "help/consult_publish",
        format!(
            "id={id}&publish=true&question={}&answer={}",
            enc(text),
            enc(answer)
        ),
    )
    .await;
    assert_eq!(status, 200, "{t}");
    let (status, html) = get(
        citizen,
        format!("{base}/help/qa?q={}", enc("经营异常名录后已补报")),
    )
    .await;
    assert_eq!(status, 200);
    assert!(html.contains("经营异常名录后已补报年报"), "{html}");
    assert!(
        !html.contains("13812345678")
            && !html.contains("张三")
            && !html.contains("433101199001012018")
    );
    let (_, html) = get(
        citizen,
        format!("{base}/help/qa?q={}", enc("没有这样的问题")),
    )
    .await;
    assert!(!html.contains("经营异常名录后已补报年报"));
    let (_, html) = get(citizen, format!("{base}/help")).await;
    assert!(
        html.contains("经营异常名录后已补报年报"),
        "the newest answers on the help home"
    );

    // Every move is audited.
    for action in [
        "help.consult.submit",
        "help.consult.route",
        "help.consult.answer",
        "help.consult.publish",
    ] {
        let n: i64 =
            sqlx::query("SELECT COUNT(*) FROM audit_events WHERE action = $1 AND object_id = $2")
                .bind(action)
                .bind(id)
                .fetch_one(&state.db.pool)
                .await
                .unwrap()
                .get(0);
        assert_eq!(n, 1, "{action}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_script_the_code_comes_back_and_without_consent_nothing_is_published() {
    let (state, base) = seeded(&[]).await;
    let citizen = common::client();
    let operator = common::client();
    common::login_demo(&operator, &base, "operator").await;
    // With JavaScript (a server-function call): the code comes back as JSON.
    let (status, t) = call(
        &citizen,
        &base,
        "help/consult_submit",
        question("请问信用报告怎么打印？", "zhang@example.com", false),
    )
    .await;
    assert_eq!(status, 200, "{t}");
    let done: serde_json::Value = serde_json::from_str(&t).unwrap();
    let code2 = done["code"].as_str().unwrap();
    assert!(app::help::consult::normalise_code(code2).is_some());
    // Not agreed to publication: it cannot be published.
    let id2 = public_id_of(&state, code2).await;
    call(
        &operator,
        &base,
        "help/consult_answer",
        format!("id={id2}&answer={}", enc("请在主体页面申请。")),
    )
    .await;
    let (status, _) = call(
        &operator,
        &base,
        "help/consult_publish",
        format!("id={id2}&publish=true&question=a&answer=b"),
    )
    .await;
    assert_eq!(status, 409);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_faulty_question_is_refused_with_a_message_per_field() {
    let (_, base) = seeded(&[]).await;
    let c = common::client();
    let (status, t) = call(
        &c,
        &base,
        "help/consult_submit",
        "topic=x&text=%E9%97%AE&name=&contact=12345".into(),
    )
    .await;
    assert_eq!(status, 422, "{t}");
    for message in [
        "请选择咨询类别",
        "至少 5 个字",
        "请填写您的姓名",
        "正确的手机号码",
    ] {
        assert!(t.contains(message), "{message}: {t}");
    }
    let long = "问".repeat(2001);
    let (status, t) = call(
        &c,
        &base,
        "help/consult_submit",
        question(&long, "13812345678", true),
    )
    .await;
    assert_eq!(status, 422);
    assert!(t.contains("不能超过 2000 字"), "{t}");
    let (status, t) = call(
        &c,
        &base,
        "help/consult_submit",
        question("请问如何查询信用？", "abc@", true),
    )
    .await;
    assert_eq!(status, 422);
    assert!(t.contains("电子邮箱"), "{t}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn consultations_are_limited_per_address() {
    let (_, base) = seeded(&[("APP_CONSULT_RATE_PER_HOUR", "2")]).await;
    let c = common::client();
    for _ in 0..2 {
        let (status, t) = call(
            &c,
            &base,
            "help/consult_submit",
            question("请问如何查询信用？", "13812345678", true),
        )
        .await;
        assert_eq!(status, 200, "{t}");
    }
    let (status, t) = call(
        &c,
        &base,
        "help/consult_submit",
        question("请问如何查询信用？", "13812345678", true),
    )
    .await;
    assert_eq!(status, 429);
    assert!(t.contains("RateLimited"), "{t}");
    // Without JavaScript: back to the form, which says why in Chinese.
    let token = common::csrf_token(&c, &base).await;
    let r = c
        .post(format!("{base}/api/help/consult_submit"))
        .header("content-type", FORM)
        .header("accept", "text/html")
        .header("referer", format!("{base}/help/consult"))
        .body(format!(
            "{}&csrf_token={token}",
            question("请问如何查询信用？", "13812345678", true)
        ))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_redirection(), "{}", r.status());
    let location = r.headers()["location"].to_str().unwrap().to_string();
    assert!(location.contains("/help/consult"), "{location}");
    let url = if location.starts_with("http") {
        location
    } else {
        format!("{base}{location}")
    };
    let (_, html) = get(&c, url).await;
    assert!(html.contains("请求过于频繁，请稍后再试"), "{html}");
}

async fn open_alarm(state: &AppState, key: &str) -> bool {
    let n: i64 =
        sqlx::query("SELECT COUNT(*) FROM alarms WHERE alarm_key = $1 AND status <> 'resolved'")
            .bind(key)
            .fetch_one(&state.db.pool)
            .await
            .unwrap()
            .get(0);
    n > 0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unanswered_consultation_raises_an_alarm_after_five_working_days_skipping_a_holiday() {
    let (state, base) = seeded(&[]).await;
    use app::help::service::due;
    // Received on Monday 2026-12-07 at 10:00 in Beijing; Wednesday the 9th is made a holiday.
    state.clock.set(datetime!(2026-12-07 02:00 UTC)).unwrap();
    sqlx::query(
        "INSERT INTO holidays (day, kind, name) VALUES ('2026-12-09', 'holiday', '测试假日')",
    )
    .execute(&state.db.pool)
    .await
    .unwrap();
    let c = common::client();
    let (status, t) = call(
        &c,
        &base,
        "help/consult_submit",
        question("请问信用修复需要多长时间？", "13812345678", true),
    )
    .await;
    assert_eq!(status, 200, "{t}");
    let done: serde_json::Value = serde_json::from_str(&t).unwrap();
    // Tue 8, Thu 10, Fri 11, Mon 14, Tue 15: five working days without the holiday.
    assert_eq!(done["due_on"], "2026-12-15");
    let id = public_id_of(&state, done["code"].as_str().unwrap()).await;
    let (soon, overdue) = (format!("help.due_soon:{id}"), format!("help.overdue:{id}"));
    // The demo's own consultations are answered or not yet due at this date… or later overdue: only
    // this one is looked at.
    let step = |at| {
        let state = state.clone();
        async move {
            state.clock.set(at).unwrap();
            due::scan(&state).await.unwrap();
        }
    };
    step(datetime!(2026-12-11 02:00 UTC)).await;
    assert!(!open_alarm(&state, &soon).await && !open_alarm(&state, &overdue).await);
    // Monday 14th: due the next working day, the reminder.
    step(datetime!(2026-12-14 02:00 UTC)).await;
    assert!(open_alarm(&state, &soon).await);
    assert!(!open_alarm(&state, &overdue).await);
    // Tuesday 15th: due today, still not overdue (without the holiday it would be).
    step(datetime!(2026-12-15 09:00 UTC)).await;
    assert!(!open_alarm(&state, &overdue).await);
    // Wednesday 16th: overdue; the reminder gives way to the alarm, and the health board fails it.
    step(datetime!(2026-12-16 02:00 UTC)).await;
    assert!(open_alarm(&state, &overdue).await);
    assert!(!open_alarm(&state, &soon).await);
    let board = app::cms::service::health::board(&state).await.unwrap();
    assert!(
        board
            .problems
            .iter()
            .any(|p| p.key == "cms.health.consult_overdue"
                && p.level == app::cms::health::Level::Error),
        "{:?}",
        board.problems
    );
    let operator = common::client();
    common::login_demo(&operator, &base, "operator").await;
    let (_, list) = call(
        &operator,
        &base,
        "help/consults",
        "page=1&filter[overdue]=1".into(),
    )
    .await;
    assert!(list.contains(&id), "the overdue filter lists it: {list}");
    let (status, t) = call(
        &operator,
        &base,
        "help/consult_answer",
        format!(
            "id={id}&answer={}",
            enc("您好，一般在受理后 3 个工作日内办结。")
        ),
    )
    .await;
    assert_eq!(status, 200, "{t}");
    // Answered: the alarm is resolved at once, and the scan leaves it so.
    assert!(!open_alarm(&state, &overdue).await);
    due::scan(&state).await.unwrap();
    assert!(!open_alarm(&state, &overdue).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_consultations_fail_no_inspection_rule() {
    let (state, base) = seeded(&[]).await;
    let board = app::cms::service::health::board(&state).await.unwrap();
    assert!(
        !board
            .problems
            .iter()
            .any(|p| p.key.starts_with("cms.health.consult")),
        "{:?}",
        board.problems
    );
    let (status, html) = get(&common::client(), format!("{base}/help/qa")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("经营异常名录"),
        "published demo answers: {html}"
    );
    let n: i64 = sqlx::query("SELECT COUNT(*) FROM consultations")
        .fetch_one(&state.db.pool)
        .await
        .unwrap()
        .get(0);
    assert!(n >= 6);
}
