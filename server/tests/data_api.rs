//! The data API under hostile input and its key scopes: a body built to be slow to take apart is
//! refused while it is parsed, without holding up `/healthz`; a caller without a valid key (or without
//! the class) is answered before the body is read; a key reads and confirms only batches of its classes.
// Test code: a panic here is a failing test (clippy.toml allows these lints in #[test] functions;
// the helpers of an integration test crate are test code as well).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod common;
use app::collect::service::{api_keys, intake};
use common::collect::{scalar, setup};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// `{"records": [{"k0000000": 0, "k0000001": 0, …}]}`: one record with distinct field names, about
/// `bytes` long.
fn many_keys(bytes: usize) -> String {
    let mut body = String::with_capacity(bytes + 64);
    body.push_str(r#"{"records": [{"#);
    let mut i = 0;
    while body.len() < bytes {
        body.push_str(&format!(r#""k{i:07}": 0, "#));
        i += 1;
    }
    body.push_str(r#""end": 0}]}"#);
    body
}

/// Serves a seeded database from a runtime of its own with two workers (as on the 2-core server), so
/// that the test's own client and timers never wait for the server's workers. Answers the base URL and
/// a penalty key of the 市场监管 unit. The server thread lives until the test process ends.
fn serve_apart() -> (String, String) {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("server runtime");
        rt.block_on(async move {
            let (state, unit) = setup().await;
            let (_, key) = api_keys::create(
                &state,
                &app::server::audit::Actor::named("test"),
                unit.id,
                "处罚系统",
                &["penalty".into()],
                None,
            )
            .await
            .expect("key");
            let base = common::serve(state).await;
            tx.send((base, key)).expect("hand over");
            std::future::pending::<()>().await;
        });
    });
    rx.recv_timeout(Duration::from_secs(300))
        .expect("server started")
}

/// Sends a request head and the first `sent` bytes of a body that claims `length` bytes, then stops
/// sending (without closing). Answers what the server said within `wait`, or "" when it said nothing.
async fn stalled_post(
    base: &str,
    path: &str,
    auth: Option<&str>,
    length: usize,
    sent: usize,
    wait: Duration,
) -> String {
    let addr = base.trim_start_matches("http://");
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let auth = auth
        .map(|k| format!("Authorization: Bearer {k}\r\n"))
        .unwrap_or_default();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n{auth}Content-Length: {length}\r\n\r\n"
    );
    s.write_all(head.as_bytes()).await.unwrap();
    let mut chunk = br#"{"records": [{"#.to_vec();
    chunk.resize(sent, b' ');
    s.write_all(&chunk).await.unwrap();
    s.flush().await.unwrap();
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = Instant::now() + wait;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, s.read(&mut buf)).await {
            Ok(Ok(n)) if n > 0 => {
                answer.extend_from_slice(&buf[..n]);
                // The whole (small) JSON answer is in once the closing brace arrived.
                if answer.ends_with(b"}") {
                    break;
                }
            }
            _ => break,
        }
    }
    String::from_utf8_lossy(&answer).into_owned()
}

/// Two 2 MB bodies of distinct field names, with a valid key, sent at once: each is refused with
/// `TOO_MANY_FIELDS` while it is parsed, and `/healthz` answers within a second all the while.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_of_many_distinct_fields_is_refused_while_healthz_stays_responsive() {
    let (base, key) = serve_apart();
    let body = many_keys(2 * 1024 * 1024);
    let c = reqwest::Client::new();
    let post = |body: String| {
        let (c, url, key) = (
            c.clone(),
            format!("{base}/api/v1/batches/penalty"),
            key.clone(),
        );
        tokio::spawn(async move {
            let started = Instant::now();
            let r = c
                .post(url)
                .bearer_auth(key)
                .header("content-type", "application/json")
                .body(body)
                .timeout(Duration::from_secs(120))
                .send()
                .await;
            let r = match r {
                Ok(r) => r,
                Err(e) => return (0, serde_json::Value::Null, started.elapsed(), e.to_string()),
            };
            let status = r.status().as_u16();
            let v = r.json().await.unwrap_or(serde_json::Value::Null);
            (status, v, started.elapsed(), String::new())
        })
    };
    let a = post(body.clone());
    let b = post(body);
    let mut slowest = Duration::ZERO;
    let mut probes = 0;
    while !(a.is_finished() && b.is_finished()) {
        let started = Instant::now();
        let r = c
            .get(format!("{base}/healthz"))
            .timeout(Duration::from_secs(1))
            .send()
            .await;
        let took = started.elapsed();
        assert!(
            matches!(&r, Ok(r) if r.status() == 200),
            "/healthz did not answer within 1 s while the bodies were parsed ({r:?})"
        );
        slowest = slowest.max(took);
        probes += 1;
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    for r in [a.await.unwrap(), b.await.unwrap()] {
        let (status, v, took, err) = r;
        assert_eq!(
            (status, v["error"]["code"].as_str()),
            (422, Some("TOO_MANY_FIELDS")),
            "{v} {err}"
        );
        assert!(!v["error"]["message"].as_str().unwrap_or("").is_empty());
        assert!(took < Duration::from_secs(10), "refused after {took:?}");
    }
    assert!(
        slowest < Duration::from_secs(1),
        "slowest /healthz: {slowest:?}"
    );
    eprintln!("{probes} /healthz probes during the hostile requests, slowest {slowest:?}");
}

/// A caller without a valid key, or without the class, is answered at once, before the body is read:
/// the client has sent 64 KB of a body that claims 8 MB and is still sending. A body that claims more
/// than the limit is refused without reading it, with a structured error.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_come_before_the_body_is_read() {
    let (base, key) = serve_apart();
    let wait = Duration::from_secs(5);
    let eight_mb = 8 * 1024 * 1024;
    let started = Instant::now();
    let answer = stalled_post(
        &base,
        "/api/v1/batches/penalty",
        None,
        eight_mb,
        64 * 1024,
        wait,
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 401"), "no key: {answer:?}");
    assert!(answer.contains(r#""code":"UNAUTHORIZED""#), "{answer}");
    let answer = stalled_post(
        &base,
        "/api/v1/batches/penalty",
        Some("xxc_00000000_wrong"),
        eight_mb,
        64 * 1024,
        wait,
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 401"), "wrong key: {answer:?}");
    let answer = stalled_post(
        &base,
        "/api/v1/batches/licence",
        Some(&key),
        eight_mb,
        64 * 1024,
        wait,
    )
    .await;
    assert!(
        answer.starts_with("HTTP/1.1 403"),
        "class not covered: {answer:?}"
    );
    assert!(answer.contains(r#""code":"FORBIDDEN""#), "{answer}");
    let answer = stalled_post(
        &base,
        "/api/v1/batches/penalty",
        Some(&key),
        64 * 1024 * 1024,
        64 * 1024,
        wait,
    )
    .await;
    assert!(
        answer.starts_with("HTTP/1.1 413"),
        "over the limit: {answer:?}"
    );
    assert!(answer.contains(r#""code":"BODY_TOO_LARGE""#), "{answer}");
    // Each answer came at once, not after the client gave up.
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "{:?}",
        started.elapsed()
    );
}

/// A key scoped to one class neither reads nor confirms a batch of another class of its own unit
/// (404, as for another unit's batch); the key of that class does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_reads_and_confirms_only_batches_of_its_classes() {
    let (state, unit) = setup().await;
    let base = common::serve(state.clone()).await;
    let (_, penalty_key) = api_keys::create(
        &state,
        &app::server::audit::Actor::named("test"),
        unit.id,
        "处罚系统",
        &["penalty".into()],
        None,
    )
    .await
    .unwrap();
    let (_, licence_key) = api_keys::create(
        &state,
        &app::server::audit::Actor::named("test"),
        unit.id,
        "许可系统",
        &["licence".into()],
        None,
    )
    .await
    .unwrap();
    let sub = intake::Submission {
        class_code: "licence",
        department_id: unit.id,
        user_id: None,
        channel: "api",
    };
    let (id, batch) = intake::create(&state, &sub, None).await.unwrap();
    let c = reqwest::Client::new();
    let call = |method: reqwest::Method, path: String, key: String| {
        let c = c.clone();
        let url = format!("{base}{path}");
        async move {
            let r = c
                .request(method, url)
                .bearer_auth(key)
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            (
                status,
                r.json::<serde_json::Value>().await.unwrap_or_default(),
            )
        }
    };
    use reqwest::Method;
    let (status, v) = call(
        Method::GET,
        format!("/api/v1/batches/{batch}"),
        penalty_key.clone(),
    )
    .await;
    assert_eq!(
        (status, v["error"]["code"].as_str()),
        (404, Some("NOT_FOUND")),
        "{v}"
    );
    let (status, v) = call(
        Method::POST,
        format!("/api/v1/batches/{batch}/confirm"),
        penalty_key.clone(),
    )
    .await;
    assert_eq!(
        (status, v["error"]["code"].as_str()),
        (404, Some("NOT_FOUND")),
        "{v}"
    );
    let status_now = scalar(
        &state,
        &format!("SELECT COUNT(*) FROM batches WHERE id = {id} AND status = 'uploaded'"),
    )
    .await;
    assert_eq!(status_now, 1, "the refused confirmation changed nothing");
    let (status, v) = call(Method::GET, format!("/api/v1/batches/{batch}"), licence_key).await;
    assert_eq!((status, v["class"].as_str()), (200, Some("licence")), "{v}");
}
