//! Statistics pages: the public 信用统计 and the credit office's dashboard and monthly report.
pub mod console;
pub mod figures;
pub mod public;
