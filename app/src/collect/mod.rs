//! Collection (归集) and cleaning (清洗): the catalogue, batches from the four channels, the checking
//! pipeline of DOMAIN §6, confirmation with the version trace, and quality control.
#[cfg(feature = "ssr")]
pub mod service;
