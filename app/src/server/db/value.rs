//! The values that cross the bulk and hot-read paths: what is bound to a statement and what a row
//! gives back. Both paths bypass sqlx's `Any` values (see `bulk_conn`, `read_pool`).

/// A value to bind to a statement parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum BindValue {
    Int(i64),
    Text(String),
    NullText,
    NullInt,
}

impl BindValue {
    pub fn str(s: &str) -> BindValue {
        BindValue::Text(s.to_string())
    }
    pub fn opt(s: Option<String>) -> BindValue {
        s.map(BindValue::Text).unwrap_or(BindValue::NullText)
    }
    pub fn opt_int(i: Option<i64>) -> BindValue {
        i.map(BindValue::Int).unwrap_or(BindValue::NullInt)
    }
    /// Empty text is stored as NULL.
    pub fn text_or_null(s: &str) -> BindValue {
        if s.is_empty() {
            BindValue::NullText
        } else {
            BindValue::Text(s.to_string())
        }
    }
}

/// A column value read back from a row.
#[derive(Debug, Clone, PartialEq)]
pub enum ReadValue {
    Int(i64),
    Text(String),
    Null,
}

impl ReadValue {
    pub fn int(&self) -> Option<i64> {
        match self {
            ReadValue::Int(i) => Some(*i),
            ReadValue::Text(s) => s.parse().ok(),
            ReadValue::Null => None,
        }
    }
    pub fn text(&self) -> Option<String> {
        match self {
            ReadValue::Int(i) => Some(i.to_string()),
            ReadValue::Text(s) => Some(s.clone()),
            ReadValue::Null => None,
        }
    }
}
