//! Province exchange services: the outbox of the push.
pub mod outbox;
