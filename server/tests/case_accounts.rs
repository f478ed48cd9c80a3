//! Subject accounts and case statistics (issue 20, items 5 and 7): the system administrator binds a
//! subject account to a USCC, and the account sees the cases on that subject at `/my/cases` and no
//! others; the case statistics count within the caller's scope and download as XLSX.
// Test code: a panic here is a failing test (clippy.toml allows these lints in #[test] functions;
// the helpers of an integration test crate are test code as well).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
#![allow(clippy::too_many_lines)]
mod common;
use common::cases::{code_of, displayed_penalty, form_token, post_multipart, text};
use time::macros::datetime;

/// Files an objection on `record` (of the subject with `uscc`): its tracking code.
async fn object(c: &reqwest::Client, base: &str, record: &str, uscc: &str) -> String {
    let token = form_token(
        c,
        format!("{base}/objection/apply?record={record}"),
        "异议理由",
    )
    .await;
    let loc = post_multipart(
        c,
        format!("{base}/objection/submit?record={record}"),
        &[
            ("csrf_token", &token),
            ("uscc", uscc),
            ("ground", "duplicate"),
            ("description", "同一处罚被重复公示两次。"),
            ("name", "陈晓"),
            ("contact", "13907439876"),
        ],
        &[],
    )
    .await;
    assert!(loc.starts_with("/track"), "{loc}");
    code_of(&loc)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_subject_account_sees_its_own_cases_and_stats_count_in_scope() {
    let (state, base) = common::cases::seeded_on(datetime!(2026-12-07 02:00 UTC)).await;
    let (mine_record, _, _, mine_uscc) = displayed_penalty(&state, &base, "").await;
    let (other_record, _, _, other_uscc) =
        displayed_penalty(&state, &base, &format!(" AND s.uscc <> '{mine_uscc}'")).await;
    let public = common::client();
    let mine = object(&public, &base, &mine_record, &mine_uscc).await;
    let other = object(&public, &base, &other_record, &other_uscc).await;

    // The system administrator binds the demo subject account to the first subject.
    let admin = common::client();
    common::login_demo(&admin, &base, "sysadmin").await;
    let account: String =
        sqlx::query_scalar("SELECT public_id FROM users WHERE username = 'subject'")
            .fetch_one(&state.db.pool)
            .await
            .unwrap();
    let update = |uscc: String| {
        let (admin, base, account) = (admin.clone(), base.clone(), account.clone());
        async move {
            common::post_form(
                &admin,
                &base,
                "admin/user_update",
                &[
                    ("id", &account),
                    ("display_name", "信用主体账户（演示）"),
                    ("unit_kind", "office"),
                    ("subject_uscc", uscc.as_str()),
                ],
            )
            .await
        }
    };
    let (s, body) = update("91433101MA4L00000X".into()).await;
    assert_eq!(s, 422, "a code that fails its check digit: {body}");
    assert!(body.contains("subject_uscc"), "{body}");
    let (s, body) = update(mine_uscc.clone()).await;
    assert_eq!(s, 200, "{body}");

    // The subject account sees its own case, not the other subject's, on the page and by the API.
    let subject = common::client();
    common::login_demo(&subject, &base, "subject").await;
    let (s, body) = common::post_form(&subject, &base, "cases/mine", &[]).await;
    assert_eq!(s, 200, "{body}");
    assert!(body.contains(&mine) && !body.contains(&other), "{body}");
    let page = text(&subject, format!("{base}/my/cases")).await;
    assert!(page.contains(&mine) && !page.contains(&other), "{page}");
    // It is not staff: the desk and the statistics are closed to it.
    let (s, _) = common::post_form(&subject, &base, "cases/list", &[("page", "1")]).await;
    assert_eq!(s, 403);
    // Staff have no own cases.
    let office = common::client();
    common::login_demo(&office, &base, "operator").await;
    let (s, _) = common::post_form(&office, &base, "cases/mine", &[]).await;
    assert_eq!(s, 403);

    // Statistics: the office counts both; the clerk's unit both (both records moved to it); the
    // other unit none.
    let stats = |c: reqwest::Client| {
        let base = base.clone();
        async move {
            let (s, body) =
                common::post_form(&c, &base, "cases/stats", &[("filter[kind]", "objection")]).await;
            assert_eq!(s, 200, "{body}");
            serde_json::from_str::<serde_json::Value>(&body).unwrap()
        }
    };
    let all = stats(office.clone()).await;
    assert_eq!(all["total"], 2, "{all}");
    assert_eq!(all["by_kind"][0]["label"], "异议申诉");
    assert_eq!(all["by_month"][0]["label"], "2026-12");
    let other_unit = common::client();
    common::login_demo(&other_unit, &base, "clerk2").await;
    assert_eq!(stats(other_unit).await["total"], 0);
    let (s, _) = common::post_form(
        &office,
        &base,
        "cases/stats",
        &[("filter[from]", "2026-13-01")],
    )
    .await;
    assert_eq!(s, 422, "an unreadable date is a field error");

    // The XLSX has the same numbers.
    let token = common::csrf_token(&office, &base).await;
    let r = office
        .post(format!("{base}/console/export/case_stats.xlsx"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("csrf_token={token}&kind=objection"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    use calamine::Reader;
    let bytes = r.bytes().await.unwrap();
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let range = book.worksheet_range("办件统计").unwrap();
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(ToString::to_string).collect())
        .collect();
    assert_eq!(rows[0], ["维度", "项目", "办件数", "已办结", "按期办结"]);
    assert!(
        rows.iter().any(|r| r[1] == "异议申诉" && r[2] == "2"),
        "{rows:?}"
    );
}
