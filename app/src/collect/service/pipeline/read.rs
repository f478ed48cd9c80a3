//! Reading a batch's rows in chunks: from its stored file, or as given (API and web form).
use crate::collect::service::files::Opened;
use crate::error::AppError;

/// Rows per transaction: large enough that each commit writes an index page once for many rows,
/// small enough that a chunk's rows stay a few MB.
pub const CHUNK: usize = 10_000;

/// A row as sent: its row number (1-based, blank rows counted) and its cells.
pub struct NumberedRow {
    pub row: u64,
    pub cells: Vec<String>,
}

/// Reads up to `CHUNK` non-blank rows after row `row_no`, which it advances. Empty at the end.
pub fn next_chunk(file: &mut Opened, row_no: &mut u64) -> Result<Vec<NumberedRow>, AppError> {
    let mut chunk = Vec::with_capacity(CHUNK);
    while chunk.len() < CHUNK {
        match file.next_row(*row_no + 1) {
            None => break,
            Some(Err(e)) => return Err(e),
            Some(Ok(cells)) => {
                *row_no += 1;
                if cells.iter().any(|c| !c.trim().is_empty()) {
                    chunk.push(NumberedRow {
                        row: *row_no,
                        cells,
                    });
                }
            }
        }
    }
    Ok(chunk)
}

/// Rows given directly, numbered from 1, in chunks of `CHUNK`.
pub fn given_chunks(rows: Vec<Vec<String>>) -> Vec<Vec<NumberedRow>> {
    let mut chunks = vec![];
    let mut chunk = Vec::with_capacity(rows.len().min(CHUNK));
    for (i, cells) in rows.into_iter().enumerate() {
        chunk.push(NumberedRow {
            row: i as u64 + 1,
            cells,
        });
        if chunk.len() == CHUNK {
            chunks.push(std::mem::take(&mut chunk));
        }
    }
    if !chunk.is_empty() {
        chunks.push(chunk);
    }
    chunks
}
