//! The partner API (智慧办 and other government systems, docs/domain.md §12): API keys read the public
//! records of the classes they are scoped to (`read:<class>`), look subjects up by USCC, issue reports
//! for a named service matter (`report`) and follow changes since a cursor, each key within its own
//! rate limit; every request a key makes is in the access log, which the security admin reads and
//! exports. The HTTP side is `server/src/http/api_v1/partner.rs`; the keys are `collect::service::api_keys`.
pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
