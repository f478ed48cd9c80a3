//! Credit pages: public search, subject, lists, record, report request and verification; the console's
//! report desk and statistics.
pub mod desk;
pub mod lists;
pub mod records;
pub mod report;
pub mod search;
pub mod subject;
