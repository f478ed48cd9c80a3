//! Types the credit pages and API send: search results, the subject page, public lists and reports.
use serde::{Deserialize, Serialize};

/// Search filters (all optional). Record type and dates ask for subjects with such a public record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchFilters {
    /// organisation | individual_business | person (persons only for staff)
    #[serde(default)]
    pub kind: String,
    /// GB/T 2260 code of a 湘西 county.
    #[serde(default)]
    pub county: String,
    /// A department's code.
    #[serde(default)]
    pub unit: String,
    /// licence | penalty
    #[serde(default)]
    pub record: String,
    /// YYYY-MM-DD, the record's decision date.
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
}

impl SearchFilters {
    pub fn is_empty(&self) -> bool {
        *self == SearchFilters::default()
    }
}

/// How a hit matched, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum MatchKind {
    Code,
    ExactName,
    Prefix,
    Fragment,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SearchHit {
    pub public_id: String,
    /// As the audience may see it (a person's name masked for the public).
    pub name: String,
    /// (text, matched) runs of `name`.
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<Vec<Object>>))]
    pub highlighted: Vec<(String, bool)>,
    pub uscc: String,
    pub kind: String,
    pub county: String,
    pub legal_rep: String,
    pub matched: MatchKind,
    /// When the registry last changed the subject (RFC 3339 UTC).
    pub updated_at: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SearchResults {
    pub query: String,
    pub hits: Vec<SearchHit>,
    /// Matches counted up to the cap.
    pub total: i64,
    /// True when there are at least `total` matches (the count stopped at the cap).
    pub capped: bool,
    /// "1万+", "37".
    pub total_label: String,
    pub page: i64,
    pub per_page: i64,
    /// The last page one can open (results past the cap are not paged).
    pub last_page: i64,
    /// Why nothing was searched (a query too short), in Chinese.
    pub message: Option<String>,
    /// The source units for the filter: (code, name).
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<Vec<String>>))]
    pub units: Vec<(String, String)>,
}

/// One public licence or penalty, as the subject page, the lists and the reports show it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PublicRecord {
    pub public_id: String,
    /// licence | penalty
    pub kind: String,
    pub subject_public_id: String,
    pub subject_name: String,
    pub subject_uscc: String,
    pub decision_no: String,
    pub decision_date: String,
    pub authority: String,
    /// Licence category, or the penalty categories.
    pub category: String,
    pub content: String,
    /// Penalty: 违法行为类型; licence: the licence document's name.
    pub title: String,
    /// Penalty: 违法事实; licence: certificate name and number.
    pub detail: String,
    /// Penalty: 处罚依据.
    pub basis: String,
    /// Penalty fine in yuan, formatted; empty when none.
    pub amount: String,
    /// Licence: valid from – to; penalty: the display end.
    pub valid_from: String,
    pub valid_to: String,
    pub display_until: String,
    pub severity: String,
    pub source_unit: String,
    /// Special reports only: the record was repaired (已修复).
    pub repaired: bool,
    /// Penalties: the day repair may be applied for (docs/domain.md §7, §10); empty for licences.
    pub repair_eligible_from: String,
    /// Penalties: repair may be applied for today.
    pub repair_open: bool,
    /// An objection on it is open (shown as "异议处理中", docs/domain.md §11).
    #[serde(default)]
    pub objection_open: bool,
}

/// One entry of a red, black or watch list, a commitment or another class's record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct GenericEntry {
    pub public_id: String,
    pub class_code: String,
    pub class_name: String,
    pub subject_public_id: String,
    pub subject_name: String,
    pub subject_uscc: String,
    /// (label, value) pairs in the class's field order, without identifiers of persons.
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<Vec<String>>))]
    pub fields: Vec<(String, String)>,
    /// The entry's date (listed on / committed on), for sorting and periods.
    pub date: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SubjectBasics {
    pub public_id: String,
    pub name: String,
    pub kind: String,
    pub kind_label: String,
    pub uscc: String,
    pub legal_rep: String,
    pub county: String,
    pub established_on: String,
    pub address: String,
    pub reg_no: String,
    pub org_code: String,
    /// A masked ID number, persons only.
    pub id_masked: String,
}

/// A section of the subject page or a report, in report order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub code: String,
    pub title: String,
    pub records: Vec<PublicRecord>,
    pub entries: Vec<GenericEntry>,
    /// Free text (the advice section).
    pub text: Vec<String>,
}

impl Section {
    pub fn is_empty(&self) -> bool {
        self.records.is_empty() && self.entries.is_empty() && self.text.is_empty()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubjectPage {
    pub basics: SubjectBasics,
    pub sections: Vec<Section>,
    pub today: String,
}

/// A page of a public list (licences, penalties, or a red/black/watch list).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListPage {
    pub list: String,
    pub title: String,
    pub records: Vec<PublicRecord>,
    pub entries: Vec<GenericEntry>,
    pub page: i64,
    pub per_page: i64,
    /// True when another page follows.
    pub more: bool,
    /// Matches counted up to `lists::COUNT_CAP`.
    pub total: i64,
    /// True when the count stopped at the cap.
    pub capped: bool,
    /// "共 37 条", "共 10,000 条以上".
    pub total_label: String,
    /// The source units for the filter: (code, name).
    pub units: Vec<(String, String)>,
    /// Why the query text was not searched as a name (too short), in Chinese.
    pub message: Option<String>,
}

/// What a verification page shows about a report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportCheck {
    pub serial: String,
    pub verify_code: String,
    pub kind_label: String,
    pub subject_name: String,
    pub subject_code: String,
    pub issued_at: String,
    pub period: String,
    pub pdf_sha256: String,
    /// (section title, entries in it) as printed.
    pub contents: Vec<(String, Vec<String>)>,
    pub signature_valid: bool,
}

/// A public report request's answer: where to download and verify.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedReport {
    pub serial: String,
    pub verify_code: String,
    pub download: String,
    pub verify: String,
}

/// Filters of the public lists (all optional, all in the page's URL).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListFilters {
    /// A fragment of the subject's name (≥ 2 characters), the whole USCC or its start, or an exact
    /// decision number.
    #[serde(default)]
    pub q: String,
    /// GB/T 2260 code of a 湘西 county.
    #[serde(default)]
    pub county: String,
    /// A department's code (the source unit).
    #[serde(default)]
    pub unit: String,
    /// Red, black and watch lists: a fragment of the listing authority (认定单位); commitments: of the
    /// accepting unit (承诺受理单位).
    #[serde(default)]
    pub authority: String,
    /// Commitments: the type (承诺类型), exactly.
    #[serde(default)]
    pub kind: String,
    /// Commitments: the fulfilment (履约状态), exactly.
    #[serde(default)]
    pub fulfilment: String,
    /// YYYY-MM-DD: the decision date (双公示) or the listed date (lists).
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
}

impl ListFilters {
    pub fn is_empty(&self) -> bool {
        *self == ListFilters::default()
    }

    /// The filters as a query string (without `?`), for paging and the download link.
    pub fn query(&self) -> String {
        [
            ("q", &self.q),
            ("county", &self.county),
            ("unit", &self.unit),
            ("authority", &self.authority),
            ("kind", &self.kind),
            ("fulfilment", &self.fulfilment),
            ("from", &self.from),
            ("to", &self.to),
        ]
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| format!("{k}={}", crate::ui::url::encode(v.trim())))
        .collect::<Vec<_>>()
        .join("&")
    }
}

/// One issued report in the request log (staff view).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportLogRow {
    pub serial: String,
    pub kind_label: String,
    pub channel_label: String,
    pub subject_name: String,
    pub applicant: String,
    pub purpose: String,
    pub matter: String,
    pub issued_at: String,
    pub verify_code: String,
}

/// The credit office's view of report requests.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportStats {
    pub total: i64,
    pub last_30_days: i64,
    /// (label, count)
    pub by_kind: Vec<(String, i64)>,
    pub by_channel: Vec<(String, i64)>,
    /// (YYYY-MM-DD, count) for the last 30 days, oldest first, days without requests included.
    pub by_day: Vec<(String, i64)>,
    pub top_purposes: Vec<(String, i64)>,
    pub recent: Vec<ReportLogRow>,
}

/// What a report request asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReportRequest {
    /// public | special
    pub kind: String,
    pub subject: String,
    pub applicant: String,
    pub purpose: String,
    /// Staff: the service matter (free text until a matter catalogue exists).
    pub matter: String,
    /// Special report: the sections chosen besides the required ones.
    pub sections: Vec<String>,
    /// Special report: the period (YYYY-MM-DD).
    pub from: String,
    pub to: String,
}

/// The disclosure rules in force (公示规则), as the console edits them: the display-period regime
/// (docs/domain.md §7) and what the public may see (`DisclosurePolicy`). Flat, so that a plain form posts it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DisclosureRules {
    /// "2025" | "2023" | "custom" (the months below apply only to "custom").
    pub regime: String,
    pub minor_min: i32,
    pub minor_max: i32,
    pub general_min: i32,
    pub general_max: i32,
    pub serious_min: i32,
    pub serious_max: i32,
    pub publish_person_penalties: bool,
    pub publish_warnings: bool,
    pub publish_minor: bool,
    /// ID numbers keep this many leading and trailing characters (docs/domain.md §3.3: 6 and 4).
    pub mask_head: u32,
    pub mask_tail: u32,
    /// Read only: the last change.
    pub updated_at: String,
    pub updated_by: String,
}
