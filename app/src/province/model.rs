//! What the push log page and its server functions exchange.
use serde::{Deserialize, Serialize};

/// The push log's filters (in the URL).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushFilter {
    /// A record kind (penalty, licence, a class code); empty for all.
    #[serde(default)]
    pub kind: String,
    /// pending, sent, parked, or `late` (pending past the 7-working-day rule); empty for all.
    #[serde(default)]
    pub state: String,
    /// First and last day the change was made (YYYY-MM-DD, Beijing), either may be empty.
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    /// A unit's public id.
    #[serde(default)]
    pub unit: String,
    /// Words of the record: decision number or subject name.
    #[serde(default)]
    pub q: String,
}

/// One message as the log lists it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushRow {
    pub id: i64,
    pub created_at: String,
    pub kind: String,
    pub kind_label: String,
    /// Decision number and subject, as far as the record has them.
    pub record: String,
    pub record_public_id: String,
    pub version: i64,
    pub action: String,
    pub unit: String,
    pub state: String,
    pub attempts: i64,
    /// The province's answer to a refusal, or the last failure.
    pub answer: Option<String>,
    pub sent_at: Option<String>,
    /// Working days from the decision to the push (to today while pending).
    pub lag_days: u32,
}

/// A record kind's schedule and counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushKind {
    pub kind: String,
    pub label: String,
    pub frequency: String,
    pub next_push_at: Option<String>,
    pub last_run_at: Option<String>,
    pub last_error: Option<String>,
    pub failures: i64,
    pub pending: i64,
    pub parked: i64,
    pub sent: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushLog {
    pub rows: Vec<PushRow>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    pub kinds: Vec<PushKind>,
    pub units: Vec<(String, String)>,
    /// Whether a province URL is configured (otherwise nothing is sent).
    pub configured: bool,
    /// Pending messages past the 7-working-day rule, and those within two working days of it.
    pub late: i64,
    pub due_soon: i64,
}

/// The province's answer about a subject, marked with when it was fetched and whether it came from
/// the cache.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpstreamAnswer {
    pub subject: Option<crate::province::wire::SubjectInfo>,
    /// Beijing time of the province's answer.
    pub fetched_at: String,
    pub cached: bool,
}

/// The 7-working-day rule of docs/domain.md §5: a decision is public (and pushed) within 7 working days.
pub const DUE_WORKING_DAYS: u32 = 7;
/// Warned this many working days before the rule is missed.
pub const WARN_WORKING_DAYS: u32 = 5;

/// How a message's lag reads against the rule.
pub fn lag_label(lag_days: u32, state: &str) -> &'static str {
    match (state, lag_days) {
        ("sent", d) if d > DUE_WORKING_DAYS => "超期送达",
        ("sent", _) => "按时送达",
        (_, d) if d > DUE_WORKING_DAYS => "已超期",
        (_, d) if d >= WARN_WORKING_DAYS => "即将超期",
        _ => "未超期",
    }
}

pub fn state_label(state: &str) -> &'static str {
    match state {
        "pending" => "待推送",
        "sent" => "已送达",
        "parked" => "被拒收",
        "late" => "待推送且已超期",
        _ => "—",
    }
}

pub fn action_label(action: &str) -> &'static str {
    match action {
        "create" => "新增",
        "update" => "更新",
        "correct" => "更正",
        "withdraw" => "撤下",
        "restore" => "恢复",
        "repair" => "信用修复",
        "takedown" => "公示期满下线",
        _ => "变更",
    }
}

/// Push frequencies offered (the catalogue's list; `realtime` is hourly for the push).
pub const FREQUENCIES: &[(&str, &str)] = &[
    ("realtime", "每小时"),
    ("daily", "每日"),
    ("weekly", "每周"),
    ("monthly", "每月"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lag_reads_against_the_seven_day_rule() {
        assert_eq!(lag_label(3, "pending"), "未超期");
        assert_eq!(lag_label(5, "pending"), "即将超期");
        assert_eq!(lag_label(7, "pending"), "即将超期");
        assert_eq!(lag_label(8, "pending"), "已超期");
        assert_eq!(lag_label(7, "sent"), "按时送达");
        assert_eq!(lag_label(9, "sent"), "超期送达");
    }
}
