//! What the access log page and its server function exchange.
use serde::{Deserialize, Serialize};

/// The access log's filters (in the URL).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessFilter {
    /// A key's prefix; empty for every key.
    #[serde(default)]
    pub key: String,
    /// First and last Beijing day (YYYY-MM-DD), either may be empty.
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    /// `refused` for answers ≥ 400 only; empty for all.
    #[serde(default)]
    pub outcome: String,
}

/// One request of a key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessRow {
    pub at: String,
    pub key_prefix: String,
    pub key_name: String,
    pub unit: String,
    pub method: String,
    pub path: String,
    pub status: i64,
    pub rows_out: i64,
    pub ip: String,
    /// Milliseconds to the answer; -1 where not kept (a check's line is its check log row).
    pub millis: i64,
}

/// A key's requests in the filtered range.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyUsage {
    pub key_prefix: String,
    pub key_name: String,
    pub unit: String,
    pub requests: i64,
    pub refused: i64,
    pub rows_out: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessPage {
    /// The latest requests, newest first (at most `SHOWN`).
    pub rows: Vec<AccessRow>,
    pub usage: Vec<KeyUsage>,
    /// Every key, for the filter: (prefix, "name (unit)").
    pub keys: Vec<(String, String)>,
}

/// Requests the page shows; the export carries the range.
pub const SHOWN: i64 = 200;
