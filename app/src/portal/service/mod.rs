//! Portal queries. The portal reads only what is public: published records (docs/domain.md §3.3, §7) and the
//! published copy of articles (`article_live`), never a working draft.
pub mod articles;
pub mod columns;
pub mod feeds;
pub mod home;
pub mod policies;
pub mod search;

// The portal's surface for other domains (the CMS's editor and preview): they call these, never the
// modules above.

/// Every visible column, parents before children (the CMS's column choice).
pub use columns::visible as visible_columns;

/// A column by code, shown or not (the CMS's preview shows an article in its column).
pub use columns::find_any as column_by_code;

/// The document fields of a policy article, as stored on `articles` and `article_live` (the CMS
/// saves and reads them with the same column list).
pub use policies::{read_doc as policy_doc_from_row, select_list as policy_doc_columns};
