//! The province's services (issue 22, item 3): a subject our 法人库 lacks is asked of the province
//! through the connector. A fresh cached answer is used without a call; a stale one is asked again; a
//! hung province answers the user within the time limit with a clear message; every call, cached or
//! not, leaves an audit line.
// Test code: a panic here is a failing test (clippy.toml allows these lints in #[test] functions;
// the helpers of an integration test crate are test code as well).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod common;
use app::province::wire::SubjectInfo;
use common::collect::{code, post, scalar, setup_with};
use common::province::{Mode, Province};
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_subject_is_asked_of_the_province_cached_and_given_up_on_when_it_hangs() {
    let province = Province::start().await;
    let mut config = province.config();
    config.push(("APP_PROVINCE_QUERY_TIMEOUT_SECS", "1".into()));
    config.push(("APP_PROVINCE_CACHE_MINUTES", "60".into()));
    let vars: Vec<(&str, &str)> = config.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (state, _) = setup_with(&vars).await;
    let uscc = code(9_001);
    province.add_subject(SubjectInfo {
        uscc: uscc.clone(),
        name: "湖南省外地来湘建设有限公司".into(),
        legal_rep: "赵六".into(),
        registered_on: "2015-04-01".into(),
        address: "长沙市岳麓区".into(),
        status: "存续".into(),
        penalties: 2,
        licences: 5,
        lists: vec![],
        as_of: "2026-12-01".into(),
    });
    let base = common::serve(state.clone()).await;
    // A fresh login per question: the clock moves past the session's idle limit between them.
    let ask = |c: String| {
        let base = base.clone();
        async move {
            let op = common::client();
            common::login_demo(&op, &base, "operator").await;
            post(
                &op,
                &base,
                "province/upstream_subject",
                &format!("uscc={c}"),
            )
            .await
        }
    };

    let (status, out) = ask(uscc.clone()).await;
    assert_eq!(status, 200, "{out}");
    assert!(
        out.contains("湖南省外地来湘建设有限公司") && out.contains("\"cached\":false"),
        "{out}"
    );
    assert_eq!(province.subject_queries(), 1);
    // Fresh: from the cache, no call.
    let (status, out) = ask(uscc.clone()).await;
    assert_eq!(status, 200, "{out}");
    assert!(out.contains("\"cached\":true"), "{out}");
    assert_eq!(province.subject_queries(), 1);
    // A code the province does not know: answered as such (and cached too).
    let (status, out) = ask(code(9_002)).await;
    assert_eq!(status, 200, "{out}");
    assert!(out.contains("\"subject\":null"), "{out}");
    // Stale after the cache's lifetime: asked again.
    state.clock.advance(time::Duration::minutes(61)).unwrap();
    let (status, _) = ask(uscc.clone()).await;
    assert_eq!(status, 200);
    assert_eq!(province.subject_queries(), 3);

    // A hung province: the user has an answer within the time limit, in words.
    province.set_mode(Mode::Hang);
    state.clock.advance(time::Duration::minutes(61)).unwrap();
    let op = common::client();
    common::login_demo(&op, &base, "operator").await;
    let started = Instant::now();
    let (status, out) = post(
        &op,
        &base,
        "province/upstream_subject",
        &format!("uscc={uscc}"),
    )
    .await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(status, 409, "{out}");
    assert!(out.contains("省平台未在 1 秒内答复"), "{out}");
    // Not a code: refused before any call.
    let (status, out) = ask("91433101ABC".into()).await;
    assert_eq!(status, 422, "{out}");
    // A code our register holds: nothing to ask (and nothing audited).
    province.set_mode(Mode::Normal);
    let held: String =
        sqlx::query_scalar("SELECT uscc FROM subjects WHERE uscc IS NOT NULL ORDER BY id LIMIT 1")
            .fetch_one(&state.db.pool)
            .await
            .unwrap();
    let before = province.subject_queries();
    let (status, out) = ask(held).await;
    assert_eq!((status, out.as_str()), (200, "null"));
    assert_eq!(province.subject_queries(), before);

    // Every call is in the audit, the cached one and the failed one included.
    assert_eq!(
        scalar(
            &state,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'province.upstream_query'"
        )
        .await,
        5
    );
}
