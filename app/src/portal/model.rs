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

/// A column's newest articles, for the home page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnLatest {
    pub column: ColumnInfo,
    pub items: Vec<ArticleItem>,
}

/// An article of the home page's headline strip, with its picture.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Headline {
    pub item: ArticleItem,
    pub cover: String,
    pub cover_alt: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeData {
    pub counts: SiteCounts,
    pub latest_penalties: Vec<RecordBrief>,
    pub latest_licences: Vec<RecordBrief>,
    pub headlines: Vec<Headline>,
    /// 信用动态, 通知公告 and 政策法规 (the article columns of the home page), in column order.
    pub columns: Vec<ColumnLatest>,
}

/// A portal column as the navigation and column pages show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ColumnInfo {
    pub code: String,
    pub name: String,
    pub parent_code: Option<String>,
    /// news | notice | policy | service | general (the inspection rules differ by kind).
    pub kind: String,
    pub description: String,
    /// A column served by a page of its own (e.g. 双公示 → the public lists), not by articles.
    pub link_path: Option<String>,
}

impl ColumnInfo {
    /// Columns of news, notices and policies: the home page lists their newest articles.
    pub fn is_news_like(&self) -> bool {
        matches!(self.kind.as_str(), "news" | "notice" | "policy")
    }

    /// Where the column's link goes.
    pub fn href(&self) -> String {
        self.link_path
            .clone()
            .unwrap_or_else(|| format!("/column/{}", self.code))
    }
}

/// One line of an article list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleItem {
    pub public_id: String,
    pub title: String,
    pub summary: String,
    pub published_on: String,
    pub column_name: String,
}

/// A column page: the column, its sub-columns and one page of its articles, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnPageData {
    pub column: ColumnInfo,
    pub parent: Option<ColumnInfo>,
    pub children: Vec<ColumnInfo>,
    pub articles: crate::paging::Page<ArticleItem>,
}

/// A file attached to an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// Stored name (content address), served under `/files/`.
    pub file: String,
    /// The name the editor gave it.
    pub name: String,
    pub size: i64,
}

impl Attachment {
    pub fn size_text(&self) -> String {
        if self.size >= 1024 * 1024 {
            format!("{:.1} MB", self.size as f64 / 1024.0 / 1024.0)
        } else {
            format!("{} KB", (self.size + 1023) / 1024)
        }
    }
}

/// An article as the portal shows it (its published text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleView {
    pub public_id: String,
    pub column: ColumnInfo,
    pub title: String,
    pub subtitle: String,
    pub summary: String,
    /// Sanitised when it was saved and again when it was published.
    pub body_html: String,
    pub source: String,
    pub author: String,
    pub cover: Option<String>,
    pub cover_alt: String,
    pub tags: Vec<String>,
    pub attachments: Vec<Attachment>,
    pub published_at: String,
    pub views: i64,
    pub prev: Option<ArticleItem>,
    pub next: Option<ArticleItem>,
    /// The document fields of a policy article (政策法规), shown in a small table.
    #[serde(default)]
    pub policy: Option<crate::rules::policy_doc::PolicyDoc>,
}

/// Site search results: a page of articles whose title or text contains the words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    pub query: String,
    pub results: crate::paging::Page<SearchHit>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchHit {
    pub item: ArticleItem,
    /// A short piece of the text around the first match.
    pub excerpt: String,
}

/// One document of the 政策法规 list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyRow {
    pub public_id: String,
    pub title: String,
    /// Empty fields for an article published without them.
    pub doc: crate::rules::policy_doc::PolicyDoc,
    pub published_on: String,
}

/// The filters of the policy list, as they stand in the URL (empty = any).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyFilter {
    /// A `policy_doc::LEVELS` code.
    pub level: String,
    /// A `policy_doc::STATUSES` code.
    pub status: String,
    pub issuer: String,
    /// Year of the issue date, e.g. 2024.
    pub year: String,
    /// A fragment of the title or the document number.
    pub q: String,
}

/// A policy column's document list: one page of it, with the choices its filters offer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyPageData {
    pub rows: crate::paging::Page<PolicyRow>,
    /// Issuing bodies and years found in the column, for the filter choices.
    pub issuers: Vec<String>,
    pub years: Vec<String>,
}
