//! Case pages: the repair service page and its application form, the public tracking page, and the
//! console's case desk.
pub mod deadlines;
pub mod desk;
pub mod entry;
pub mod mine;
pub mod objection;
pub mod repair;
pub mod stats;
pub mod track;
