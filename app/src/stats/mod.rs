//! Statistics (统计分析, issue 19 item 5): the public 信用统计 page of what is on display, and the credit
//! office's dashboard and printable monthly report of data received, publication, use and quality.
pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
