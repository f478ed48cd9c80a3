//! Portal queries. The portal reads only what is public: published records (DOMAIN §3.3, §7) and the
//! published copy of articles (`article_live`), never a working draft.
pub mod articles;
pub mod columns;
pub mod feeds;
pub mod home;
pub mod search;
