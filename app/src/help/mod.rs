//! The help centre (帮助中心): consultations (咨询/留言) with tracking codes and 5-working-day answers,
//! the public Q&A, the FAQ and the help-centre home (docs/domain.md §13).
pub mod api;
pub mod consult;
/// The FAQ (常见问题): CMS-managed questions, searchable (`/help/faq`).
pub mod faq;
#[cfg(feature = "ssr")]
mod faq_service;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
/// Training (培训): sessions with sign-in lists, and the materials column.
pub mod training;
