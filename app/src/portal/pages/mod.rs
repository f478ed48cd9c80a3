//! Portal pages: rendered on the server, readable without JavaScript, phone first.
pub mod article;
pub mod column;
pub mod home;
pub mod parts;
pub mod policy;
pub mod search;
pub mod uscc_check;
