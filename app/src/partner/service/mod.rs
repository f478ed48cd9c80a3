//! Partner API services: the access log of the keys, the reads a key may make, the change feed.
pub mod access_log;
pub mod changes;
pub mod reads;
