//! The figures the statistics pages show and the XLSX exports write.
use crate::collect::model::QualityScore;
use serde::{Deserialize, Serialize};

/// 双公示 records of one group (a department, county or month).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Volume {
    pub label: String,
    pub licences: i64,
    pub penalties: i64,
}

impl Volume {
    pub fn total(&self) -> i64 {
        self.licences + self.penalties
    }
}

/// The public 信用统计 page: what is on public display today, nothing else.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicStats {
    /// The day the figures are for (`YYYY-MM-DD`).
    pub as_of: String,
    pub licences: i64,
    pub penalties: i64,
    /// The departments with most records, then "其他单位".
    pub by_department: Vec<Volume>,
    /// Every county and city of the prefecture, in the official order.
    pub by_county: Vec<Volume>,
    /// The last 12 months by decision date, oldest first (`YYYY-MM`).
    pub by_month: Vec<Volume>,
}

/// Records received (stored) in a group: the two typed classes and every other class together.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Received {
    pub label: String,
    pub licences: i64,
    pub penalties: i64,
    pub others: i64,
}

impl Received {
    pub fn total(&self) -> i64 {
        self.licences + self.penalties + self.others
    }
}

/// Records of one catalogue class.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassCount {
    pub class: String,
    pub records: i64,
}

/// What happened in one month (`YYYY-MM`): articles published, credit searches, reports issued,
/// data API calls and batches sent through the API.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    pub month: String,
    pub articles: i64,
    pub searches: i64,
    pub reports: i64,
    pub api_calls: i64,
    pub api_batches: i64,
}

/// The credit office's dashboard, or with `month` set, the monthly report of that month.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub as_of: String,
    /// The month reported on (`YYYY-MM`); empty for the dashboard, whose class, department and county
    /// figures count every record held.
    pub month: String,
    /// Months offered by the report's month picker, newest first.
    pub months: Vec<String>,
    pub by_class: Vec<ClassCount>,
    pub by_department: Vec<Received>,
    pub by_county: Vec<Received>,
    /// Records received per month, the 12 months up to the report's month, oldest first.
    pub by_month: Vec<Received>,
    pub activity: Vec<Activity>,
    /// The quality module's figures: the units' league and the six-month trend of the whole platform.
    pub quality_league: Vec<QualityScore>,
    pub quality_trend: Vec<QualityScore>,
}

/// The tables of the dashboard, each downloadable (`/console/export/stats.xlsx?table=…`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatsTable {
    Class,
    Department,
    County,
    Month,
    Activity,
    Quality,
}

impl StatsTable {
    pub const ALL: [StatsTable; 6] = [
        StatsTable::Class,
        StatsTable::Department,
        StatsTable::County,
        StatsTable::Month,
        StatsTable::Activity,
        StatsTable::Quality,
    ];

    pub fn code(self) -> &'static str {
        match self {
            StatsTable::Class => "class",
            StatsTable::Department => "department",
            StatsTable::County => "county",
            StatsTable::Month => "month",
            StatsTable::Activity => "activity",
            StatsTable::Quality => "quality",
        }
    }

    pub fn parse(code: &str) -> Option<StatsTable> {
        StatsTable::ALL.into_iter().find(|t| t.code() == code)
    }
}

/// `YYYY-MM` → `N月` for chart labels.
pub fn month_label(month: &str) -> String {
    let m = month.get(5..7).unwrap_or(month).trim_start_matches('0');
    format!("{m}月")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_parse_their_codes() {
        for t in StatsTable::ALL {
            assert_eq!(StatsTable::parse(t.code()), Some(t));
        }
        assert_eq!(StatsTable::parse("nope"), None);
    }

    #[test]
    fn month_labels() {
        assert_eq!(month_label("2026-03"), "3月");
        assert_eq!(month_label("2026-11"), "11月");
        assert_eq!(month_label("x"), "x月");
    }
}
