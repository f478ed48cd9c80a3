//! Console pages of the exchange with the province.
pub mod push_log;
pub mod upstream;
