//! A stand-in for the province's push interface, for the push benchmark (`scripts/bench.sh push`) and
//! the browser tests: it checks each request's signature, reads the messages, keeps every key it has
//! taken in and answers `accepted` or `duplicate` per message — the least a real receiver does. Asked
//! about a subject, it answers one made up from the code (marked 模拟 in its name), so the console's
//! province panel has something to show. With `dump`, it also writes
//! each request's body and a curl configuration that sends the same bytes with the same headers, so
//! that the benchmark can time curl on the identical payload.
use app::province::sign::{self, HmacSha256Signer};
use app::province::wire::{self, MessageResult, PushAnswer, PushRequest, ResultStatus};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use std::collections::HashSet;
use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

struct Sink {
    signer: HmacSha256Signer,
    keys: Mutex<HashSet<String>>,
    dump: Option<PathBuf>,
    requests: Mutex<u64>,
}

/// Serves the sink on `addr` until the process ends.
pub async fn serve(
    addr: std::net::SocketAddr,
    secret: &str,
    dump: Option<PathBuf>,
) -> std::io::Result<()> {
    if let Some(d) = &dump {
        std::fs::create_dir_all(d)?;
    }
    let sink = Arc::new(Sink {
        signer: HmacSha256Signer::new(secret),
        keys: Mutex::new(HashSet::new()),
        dump,
        requests: Mutex::new(0),
    });
    let app = Router::new()
        .route(wire::PUSH_PATH, post(push))
        .route(&format!("{}{{uscc}}", wire::SUBJECT_PATH), get(subject))
        .with_state(sink);
    let listener = tokio::net::TcpListener::bind(addr).await?;
    println!("省平台模拟接收端：http://{addr}{}", wire::PUSH_PATH);
    axum::serve(listener, app).await
}

/// A header's text, empty when absent.
fn header(headers: &HeaderMap, name: &str) -> String {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// Whether a request carries the platform's signature over `body`.
fn signed(sink: &Sink, headers: &HeaderMap, body: &[u8]) -> bool {
    sign::verify(
        &sink.signer,
        &header(headers, wire::TIMESTAMP_HEADER),
        body,
        &header(headers, wire::SIGNATURE_HEADER),
    )
}

/// A subject made up from its code (a signed request only).
async fn subject(
    State(sink): State<Arc<Sink>>,
    headers: HeaderMap,
    Path(uscc): Path<String>,
) -> Response {
    if !signed(&sink, &headers, b"") {
        return (StatusCode::UNAUTHORIZED, "bad signature").into_response();
    }
    Json(wire::SubjectInfo {
        name: format!(
            "省平台登记主体（模拟）{}",
            uscc.get(10..17).unwrap_or_default()
        ),
        uscc,
        legal_rep: "李四".into(),
        registered_on: "2018-05-20".into(),
        address: "湖南省长沙市岳麓区（模拟）".into(),
        status: "存续".into(),
        penalties: 1,
        licences: 3,
        lists: vec![],
        as_of: String::new(),
    })
    .into_response()
}

async fn push(State(sink): State<Arc<Sink>>, headers: HeaderMap, body: Bytes) -> Response {
    if !signed(&sink, &headers, &body) {
        return (StatusCode::UNAUTHORIZED, "bad signature").into_response();
    }
    let Ok(request) = serde_json::from_slice::<PushRequest>(&body) else {
        return (StatusCode::BAD_REQUEST, "not a push request").into_response();
    };
    if let Some(dir) = &sink.dump {
        let n = {
            let mut n = sink.requests.lock().unwrap_or_else(|p| p.into_inner());
            *n += 1;
            *n
        };
        if dump(
            dir,
            n,
            &header(&headers, wire::KEY_HEADER),
            &header(&headers, wire::TIMESTAMP_HEADER),
            &header(&headers, wire::SIGNATURE_HEADER),
            &body,
        )
        .is_err()
        {
            return (StatusCode::INTERNAL_SERVER_ERROR, "dump failed").into_response();
        }
    }
    let mut keys = sink.keys.lock().unwrap_or_else(|p| p.into_inner());
    let results = request
        .messages
        .into_iter()
        .map(|m| {
            let status = if keys.insert(m.key.clone()) {
                ResultStatus::Accepted
            } else {
                ResultStatus::Duplicate
            };
            MessageResult {
                key: m.key,
                status,
                code: None,
                message: None,
            }
        })
        .collect();
    Json(PushAnswer { results }).into_response()
}

/// The body as `NNNNNNNN.json` and its request as lines of `curl.cfg` (the URL left as `SINK_URL`).
fn dump(
    dir: &std::path::Path,
    n: u64,
    key: &str,
    timestamp: &str,
    signature: &str,
    body: &[u8],
) -> std::io::Result<()> {
    let file = dir.join(format!("{n:08}.json"));
    std::fs::write(&file, body)?;
    let mut cfg = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("curl.cfg"))?;
    writeln!(
        cfg,
        "url = \"SINK_URL\"\nheader = \"Content-Type: application/json\"\nheader = \"{}: {key}\"\n\
         header = \"{}: {timestamp}\"\nheader = \"{}: {signature}\"\ndata-binary = \"@{}\"\n\
         output = \"/dev/null\"\nnext",
        wire::KEY_HEADER,
        wire::TIMESTAMP_HEADER,
        wire::SIGNATURE_HEADER,
        file.display()
    )
}
