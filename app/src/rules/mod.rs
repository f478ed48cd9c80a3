//! Pure domain rules: no I/O, compiled into the server and into the browser's WASM so that
//! forms check as the user types with exactly the server's logic.
pub mod catalog;
pub mod catalog_edit;
pub mod clean;
pub mod code;
pub mod date;
pub mod disclosure;
pub mod division;
pub mod due;
pub mod mask;
pub mod normalize;
pub mod password;
pub mod pii;
pub mod policy_doc;
pub mod resident_id;
pub mod uscc;
pub mod workdays;
