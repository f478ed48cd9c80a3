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
