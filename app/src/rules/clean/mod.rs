//! The cleaning pipeline's pure part (docs/domain.md §6): header matching, value parsing, row checks and the
//! rule catalogue. The server adds storage, matching against stored records and the version trace.
pub mod headers;
pub mod keys;
pub mod precheck;
pub mod row;
pub mod rules;
pub mod values;

#[cfg(test)]
mod tests;
