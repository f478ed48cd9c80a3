//! Collection services: catalogue, intake, the checking pipeline, confirmation and the registry.
pub mod api_keys;
pub mod batches;
pub mod catalogue;
pub mod confirm;
pub mod conflicts;
pub mod due;
pub mod files;
pub mod intake;
pub mod pipeline;
pub mod quality;
pub mod records;
pub mod report;
pub mod store;
pub mod subjects;
