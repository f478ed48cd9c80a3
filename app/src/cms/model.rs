//! Types the CMS pages and server functions share.
use super::workflow::{Status, Transition};
use crate::portal::model::Attachment;
use serde::{Deserialize, Serialize};

/// The editable text of an article: what a revision keeps and the editor sends.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleContent {
    pub title: String,
    pub subtitle: String,
    /// Column codes; the first is the article's home column.
    pub columns: Vec<String>,
    pub source: String,
    pub author: String,
    /// Stored image name (`/files/…`), if any.
    pub cover: Option<String>,
    pub cover_alt: String,
    pub summary: String,
    pub body_html: String,
    pub tags: Vec<String>,
    pub attachments: Vec<Attachment>,
    pub headline: bool,
    /// The document fields, kept only for an article whose home column is a policy-kind column
    /// (absent from revisions saved before they existed).
    #[serde(default)]
    pub policy: Option<crate::rules::policy_doc::PolicyDoc>,
}

/// A save from the editor. `version` is the version the editor started from (0 for a new article):
/// a save over a newer version is refused (optimistic locking).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleSave {
    pub public_id: Option<String>,
    pub version: i64,
    pub content: ArticleContent,
}

/// One line of the CMS article list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleRow {
    pub public_id: String,
    pub title: String,
    pub column_name: String,
    pub status: Status,
    pub author: String,
    pub updated_at: String,
    pub publish_at: Option<String>,
    pub on_portal: bool,
}

/// A state change on the article's history tab.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleEvent {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub from_status: Option<Status>,
    pub to_status: Status,
    pub version: i64,
    pub comment: String,
}

/// A saved version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionRow {
    pub version: i64,
    pub saved_by: String,
    pub saved_at: String,
}

/// Everything the editor page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleDetail {
    pub public_id: String,
    pub version: i64,
    pub status: Status,
    pub content: ArticleContent,
    pub on_portal: bool,
    pub publish_at: Option<String>,
    pub unpublish_at: Option<String>,
    pub author: String,
    /// The moves the caller may make now (state, permission and four-eyes rules all allow them).
    pub allowed: Vec<Transition>,
    pub may_edit: bool,
    pub events: Vec<ArticleEvent>,
    pub revisions: Vec<RevisionRow>,
    /// The pre-publication check of the current text.
    pub findings: Vec<Finding>,
    /// The caller may set the time it comes down by itself.
    pub may_set_expiry: bool,
    /// The columns the article may be placed in (so the editor page needs one call).
    pub columns: Vec<crate::portal::model::ColumnInfo>,
}

/// One field that differs between two revisions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldDiff {
    pub field: String,
    pub label: String,
    pub before: String,
    pub after: String,
}

/// A finding of the pre-publication check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Blocks publication (true) or only warns.
    pub blocks: bool,
    pub code: String,
    pub message: String,
}

/// A release (发布包) in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseRow {
    pub public_id: String,
    pub name: String,
    /// open | scheduled | published | cancelled
    pub status: String,
    pub status_label: String,
    /// Beijing time.
    pub publish_at: Option<String>,
    pub published_at: Option<String>,
    pub created_by: String,
    pub created_at: String,
    pub articles: i64,
}

/// An article in (or available for) a release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseArticle {
    pub public_id: String,
    pub title: String,
    pub status: Status,
    pub column: String,
}

/// A release with its articles and the approved articles that could join it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseDetail {
    pub release: ReleaseRow,
    pub articles: Vec<ReleaseArticle>,
    pub candidates: Vec<ReleaseArticle>,
}

/// A change to a release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReleaseChange {
    Add,
    Remove,
    Publish,
    Schedule,
    Unschedule,
    Cancel,
}

impl ReleaseChange {
    pub const ALL: [ReleaseChange; 6] = [
        ReleaseChange::Add,
        ReleaseChange::Remove,
        ReleaseChange::Publish,
        ReleaseChange::Schedule,
        ReleaseChange::Unschedule,
        ReleaseChange::Cancel,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ReleaseChange::Add => "add",
            ReleaseChange::Remove => "remove",
            ReleaseChange::Publish => "publish",
            ReleaseChange::Schedule => "schedule",
            ReleaseChange::Unschedule => "unschedule",
            ReleaseChange::Cancel => "cancel",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ReleaseChange::Add => "加入",
            ReleaseChange::Remove => "移出",
            ReleaseChange::Publish => "立即发布",
            ReleaseChange::Schedule => "定时发布",
            ReleaseChange::Unschedule => "取消定时",
            ReleaseChange::Cancel => "取消发布包",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// The site health board: problems by the inspection rules, each with its deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthBoard {
    pub problems: Vec<super::health::Problem>,
    pub links_checked: i64,
    pub links_failing: i64,
    /// Beijing time of the crawler's last run.
    pub crawled_at: Option<String>,
    /// The rules in force, in words.
    pub rules_text: String,
}

/// A column as site administrators edit it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnEdit {
    pub code: String,
    pub name: String,
    /// Empty for a top-level column.
    pub parent_code: String,
    pub sort_order: i64,
    /// news | notice | policy | service | general
    pub kind: String,
    /// Must be updated within this many days; none = no rule.
    pub update_days: Option<i64>,
    pub description: String,
    pub visible: bool,
    /// Empty unless the column is served by a function page.
    pub link_path: String,
}

/// A column in the administration list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnAdmin {
    pub edit: ColumnEdit,
    /// 0 for a top-level column, 1 for a sub-column.
    pub depth: usize,
    pub articles: i64,
    /// Users granted this column (none: every CMS user works in it).
    pub editors: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SensitiveWord {
    pub word: String,
    pub blocks: bool,
}

/// Everything the site administration page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteAdmin {
    pub columns: Vec<ColumnAdmin>,
    pub words: Vec<SensitiveWord>,
}
