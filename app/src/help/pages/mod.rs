//! Help-centre pages: the home, the consultation form, tracking, the public Q&A, and the console desk.
pub mod consult;
pub mod desk;
pub mod home;
pub mod qa;
pub mod track;
