//! What the 联合奖惩 pages and server functions exchange.
use serde::{Deserialize, Serialize};

/// One measure as the console lists it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeasureRow {
    pub public_id: String,
    pub code: String,
    pub kind: String,
    pub kind_label: String,
    pub list_kind: String,
    pub list_label: String,
    pub content: String,
    pub basis: String,
    pub agency: String,
    /// 国家基础清单 or 本地措施.
    pub origin_label: String,
    /// The day it was retired (Beijing date) and why; none while in use.
    pub retired_on: Option<String>,
    pub retired_reason: Option<String>,
}

/// The measures page's filters (in the URL).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeasureFilter {
    /// Words of the content, the basis or the agency, or a code.
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub list_kind: String,
    #[serde(default)]
    pub kind: String,
    /// Empty: in use; `retired`; `all`.
    #[serde(default)]
    pub status: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeasureList {
    pub rows: Vec<MeasureRow>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// What an import did: new measures, changed ones, and rows already as stored.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub added: i64,
    pub updated: i64,
    pub unchanged: i64,
}

/// One service matter as the console lists it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatterRow {
    pub public_id: String,
    pub code: String,
    pub name: String,
    pub department_id: String,
    pub department: String,
    pub active: bool,
    /// (public id, code, content) of the measures linked (retired ones included: they are history).
    pub measures: Vec<(String, String, String)>,
}

/// A measure the matter form offers: (public id, code, list label, content).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeasureOption {
    pub public_id: String,
    pub code: String,
    pub list_label: String,
    pub content: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatterFilter {
    #[serde(default)]
    pub q: String,
    /// A department's public id.
    #[serde(default)]
    pub unit: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatterList {
    pub rows: Vec<MatterRow>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    /// (public id, name) of the units the caller may pick.
    pub units: Vec<(String, String)>,
    /// Measures in use, for the form.
    pub measures: Vec<MeasureOption>,
}
