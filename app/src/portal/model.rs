//! Types the portal sends to the browser.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteCounts {
    pub subjects: i64,
    pub licences: i64,
    pub penalties: i64,
    pub departments: i64,
}

/// One row of the latest 双公示 lists. Names of natural persons arrive already masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordBrief {
    pub public_id: String,
    pub subject_name: String,
    pub decision_no: String,
    pub authority: String,
    pub decision_date: String,
    /// Licence category, or penalty categories.
    pub category: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleBrief {
    pub public_id: String,
    pub column_name: String,
    pub title: String,
    pub published_on: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeData {
    pub counts: SiteCounts,
    pub latest_penalties: Vec<RecordBrief>,
    pub latest_licences: Vec<RecordBrief>,
    pub news: Vec<ArticleBrief>,
}
