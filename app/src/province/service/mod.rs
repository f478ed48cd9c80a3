//! Province exchange services: the outbox of the push, the records as sent, the sender, the push log, the
//! province's services about subjects.
pub mod export;
pub mod lag;
pub mod log;
pub mod outbox;
pub mod payload;
pub mod push;
pub mod upstream;
