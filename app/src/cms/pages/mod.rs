//! CMS console pages: the article list and the editor with its workflow, history and versions.
pub mod editor;
pub mod health;
pub mod list;
mod policy_fields;
pub mod preview;
pub mod releases;
mod rich_text;
pub mod site;
#[cfg(feature = "hydrate")]
mod upload;
