//! What an upload may contain, and how a file that breaks a bound is refused. Shared by the table
//! readers (`files`, `xlsx`) and the places that take uploads (`intake`, `exchange`, `registry`).
use crate::error::AppError;
use crate::server::AppState;

/// Limits on what an upload may contain.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_bytes: u64,
    pub max_columns: usize,
    /// Characters per cell; Excel's own limit is 32 767.
    pub max_cell_chars: usize,
    /// Bytes an XLSX may inflate to, counted while inflating (declared sizes are not trusted).
    pub max_xlsx_unpacked: u64,
    pub max_rows: u64,
    /// Text of an XLSX's shared-string table, which is held while the sheet is read.
    pub max_shared_strings: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 200 * 1024 * 1024,
            max_columns: 200,
            max_cell_chars: 32_767,
            max_xlsx_unpacked: 400 * 1024 * 1024,
            max_rows: 2_000_000,
            max_shared_strings: 100 * 1024 * 1024,
        }
    }
}

/// The limits with the configured upload size.
pub fn configured(state: &AppState) -> Limits {
    Limits {
        max_bytes: state.config.upload_max_mb * 1024 * 1024,
        ..Limits::default()
    }
}

/// The error a file that cannot be taken is refused with.
pub fn refuse(message: impl Into<String>) -> AppError {
    AppError::field("file", "FILE_INVALID", message)
}
