//! The provincial test server: a small axum app implementing docs/province-interface.md on a loopback
//! port. It checks each request's signature, records what it receives, keeps the first delivery of
//! each idempotency key, and on command refuses messages, fails (503) or hangs.
#![allow(dead_code)]
use app::province::sign::{self, HmacSha256Signer};
use app::province::wire::{
    self, MessageResult, PushAnswer, PushMessage, PushRequest, ResultStatus, SubjectInfo,
};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use std::sync::{Arc, Mutex};

pub const SECRET: &str = "province-test-shared-secret";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Normal,
    /// Every request answers 503 (an outage).
    Down,
    /// Every request is taken in (its new keys held), then never answered: what a crash of ours
    /// between sending and reading the answer looks like from here.
    Hang,
}

#[derive(Default)]
pub struct Inbox {
    pub mode: Option<Mode>,
    /// Messages whose record contains this text in any field are refused.
    pub refuse_containing: Option<String>,
    /// Every request read, in order (resends included).
    pub requests: Vec<PushRequest>,
    /// The first delivery of each key, in the order taken in: what the province holds.
    pub accepted: Vec<PushMessage>,
    pub bad_signatures: usize,
    /// What the province knows of subjects (its 上级平台服务), and how often it was asked.
    pub subjects: Vec<SubjectInfo>,
    pub subject_queries: usize,
}

#[derive(Clone)]
pub struct Province {
    pub url: String,
    pub inbox: Arc<Mutex<Inbox>>,
}

impl Province {
    /// Starts the server on a free loopback port.
    pub async fn start() -> Province {
        let inbox = Arc::new(Mutex::new(Inbox::default()));
        let app = Router::new()
            .route(wire::PUSH_PATH, post(push))
            .route(&format!("{}{{uscc}}", wire::SUBJECT_PATH), get(subject))
            .with_state(inbox.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Province { url, inbox }
    }

    /// The configuration that points our platform here.
    pub fn config(&self) -> Vec<(&'static str, String)> {
        vec![
            ("APP_PROVINCE_URL", self.url.clone()),
            ("APP_PROVINCE_SECRET", SECRET.to_string()),
            ("APP_PROVINCE_KEY_ID", "xiangxi-test".to_string()),
            ("APP_PROVINCE_TIMEOUT_SECS", "2".to_string()),
        ]
    }

    pub fn set_mode(&self, mode: Mode) {
        self.inbox.lock().unwrap().mode = Some(mode);
    }

    pub fn refuse_containing(&self, text: Option<&str>) {
        self.inbox.lock().unwrap().refuse_containing = text.map(str::to_string);
    }

    /// The keys the province holds, in the order it took them in.
    pub fn accepted_keys(&self) -> Vec<String> {
        self.inbox
            .lock()
            .unwrap()
            .accepted
            .iter()
            .map(|m| m.key.clone())
            .collect()
    }

    pub fn accepted(&self) -> Vec<PushMessage> {
        self.inbox.lock().unwrap().accepted.clone()
    }

    /// Every delivery of any message (resends included).
    pub fn deliveries(&self) -> usize {
        self.inbox
            .lock()
            .unwrap()
            .requests
            .iter()
            .map(|r| r.messages.len())
            .sum()
    }

    /// Deliveries of one record's messages (resends included).
    pub fn deliveries_of(&self, record_id: &str) -> usize {
        self.inbox
            .lock()
            .unwrap()
            .requests
            .iter()
            .flat_map(|r| r.messages.iter())
            .filter(|m| m.record_id == record_id)
            .count()
    }

    pub fn add_subject(&self, s: SubjectInfo) {
        self.inbox.lock().unwrap().subjects.push(s);
    }

    pub fn subject_queries(&self) -> usize {
        self.inbox.lock().unwrap().subject_queries
    }

    pub fn requests(&self) -> usize {
        self.inbox.lock().unwrap().requests.len()
    }
}

/// Whether a request carries our platform's signature over `body`.
fn signed(headers: &HeaderMap, body: &[u8]) -> bool {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    sign::verify(
        &HmacSha256Signer::new(SECRET),
        &header(wire::TIMESTAMP_HEADER),
        body,
        &header(wire::SIGNATURE_HEADER),
    )
}

/// A subject's basic information and credit summary; 404 when unknown. Signed like the push (over an
/// empty body).
async fn subject(
    State(inbox): State<Arc<Mutex<Inbox>>>,
    headers: HeaderMap,
    Path(uscc): Path<String>,
) -> Response {
    if !signed(&headers, b"") {
        return (StatusCode::UNAUTHORIZED, "signature").into_response();
    }
    let (mode, found) = {
        let mut inbox = inbox.lock().unwrap();
        inbox.subject_queries += 1;
        let found = inbox.subjects.iter().find(|s| s.uscc == uscc).cloned();
        (inbox.mode.unwrap_or(Mode::Normal), found)
    };
    match mode {
        Mode::Down => return (StatusCode::SERVICE_UNAVAILABLE, "维护中").into_response(),
        Mode::Hang => std::future::pending::<()>().await,
        Mode::Normal => {}
    }
    match found {
        Some(s) => Json(s).into_response(),
        None => (
            StatusCode::NOT_FOUND,
            Json(serde_json::json!({"code": "NOT_FOUND"})),
        )
            .into_response(),
    }
}

async fn push(State(inbox): State<Arc<Mutex<Inbox>>>, headers: HeaderMap, body: Bytes) -> Response {
    if !signed(&headers, &body) {
        inbox.lock().unwrap().bad_signatures += 1;
        return (StatusCode::UNAUTHORIZED, "signature").into_response();
    }
    let Ok(request) = serde_json::from_slice::<PushRequest>(&body) else {
        return (StatusCode::BAD_REQUEST, "not a push request").into_response();
    };
    let (mode, results) = {
        let mut inbox = inbox.lock().unwrap();
        let mode = inbox.mode.unwrap_or(Mode::Normal);
        if mode == Mode::Down {
            return (StatusCode::SERVICE_UNAVAILABLE, "维护中").into_response();
        }
        inbox.requests.push(request.clone());
        let refuse = inbox.refuse_containing.clone();
        let mut results = vec![];
        for m in request.messages {
            let refused = refuse.as_deref().is_some_and(|text| {
                m.record
                    .values()
                    .any(|v| v.as_str().is_some_and(|s| s.contains(text)))
            });
            let status = if refused {
                ResultStatus::Refused
            } else if inbox.accepted.iter().any(|a| a.key == m.key) {
                ResultStatus::Duplicate
            } else {
                inbox.accepted.push(m.clone());
                ResultStatus::Accepted
            };
            results.push(MessageResult {
                key: m.key,
                status,
                code: refused.then(|| "CF_SY".to_string()),
                message: refused.then(|| "违法事实含有不允许公开的内容".to_string()),
            });
        }
        (mode, results)
    };
    if mode == Mode::Hang {
        std::future::pending::<()>().await;
    }
    Json(PushAnswer { results }).into_response()
}

/// The decision number of the penalty the push tests publish.
pub const DECISION_NO: &str = "湘西市监罚〔2026〕推送1号";

/// A one-record penalty batch of `unit` through the pipeline, confirmed: the record's id. The same
/// call with other facts updates the record (a new version).
pub async fn publish_penalty(
    state: &app::server::AppState,
    unit: &super::collect::Unit,
    facts: &str,
) -> i64 {
    let csv = format!(
        "CF_WSH,CF_XDR_MC,CF_XDR_LB,CF_XDR_SHXYM,CF_FRDB,CF_WFXW,CF_SY,CF_YJ,CF_CFLB,CF_NR,CF_NR_FK,CF_JDRQ,CF_CFJG\n\
         {DECISION_NO},湘西推送测试有限公司,法人及非法人组织,{},张三,违反产品质量管理规定,{facts},\
         《中华人民共和国产品质量法》第四十九条,罚款,依法处理,0.5,2026-03-07,{}\n",
        super::collect::code(77),
        unit.name
    );
    let (batch, _) = super::collect::upload(state, unit, "推送.csv", csv.as_bytes()).await;
    app::collect::service::confirm::confirm(state, batch, &super::collect::actor())
        .await
        .expect("confirm");
    super::collect::scalar(
        state,
        &format!("SELECT id FROM penalties WHERE decision_no = '{DECISION_NO}'"),
    )
    .await
}

/// Withdraws a penalty as the console does (a new version with its trace line), as the office: the
/// new version.
pub async fn withdraw_penalty(state: &app::server::AppState, id: i64) -> i64 {
    use sqlx::Row;
    let office =
        super::collect::scalar(state, "SELECT id FROM users WHERE username = 'operator'").await;
    let now = state.clock.now_text();
    let mut tx = state.db.begin().await.unwrap();
    let version: i64 = sqlx::query(
        "UPDATE penalties SET withdrawn = 1, withdrawn_at = $2, version = version + 1 WHERE id = $1 RETURNING version",
    )
    .bind(id)
    .bind(&now)
    .fetch_one(&mut *tx)
    .await
    .unwrap()
    .get("version");
    let mut actor = super::collect::actor();
    actor.user_id = Some(office);
    app::collect::service::confirm::insert_version(
        &mut tx,
        "penalty",
        id,
        version,
        "withdraw",
        None,
        &actor,
        "处罚决定已被撤销",
        &[],
        &now,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    version
}
