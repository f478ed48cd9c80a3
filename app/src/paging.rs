//! A page of rows with its total: what every list's server function returns and its pager shows.
//! Shared by the server (which fills it, see `server::db::sql` for the SQL side) and the browser.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub total: i64,
    /// 1-based.
    pub page: i64,
    pub per_page: i64,
}

impl<T> Page<T> {
    pub fn pages(&self) -> i64 {
        ((self.total + self.per_page - 1) / self.per_page).max(1)
    }
}
