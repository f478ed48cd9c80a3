//! Commitment pages: the public online form and its answer, and the console desk.
pub mod console;
pub mod public;
