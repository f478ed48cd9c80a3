//! Credit commitments' services (`ssr` only): the online submission, the accepting units' desk and the
//! repair commitment of the case engine, all through the collection pipeline (`pipeline.rs`).
pub mod console;
pub mod pipeline;
pub mod repair;
pub mod submit;
