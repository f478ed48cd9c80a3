//! Exchange with the provincial platform (湖南省社会信用信息共享平台, docs/domain.md §12,
//! docs/province-interface.md). Built so far: the push — every published record version becomes a
//! message in the transaction of the change (`service::outbox`), and a scheduled sender delivers the
//! messages in signed batches with idempotency keys, backoff and parking (`service::push`). The data
//! sent down, the upstream services and the partner API follow (issue 22).
pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod sign;
pub mod wire;
