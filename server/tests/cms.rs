//! The CMS over HTTP: the editor → reviewer → publisher journey with scheduling on a controllable
//! clock, the four-eyes rules, optimistic locking, revisions, the pre-publication check, and uploads.
mod common;
use app::server::AppState;
use serde_json::{json, Value};
use server::seed::{seed_demo, SeedOptions};

async fn start() -> (AppState, String) {
    let state = common::fresh_state().await;
    let opts = SeedOptions {
        subjects: 10,
        seed: 3,
        as_of: state.clock.today(),
    };
    seed_demo(&state, &opts, |_, _| {}).await.expect("seed");
    let base = common::serve(state.clone()).await;
    (state, base)
}

async fn as_user(base: &str, user: &str) -> reqwest::Client {
    let c = common::client();
    common::login_demo(&c, base, user).await;
    c
}

fn content(title: &str, body: &str) -> Value {
    json!({
        "title": title, "subtitle": "", "columns": ["notice"], "source": "湘西州信用办", "author": "张三",
        "cover": null, "cover_alt": "", "summary": "摘要", "body_html": body, "tags": ["信用"],
        "attachments": [], "headline": false
    })
}

/// Saves; answers (status, body).
async fn save(
    c: &reqwest::Client,
    base: &str,
    id: Option<&str>,
    version: i64,
    content: Value,
) -> (u16, Value) {
    let r = c
        .post(format!("{base}/api/cms/article_save"))
        .json(&json!({ "save": { "public_id": id, "version": version, "content": content } }))
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn post_form(
    c: &reqwest::Client,
    base: &str,
    endpoint: &str,
    form: &[(&str, &str)],
) -> (u16, String) {
    let body: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish();
    let r = c
        .post(format!("{base}/api/{endpoint}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn mv(
    c: &reqwest::Client,
    base: &str,
    id: &str,
    t: &str,
    comment: &str,
    at: &str,
) -> (u16, String) {
    post_form(
        c,
        base,
        "cms/article_move",
        &[
            ("id", id),
            ("transition", t),
            ("comment", comment),
            ("publish_at", at),
        ],
    )
    .await
}

async fn detail(c: &reqwest::Client, base: &str, id: &str) -> Value {
    let (status, text) = post_form(c, base, "cms/article", &[("id", id)]).await;
    assert_eq!(status, 200, "{text}");
    serde_json::from_str(&text).unwrap()
}

async fn portal(base: &str, path: &str) -> (u16, String) {
    let r = reqwest::get(format!("{base}{path}")).await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn draft_review_schedule_publish_unpublish() {
    let (state, base) = start().await;
    let (editor, reviewer, publisher) = (
        as_user(&base, "editor").await,
        as_user(&base, "reviewer").await,
        as_user(&base, "publisher").await,
    );
    // 1. The editor drafts.
    let (status, saved) = save(
        &editor,
        &base,
        None,
        0,
        content("关于信用承诺工作的通知", "<p>第一稿</p>"),
    )
    .await;
    assert_eq!(status, 200, "{saved}");
    let id = saved[0].as_str().unwrap().to_string();
    assert_eq!(saved[1], 1);
    // The editor may not approve (no such permission), nor can anyone approve a draft.
    assert_eq!(mv(&editor, &base, &id, "approve", "", "").await.0, 403);
    assert_eq!(mv(&editor, &base, &id, "submit", "", "").await.0, 200);
    // 2. The reviewer sends it back, with a reason.
    let (status, text) = mv(&reviewer, &base, &id, "request_changes", "", "").await;
    assert_eq!(status, 422, "a reason is required: {text}");
    assert_eq!(
        mv(
            &reviewer,
            &base,
            &id,
            "request_changes",
            "第二段请补充办理时限",
            ""
        )
        .await
        .0,
        200
    );
    let d = detail(&editor, &base, &id).await;
    assert_eq!(d["status"], "Draft");
    assert_eq!(d["events"][0]["comment"], "第二段请补充办理时限");
    // 3. The editor edits and resubmits.
    let (status, saved) = save(
        &editor,
        &base,
        Some(&id),
        1,
        content(
            "关于信用承诺工作的通知",
            "<p>第二稿，办理时限为5个工作日</p>",
        ),
    )
    .await;
    assert_eq!((status, saved[1].as_i64()), (200, Some(2)));
    assert_eq!(mv(&editor, &base, &id, "submit", "", "").await.0, 200);
    // 4. The reviewer approves; the reviewer may not publish.
    assert_eq!(
        mv(&reviewer, &base, &id, "approve", "同意", "").await.0,
        200
    );
    assert_eq!(mv(&reviewer, &base, &id, "publish", "", "").await.0, 403);
    // 5. The publisher schedules it an hour ahead (Beijing time as the form sends it).
    let at = (state.clock.now() + time::Duration::hours(9))
        .format(&time::macros::format_description!(
            "[year]-[month]-[day]T[hour]:[minute]"
        ))
        .unwrap();
    let (status, text) = mv(&publisher, &base, &id, "schedule", "", &at).await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(detail(&publisher, &base, &id).await["status"], "Scheduled");
    assert_eq!(
        portal(&base, &format!("/article/{id}")).await.0,
        404,
        "not public before its time"
    );
    let ran = app::cms::service::schedule::run_due(&state).await.unwrap();
    assert_eq!(ran.published, 0);
    // 6. The clock passes; the job publishes it, once.
    state.clock.advance(time::Duration::hours(2)).unwrap();
    let ran = app::cms::service::schedule::run_due(&state).await.unwrap();
    assert_eq!(ran.published, 1);
    assert_eq!(
        app::cms::service::schedule::run_due(&state)
            .await
            .unwrap()
            .published,
        0,
        "idempotent"
    );
    let (status, page) = portal(&base, &format!("/article/{id}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("第二稿，办理时限为5个工作日"));
    assert!(
        portal(&base, "/")
            .await
            .1
            .contains(&format!("/article/{id}")),
        "on the home page"
    );
    assert!(portal(&base, "/column/notice")
        .await
        .1
        .contains("关于信用承诺工作的通知"));
    // An edit of the published article goes back to draft; the portal keeps the published text.
    let publisher = as_user(&base, "publisher").await; // the clock moved past the session's idle limit
    let editor = as_user(&base, "editor").await;
    let (status, _) = save(
        &editor,
        &base,
        Some(&id),
        2,
        content("关于信用承诺工作的通知（修订）", "<p>第三稿</p>"),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(detail(&editor, &base, &id).await["status"], "Draft");
    let (_, page) = portal(&base, &format!("/article/{id}")).await;
    assert!(
        page.contains("第二稿") && !page.contains("第三稿"),
        "the draft is not public"
    );
    // 7. The publisher takes it down: gone from the portal, the draft keeps its state.
    let (status, text) = mv(&publisher, &base, &id, "unpublish", "", "").await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(portal(&base, &format!("/article/{id}")).await.0, 404);
    assert!(!portal(&base, "/column/notice")
        .await
        .1
        .contains("关于信用承诺工作的通知"));
    // History and audit record every move.
    let d = detail(&publisher, &base, &id).await;
    let actions: Vec<&str> = d["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "unpublish",
            "edit",
            "scheduled_publish",
            "schedule",
            "approve",
            "submit",
            "request_changes",
            "submit",
            "create"
        ]
    );
    let audited: i64 = sqlx::Row::try_get(
        &sqlx::query("SELECT COUNT(*) FROM audit_events WHERE object_id = $1 AND action LIKE 'cms.article.%'")
            .bind(&id)
            .fetch_one(&state.db.pool)
            .await
            .unwrap(),
        0,
    )
    .unwrap();
    assert_eq!(
        audited, 10,
        "create, save ×2, 6 moves and the scheduled publication"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_eyes_locking_revisions_and_the_word_check() {
    let (state, base) = start().await;
    let editor = as_user(&base, "editor").await;
    // Someone who is both editor and reviewer still cannot approve her own article.
    let both = common::client();
    let r = both
        .post(format!("{base}/__test/user"))
        .json(&json!({ "username": "both", "role": "cms_editor" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    sqlx::query("INSERT INTO user_roles (user_id, role_code, granted_at) SELECT id, 'cms_reviewer', '2026-01-01' FROM users WHERE username = 'both'")
        .execute(&state.db.pool)
        .await
        .unwrap();
    common::login_demo(&both, &base, "both").await;
    let (_, saved) = save(&both, &base, None, 0, content("本人稿件", "<p>正文</p>")).await;
    let own = saved[0].as_str().unwrap().to_string();
    assert_eq!(mv(&both, &base, &own, "submit", "", "").await.0, 200);
    let (status, text) = mv(&both, &base, &own, "approve", "", "").await;
    assert_eq!(status, 409);
    assert!(text.contains("不能审核自己"), "{text}");

    // Two editors save the same version: the second gets a conflict, nothing is overwritten.
    let (_, saved) = save(
        &editor,
        &base,
        None,
        0,
        content("共同编辑的稿件", "<p>原文</p>"),
    )
    .await;
    let id = saved[0].as_str().unwrap().to_string();
    let (status, _) = save(
        &editor,
        &base,
        Some(&id),
        1,
        content("共同编辑的稿件", "<p>甲的修改</p>"),
    )
    .await;
    assert_eq!(status, 200);
    let (status, body) = save(
        &both,
        &base,
        Some(&id),
        1,
        content("共同编辑的稿件", "<p>乙的修改</p>"),
    )
    .await;
    assert_eq!(status, 409);
    assert!(body.to_string().contains("保存冲突"), "{body}");
    let d = detail(&editor, &base, &id).await;
    assert_eq!(d["version"], 2);
    assert!(d["content"]["body_html"]
        .as_str()
        .unwrap()
        .contains("甲的修改"));

    // Revisions: field-level diff, and restoring makes a new draft version.
    let (status, text) = post_form(
        &editor,
        &base,
        "cms/article_diff",
        &[("id", &id), ("from", "1"), ("to", "2")],
    )
    .await;
    assert_eq!(status, 200);
    let diff: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(diff.as_array().unwrap().len(), 1);
    assert_eq!(diff[0]["label"], "正文");
    assert_eq!(
        (diff[0]["before"].as_str(), diff[0]["after"].as_str()),
        (Some("原文"), Some("甲的修改"))
    );
    let (status, text) = post_form(
        &editor,
        &base,
        "cms/article_restore",
        &[("id", &id), ("version", "1")],
    )
    .await;
    assert_eq!(status, 200, "{text}");
    let d = detail(&editor, &base, &id).await;
    assert_eq!(d["version"], 3);
    assert!(d["content"]["body_html"].as_str().unwrap().contains("原文"));
    assert_eq!(d["revisions"].as_array().unwrap().len(), 3);

    // The sensitive-word list blocks publication; a phone number in the text blocks it too.
    sqlx::query("INSERT INTO sensitive_words (word, level, created_at) VALUES ('违禁词', 'block', '2026-01-01')")
        .execute(&state.db.pool)
        .await
        .unwrap();
    let (_, saved) = save(
        &editor,
        &base,
        None,
        0,
        content("含有违禁词的稿件", "<p>正文有违禁词。</p>"),
    )
    .await;
    let bad = saved[0].as_str().unwrap().to_string();
    let reviewer = as_user(&base, "reviewer").await;
    let publisher = as_user(&base, "publisher").await;
    mv(&editor, &base, &bad, "submit", "", "").await;
    assert_eq!(mv(&reviewer, &base, &bad, "approve", "", "").await.0, 200);
    let (status, text) = mv(&publisher, &base, &bad, "publish", "", "").await;
    assert_eq!(status, 422);
    assert!(text.contains("违禁词"), "{text}");
    assert_eq!(portal(&base, &format!("/article/{bad}")).await.0, 404);
    let (status, text) = post_form(&editor, &base, "cms/article_checks", &[("id", &bad)]).await;
    assert_eq!(status, 200);
    assert!(text.contains("SENSITIVE_BLOCK"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploads_are_accepted_by_content_only() {
    let (_state, base) = start().await;
    let c = common::client();
    // The login page sets the CSRF cookie and renders its token.
    let html = c
        .get(format!("{base}/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = html
        .split("name=\"csrf_token\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    common::login_demo(&c, &base, "editor").await;
    let upload = |name: &'static str, bytes: Vec<u8>, token: String| {
        let c = c.clone();
        let base = base.clone();
        async move {
            let form = reqwest::multipart::Form::new()
                .text("csrf_token", token)
                .part(
                    "file",
                    reqwest::multipart::Part::bytes(bytes).file_name(name),
                );
            let r = c
                .post(format!("{base}/console/cms/upload"))
                .multipart(form)
                .send()
                .await
                .unwrap();
            (
                r.status().as_u16(),
                r.json::<Value>().await.unwrap_or(Value::Null),
            )
        }
    };
    let (status, body) = upload(
        "通知.pdf",
        b"MZ\x90\x00\x03\x00\x00\x00 this is a program".to_vec(),
        token.clone(),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["fields"][0]["code"], "UPLOAD_REFUSED");
    assert!(body["error"]["fields"][0]["message"]
        .as_str()
        .unwrap()
        .contains("可执行"));
    let (status, _) = upload("a.pdf", b"%PDF-1.4 x".to_vec(), "0".repeat(64)).await;
    assert_eq!(status, 403, "a wrong CSRF token is refused");
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec();
    let (status, body) = upload("图片.png", png.clone(), token.clone()).await;
    assert_eq!(status, 200, "{body}");
    let file = body["file"].as_str().unwrap().to_string();
    assert!(file.ends_with(".png") && file.len() == 68);
    let r = reqwest::get(format!("{base}/files/{file}")).await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(r.bytes().await.unwrap().as_ref(), png.as_slice());
    // The same content again is the same stored file.
    let (_, again) = upload("另一个名字.png", png, token).await;
    assert_eq!(again["file"], file.as_str());
    // Without the editor's permission: refused.
    let reviewer = as_user(&base, "reviewer").await;
    let r = reviewer
        .post(format!("{base}/console/cms/upload"))
        .multipart(reqwest::multipart::Form::new().text("csrf_token", "x"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}
