//! CMS console pages: the article list and the editor with its workflow, history and versions.
pub mod editor;
pub mod list;
mod rich_text;
#[cfg(feature = "hydrate")]
mod upload;
