//! Case pages: the repair service page and its application form, the public tracking page, and the
//! console's case desk.
pub mod desk;
pub mod repair;
pub mod track;
