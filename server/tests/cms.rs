//! The CMS over HTTP: the editor → reviewer → publisher journey with scheduling on a controllable
//! clock, the four-eyes rules, optimistic locking, revisions, the pre-publication check, and uploads.
// Test code: a panic here is a failing test (clippy.toml allows these lints in #[test] functions;
// the helpers of an integration test crate are test code as well).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
// Long scenario tests read top to bottom, one step after the other.
#![allow(clippy::too_many_lines)]
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

async fn mv(
    c: &reqwest::Client,
    base: &str,
    id: &str,
    t: &str,
    comment: &str,
    at: &str,
) -> (u16, String) {
    common::post_form(
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
    let (status, text) = common::post_form(c, base, "cms/article", &[("id", id)]).await;
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
    let (status, text) = common::post_form(
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
    let (status, text) = common::post_form(
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
    let (status, text) =
        common::post_form(&editor, &base, "cms/article_checks", &[("id", &bad)]).await;
    assert_eq!(status, 200);
    assert!(text.contains("SENSITIVE_BLOCK"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploads_are_accepted_by_content_only() {
    let (_state, base) = start().await;
    let c = common::client();
    // The login page sets the CSRF cookie and renders its token.
    let token = common::csrf_token(&c, &base).await;
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
    let (_, again) = upload("另一个名字.png", png, token.clone()).await;
    assert_eq!(again["file"], file.as_str());
    // A training video (MP4, by its `ftyp` box) downloads as an attachment and in ranges.
    let mut mp4 = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41".to_vec();
    mp4.extend((0..4000u32).map(|i| (i % 251) as u8));
    let (status, body) = upload("培训视频.mp4", mp4.clone(), token).await;
    assert_eq!(status, 200, "{body}");
    let video = body["file"].as_str().unwrap().to_string();
    assert!(video.ends_with(".mp4"));
    let r = common::plain_client()
        .get(format!("{base}/files/{video}?name=培训视频.mp4"))
        .header("range", "bytes=100-199")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 206);
    assert_eq!(r.headers()["content-type"], "video/mp4");
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment;"));
    assert_eq!(r.bytes().await.unwrap().as_ref(), &mp4[100..200]);
    let missing = reqwest::get(format!("{base}/files/{}.mp4", "0".repeat(64)))
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
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

/// An approved article (the editor writes and submits it, the reviewer approves); returns its id.
async fn approved_article(
    editor: &reqwest::Client,
    reviewer: &reqwest::Client,
    base: &str,
    title: &str,
    body: &str,
) -> String {
    let (status, saved) = save(editor, base, None, 0, content(title, body)).await;
    assert_eq!(status, 200, "{saved}");
    let id = saved[0].as_str().unwrap().to_string();
    assert_eq!(mv(editor, base, &id, "submit", "", "").await.0, 200);
    assert_eq!(mv(reviewer, base, &id, "approve", "同意", "").await.0, 200);
    id
}

async fn release_change(
    c: &reqwest::Client,
    base: &str,
    id: &str,
    change: &str,
    article: &str,
    at: &str,
) -> (u16, String) {
    common::post_form(
        c,
        base,
        "cms/release_change",
        &[
            ("id", id),
            ("change", change),
            ("article", article),
            ("publish_at", at),
        ],
    )
    .await
}

/// A release publishes all its articles at once, or none of them, and can be scheduled.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn releases_publish_all_or_nothing() {
    let (state, base) = start().await;
    let (editor, reviewer, publisher) = (
        as_user(&base, "editor").await,
        as_user(&base, "reviewer").await,
        as_user(&base, "publisher").await,
    );
    let a = approved_article(
        &editor,
        &reviewer,
        &base,
        "专题一：信用修复指引",
        "<p>修复流程</p>",
    )
    .await;
    let b = approved_article(
        &editor,
        &reviewer,
        &base,
        "专题二：信用承诺指引",
        "<p>承诺事项违禁词甲</p>",
    )
    .await;
    let (status, draft) = save(
        &editor,
        &base,
        None,
        0,
        content("未审核的稿件", "<p>草稿</p>"),
    )
    .await;
    assert_eq!(status, 200);
    let draft = draft[0].as_str().unwrap().to_string();

    // Only a publisher makes releases.
    assert_eq!(
        common::post_form(&editor, &base, "cms/release_create", &[("name", "专题")])
            .await
            .0,
        403
    );
    let (status, text) =
        common::post_form(&publisher, &base, "cms/release_create", &[("name", "")]).await;
    assert_eq!(status, 422, "a name is required: {text}");
    let (status, text) = common::post_form(
        &publisher,
        &base,
        "cms/release_create",
        &[("name", "诚信宣传月专题")],
    )
    .await;
    assert_eq!(status, 200, "{text}");
    let rel: String = serde_json::from_str(&text).unwrap();
    assert_eq!(
        release_change(&publisher, &base, &rel, "add", &a, "")
            .await
            .0,
        200
    );
    assert_eq!(
        release_change(&publisher, &base, &rel, "add", &b, "")
            .await
            .0,
        200
    );
    let (status, text) = release_change(&publisher, &base, &rel, "add", &draft, "").await;
    assert_eq!(status, 409, "a draft cannot join: {text}");
    assert!(text.contains("还没有审核通过"), "{text}");

    // A blocking word in one article stops the whole release, and the message names it.
    sqlx::query(
        "INSERT INTO sensitive_words (word, level, created_at) VALUES ('违禁词甲', 'block', $1)",
    )
    .bind(state.clock.now_text())
    .execute(&state.db.pool)
    .await
    .unwrap();
    let (status, text) = release_change(&publisher, &base, &rel, "publish", "", "").await;
    assert_eq!(status, 422, "{text}");
    assert!(text.contains("专题二：信用承诺指引"), "{text}");
    assert_eq!(
        portal(&base, &format!("/article/{a}")).await.0,
        404,
        "none went out"
    );
    assert_eq!(detail(&publisher, &base, &a).await["status"], "Approved");

    // Without the word, both go out together.
    sqlx::query("DELETE FROM sensitive_words WHERE word = '违禁词甲'")
        .execute(&state.db.pool)
        .await
        .unwrap();
    let (status, text) = release_change(&publisher, &base, &rel, "publish", "", "").await;
    assert_eq!(status, 200, "{text}");
    for id in [&a, &b] {
        assert_eq!(portal(&base, &format!("/article/{id}")).await.0, 200);
        assert_eq!(
            detail(&publisher, &base, id).await["events"][0]["action"],
            "publish"
        );
    }
    let (_, text) = common::post_form(&publisher, &base, "cms/release", &[("id", &rel)]).await;
    let d: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(d["release"]["status"], "published");
    assert_eq!(
        release_change(&publisher, &base, &rel, "cancel", "", "")
            .await
            .0,
        409
    );

    // A scheduled release goes out when its time comes, once.
    let c = approved_article(&editor, &reviewer, &base, "专题三：定时发布", "<p>正文</p>").await;
    let (_, text) = common::post_form(
        &publisher,
        &base,
        "cms/release_create",
        &[("name", "定时专题")],
    )
    .await;
    let later: String = serde_json::from_str(&text).unwrap();
    assert_eq!(
        release_change(&publisher, &base, &later, "add", &c, "")
            .await
            .0,
        200
    );
    let at = (state.clock.now() + time::Duration::hours(9))
        .format(&time::macros::format_description!(
            "[year]-[month]-[day]T[hour]:[minute]"
        ))
        .unwrap();
    let (status, text) = release_change(&publisher, &base, &later, "schedule", "", &at).await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(
        app::cms::service::releases::run_due(&state).await.unwrap(),
        0
    );
    assert_eq!(portal(&base, &format!("/article/{c}")).await.0, 404);
    state.clock.advance(time::Duration::hours(2)).unwrap();
    assert_eq!(
        app::cms::service::releases::run_due(&state).await.unwrap(),
        1
    );
    assert_eq!(
        app::cms::service::releases::run_due(&state).await.unwrap(),
        0,
        "once"
    );
    assert_eq!(portal(&base, &format!("/article/{c}")).await.0, 200);
    let audited: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE action LIKE 'cms.release.%'")
            .fetch_one(&state.db.pool)
            .await
            .unwrap();
    // Created twice, 3 articles added, published once (the refused attempt rolled back), scheduled once.
    assert_eq!(audited, 7);
}

/// A saved version previews through the portal's article component, to staff only.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn preview_shows_a_version_as_the_portal_will() {
    let (_state, base) = start().await;
    let editor = as_user(&base, "editor").await;
    let (_, saved) = save(
        &editor,
        &base,
        None,
        0,
        content("预览测试", "<p>第一版正文</p><img src=x onerror=alert(1)>"),
    )
    .await;
    let id = saved[0].as_str().unwrap().to_string();
    let (status, page) = {
        let r = editor
            .get(format!("{base}/console/preview/{id}/1"))
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    };
    assert_eq!(status, 200);
    assert!(page.contains("<h1 id=\"article-title\">预览测试<") && page.contains("第一版正文"));
    assert!(!page.contains("onerror"), "sanitised as on the portal");
    let (status, text) = common::post_form(
        &reqwest::Client::new(),
        &base,
        "cms/article_preview",
        &[("id", &id), ("version", "1")],
    )
    .await;
    assert_eq!(status, 401, "not for the public: {text}");
}

/// Columns and words are managed by the credit office; the health board and its alarms follow the
/// inspection rules; the crawler finds broken links through the router.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn site_administration_health_board_and_link_crawler() {
    let (state, base) = start().await;
    let (editor, operator) = (
        as_user(&base, "editor").await,
        as_user(&base, "operator").await,
    );
    let column = [
        ("original", ""),
        ("code", "county-news"),
        ("name", "县市动态"),
        ("parent_code", "news"),
        ("sort_order", "20"),
        ("kind", "news"),
        ("update_days", "14"),
        ("visible", "true"),
    ];
    assert_eq!(
        common::post_form(&editor, &base, "cms/column_save", &column)
            .await
            .0,
        403
    );
    let (status, text) = common::post_form(&operator, &base, "cms/column_save", &column).await;
    assert_eq!(status, 200, "{text}");
    let (status, text) = common::post_form(&operator, &base, "cms/column_save", &column).await;
    assert_eq!(status, 422, "the code is taken: {text}");
    let mut bad = column;
    bad[1] = ("code", "县市");
    let (status, text) = common::post_form(&operator, &base, "cms/column_save", &bad).await;
    assert_eq!(status, 422);
    assert!(text.contains("栏目代码用小写字母"), "{text}");
    let (status, page) = portal(&base, "/column/county-news").await;
    assert_eq!(status, 200);
    assert!(page.contains("县市动态"));
    // The board: the new column is empty; nothing was published in the news columns for 30 days.
    state.clock.advance(time::Duration::days(30)).unwrap();
    let board = app::cms::service::health::board(&state).await.unwrap();
    let keys: Vec<&str> = board.problems.iter().map(|p| p.key.as_str()).collect();
    assert!(keys.contains(&"cms.health.empty:county-news"), "{keys:?}");
    let news = board
        .problems
        .iter()
        .find(|p| p.key == "cms.health.column:news")
        .expect("news is stale");
    assert_eq!(news.level, app::cms::health::Level::Error);
    assert!(news.deadline.is_some());
    assert!(
        keys.contains(&"cms.health.home"),
        "the home page is stale too: {keys:?}"
    );
    app::cms::service::health::raise_alarms(&state)
        .await
        .unwrap();
    let open = |key: &'static str| {
        let pool = state.db.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM alarms WHERE alarm_key = $1 AND status <> 'resolved'",
            )
            .bind(key)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    assert_eq!(open("cms.health.column:news").await, 1);
    assert_eq!(open("cms.health.home").await, 1);

    // An article with a broken internal link and an external one; the crawler walks the portal.
    let (editor, reviewer, publisher) = (
        as_user(&base, "editor").await,
        as_user(&base, "reviewer").await,
        as_user(&base, "publisher").await,
    );
    let id = approved_article(
        &editor,
        &reviewer,
        &base,
        "链接检查测试",
        "<p><a href=\"/article/no-such-article\">旧文章</a> <a href=\"https://example.invalid/page\">外站</a></p>",
    )
    .await;
    // Before publication the dead internal link is a warning (it does not stop publication).
    let (status, text) =
        common::post_form(&editor, &base, "cms/article_checks", &[("id", &id)]).await;
    assert_eq!(status, 200, "{text}");
    assert!(
        text.contains("LINK_DEAD") && text.contains("/article/no-such-article"),
        "{text}"
    );
    let (status, text) = mv(&publisher, &base, &id, "publish", "", "").await;
    assert_eq!(status, 200, "{text}");
    let router = server::http::router(state.clone(), server::http::leptos_options(None))
        .await
        .unwrap();
    let found = server::crawl::crawl(&router, &state).await.unwrap();
    assert!(found > 10, "links found: {found}");
    let board = app::cms::service::health::board(&state).await.unwrap();
    let broken = board
        .problems
        .iter()
        .find(|p| p.subject.contains("/article/no-such-article"))
        .expect("the broken internal link is reported");
    assert_eq!(broken.level, app::cms::health::Level::Error);
    assert!(broken.deadline.is_some() && broken.message.contains(&format!("/article/{id}")));
    let external = board
        .problems
        .iter()
        .find(|p| p.subject.contains("example.invalid"))
        .expect("the external link is reported");
    assert_eq!(
        external.level,
        app::cms::health::Level::Warning,
        "never an error"
    );
    // The home page was just updated (a notice): its alarm is resolved by the same run; news stays.
    assert_eq!(open("cms.health.home").await, 0);
    assert_eq!(open("cms.health.column:news").await, 1);
    let operator = as_user(&base, "operator").await; // the clock moved past the session's idle limit
                                                     // The column can be removed while it is empty; the words are data.
    let (status, text) = common::post_form(
        &operator,
        &base,
        "cms/column_delete",
        &[("code", "county-news")],
    )
    .await;
    assert_eq!(status, 200, "{text}");
    let (status, _) =
        common::post_form(&operator, &base, "cms/column_delete", &[("code", "news")]).await;
    assert_eq!(status, 409, "a column with articles stays");
    let (status, _) = common::post_form(
        &operator,
        &base,
        "cms/word_set",
        &[("word", "违规词乙"), ("level", "block")],
    )
    .await;
    assert_eq!(status, 200);
    let blocked: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sensitive_words WHERE word = '违规词乙' AND level = 'block'",
    )
    .fetch_one(&state.db.pool)
    .await
    .unwrap();
    assert_eq!(blocked, 1);
}

/// A published article set to come down at a time is taken down by the scheduler then.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_article_comes_down_at_its_expiry() {
    let (state, base) = start().await;
    let (editor, reviewer, publisher) = (
        as_user(&base, "editor").await,
        as_user(&base, "reviewer").await,
        as_user(&base, "publisher").await,
    );
    let id = approved_article(
        &editor,
        &reviewer,
        &base,
        "限时公示通知",
        "<p>公示期一小时</p>",
    )
    .await;
    assert_eq!(mv(&publisher, &base, &id, "publish", "", "").await.0, 200);
    // An hour from now, in Beijing time as the form sends it.
    let at = (state.clock.now() + time::Duration::hours(9))
        .format(&time::macros::format_description!(
            "[year]-[month]-[day]T[hour]:[minute]"
        ))
        .unwrap();
    let expiry = [("id", id.as_str()), ("unpublish_at", at.as_str())];
    assert_eq!(
        common::post_form(&reviewer, &base, "cms/article_expiry", &expiry)
            .await
            .0,
        403
    );
    let (status, text) = common::post_form(&publisher, &base, "cms/article_expiry", &expiry).await;
    assert_eq!(status, 200, "{text}");
    assert!(detail(&publisher, &base, &id).await["unpublish_at"].is_string());
    assert_eq!(
        app::cms::service::schedule::run_due(&state)
            .await
            .unwrap()
            .unpublished,
        0
    );
    assert_eq!(portal(&base, &format!("/article/{id}")).await.0, 200);
    state.clock.advance(time::Duration::hours(2)).unwrap();
    assert_eq!(
        app::cms::service::schedule::run_due(&state)
            .await
            .unwrap()
            .unpublished,
        1
    );
    assert_eq!(portal(&base, &format!("/article/{id}")).await.0, 404);
}
