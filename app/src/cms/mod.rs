//! The CMS (采编 → 审核 → 发布): articles, their revisions and workflow, uploads and the site's health.
pub mod api;
pub mod checks;
pub mod files;
pub mod health;
pub mod html;
pub mod model;
pub mod pages;
pub mod revision;
#[cfg(feature = "ssr")]
pub mod service;
pub mod workflow;
