//! Training (培训) over HTTP, on the backend `TEST_DATABASE` names: the operator creates a repair
//! training, registers people and signs them in; each gets a unique certificate number once. A clerk
//! may not manage sessions. The form's problems come back per field, in Chinese. The sign-in list
//! downloads as XLSX (phones masked), and the public page lists what is coming and the materials.
// Test code: a panic here is a failing test (clippy.toml allows these lints in #[test] functions;
// the helpers of an integration test crate are test code as well).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
// Long scenario tests read top to bottom, one step after the other.
#![allow(clippy::too_many_lines)]
mod common;
use app::server::AppState;
use server::seed::{seed_demo, SeedOptions};
use sqlx::Row;

const FORM: &str = "application/x-www-form-urlencoded";

fn enc(s: &str) -> String {
    app::ui::url::encode(s)
}

async fn seeded() -> (AppState, String) {
    let url = common::fresh_database_url().await;
    let state = common::state_for(&url, app::server::clock::Clock::adjustable()).await;
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

async fn signed_in(base: &str, user: &str) -> reqwest::Client {
    let c = common::client();
    common::login_demo(&c, base, user).await;
    c
}

fn session_form(title: &str, kind: &str, date: &str) -> String {
    format!(
        "title={}&kind={kind}&date={date}&time=09:30&place={}&department=&capacity=30&status=",
        enc(title),
        enc("湘西州政务服务中心三楼会议室")
    )
}

/// Creates a session as the operator; answers its id.
async fn create(op: &reqwest::Client, base: &str, title: &str, kind: &str, date: &str) -> String {
    let (status, t) = call(
        op,
        base,
        "training/session_save",
        session_form(title, kind, date),
    )
    .await;
    assert_eq!(status, 200, "{t}");
    serde_json::from_str(&t).unwrap()
}

async fn add(
    op: &reqwest::Client,
    base: &str,
    session: &str,
    name: &str,
    uscc: &str,
    phone: &str,
) -> String {
    let (status, t) = call(
        op,
        base,
        "training/attendee_add",
        format!(
            "session={session}&name={}&organisation={}&uscc={uscc}&phone={phone}",
            enc(name),
            enc("吉首市武陵商贸有限公司")
        ),
    )
    .await;
    assert_eq!(status, 200, "{t}");
    serde_json::from_str(&t).unwrap()
}

fn in_days(state: &AppState, n: i64) -> String {
    state.clock.today().add_days(n).iso()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_issues_a_unique_certificate_number_once() {
    let (state, base) = seeded().await;
    let op = signed_in(&base, "operator").await;
    let date = in_days(&state, 5);
    let session = create(&op, &base, "信用修复专题培训（测试）", "repair", &date).await;

    // A repair training's attendee names the subject by USCC; the phone must be a phone.
    let (status, t) = call(
        &op,
        &base,
        "training/attendee_add",
        format!("session={session}&name=&organisation=&uscc=&phone=12345"),
    )
    .await;
    assert_eq!(status, 422, "{t}");
    for message in [
        "请填写姓名",
        "请填写单位名称",
        "统一社会信用代码",
        "正确的手机号码",
    ] {
        assert!(t.contains(message), "{message}: {t}");
    }

    let first = add(
        &op,
        &base,
        &session,
        "向明",
        "91433101MA4L123461",
        "13907431234",
    )
    .await;
    let second = add(
        &op,
        &base,
        &session,
        "彭红",
        "91433123MA4P67893P",
        "0743-8221234",
    )
    .await;
    let sealed: String =
        sqlx::query("SELECT phone_enc FROM training_attendees WHERE public_id = $1")
            .bind(&first)
            .fetch_one(&state.db.pool)
            .await
            .unwrap()
            .get(0);
    assert_eq!(state.secrets.decrypt_id(&sealed).unwrap(), "13907431234");

    let (status, t) = call(&op, &base, "training/sign_in", format!("id={first}")).await;
    assert_eq!(status, 200, "{t}");
    let no1: Option<String> = serde_json::from_str(&t).unwrap();
    let no1 = no1.expect("a repair training issues a certificate number");
    assert!(
        no1.starts_with(&format!("XXPX-{}-", state.clock.today().year)),
        "{no1}"
    );
    let (status, t) = call(&op, &base, "training/sign_in", format!("id={second}")).await;
    assert_eq!(status, 200, "{t}");
    let no2: Option<String> = serde_json::from_str(&t).unwrap();
    let no2 = no2.unwrap();
    assert_ne!(no1, no2);

    // Once: signing in again is refused and the number stays.
    let (status, t) = call(&op, &base, "training/sign_in", format!("id={first}")).await;
    assert_eq!(status, 409, "{t}");
    assert!(t.contains("已签到"), "{t}");
    let stored: Option<String> =
        sqlx::query("SELECT certificate_no FROM training_attendees WHERE public_id = $1")
            .bind(&first)
            .fetch_one(&state.db.pool)
            .await
            .unwrap()
            .get(0);
    assert_eq!(stored.as_deref(), Some(no1.as_str()));
    let numbers: i64 = sqlx::query(
        "SELECT COUNT(DISTINCT certificate_no) FROM training_attendees WHERE certificate_no IS NOT NULL",
    )
    .fetch_one(&state.db.pool)
    .await
    .unwrap()
    .get(0);
    assert_eq!(
        numbers, 5,
        "three from the demo training and two here, all different"
    );

    // A platform training issues none.
    let platform = create(&op, &base, "平台使用培训（测试）", "platform", &date).await;
    let p = add(&op, &base, &platform, "田丽", "", "15874321096").await;
    let (status, t) = call(&op, &base, "training/sign_in", format!("id={p}")).await;
    assert_eq!(status, 200, "{t}");
    assert_eq!(serde_json::from_str::<Option<String>>(&t).unwrap(), None);

    // The detail shows the masked phone only.
    let (status, t) = call(&op, &base, "training/session", format!("id={session}")).await;
    assert_eq!(status, 200, "{t}");
    assert!(
        t.contains("139****1234") && !t.contains("13907431234"),
        "{t}"
    );
    assert!(t.contains(&no1));

    // Every change is audited.
    for (action, object) in [
        ("training.session.create", session.as_str()),
        ("training.attendee.add", session.as_str()),
        ("training.sign_in", first.as_str()),
    ] {
        let n: i64 =
            sqlx::query("SELECT COUNT(*) FROM audit_events WHERE action = $1 AND object_id = $2")
                .bind(action)
                .bind(object)
                .fetch_one(&state.db.pool)
                .await
                .unwrap()
                .get(0);
        assert!(n >= 1, "{action} audited");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_are_checked_in_chinese_and_only_the_operator_manages_them() {
    let (state, base) = seeded().await;
    let op = signed_in(&base, "operator").await;
    let (status, t) = call(
        &op,
        &base,
        "training/session_save",
        "title=&kind=x&date=2026-13-01&time=25:00&place=&capacity=0".into(),
    )
    .await;
    assert_eq!(status, 422, "{t}");
    for message in [
        "请填写培训名称",
        "请选择培训类别",
        "正确的培训日期",
        "正确的开始时间",
        "请填写培训地点",
        "名额须为 1 到 2000",
    ] {
        assert!(t.contains(message), "{message}: {t}");
    }

    let clerk = signed_in(&base, "clerk").await;
    let date = in_days(&state, 3);
    for (endpoint, body) in [
        ("training/sessions", String::new()),
        (
            "training/session_save",
            session_form("越权培训", "platform", &date),
        ),
    ] {
        let (status, t) = call(&clerk, &base, endpoint, body).await;
        assert_eq!(status, 403, "{endpoint} as clerk: {t}");
    }
    let n: i64 = sqlx::query("SELECT COUNT(*) FROM training_sessions WHERE title = $1")
        .bind("越权培训")
        .fetch_one(&state.db.pool)
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 0);

    // Editing: the operator cancels a session; the public page no longer lists it.
    let id = create(&op, &base, "数据报送培训（测试）", "submission", &date).await;
    let c = common::client();
    let html = c
        .get(format!("{base}/help/training"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("数据报送培训（测试）"));
    assert!(
        html.contains("湘西州公共信用信息平台使用及双公示数据报送培训"),
        "the demo session"
    );
    assert!(html.contains("信用修复培训讲义"), "the demo materials");
    assert!(
        !html.contains("信用修复专题培训（第四期）"),
        "a past session is not listed"
    );
    let (status, t) = call(
        &op,
        &base,
        "training/session_save",
        format!(
            "id={id}&{}",
            session_form("数据报送培训（测试）", "submission", &date)
        )
        .replace("status=", "status=cancelled"),
    )
    .await;
    assert_eq!(status, 200, "{t}");
    let html = c
        .get(format!("{base}/help/training"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains("数据报送培训（测试）"));
    let p = call(
        &op,
        &base,
        "training/attendee_add",
        format!("session={id}&name=x&organisation=y&phone=13907431234"),
    )
    .await;
    assert_eq!(p.0, 409, "a cancelled training takes no one: {}", p.1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sign_in_list_downloads_as_xlsx() {
    use calamine::Reader;
    let (state, base) = seeded().await;
    let op = signed_in(&base, "operator").await;
    let session = create(
        &op,
        &base,
        "信用修复培训（导出）",
        "repair",
        &in_days(&state, 2),
    )
    .await;
    let a = add(
        &op,
        &base,
        &session,
        "龙芳",
        "91433122MA4Q24683T",
        "18974367821",
    )
    .await;
    let (status, t) = call(&op, &base, "training/sign_in", format!("id={a}")).await;
    assert_eq!(status, 200, "{t}");
    let no: Option<String> = serde_json::from_str(&t).unwrap();

    let export = |c: reqwest::Client| {
        let base = base.clone();
        let session = session.clone();
        async move {
            let token = common::csrf_token(&c, &base).await;
            let body: String = form_urlencoded::Serializer::new(String::new())
                .append_pair("csrf_token", &token)
                .append_pair("session", &session)
                .finish();
            c.post(format!("{base}/console/export/training.xlsx"))
                .header("accept", "text/html")
                .header("content-type", FORM)
                .body(body)
                .send()
                .await
                .unwrap()
        }
    };
    let r = export(op.clone()).await;
    assert_eq!(r.status(), 200);
    let bytes = r.bytes().await.unwrap();
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    assert_eq!(book.sheet_names(), vec!["签到表".to_string()]);
    let rows: Vec<Vec<String>> = book
        .worksheet_range("签到表")
        .unwrap()
        .rows()
        .map(|r| r.iter().map(ToString::to_string).collect())
        .collect();
    assert_eq!(
        rows[0],
        [
            "姓名",
            "单位",
            "统一社会信用代码",
            "联系电话",
            "签到时间",
            "证书编号"
        ]
    );
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[1][0], "龙芳");
    assert_eq!(rows[1][2], "91433122MA4Q24683T");
    assert_eq!(rows[1][3], "189****7821");
    assert!(!rows[1][4].is_empty());
    assert_eq!(Some(rows[1][5].clone()), no);

    let clerk = signed_in(&base, "clerk").await;
    assert_eq!(
        export(clerk).await.status(),
        403,
        "the clerk may not export"
    );
}
