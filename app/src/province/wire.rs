//! The documented push interface (docs/province-interface.md): what one request carries, what the
//! province answers, and the idempotency key of a message. Shared by the sender and the provincial test
//! server of the integration tests, so that both sides read the same document.
use serde::{Deserialize, Serialize};

/// The path of the push under the configured base URL.
pub const PUSH_PATH: &str = "/push";
/// Request headers: our key id, the time of signing, the signature (`<scheme> <hex>`).
pub const KEY_HEADER: &str = "x-credit-key";
pub const TIMESTAMP_HEADER: &str = "x-credit-timestamp";
pub const SIGNATURE_HEADER: &str = "x-credit-signature";

/// The path of a subject's basic information and credit summary (上级平台服务): `{url}/subjects/{uscc}`.
pub const SUBJECT_PATH: &str = "/subjects/";

/// What the province answers about a subject (404 when it has none).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Default)]
pub struct SubjectInfo {
    pub uscc: String,
    pub name: String,
    #[serde(default)]
    pub legal_rep: String,
    #[serde(default)]
    pub registered_on: String,
    #[serde(default)]
    pub address: String,
    /// 存续, 注销, 吊销 …
    #[serde(default)]
    pub status: String,
    /// The province's credit summary: records it holds and lists in force.
    #[serde(default)]
    pub penalties: i64,
    #[serde(default)]
    pub licences: i64,
    #[serde(default)]
    pub lists: Vec<String>,
    /// The day the province's data is as of.
    #[serde(default)]
    pub as_of: String,
}

/// The idempotency key of a message: the province keeps the first delivery of a key and answers
/// `duplicate` to any later one, so a resend (after a timeout, a crash, an operator's 重新推送) never
/// counts twice.
pub fn idempotency_key(kind: &str, record_id: &str, version: i64, action: &str) -> String {
    format!("{kind}:{record_id}:{version}:{action}")
}

/// One request: a batch of messages of one record kind, oldest first.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PushRequest {
    /// A fresh id per request (a resend is a new request carrying the same message keys).
    pub batch: String,
    /// Our platform's area code (湘西州: 433100).
    pub area_code: String,
    pub kind: String,
    pub messages: Vec<PushMessage>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PushMessage {
    pub key: String,
    /// The record's public id (stable across versions).
    pub record_id: String,
    pub version: i64,
    /// create, update, correct, withdraw, restore, repair, takedown
    pub action: String,
    /// When the change happened (RFC 3339).
    pub changed_at: String,
    /// The record by its v2 field codes (docs/domain.md §5), as it stands when sent: a later version
    /// of the same record follows in order, so the province's copy ends as ours.
    pub record: serde_json::Map<String, serde_json::Value>,
}

/// The province's answer to a request it read: one result per message.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct PushAnswer {
    pub results: Vec<MessageResult>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct MessageResult {
    pub key: String,
    pub status: ResultStatus,
    /// The province's reason for a refusal (code and text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ResultStatus {
    /// Taken in.
    Accepted,
    /// Already taken in under this key: as good as accepted.
    Duplicate,
    /// Not taken: the message is parked with the answer until an operator resends it.
    Refused,
}

/// Minutes to wait before the next try after `failures` failed sends in a row: 1, 2, 4, … up to an
/// hour, so an outage of the province is retried often at first and never hammered.
pub fn backoff_minutes(failures: i64) -> i64 {
    let exp = failures.clamp(1, 7) - 1;
    (1_i64 << exp).min(60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        let waits: Vec<i64> = (1..=9).map(backoff_minutes).collect();
        assert_eq!(waits, vec![1, 2, 4, 8, 16, 32, 60, 60, 60]);
        assert_eq!(backoff_minutes(0), 1);
    }

    #[test]
    fn keys_name_record_version_and_action() {
        assert_eq!(
            idempotency_key("penalty", "p-1", 3, "withdraw"),
            "penalty:p-1:3:withdraw"
        );
    }

    #[test]
    fn answers_read_the_documented_shape() {
        let a: PushAnswer = serde_json::from_str(
            r#"{"results":[{"key":"k1","status":"accepted"},{"key":"k2","status":"refused","code":"CF_WSH","message":"文号重复"}]}"#,
        )
        .unwrap();
        assert_eq!(a.results[1].status, ResultStatus::Refused);
        assert_eq!(a.results[1].message.as_deref(), Some("文号重复"));
    }
}
