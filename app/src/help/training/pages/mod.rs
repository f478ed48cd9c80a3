//! Training pages: the public page, the console's sessions and one session's sign-in list.
pub mod console;
pub mod form;
pub mod public;
pub mod session;
