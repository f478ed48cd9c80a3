//! Console pages of the partner API.
pub mod access_log;
