//! Exchange with the provincial platform (湖南省社会信用信息共享平台, docs/domain.md §12). Built so far:
//! the push outbox — every published record version becomes a message in the transaction of the change
//! (`service::outbox`). The sender, the data sent down, the upstream services and the partner API follow
//! (issue 22).
#[cfg(feature = "ssr")]
pub mod service;
