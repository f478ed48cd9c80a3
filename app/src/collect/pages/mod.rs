//! Collection console pages: batches (upload, list, detail) and the catalogue.
pub mod api_keys;
pub mod batch;
pub mod batches;
pub mod catalogue;
pub mod conflicts;
pub mod due;
pub mod form;
pub mod precheck;
pub mod quality;
pub mod records;
pub mod subjects;
