//! Design system: layout, navigation, status pages and small shared widgets.
pub mod elder;
pub mod layout;
pub mod status;
