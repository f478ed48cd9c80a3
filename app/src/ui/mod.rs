//! Design system: layout, navigation, status pages and small shared widgets.
pub mod bars;
pub mod chart;
pub mod elder;
pub mod form;
pub mod head;
pub mod layout;
pub mod status;
pub mod table;
pub mod url;
